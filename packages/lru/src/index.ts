/**
 * A least-recently-used cache with a byte budget whose entries, hash table and
 * recency links live in arena memory instead of one object per entry:
 * {@link ArenaLru}, and {@link LruReader} to read a shared cache from a Worker.
 *
 * Gotcha: `get` of a byte or record value returns a view valid only until the
 * entry next changes or is evicted; use `getCopy` for a value you keep.
 *
 * @example
 * ```ts
 * import { ArenaLru } from "@arenakit/lru";
 * using cache = new ArenaLru({ maxBytes: 1 << 20, value: "string" });
 * cache.set("greeting", "hello");
 * cache.get("greeting"); // "hello"
 * ```
 *
 * @packageDocumentation
 */
export type {
  EvictReason,
  KeyKind,
  KeyOf,
  LruDescriptor,
  LruLoadOptions,
  LruOptions,
  LruStats,
  SetOptions,
  ValueInput,
  ValueOwned,
  ValueSpec,
  ValueView,
} from "./api.js";
export { ArenaLru } from "./cache.js";
export { LruCore } from "./core.js";
export { LruReader, type LruReaderOptions } from "./reader.js";
export { CacheBusyError, CacheReleasedError, EntryTooLargeError, LruError, StaleViewError, type LruErrorCode } from "./errors.js";
