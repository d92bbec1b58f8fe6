/**
 * Error codes raised by `@arenakit/lru` itself. Bad arguments (wrong types,
 * NaN or negative numbers, budgets too small) raise `InvalidArgumentError`
 * and lone-surrogate strings raise `EncodingError`, both from
 * `@arenakit/bump`, so a caller branches on `err.code` the same way across
 * packages.
 */
export type LruErrorCode = "ERR_LRU_ENTRY_TOO_LARGE" | "ERR_LRU_RELEASED" | "ERR_LRU_BUSY" | "ERR_LRU_STALE_VIEW";

/**
 * Base class of the errors raised by `@arenakit/lru`.
 *
 * @example
 * ```ts
 * import { ArenaLru, LruError } from "@arenakit/lru";
 * const cache = new ArenaLru({ maxBytes: 64 * 1024 });
 * try {
 *   cache.set("big", new Uint8Array(1 << 20));
 * } catch (err) {
 *   if (err instanceof LruError) console.log(err.code); // "ERR_LRU_ENTRY_TOO_LARGE"
 * }
 * ```
 */
export class LruError extends Error {
  /** Machine-readable code naming the problem. */
  readonly code: LruErrorCode;

  constructor(code: LruErrorCode, message: string) {
    super(message);
    this.code = code;
    this.name = new.target.name;
  }
}

/**
 * An entry (key, value and its header) needs more bytes than the cache's
 * whole budget can ever hold, so no amount of eviction would make room. It is
 * refused before anything is evicted: what was stored stays as it was
 * (including an older value under the same key).
 */
export class EntryTooLargeError extends LruError {
  /** Bytes the entry would take in the arena (header and rounding included). */
  readonly requested: number;
  /** The largest entry the cache can hold, in the same unit. */
  readonly limit: number;

  constructor(message: string, requested: number, limit: number) {
    super("ERR_LRU_ENTRY_TOO_LARGE", message);
    this.requested = requested;
    this.limit = limit;
  }
}

/** The cache (or a Worker's reader of it) was released and can no longer be used. */
export class CacheReleasedError extends LruError {
  constructor(message: string) {
    super("ERR_LRU_RELEASED", message);
  }
}

/**
 * The cache was changed at a moment when that is not allowed: from inside an
 * `onEvict` callback, or while an iterator over it was running. Nothing was
 * changed by the refused call.
 */
export class CacheBusyError extends LruError {
  constructor(message: string) {
    super("ERR_LRU_BUSY", message);
  }
}

/**
 * A record view from `get`, `peek` or an iterator was read after its entry
 * changed: replaced by a `set`, evicted, expired, deleted, cleared, or the
 * cache released. The entry's memory may already hold another key, so the
 * read is refused instead of returning its bytes. Look the key up again, or
 * take an owned copy with `getCopy` when a value must outlive later writes.
 *
 * @example
 * ```ts
 * import { struct, t } from "@arenakit/bump";
 * import { ArenaLru, StaleViewError } from "@arenakit/lru";
 * const Point = struct({ x: t.f64, y: t.f64 });
 * const cache = new ArenaLru({ maxBytes: 1 << 16, value: Point });
 * cache.set("p", { x: 1, y: 2 });
 * const view = cache.get("p")!;
 * cache.delete("p");
 * try {
 *   view.x;
 * } catch (err) {
 *   console.log(err instanceof StaleViewError); // true
 * }
 * ```
 */
export class StaleViewError extends LruError {
  constructor(message: string) {
    super("ERR_LRU_STALE_VIEW", message);
  }
}
