import {
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
} from "@arenakit/bump";
import type {
  KeyKind,
  KeyOf,
  LruDescriptor,
  LruLoadOptions,
  LruStats,
  SetOptions,
  ValueInput,
  ValueOwned,
  ValueSpec,
  ValueView,
} from "./api.js";
import { CacheBusyError, CacheReleasedError, EntryTooLargeError, type StaleViewError } from "./errors.js";
import { LruCore } from "./core.js";
import { MIN_HEAP, REGION_OVERHEAD, checkLoadOptions, checkTtl, describe, tableSizeFor } from "./options.js";
import { LRU_READ_OPTIONS, checkLru, describeSpec, lruParts, type LruSection } from "./persist.js";
import {
  LONG_LEN_MASK,
  MAX_SLOTS,
  TTL_FLAG,
  VALUE_RECORD,
  VALUE_STRING,
  blockBytes,
  headerFor,
  metaBytes,
} from "./meta.js";

/**
 * A least-recently-used cache under a byte budget, whose entries live in arena
 * memory: one hash table and a few link arrays (typed arrays) plus one
 * buffer for keys and values, carved into blocks by the cache's own allocator. Holding a million entries
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
export class ArenaLru<K extends KeyKind = "string", V extends ValueSpec = "bytes"> extends LruCore<K, V> implements Disposable {

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

}
