/**
 * Error codes raised by `@arenakit/account-cache`. Every error the package
 * throws itself is an {@link AccountCacheError} with one of these codes;
 * errors of the packages it builds on (`@arenakit/bump`, `@arenakit/yoke`)
 * pass through with their own codes.
 */
export type AccountCacheErrorCode =
  | "ERR_ACCOUNTS_INVALID_ARGUMENT"
  | "ERR_ACCOUNTS_DATA_TOO_LARGE"
  | "ERR_ACCOUNTS_FINISHED"
  | "ERR_ACCOUNTS_SLOT_ORDER"
  | "ERR_ACCOUNTS_RELEASED"
  | "ERR_ACCOUNTS_READ_ONLY"
  | "ERR_ACCOUNTS_DESCRIPTOR"
  | "ERR_ACCOUNTS_CORRUPTED";

/**
 * Base class of the errors raised by `@arenakit/account-cache`; branch on `err.code`.
 *
 * @example
 * ```ts
 * import { AccountCacheError, AccountsBuilder } from "@arenakit/account-cache";
 * try {
 *   new AccountsBuilder(-1n);
 * } catch (err) {
 *   if (err instanceof AccountCacheError) console.log(err.code); // "ERR_ACCOUNTS_INVALID_ARGUMENT"
 * }
 * ```
 */
export class AccountCacheError extends Error {
  /** Machine-readable code naming the problem. */
  readonly code: AccountCacheErrorCode;

  constructor(code: AccountCacheErrorCode, message: string) {
    super(message);
    this.code = code;
    this.name = new.target.name;
  }
}

/** A slot, id, owner, index or option was not acceptable (wrong type, out of range, not well-formed UTF-16). Nothing was stored. */
export class InvalidAccountError extends AccountCacheError {
  constructor(message: string) {
    super("ERR_ACCOUNTS_INVALID_ARGUMENT", message);
  }
}

/** An account's data is larger than the builder's `maxDataBytes`. Nothing was stored. */
export class DataTooLargeError extends AccountCacheError {
  /** Length of the rejected data. */
  readonly length: number;
  /** The limit in force. */
  readonly limit: number;

  constructor(message: string, length: number, limit: number) {
    super("ERR_ACCOUNTS_DATA_TOO_LARGE", message);
    this.length = length;
    this.limit = limit;
  }
}

/** `insertAccount` or `finish` was called on a builder that was already finished (or discarded). */
export class BuilderFinishedError extends AccountCacheError {
  constructor(message: string) {
    super("ERR_ACCOUNTS_FINISHED", message);
  }
}

/** A slot was pushed that is not newer than the newest slot in the cache. The cache is unchanged. */
export class SlotOrderError extends AccountCacheError {
  constructor(message: string) {
    super("ERR_ACCOUNTS_SLOT_ORDER", message);
  }
}

/** A handle (frozen accounts, selected account, account view, cache) was used after it was released. */
export class AccountsReleasedError extends AccountCacheError {
  constructor(message: string) {
    super("ERR_ACCOUNTS_RELEASED", message);
  }
}

/** A write was attempted through a read-only cache attached in a Worker. */
export class ReadOnlyCacheError extends AccountCacheError {
  constructor(message: string) {
    super("ERR_ACCOUNTS_READ_ONLY", message);
  }
}

/** Something that is not a descriptor made by this package was given to `fromShared` or `attach`. */
export class AccountsDescriptorError extends AccountCacheError {
  constructor(message: string) {
    super("ERR_ACCOUNTS_DESCRIPTOR", message);
  }
}

/**
 * `verify()` found that a frozen entry's bytes no longer match the checksum
 * taken when it was frozen: something wrote into its shared memory (a view's
 * `data` written through, on any thread). JavaScript cannot make shared memory
 * read-only, so this check is how such a write is found. The entry's content
 * cannot be trusted any more; rebuild it from its source.
 */
export class AccountsCorruptedError extends AccountCacheError {
  /** The checksum taken at `finish()`. */
  readonly expected: number;
  /** The checksum of the bytes now. */
  readonly actual: number;

  constructor(message: string, expected: number, actual: number) {
    super("ERR_ACCOUNTS_CORRUPTED", message);
    this.expected = expected;
    this.actual = actual;
  }
}
