import type { Input, Layout, Owned, View } from "@arenakit/bump";

/** How keys are given: `"string"` (stored as UTF-8) or `"bytes"` (`Uint8Array`, stored as is). */
export type KeyKind = "string" | "bytes";

/**
 * What values are: `"bytes"` (`Uint8Array`), `"string"` (stored as UTF-8), or
 * a record {@link Layout} from `@arenakit/bump` whose fields are all fixed-size
 * (numbers, bigints, booleans, nested fixed-size records; no `t.str`/`t.bytes`
 * fields, because those would live outside the entry's block).
 */
export type ValueSpec = "bytes" | "string" | Layout<any>;

/** The key type of a cache with key kind `K`. */
export type KeyOf<K extends KeyKind> = K extends "bytes" ? Uint8Array : string;

/** What `set` accepts for a value spec `V`. */
export type ValueInput<V extends ValueSpec> = V extends "bytes"
  ? Uint8Array
  : V extends "string"
    ? string
    : V extends Layout<infer S>
      ? Input<S>
      : never;

/** What `get`/`peek` return for a value spec `V`: a zero-copy view for bytes and records. */
export type ValueView<V extends ValueSpec> = V extends "bytes"
  ? Uint8Array
  : V extends "string"
    ? string
    : V extends Layout<infer S>
      ? View<S>
      : never;

/** What `getCopy` (and Worker readers) return for a value spec `V`: memory the caller owns. */
export type ValueOwned<V extends ValueSpec> = V extends "bytes"
  ? Uint8Array
  : V extends "string"
    ? string
    : V extends Layout<infer S>
      ? Owned<S>
      : never;

/**
 * Why an entry left the cache, as given to {@link LruOptions.onEvict}:
 * `"evict"` (least recently used, to make room), `"expire"` (its TTL ran
 * out), `"set"` (its value was replaced), `"delete"` (`delete()` or `clear()`).
 */
export type EvictReason = "evict" | "expire" | "set" | "delete";

/** Options of {@link ArenaLru}. */
export interface LruOptions<K extends KeyKind = "string", V extends ValueSpec = "bytes"> {
  /**
   * The budget in bytes: everything the cache takes from the engine (its hash
   * table, recency links and the arena that holds keys and values). Memory is
   * reserved up front; the operating system commits pages as they are used.
   * Required.
   */
  readonly maxBytes: number;
  /**
   * Most entries held at once. Also sizes the hash table and link arrays, so
   * when omitted it is derived from the budget as `maxBytes / averageEntryBytes`.
   * @defaultValue `Math.floor(maxBytes / averageEntryBytes)`
   */
  readonly max?: number;
  /**
   * Expected bytes per entry (key + value), used only to size the table when
   * `max` is not given. Smaller values reserve more of the budget for the table.
   * @defaultValue 96
   */
  readonly averageEntryBytes?: number;
  /** Key kind. @defaultValue "string" */
  readonly key?: K;
  /** Value kind. @defaultValue "bytes" */
  readonly value?: V;
  /**
   * Default time to live of an entry in milliseconds (0: entries never
   * expire). Can be overridden per `set`.
   * @defaultValue 0
   */
  readonly ttl?: number;
  /**
   * Remove expired entries on a timer (unref'd, so it never keeps the process
   * alive), not only when they are looked up or reach the end of the LRU list.
   * @defaultValue false
   */
  readonly ttlAutopurge?: boolean;
  /**
   * The monotonic clock in milliseconds used for TTLs. Inject one in tests.
   * Worker readers compare expiry times with their own clock, so a shared
   * cache's clock must mean the same in every thread.
   * @defaultValue `() => performance.timeOrigin + performance.now()`
   */
  readonly now?: () => number;
  /**
   * Called when an entry leaves the cache, with the reason. The value is a
   * view that is valid only during the call (copy what you keep). The cache
   * must not be changed from inside the callback ({@link CacheBusyError}).
   */
  readonly onEvict?: (value: ValueView<V>, key: KeyOf<K>, reason: EvictReason) => void;
  /**
   * Keep the memory in SharedArrayBuffers so Workers can read the cache
   * (see {@link ArenaLru.share} and {@link LruReader}).
   * @defaultValue false
   */
  readonly shared?: boolean;
  /**
   * How freed blocks are reused: `"coalescing"` merges a freed block with free
   * neighbours; `"size-classes"` keeps every block at its size for good. Kept
   * so the benchmark suite can measure the choice.
   * @internal
   * @defaultValue "coalescing"
   */
  readonly allocator?: "coalescing" | "size-classes";
}

/** Per-`set` options. */
export interface SetOptions {
  /** Time to live of this entry in ms (0: never expires). @defaultValue the cache's `ttl` */
  readonly ttl?: number;
}

/** Counters and memory figures from {@link ArenaLru.stats}. */
export interface LruStats {
  /** Lookups (`get`) that found a live entry. */
  readonly hits: number;
  /** Lookups that found nothing (or an expired entry). */
  readonly misses: number;
  /** Entries removed to make room (reason `"evict"`). */
  readonly evictions: number;
  /** Entries removed because their TTL ran out. */
  readonly expirations: number;
  /** Evictions that happened although enough bytes were free, because no free block was large enough. */
  readonly fragmentationEvictions: number;
  /** Entries held. */
  readonly size: number;
  /** Most entries the table can hold. */
  readonly capacity: number;
  /** Key and value bytes stored (what {@link ArenaLru.calculatedSize} reports). */
  readonly payloadBytes: number;
  /** Bytes of the arena in entry blocks (payload + per-entry header + rounding). */
  readonly blockBytes: number;
  /** Bytes of the table and link arrays (fixed at construction). */
  readonly tableBytes: number;
  /** Bytes used: `tableBytes + blockBytes`. Never above `maxBytes`. */
  readonly bytesUsed: number;
  /** The budget. */
  readonly maxBytes: number;
  /**
   * Free share of the part of the arena that entries have reached so far
   * (its high-water mark): holes left by removed or resized entries. Once the
   * cache is full this is the part of the budget no entry could use; the
   * allocator merges neighbouring holes and reuses them for entries that fit.
   */
  readonly fragmentation: number;
}

/**
 * A postMessage-able description of a shared cache, from {@link ArenaLru.share},
 * for {@link LruReader.attach} in a Worker.
 */
export interface LruDescriptor {
  readonly kind: "arenakit.lru";
  /** Table, links and per-entry sequence numbers. */
  readonly meta: SharedArrayBuffer;
  /** The arena holding entry blocks. */
  readonly heap: SharedArrayBuffer;
}

/**
 * Options of `ArenaLru.load`/`loadSync`: any {@link LruOptions}, each
 * defaulting to what the saved cache had (`maxBytes`, `max`, `ttl`, `shared`,
 * key and value kind). A cache of records needs its `value` layout again (a layout
 * cannot be saved); it must describe the same fields, or the load fails with
 * a `"schema"` `SnapshotError`. A smaller `maxBytes` or `max` keeps the most
 * recently used entries that fit. `onEvict` is not called for entries left
 * out while loading.
 */
export interface LruLoadOptions<K extends KeyKind = "string", V extends ValueSpec = "bytes"> extends Partial<LruOptions<K, V>> {}
