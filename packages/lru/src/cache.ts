import {
  FreeListAllocator,
  InvalidArgumentError,
  Layout,
  SnapshotError,
  fingerprintOf,
  readSnapshotFile,
  readSnapshotFileSync,
  writeSnapshotFile,
  writeSnapshotFileSync,
  type LoadedSnapshot,
  type SnapshotSink,
  assertWellFormed,
  decodeUtf8,
  encodeUtf8Into,
  makePtr,
  ptrHigh,
  utf8Equals,
  type AnyField,
  type Ptr,
} from "@arenakit/bump";
import type {
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
import { CacheBusyError, CacheReleasedError, EntryTooLargeError, type StaleViewError } from "./errors.js";
import { EntryMemory } from "./guard.js";
import { EntryHeap } from "./heap.js";
import { LRU_READ_OPTIONS, checkLru, describeSpec, lruParts, type LruSection } from "./persist.js";
import { bytesEqual, hashBytes, hashString, lastHadSurrogate, lastUtf8Length, stringKeyEqual, utf8Length } from "./hash.js";
import {
  H_HEAP_SIZE,
  H_KEY_KIND,
  H_MAGIC,
  H_RECORD_SIZE,
  H_SHARED,
  H_SLOTS,
  H_TABLE,
  H_VALUE_KIND,
  KEY_BYTES,
  KEY_STRING,
  LONG_FLAG,
  LONG_LEN_MASK,
  MAGIC,
  MAX_SLOTS,
  SLOT_MASK,
  TTL_FLAG,
  VALUE_BYTES,
  VALUE_RECORD,
  VALUE_STRING,
  PREV_FREE,
  blockBytes,
  entryBlockBytes,
  headerBytes,
  headerFor,
  homeOf,
  keyLength,
  metaBytes,
  metaViews,
  valueLength,
} from "./meta.js";

const DEFAULT_AVERAGE_ENTRY = 96;
/** Per-entry bytes besides key and value, used only to size the table from the budget. */
const ENTRY_OVERHEAD_ESTIMATE = 36;
/** Bytes per slot in the link arrays (hash, prev, next, offset, generation; shared caches add 1). */
const SLOT_BYTES = 20;
/** Per-entry block bytes besides key and value: 4-byte entry header (also the block's header), ~4 of rounding. */
const BLOCK_OVERHEAD_ESTIMATE = 8;
/** The table is at most this full (linear probing; any size, indexed by scaling the hash). */
const MAX_LOAD = 0.8;
const MIN_HEAP = 64;
/** Heap bytes outside the entries' region: the FreeListAllocator's first block starts 4 bytes in, after a 4-byte header, and ends 8 before the end. */
const REGION_OVERHEAD = 16;
/** FreeListAllocator's largest buffer. */
const MAX_HEAP = 2 ** 32 - 8;

const defaultNow = (): number => performance.timeOrigin + performance.now();

/**
 * A least-recently-used cache under a byte budget, whose entries live in arena
 * memory: one hash table and a few link arrays (typed arrays) plus one
 * `FreeListAllocator` buffer for keys and values. Holding a million entries
 * creates no JS object per entry, so a full GC does not grow with the cache,
 * and the cache can be shared with Workers (see {@link ArenaLru.share}).
 *
 * When to use: a cache you would otherwise build with `lru-cache` and
 * `maxSize`, holding string or byte keys and byte, string or fixed-size record
 * values, when its size or GC pauses matter, or Workers must read it.
 *
 * Cost: `get`/`set` are O(1) (hash the key, probe a linear-probing table,
 * relink two typed-array nodes); `set` copies the key and value into the
 * arena. All memory (`maxBytes`) is reserved up front; the operating system
 * commits pages as they are first used.
 *
 * Gotchas (where it differs from `lru-cache`):
 * - `get` returns a view for byte and record values: it aliases the entry's
 *   bytes and is valid only until the entry is next changed or removed. A
 *   record view read after that throws {@link StaleViewError}; a byte view (a
 *   plain `Uint8Array`) cannot be checked and shows whatever the memory holds
 *   now. Use {@link ArenaLru.getCopy} for a value you keep.
 * - Keys and values are copied in; a stored `Uint8Array` is not the object you passed.
 * - The table is sized at construction (`max`, or `maxBytes / averageEntryBytes`);
 *   when it is full the least recently used entry is evicted even if bytes remain.
 * - Iterators stop with {@link CacheBusyError} if the cache changes, `get`
 *   included (it reorders); use `peek` while iterating.
 *
 * @example
 * ```ts
 * import { ArenaLru } from "@arenakit/lru";
 * using cache = new ArenaLru({ maxBytes: 1 << 20, value: "string" });
 * cache.set("greeting", "hello");
 * cache.get("greeting"); // "hello"
 * cache.stats().bytesUsed <= cache.maxBytes; // true
 * ```
 */
export class ArenaLru<K extends KeyKind = "string", V extends ValueSpec = "bytes"> implements Disposable {
  /** The budget in bytes: table, links and arena together. */
  readonly maxBytes: number;
  /** Most entries held at once. */
  readonly max: number;
  /** Default TTL in ms (0: none). */
  readonly ttl: number;
  /** Whether the memory is shared (Workers can read through {@link LruReader}). */
  readonly shared: boolean;
  /** Key kind. */
  readonly keyKind: K;

  /** Owns the buffer; one block of it is the region {@link EntryHeap} carves into entries. */
  private readonly _heap: FreeListAllocator;
  private readonly _entries: EntryHeap;
  private readonly _heapSize: number;
  private readonly _maxNeed: number;
  private readonly _metaBuf: ArrayBuffer | SharedArrayBuffer;
  private readonly _metaBytes: number;
  private _u8!: Uint8Array;
  private _u32!: Uint32Array;
  private _f64!: Float64Array;
  private _high = 0;
  private _table: Uint32Array;
  private _hash: Uint32Array;
  /** @internal per-slot sequence number and generation (read by record views' {@link EntryMemory}). */
  _seq: Int32Array;
  private _prev: Int32Array;
  private _next: Int32Array;
  private _off: Uint32Array;
  private _ref: Uint8Array;
  private readonly _tableSize: number;
  private readonly _isString: boolean;
  private readonly _valueKind: number;
  private readonly _layout: Layout<any> | undefined;
  private readonly _now: () => number;
  private _onEvict: ((value: ValueView<V>, key: KeyOf<K>, reason: EvictReason) => void) | undefined;
  private _timer: ReturnType<typeof setInterval> | undefined;

  private _count = 0;
  private _head = -1;
  private _tail = -1;
  /** Free slots, linked through `next`. */
  private _free = -1;
  /** Slots below this index have been used at least once. */
  private _fresh = 0;
  private _payload = 0;
  private _ttlCount = 0;
  private _busy = 0;
  private _mods = 0;
  private _released = false;
  // probe results (set by _find)
  private _h = 0;
  private _klen = 0;

  private _hits = 0;
  private _misses = 0;
  private _evictions = 0;
  private _expirations = 0;
  private _fragEvictions = 0;

  constructor(options: LruOptions<K, V>) {
    if (options === null || typeof options !== "object") {
      throw new InvalidArgumentError(`ArenaLru options must be an object with maxBytes, got ${String(options)}`);
    }
    const maxBytes = options.maxBytes;
    if (typeof maxBytes !== "number" || !Number.isSafeInteger(maxBytes) || maxBytes <= 0) {
      throw new InvalidArgumentError(`options.maxBytes must be a positive whole number of bytes, got ${String(maxBytes)}`);
    }
    const avg = options.averageEntryBytes ?? DEFAULT_AVERAGE_ENTRY;
    if (typeof avg !== "number" || !Number.isFinite(avg) || avg <= 0) {
      throw new InvalidArgumentError(`averageEntryBytes must be a positive number, got ${String(avg)}`);
    }
    let max = options.max;
    let tableSize = 8;
    if (max === undefined) {
      const guess = Math.max(1, Math.min(MAX_SLOTS, Math.floor(maxBytes / (avg + ENTRY_OVERHEAD_ESTIMATE))));
      tableSize = tableSizeFor(guess);
      // With the table fixed, as many slots as average entries fit in what is left (slot arrays + block each).
      const fit = Math.floor((maxBytes - metaBytes(tableSize, 0, false)) / (avg + SLOT_BYTES + BLOCK_OVERHEAD_ESTIMATE));
      max = Math.max(1, Math.min(MAX_SLOTS, Math.floor(tableSize * MAX_LOAD), fit));
    } else if (typeof max !== "number" || !Number.isInteger(max) || max < 1 || max > MAX_SLOTS) {
      throw new InvalidArgumentError(`max must be a whole number of entries from 1 to ${MAX_SLOTS}, got ${String(max)}`);
    }
    const ttl = options.ttl ?? 0;
    checkTtl(ttl);
    const key = options.key ?? ("string" as K);
    if (key !== "string" && key !== "bytes") {
      throw new InvalidArgumentError(`key must be "string" or "bytes", got ${String(key)}`);
    }
    const value = options.value ?? ("bytes" as V);
    let valueKind: number;
    if (value === "bytes") valueKind = VALUE_BYTES;
    else if (value === "string") valueKind = VALUE_STRING;
    else if (value instanceof Layout) {
      checkFixedSize(value, "value layout");
      valueKind = VALUE_RECORD;
    } else {
      throw new InvalidArgumentError(`value must be "bytes", "string" or a Layout from struct(), got ${String(value)}`);
    }
    if (options.now !== undefined && typeof options.now !== "function") {
      throw new InvalidArgumentError("now must be a function returning milliseconds");
    }
    if (options.onEvict !== undefined && typeof options.onEvict !== "function") {
      throw new InvalidArgumentError("onEvict must be a function");
    }
    const shared = options.shared ?? false;
    if (shared && typeof SharedArrayBuffer === "undefined") {
      throw new InvalidArgumentError("shared: true needs SharedArrayBuffer, which this environment does not expose");
    }

    tableSize = tableSizeFor(max);
    const mb = metaBytes(tableSize, max, shared);
    const heapSize = Math.min(MAX_HEAP, Math.floor((maxBytes - mb) / 8) * 8);
    if (heapSize < MIN_HEAP) {
      throw new InvalidArgumentError(
        `maxBytes ${maxBytes} is too small: the table and links for ${max} entries take ${mb} bytes, ` +
          `leaving less than ${MIN_HEAP} bytes for keys and values (raise maxBytes or lower max)`,
      );
    }

    this.maxBytes = maxBytes;
    this.max = max;
    this.ttl = ttl;
    this.shared = shared;
    this.keyKind = key;
    this._isString = key === "string";
    this._valueKind = valueKind;
    this._layout = valueKind === VALUE_RECORD ? (value as Layout<any>) : undefined;
    this._now = options.now ?? defaultNow;
    this._onEvict = options.onEvict;
    this._tableSize = tableSize;
    this._metaBytes = mb;
    this._metaBuf = shared ? new SharedArrayBuffer(mb) : new ArrayBuffer(mb);
    const h = new Int32Array(this._metaBuf, 0, 16);
    h[H_MAGIC] = MAGIC;
    h[H_TABLE] = tableSize;
    h[H_SLOTS] = max;
    h[H_KEY_KIND] = key === "string" ? KEY_STRING : KEY_BYTES;
    h[H_VALUE_KIND] = valueKind;
    h[H_RECORD_SIZE] = this._layout?.size ?? 0;
    h[H_HEAP_SIZE] = heapSize;
    h[H_SHARED] = shared ? 1 : 0;
    const m = metaViews(this._metaBuf);
    this._table = m.table;
    this._hash = m.hash;
    this._seq = m.seq;
    this._prev = m.prev;
    this._next = m.next;
    this._off = m.off;
    this._ref = m.ref;
    // SAFETY: every slot starts odd (free), so a reader never trusts a slot that was never written.
    this._seq.fill(1);

    this._heap = new FreeListAllocator({ size: heapSize, shared });
    this._heapSize = heapSize;
    const region = this._takeRegion();
    this._entries = new EntryHeap(this._u32, region, region + heapSize - REGION_OVERHEAD, true);
    this._maxNeed = heapSize - REGION_OVERHEAD;

    if (options.ttlAutopurge === true) {
      const every = Math.max(100, ttl > 0 ? ttl / 4 : 1000);
      this._timer = setInterval(() => {
        if (!this._released && this._busy === 0) this.purgeStale();
      }, every);
      (this._timer as { unref?: () => void }).unref?.();
    }
  }

  /**
   * The `maxBytes` that holds `entries` entries of `entryBytes` bytes each
   * (key + value) with `max: entries`, for sizing a budget from a count.
   * Exact for entries of that size with keys under 256 bytes and values under
   * 2 MiB (larger ones take a 4-byte longer header); an estimate for mixed sizes.
   *
   * @example
   * ```ts
   * import { ArenaLru } from "@arenakit/lru";
   * const maxBytes = ArenaLru.budgetFor(10_000, 16 + 64);
   * const cache = new ArenaLru({ maxBytes, max: 10_000 }); // holds 10,000 entries of 80 bytes
   * ```
   */
  static budgetFor(entries: number, entryBytes: number, options: { readonly shared?: boolean; readonly ttl?: boolean } = {}): number {
    if (!Number.isInteger(entries) || entries < 1 || entries > MAX_SLOTS) {
      throw new InvalidArgumentError(`entries must be a whole number from 1 to ${MAX_SLOTS}, got ${String(entries)}`);
    }
    if (!Number.isInteger(entryBytes) || entryBytes < 0) {
      throw new InvalidArgumentError(`entryBytes must be a whole number >= 0, got ${String(entryBytes)}`);
    }
    const tableSize = tableSizeFor(entries);
    // Assumes keys under 256 bytes (a 4-byte header without TTL).
    const block = blockBytes((options.ttl === true ? 16 : 4) + entryBytes);
    return metaBytes(tableSize, entries, options.shared === true) + Math.max(MIN_HEAP, entries * block + REGION_OVERHEAD);
  }

  // ------------------------------------------------------------------ reads

  /** Entries held (expired entries not yet removed included, as in lru-cache). */
  get size(): number {
    return this._count;
  }

  /** Key and value bytes of the entries held (lru-cache's `calculatedSize` with sizes in bytes). */
  get calculatedSize(): number {
    return this._payload;
  }

  /**
   * The value of `key` (a zero-copy view for bytes and records), marking the
   * entry most recently used; `undefined` when absent or expired (an expired
   * entry is removed).
   *
   * Gotcha: a byte or record view is valid until the entry is next changed or
   * removed (an eviction by a later `set` included); copy it or use
   * {@link ArenaLru.getCopy} to keep it. Reading a record view after that
   * throws {@link StaleViewError} (one integer compare per field read); a byte
   * view cannot be checked.
   */
  get(key: KeyOf<K>): ValueView<V> | undefined {
    const i = this._hit(key);
    return i < 0 ? undefined : this._view(i);
  }

  /** Like {@link ArenaLru.get}, but returns a copy the caller owns (a plain object for records). */
  getCopy(key: KeyOf<K>): ValueOwned<V> | undefined {
    const i = this._hit(key);
    return i < 0 ? undefined : (this._own(i) as ValueOwned<V>);
  }

  /** The value of `key` without changing its recency; `undefined` when absent or expired. Never removes anything. */
  peek(key: KeyOf<K>): ValueView<V> | undefined {
    const i = this._lookup(key);
    if (i < 0 || (this._ttlCount !== 0 && this._expired(i))) return undefined;
    return this._view(i);
  }

  /** Whether `key` is held and not expired. Does not change recency. */
  has(key: KeyOf<K>): boolean {
    const i = this._lookup(key);
    return i >= 0 && !(this._ttlCount !== 0 && this._expired(i));
  }

  /**
   * Milliseconds until `key` expires: `Infinity` without a TTL, 0 or less when
   * expired, `undefined` when absent.
   */
  getRemainingTTL(key: KeyOf<K>): number | undefined {
    const i = this._lookup(key);
    if (i < 0) return undefined;
    const o = this._off[i]!;
    if ((this._u32[o >>> 2]! & TTL_FLAG) === 0) return Infinity;
    return this._f64[(o >>> 3) + 1]! - this._now();
  }

  // ----------------------------------------------------------------- writes

  /**
   * Stores `value` under `key` as the most recently used entry, evicting least
   * recently used entries until it fits.
   *
   * @throws {@link EntryTooLargeError} when the entry could never fit the budget
   *   (nothing is evicted or changed); `InvalidArgumentError`/`EncodingError`
   *   for a bad key, value or TTL (nothing changed); {@link CacheBusyError} from an `onEvict` callback.
   */
  set(key: KeyOf<K>, value: ValueInput<V>, options?: SetOptions): this {
    this._checkMutable();
    // Validate everything before the first change: a refused set loses nothing.
    this._hashKey(key, "set");
    const h = this._h;
    const klen = this._klen;
    const vlen = this._valueLength(value);
    let ttl = this.ttl;
    if (options !== undefined) {
      if (options === null || typeof options !== "object") throw new InvalidArgumentError("set options must be an object");
      if (options.ttl !== undefined) {
        checkTtl(options.ttl);
        ttl = options.ttl;
      }
    }
    const hdr = headerFor(klen, vlen, ttl > 0);
    const need = hdr + vlen + klen;
    if (need > this._maxNeed || klen > LONG_LEN_MASK) {
      throw new EntryTooLargeError(
        `the entry needs ${blockBytes(need)} bytes (key ${klen} + value ${vlen} + header), ` +
          `more than the ${blockBytes(this._maxNeed)} bytes the cache's arena can ever give one entry (maxBytes ${this.maxBytes})`,
        blockBytes(need),
        blockBytes(this._maxNeed),
      );
    }
    const expires = ttl > 0 ? this._now() + ttl : 0;
    if (Number.isNaN(expires)) throw new InvalidArgumentError("the injected clock returned NaN");
    const i = this._probe(key, h, klen);
    if (i >= 0) this._replace(i, key, value, vlen, klen, hdr, need, expires);
    else this._insert(key, value, h, klen, vlen, hdr, need, expires, this._valueKind);
    this._payload += klen + vlen;
    if (expires !== 0) this._ttlCount++;
    this._mods++;
    return this;
  }

  /** Removes `key`; returns whether it was held. Calls `onEvict` with reason `"delete"`. */
  delete(key: KeyOf<K>): boolean {
    this._checkMutable();
    const i = this._lookup(key);
    if (i < 0) return false;
    this._remove(i, "delete");
    this._mods++;
    return true;
  }

  /**
   * Removes every entry. O(entries) when an `onEvict` callback is set (each
   * gets reason `"delete"`), otherwise O(table) with no per-entry work in the arena.
   */
  clear(): void {
    this._checkMutable();
    if (this._onEvict !== undefined) {
      for (let i = this._head; i >= 0; i = this._next[i]!) this._emit(i, "delete");
    }
    const seq = this._seq;
    for (let i = 0; i < seq.length && i < this._fresh; i++) {
      // SAFETY: readers that read an even seq before this store see it change and discard what they read.
      if ((seq[i]! & 1) === 0) Atomics.store(seq, i, seq[i]! + 1);
    }
    this._table.fill(0);
    // SAFETY: reset detaches a private buffer, so byte views handed out before read as empty, not as new entries.
    this._heap.reset();
    this._takeRegion();
    this._entries.reset(this._u32);
    this._count = 0;
    this._head = this._tail = this._free = -1;
    this._fresh = 0;
    this._payload = 0;
    this._ttlCount = 0;
    this._mods++;
  }

  /** Removes every expired entry (O(entries)); returns how many. `ttlAutopurge` calls it on a timer. */
  purgeStale(): number {
    this._checkMutable();
    if (this._ttlCount === 0) return 0;
    let n = 0;
    const now = this._now();
    for (let i = this._tail; i >= 0; ) {
      const p = this._prev[i]!;
      const o = this._off[i]!;
      if ((this._u32[o >>> 2]! & TTL_FLAG) !== 0 && this._f64[(o >>> 3) + 1]! <= now) {
        this._remove(i, "expire");
        this._expirations++;
        n++;
      }
      i = p;
    }
    if (n > 0) this._mods++;
    return n;
  }

  // -------------------------------------------------------------- iteration

  /** Keys from most to least recently used (expired entries skipped). Stops with {@link CacheBusyError} if the cache changes. */
  *keys(): Generator<KeyOf<K>, void, undefined> {
    for (const i of this._walk(true)) yield this._key(i);
  }

  /** Keys from least to most recently used (lru-cache's `rkeys`). */
  *rkeys(): Generator<KeyOf<K>, void, undefined> {
    for (const i of this._walk(false)) yield this._key(i);
  }

  /** Values (views) from most to least recently used. */
  *values(): Generator<ValueView<V>, void, undefined> {
    for (const i of this._walk(true)) yield this._view(i);
  }

  /** `[key, value view]` pairs from most to least recently used. */
  *entries(): Generator<[KeyOf<K>, ValueView<V>], void, undefined> {
    for (const i of this._walk(true)) yield [this._key(i), this._view(i)];
  }

  /** `[key, value view]` pairs from least to most recently used (lru-cache's `rentries`). */
  *rentries(): Generator<[KeyOf<K>, ValueView<V>], void, undefined> {
    for (const i of this._walk(false)) yield [this._key(i), this._view(i)];
  }

  /** Same as {@link ArenaLru.entries}. */
  [Symbol.iterator](): Generator<[KeyOf<K>, ValueView<V>], void, undefined> {
    return this.entries();
  }

  // ---------------------------------------------------------- inspection

  /** Counters and memory figures (see {@link LruStats}). O(1). */
  stats(): LruStats {
    this._checkLive();
    const heap = this._entries;
    const blocks = heap.usedBytes;
    const reached = heap.reachedBytes;
    return {
      hits: this._hits,
      misses: this._misses,
      evictions: this._evictions,
      expirations: this._expirations,
      fragmentationEvictions: this._fragEvictions,
      size: this._count,
      capacity: this.max,
      payloadBytes: this._payload,
      blockBytes: blocks,
      tableBytes: this._metaBytes,
      bytesUsed: this._metaBytes + blocks,
      maxBytes: this.maxBytes,
      fragmentation: reached > 0 ? Math.max(0, reached - blocks) / reached : 0,
    };
  }

  /**
   * A small, postMessage-able description of the cache's shared memory, for
   * {@link LruReader.attach} in a Worker. Needs `shared: true`.
   */
  share(): LruDescriptor {
    this._checkLive();
    if (!this.shared) throw new InvalidArgumentError("share() needs a cache created with { shared: true }");
    const d = this._heap.share();
    return Object.freeze({ kind: "arenakit.lru" as const, meta: this._metaBuf as SharedArrayBuffer, heap: d.buffers[0]! as SharedArrayBuffer });
  }

  // ------------------------------------------------------------ persistence

  /**
   * Saves the cache to `path` in `@arenakit/bump`'s snapshot format (through
   * a temporary file and a rename): its buffers as they are, with checksums,
   * plus its recency order, counters and the clock, so {@link ArenaLru.loadSync}
   * can warm-start a cache with the same entries. Returns the bytes written.
   *
   * Cost: one write of the table, links and the touched part of the arena;
   * nothing is encoded per entry. Gotcha: TTL deadlines are saved relative to
   * this cache's clock and restarted against the loader's; time spent on disk
   * does not count.
   *
   * @example
   * ```ts
   * import { ArenaLru } from "@arenakit/lru";
   * const cache = new ArenaLru({ maxBytes: 1 << 20, value: "string" });
   * cache.set("a", "1").set("b", "2");
   * cache.saveSync("/tmp/cache.arenakit");
   * const again = ArenaLru.loadSync("/tmp/cache.arenakit");
   * [...again.keys()]; // ["b", "a"]
   * ```
   */
  saveSync(path: string): number {
    this._checkLive();
    return writeSnapshotFileSync(path, this._parts(false));
  }

  /**
   * The async form of {@link ArenaLru.saveSync}; also writes to a stream. The
   * buffers are copied first (briefly twice the cache's memory), so the cache
   * may change while the file is written.
   */
  async save(target: string | SnapshotSink): Promise<number> {
    this._checkLive();
    return writeSnapshotFile(target, this._parts(true));
  }

  /**
   * Loads a cache saved by {@link ArenaLru.saveSync}: the same entries in the
   * same recency order, TTLs with the time they had left, and the counters of
   * `stats()`. Options default to the saved cache's (see {@link LruLoadOptions}).
   *
   * Cost: O(entries): the file is checked completely (checksums, then every
   * slot and block on the recency list) before a new cache is built by
   * inserting the entries oldest first.
   *
   * @throws `SnapshotError` naming the problem (`"checksum"`, `"truncated"`,
   *   `"malformed"`, `"kind"`, `"schema"`, `"io"`, ...); nothing is created.
   */
  static loadSync<K extends KeyKind = "string", V extends ValueSpec = "bytes">(path: string, options: LruLoadOptions<K, V> = {}): ArenaLru<K, V> {
    checkLoadOptions(options);
    return ArenaLru._fromSnapshot(readSnapshotFileSync(path, LRU_READ_OPTIONS), options, path);
  }

  /** The async form of {@link ArenaLru.loadSync}. */
  static async load<K extends KeyKind = "string", V extends ValueSpec = "bytes">(path: string, options: LruLoadOptions<K, V> = {}): Promise<ArenaLru<K, V>> {
    checkLoadOptions(options);
    return ArenaLru._fromSnapshot(await readSnapshotFile(path, LRU_READ_OPTIONS), options, path);
  }

  private static _fromSnapshot<K extends KeyKind, V extends ValueSpec>(loaded: LoadedSnapshot, options: LruLoadOptions<K, V>, path: string): ArenaLru<K, V> {
    const checked = checkLru(loaded, path);
    const schema = (what: string): SnapshotError => new SnapshotError("schema", what, { path });
    const key = checked.keyKind as K;
    if (options.key !== undefined && options.key !== key) throw schema(`the file holds ${key} keys, not ${String(options.key)}`);
    let value: ValueSpec;
    if (checked.valueKind === VALUE_RECORD) {
      if (!(options.value instanceof Layout)) throw schema("the file holds records: pass their Layout as { value }");
      value = options.value;
    } else {
      value = checked.valueKind === VALUE_STRING ? "string" : "bytes";
      if (options.value !== undefined && options.value !== value) throw schema(`the file holds ${value} values, not ${describe(options.value)}`);
    }
    if (fingerprintOf(describeSpec(key, value)) !== loaded.fingerprint) {
      throw schema("the file's value layout differs from the one given (field names, types or offsets)");
    }
    const s = checked.section;
    const { onEvict, ...rest } = options;
    const cache = new ArenaLru<K, V>({ maxBytes: s.maxBytes, max: s.max, ttl: s.ttl, shared: checked.shared, ...rest, key, value: value as V });
    const now = cache._now();
    for (const e of checked.entries) {
      if (e.remaining <= 0) continue; // expired while saved: it would only have been a miss
      cache._restore(e.key as KeyOf<K>, e.value, e.remaining === Infinity ? 0 : now + e.remaining);
    }
    cache._hits = s.hits;
    cache._misses = s.misses;
    cache._evictions += s.evictions;
    cache._expirations = s.expirations;
    cache._fragEvictions += s.fragmentationEvictions;
    cache._onEvict = onEvict;
    return cache;
  }

  private _parts(copy: boolean): ReturnType<typeof lruParts> {
    const section: LruSection = {
      maxBytes: this.maxBytes,
      max: this.max,
      ttl: this.ttl,
      head: this._head,
      tail: this._tail,
      count: this._count,
      savedAt: this._now(),
      hits: this._hits,
      misses: this._misses,
      evictions: this._evictions,
      expirations: this._expirations,
      fragmentationEvictions: this._fragEvictions,
    };
    const spec = describeSpec(this.keyKind, this._layout ?? (this._valueKind === VALUE_STRING ? "string" : "bytes"));
    const top = this._entries.top;
    const meta = copy ? this._metaBuf.slice(0) : this._metaBuf;
    const heap = copy ? this._u8.slice(0, top) : this._u8;
    return lruParts(meta, heap, top, spec, section);
  }

  /** Whether {@link ArenaLru.release} was called. */
  get released(): boolean {
    return this._released;
  }

  /**
   * Gives the memory back and stops the autopurge timer. Every later call
   * throws {@link CacheReleasedError}. Calling it twice is harmless. Workers'
   * readers must stop reading first (a shared buffer stays alive while they hold it).
   */
  release(): void {
    if (this._released) return;
    this._released = true;
    if (this._timer !== undefined) clearInterval(this._timer);
    // SAFETY: readers holding the buffers see every slot odd (free) and miss from now on; record views see the
    // empty generation array below and throw StaleViewError.
    if (this.shared) for (let i = 0; i < this._fresh; i++) if ((this._seq[i]! & 1) === 0) Atomics.store(this._seq, i, this._seq[i]! + 1);
    this._heap.release();
    this._table = new Uint32Array(0);
    this._hash = this._off = new Uint32Array(0);
    this._seq = this._prev = this._next = new Int32Array(0);
    this._ref = new Uint8Array(0);
    this._count = 0;
    this._payload = 0;
  }

  /** Same as {@link ArenaLru.release}. */
  [Symbol.dispose](): void {
    this.release();
  }

  // --------------------------------------------------------------- internals

  /** Allocates the whole buffer as one block (the entries' region) and returns where it starts. */
  private _takeRegion(): number {
    const p = this._heap.alloc(this._heapSize - REGION_OVERHEAD);
    this._refreshHeapViews(p);
    return p >>> 0;
  }

  private _refreshHeapViews(p: Ptr): void {
    const u8 = this._heap.memoryOf(p);
    this._u8 = u8;
    this._u32 = new Uint32Array(u8.buffer, u8.byteOffset, u8.byteLength >>> 2);
    this._f64 = new Float64Array(u8.buffer, u8.byteOffset, u8.byteLength >>> 3);
    this._high = ptrHigh(p);
  }

  private _checkLive(): void {
    if (this._released) throw new CacheReleasedError("the cache was released");
  }

  private _checkMutable(): void {
    if (this._released) throw new CacheReleasedError("the cache was released");
    if (this._busy !== 0) throw new CacheBusyError("the cache cannot be changed from inside its onEvict callback");
  }

  /** Validates and hashes a key into `_h`/`_klen`. */
  private _hashKey(key: KeyOf<K>, op: string): void {
    if (this._isString) {
      if (typeof key !== "string") throw new InvalidArgumentError(`${op}: the key must be a string, got ${describe(key)}`);
      this._h = hashString(key);
      this._klen = lastUtf8Length;
      // Only a key with a surrogate can be ill-formed: the common case skips the check.
      if (lastHadSurrogate && !key.isWellFormed()) assertWellFormed(key, `${op}: the key`);
    } else {
      if (!(key instanceof Uint8Array)) throw new InvalidArgumentError(`${op}: the key must be a Uint8Array, got ${describe(key)}`);
      this._h = hashBytes(key, 0, key.length);
      this._klen = key.length;
    }
  }

  /** Slot of `key`, or -1. Validates the key; checks the cache is live. */
  private _lookup(key: KeyOf<K>): number {
    if (this._released) throw new CacheReleasedError("the cache was released");
    this._hashKey(key, "lookup");
    return this._probe(key, this._h, this._klen);
  }

  /** `get`'s lookup: counts the hit or miss, removes an expired entry, marks a hit most recently used. */
  private _hit(key: KeyOf<K>): number {
    if (this._busy !== 0) throw new CacheBusyError("get() reorders the cache and cannot run inside its onEvict callback; use peek()");
    const i = this._lookup(key);
    if (i < 0) {
      this._misses++;
      return -1;
    }
    if (this._ttlCount !== 0 && this._expired(i)) {
      this._remove(i, "expire");
      this._expirations++;
      this._misses++;
      this._mods++;
      return -1;
    }
    this._hits++;
    if (this._head !== i) this._touch(i);
    return i;
  }

  private _probe(key: KeyOf<K>, h: number, klen: number): number {
    const table = this._table;
    const size = this._tableSize;
    const tag = h & 0xff;
    const off = this._off;
    const u32 = this._u32;
    const u8 = this._u8;
    let b = homeOf(h, size);
    for (;;) {
      const e = table[b]!;
      if (e === 0) return -1;
      if (e >>> 24 === tag) {
        const i = (e & SLOT_MASK) - 1;
        const o = off[i]!;
        const w = u32[o >>> 2]!;
        if (keyLength(w) === klen) {
          const ko = o + headerBytes(w) + valueLength(w, u32, o);
          if (
            this._isString
              ? stringKeyEqual(u8, ko, klen, key as string, utf8Equals)
              : bytesEqual(u8, ko, klen, key as Uint8Array)
          ) {
            return i;
          }
        }
      }
      if (++b === size) b = 0;
    }
  }

  private _expired(i: number): boolean {
    const o = this._off[i]!;
    return (this._u32[o >>> 2]! & TTL_FLAG) !== 0 && this._f64[(o >>> 3) + 1]! <= this._now();
  }

  private _view(i: number): ValueView<V> {
    const o = this._off[i]!;
    const w = this._u32[o >>> 2]!;
    const vlen = valueLength(w, this._u32, o);
    const vo = o + headerBytes(w);
    switch (this._valueKind) {
      case VALUE_BYTES:
        return this._u8.subarray(vo, vo + vlen) as ValueView<V>;
      case VALUE_STRING:
        return decodeUtf8(this._u8, vo, vlen) as ValueView<V>;
      default:
        // SAFETY: the view reads through memory stamped with the slot's generation (even: a stable entry).
        return this._layout!.view(new EntryMemory(this._heap, this, i, this._seq[i]!), makePtr(this._high, vo)) as ValueView<V>;
    }
  }

  private _own(i: number): unknown {
    const o = this._off[i]!;
    const w = this._u32[o >>> 2]!;
    const vlen = valueLength(w, this._u32, o);
    const vo = o + headerBytes(w);
    switch (this._valueKind) {
      case VALUE_BYTES:
        return this._u8.slice(vo, vo + vlen);
      case VALUE_STRING:
        return decodeUtf8(this._u8, vo, vlen);
      default:
        return this._layout!.read(this._heap, makePtr(this._high, vo));
    }
  }

  private _key(i: number): KeyOf<K> {
    const o = this._off[i]!;
    const w = this._u32[o >>> 2]!;
    const klen = keyLength(w);
    const ko = o + headerBytes(w) + valueLength(w, this._u32, o);
    return (this._isString ? decodeUtf8(this._u8, ko, klen) : this._u8.slice(ko, ko + klen)) as KeyOf<K>;
  }

  /** Byte length of a value; validates it (throws before anything changes). */
  private _valueLength(value: ValueInput<V>): number {
    switch (this._valueKind) {
      case VALUE_BYTES:
        if (!(value instanceof Uint8Array)) throw new InvalidArgumentError(`set: the value must be a Uint8Array, got ${describe(value)}`);
        return value.length;
      case VALUE_STRING:
        if (typeof value !== "string") throw new InvalidArgumentError(`set: the value must be a string, got ${describe(value)}`);
        if (!value.isWellFormed()) assertWellFormed(value, "set: the value");
        return utf8Length(value);
      default:
        this._layout!.validate(value as never);
        return this._layout!.size;
    }
  }

  private _write(o: number, key: KeyOf<K>, value: ValueInput<V> | Uint8Array, klen: number, vlen: number, hdr: number, expires: number, kind: number): void {
    const u8 = this._u8;
    // SAFETY: the first word is also the block's allocator header: its PREV_FREE bit must survive the write.
    const keep = this._u32[o >>> 2]! & PREV_FREE;
    if (hdr === 4) {
      this._u32[o >>> 2] = (klen | (vlen << 8) | keep) >>> 0;
    } else {
      this._u32[o >>> 2] = (klen | LONG_FLAG | (hdr === 16 ? TTL_FLAG : 0) | keep) >>> 0;
      this._u32[(o >>> 2) + 1] = vlen;
      if (hdr === 16) this._f64[(o >>> 3) + 1] = expires;
    }
    const vo = o + hdr;
    switch (kind) {
      case VALUE_BYTES:
        u8.set(value as Uint8Array, vo);
        break;
      case VALUE_STRING:
        encodeUtf8Into(value as string, u8, vo);
        break;
      default:
        this._layout!.writeAt(this._heap, makePtr(this._high, vo), value as never);
    }
    const ko = vo + vlen;
    if (this._isString) {
      const s = key as string;
      const n = s.length;
      let j = 0;
      for (; j < n; j++) {
        const c = s.charCodeAt(j);
        if (c >= 0x80) break;
        u8[ko + j] = c;
      }
      if (j < n) encodeUtf8Into(s.slice(j), u8, ko + j);
    } else {
      u8.set(key as Uint8Array, ko);
    }
  }

  /** Inserts a new entry (the key is absent) as the most recently used, evicting until it fits. */
  private _insert(key: KeyOf<K>, value: ValueInput<V> | Uint8Array, h: number, klen: number, vlen: number, hdr: number, need: number, expires: number, kind: number): void {
    if (this._count >= this.max) this._evictTail();
    const o = this._alloc(need);
    // SAFETY: need <= _maxNeed, which an empty arena always satisfies, so -1 cannot happen here.
    if (o < 0) throw new EntryTooLargeError(`internal: no room for ${need} bytes in an empty arena`, need, this._maxNeed);
    let i = this._free;
    if (i >= 0) this._free = this._next[i]!;
    else i = this._fresh++;
    this._hash[i] = h;
    this._write(o, key, value, klen, vlen, hdr, expires, kind);
    this._off[i] = o;
    if (this.shared) this._ref[i] = 0;
    this._seqEnd(i);
    this._insertTable(h, i);
    this._pushFront(i);
    this._count++;
  }

  /** @internal inserts an entry read from a snapshot (raw value bytes, absolute deadline or 0); skips one too large for this budget. */
  _restore(key: KeyOf<K>, value: Uint8Array, expires: number): void {
    this._hashKey(key, "load");
    const h = this._h;
    const klen = this._klen;
    const vlen = value.length;
    const hdr = headerFor(klen, vlen, expires !== 0);
    const need = hdr + vlen + klen;
    if (need > this._maxNeed || klen > LONG_LEN_MASK) return;
    const old = this._probe(key, h, klen);
    if (old >= 0) this._remove(old, "delete");
    this._insert(key, value, h, klen, vlen, hdr, need, expires, VALUE_BYTES);
    this._payload += klen + vlen;
    if (expires !== 0) this._ttlCount++;
    this._mods++;
  }

  /** Replaces the value of the entry in slot `i` (same key). */
  private _replace(i: number, key: KeyOf<K>, value: ValueInput<V>, vlen: number, klen: number, hdr: number, need: number, expires: number): void {
    if (this._onEvict !== undefined) this._emit(i, "set");
    const o = this._off[i]!;
    const w = this._u32[o >>> 2]!;
    const oldVlen = valueLength(w, this._u32, o);
    const oldHdr = headerBytes(w);
    this._payload -= klen + oldVlen;
    if (oldHdr === 16) this._ttlCount--;
    // Out of the recency list while room is made, so eviction never picks it;
    // its bytes stay whole until the new block exists (callbacks may peek at it).
    this._unlink(i);
    let no = o;
    const oldBs = blockBytes(oldHdr + oldVlen + klen);
    if (oldBs !== blockBytes(need)) {
      no = this._alloc(need);
      this._seqBegin(i);
      this._entries.free(o, oldBs);
      // SAFETY: -1 means this was the last entry; with its block freed the arena is empty and any entry up to _maxNeed fits.
      if (no < 0) no = this._entries.alloc(blockBytes(need));
    } else {
      this._seqBegin(i);
    }
    this._write(no, key, value, klen, vlen, hdr, expires, this._valueKind);
    this._off[i] = no;
    this._seqEnd(i);
    this._pushFront(i);
  }

  /** Allocates `need` bytes, evicting from the LRU end until it fits; -1 when the recency list ran empty first. */
  private _alloc(need: number): number {
    const heap = this._entries;
    const bs = blockBytes(need);
    for (;;) {
      const p = heap.alloc(bs);
      if (p >= 0) return p;
      if (this._tail < 0) return -1;
      if (heap.freeBytes >= bs) this._fragEvictions++;
      this._evictTail();
    }
  }

  /** Evicts the least recently used entry (a Worker-referenced one gets a second chance first). */
  private _evictTail(): void {
    let t = this._tail;
    if (this.shared) {
      const ref = this._ref;
      let chances = this._count;
      while (ref[t] !== 0 && chances-- > 0) {
        // CLOCK: a Worker read this entry since it was last considered; move it to the front instead.
        Atomics.store(ref, t, 0);
        this._touch(t);
        t = this._tail;
      }
    }
    if (this._ttlCount !== 0 && this._expired(t)) {
      this._remove(t, "expire");
      this._expirations++;
    } else {
      this._remove(t, "evict");
      this._evictions++;
    }
  }

  private _emit(i: number, reason: EvictReason): void {
    this._busy++;
    try {
      this._onEvict!(this._view(i), this._key(i), reason);
    } finally {
      this._busy--;
    }
  }

  /** Removes slot `i` entirely. */
  private _remove(i: number, reason: EvictReason): void {
    if (this._onEvict !== undefined) this._emit(i, reason);
    this._seqBegin(i);
    this._deleteTable(i);
    this._unlink(i);
    const o = this._off[i]!;
    const w = this._u32[o >>> 2]!;
    this._payload -= keyLength(w) + valueLength(w, this._u32, o);
    if (w & TTL_FLAG) this._ttlCount--;
    this._entries.free(o, entryBlockBytes(w, this._u32, o));
    this._next[i] = this._free;
    this._free = i;
    this._count--;
  }

  private _seqBegin(i: number): void {
    // SAFETY: odd while the entry changes; readers that saw the old even value discard what they read,
    // and record views stamped with it throw StaleViewError from now on.
    if (this.shared) Atomics.store(this._seq, i, this._seq[i]! + 1);
    else this._seq[i]!++;
  }

  private _seqEnd(i: number): void {
    // SAFETY: the entry's bytes, offset and hash are written before the seq turns even (Atomics.store publishes them).
    if (this.shared) Atomics.store(this._seq, i, this._seq[i]! + 1);
    else this._seq[i]!++;
  }

  private _insertTable(h: number, i: number): void {
    const table = this._table;
    const size = this._tableSize;
    let b = homeOf(h, size);
    while (table[b] !== 0) if (++b === size) b = 0;
    table[b] = (((h & 0xff) << 24) | (i + 1)) >>> 0;
  }

  /** Removes slot `i` from the table by backward-shift deletion (no tombstones). */
  private _deleteTable(i: number): void {
    const table = this._table;
    const hash = this._hash;
    const size = this._tableSize;
    let b = homeOf(hash[i]!, size);
    const want = i + 1;
    while ((table[b]! & SLOT_MASK) !== want) if (++b === size) b = 0;
    let j = b;
    for (;;) {
      if (++j === size) j = 0;
      const e = table[j]!;
      if (e === 0) break;
      const home = homeOf(hash[(e & SLOT_MASK) - 1]!, size);
      // The entry at j may move to the hole at b unless its home lies cyclically in (b, j].
      if (b <= j ? home <= b || home > j : home <= b && home > j) {
        table[b] = e;
        b = j;
      }
    }
    table[b] = 0;
  }

  private _unlink(i: number): void {
    const p = this._prev[i]!;
    const n = this._next[i]!;
    if (p >= 0) this._next[p] = n;
    else this._head = n;
    if (n >= 0) this._prev[n] = p;
    else this._tail = p;
  }

  private _pushFront(i: number): void {
    const h = this._head;
    this._prev[i] = -1;
    this._next[i] = h;
    if (h >= 0) this._prev[h] = i;
    else this._tail = i;
    this._head = i;
  }

  private _touch(i: number): void {
    this._unlink(i);
    this._pushFront(i);
    this._mods++;
  }

  private *_walk(forward: boolean): Generator<number, void, undefined> {
    this._checkLive();
    const mods = this._mods;
    let i = forward ? this._head : this._tail;
    while (i >= 0) {
      const n = forward ? this._next[i]! : this._prev[i]!;
      if (!(this._ttlCount !== 0 && this._expired(i))) {
        yield i;
        if (this._mods !== mods || this._released) {
          throw new CacheBusyError("the cache changed while it was being iterated (use peek() inside the loop, not get())");
        }
      }
      i = n;
    }
  }
}

function checkLoadOptions(options: unknown): void {
  if (options === null || typeof options !== "object") {
    throw new InvalidArgumentError(`load options must be an object (or left out), got ${describe(options)}`);
  }
}

function tableSizeFor(entries: number): number {
  return Math.max(8, Math.ceil(entries / MAX_LOAD));
}

function checkTtl(ttl: unknown): void {
  if (typeof ttl !== "number" || !Number.isFinite(ttl) || ttl < 0) {
    throw new InvalidArgumentError(`ttl must be a finite number of milliseconds >= 0 (0: no expiry), got ${String(ttl)}`);
  }
}

function checkFixedSize(layout: Layout<any>, path: string): void {
  for (const f of layout.fields) {
    const type = f.type as AnyField;
    if (type.kind === "str" || type.kind === "bytes") {
      throw new InvalidArgumentError(
        `${path}: field "${f.name}" is ${type.kind === "str" ? "t.str" : "t.bytes"}; cache values must be fixed-size records ` +
          "(store variable-length data as the \"bytes\" or \"string\" value kind instead)",
      );
    }
    if (type.kind === "struct") checkFixedSize(type as Layout<any>, `${path}.${f.name}`);
  }
}

function describe(v: unknown): string {
  if (v === null) return "null";
  if (typeof v === "object") return (v as object).constructor?.name ?? "object";
  return typeof v;
}

