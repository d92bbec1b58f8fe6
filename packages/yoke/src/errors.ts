/**
 * Error codes raised by `@arenakit/yoke`. Every error the package throws
 * (apart from the ones your own callbacks throw, which pass through
 * unchanged) is a {@link YokeError} with one of these codes.
 */
export type YokeErrorCode =
  | "ERR_YOKE_USE_AFTER_RELEASE"
  | "ERR_YOKE_DOUBLE_RELEASE"
  | "ERR_YOKE_BORROWED_CART"
  | "ERR_YOKE_LEASE"
  | "ERR_YOKE_LEASE_LIMIT"
  | "ERR_YOKE_INVALID_DESCRIPTOR"
  | "ERR_YOKE_INVALID_ARGUMENT";

/**
 * Base class of the errors raised by `@arenakit/yoke`; branch on `err.code`.
 *
 * @example
 * ```ts
 * import { Arc, YokeError } from "@arenakit/yoke";
 * const a = Arc.new("cart");
 * a.release();
 * try {
 *   a.release();
 * } catch (err) {
 *   if (err instanceof YokeError) console.log(err.code); // "ERR_YOKE_DOUBLE_RELEASE"
 * }
 * ```
 */
export class YokeError extends Error {
  /** Machine-readable code naming the problem. */
  readonly code: YokeErrorCode;

  constructor(code: YokeErrorCode, message: string) {
    super(message);
    this.code = code;
    this.name = new.target.name;
  }
}

/**
 * A reference was used after it was released, or after it was moved into a
 * {@link Yoke} (or a yoke after `mapProject`/`intoBackingCart` consumed it).
 * The logical use-after-free that JavaScript otherwise lets through silently.
 */
export class UseAfterReleaseError extends YokeError {
  constructor(message: string) {
    super("ERR_YOKE_USE_AFTER_RELEASE", message);
  }
}

/**
 * `release()` (or dispose) was called on a reference that was already
 * released. Nothing is decremented a second time: the count stays right.
 */
export class DoubleReleaseError extends YokeError {
  constructor(message: string) {
    super("ERR_YOKE_DOUBLE_RELEASE", message);
  }
}

/**
 * The cart returned by `Yoke.backingCart()` belongs to the yoke and cannot be
 * released through it; `clone()` it to get a reference of your own.
 */
export class BorrowedCartError extends YokeError {
  constructor(message: string) {
    super("ERR_YOKE_BORROWED_CART", message);
  }
}

/**
 * A lease of a shared `Arc` was used wrongly: a descriptor attached twice, on
 * a thread it was not addressed to, after its lease was reclaimed, or shared
 * with a Worker that has already exited.
 */
export class LeaseError extends YokeError {
  constructor(message: string) {
    super("ERR_YOKE_LEASE", message);
  }
}

/**
 * Every lease slot of a shared `Arc` is taken (at most {@link MAX_LEASES},
 * 1,280, threads and descriptors in flight may hold it at once). Nothing changed.
 */
export class LeaseLimitError extends YokeError {
  constructor(message: string) {
    super("ERR_YOKE_LEASE_LIMIT", message);
  }
}

/** An object passed to `SharedArc.attach`/`attachWeak` is not a descriptor made by `share()`/`shareWeak()`. */
export class DescriptorError extends YokeError {
  constructor(message: string) {
    super("ERR_YOKE_INVALID_DESCRIPTOR", message);
  }
}

/** An argument was not acceptable (a callback that is not a function, a bad thread id, options of the wrong type). */
export class YokeArgumentError extends YokeError {
  constructor(message: string) {
    super("ERR_YOKE_INVALID_ARGUMENT", message);
  }
}
