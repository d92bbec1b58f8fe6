/**
 * Error codes raised by arenakit allocators and layouts. Every error thrown by
 * `@arenakit/bump` is an {@link ArenaError} carrying one of these codes, so a
 * caller can branch on `err.code` instead of parsing messages.
 */
export type ArenaErrorCode =
  | "ERR_ARENA_INVALID_ARGUMENT"
  | "ERR_ARENA_ALLOCATION_LIMIT"
  | "ERR_ARENA_STALE_POINTER"
  | "ERR_ARENA_INVALID_POINTER"
  | "ERR_ARENA_ENCODING"
  | "ERR_ARENA_RELEASED"
  | "ERR_ARENA_READ_ONLY"
  | "ERR_ARENA_SNAPSHOT";

/**
 * Base class of every error raised by arenakit memory code.
 *
 * @example
 * ```ts
 * import { ArenaError, Bump } from "@arenakit/bump";
 * try {
 *   new Bump().alloc(-1);
 * } catch (err) {
 *   if (err instanceof ArenaError) console.log(err.code); // "ERR_ARENA_INVALID_ARGUMENT"
 * }
 * ```
 */
export class ArenaError extends Error {
  /** Machine-readable code naming the problem. */
  readonly code: ArenaErrorCode;

  constructor(code: ArenaErrorCode, message: string) {
    super(message);
    this.code = code;
    this.name = new.target.name;
  }
}

/** A size, alignment, option or value was not acceptable (negative, fractional, NaN, too large, not a power of two, wrong type). */
export class InvalidArgumentError extends ArenaError {
  /** The name of the argument or option that was refused, when one is known (`"size"`, `"value"`, `"pool"`, ...). */
  readonly argument: string | undefined;

  constructor(message: string, argument?: string) {
    super("ERR_ARENA_INVALID_ARGUMENT", message);
    this.argument = argument;
  }
}

/**
 * An allocation would take the arena past its `allocationLimit` (or past what
 * the platform can address). Nothing was allocated; what was stored before is intact.
 */
export class AllocationLimitError extends ArenaError {
  /** Bytes requested by the failed allocation. */
  readonly requested: number;
  /** The limit in force when the allocation failed. */
  readonly limit: number;

  constructor(message: string, requested: number, limit: number) {
    super("ERR_ARENA_ALLOCATION_LIMIT", message);
    this.requested = requested;
    this.limit = limit;
  }
}

/**
 * A pointer (or a view holding one) was used after the memory it names was
 * reset, rewound or released. JavaScript has no dangling pointers, but a
 * recycled arena makes logical use-after-free possible: this error is how it shows.
 */
export class StalePointerError extends ArenaError {
  constructor(message: string) {
    super("ERR_ARENA_STALE_POINTER", message);
  }
}

/** A number that was never returned by this allocator was used as a pointer (detected where possible). */
export class InvalidPointerError extends ArenaError {
  constructor(message: string) {
    super("ERR_ARENA_INVALID_POINTER", message);
  }
}

/**
 * A string could not be stored without changing it: it is not well-formed
 * UTF-16 (it holds a lone surrogate). arenakit never silently replaces
 * characters, so such strings are rejected.
 */
export class EncodingError extends ArenaError {
  constructor(message: string) {
    super("ERR_ARENA_ENCODING", message);
  }
}

/** The allocator was released (or disposed) and can no longer allocate or be read. */
export class ReleasedError extends ArenaError {
  constructor(message: string) {
    super("ERR_ARENA_RELEASED", message);
  }
}

/** A write was attempted through read-only memory (for example an arena attached from another thread). */
export class ReadOnlyError extends ArenaError {
  constructor(message: string) {
    super("ERR_ARENA_READ_ONLY", message);
  }
}
