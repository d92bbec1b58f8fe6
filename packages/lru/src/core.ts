// The machinery of ArenaLru: its memory (meta arrays and the entry heap), the hash table, the recency list,
// entry storage and eviction. cache.ts adds the public API on top of it.
import {
  FreeListAllocator,
  InvalidArgumentError,
  Layout,
  assertWellFormed,
  decodeUtf8,
  encodeUtf8Into,
  makePtr,
  ptrHigh,
  utf8Equals,
  type Ptr,
} from "@arenakit/bump";
import type {
  EvictReason,
  KeyKind,
  KeyOf,
  LruOptions,
  ValueInput,
  ValueSpec,
  ValueView,
} from "./api.js";
import { CacheBusyError, CacheReleasedError, EntryTooLargeError } from "./errors.js";
import { EntryMemory } from "./guard.js";
import { EntryHeap } from "./heap.js";
import { REGION_OVERHEAD, defaultNow, describe, resolveOptions } from "./options.js";
import { tableDelete, tableInsert } from "./table.js";
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
  metaViews,
  valueLength,
} from "./meta.js";


/**
 * The state and internal operations every {@link ArenaLru} is made of: the
 * table, links and arena, and how entries are found, written, moved and
 * evicted. Not meant to be used on its own (its members are internal); it is
 * exported because `ArenaLru` extends it.
 *
 * @example
 * ```ts
 * import { ArenaLru, LruCore } from "@arenakit/lru";
 * const cache = new ArenaLru({ maxBytes: 1 << 16 });
 * cache instanceof LruCore; // true
 * ```
 */
export abstract class LruCore<K extends KeyKind = "string", V extends ValueSpec = "bytes"> {
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

  /** @internal Owns the buffer; one block of it is the region {@link EntryHeap} carves into entries. */
  protected readonly _heap: FreeListAllocator;
  /** @internal */
  protected readonly _entries: EntryHeap;
  /** @internal */
  protected readonly _heapSize: number;
  /** @internal */
  protected readonly _maxNeed: number;
  /** @internal */
  protected readonly _metaBuf: ArrayBuffer | SharedArrayBuffer;
  /** @internal */
  protected readonly _metaBytes: number;
  /** @internal */
  protected _u8!: Uint8Array;
  /** @internal */
  protected _u32!: Uint32Array;
  /** @internal */
  protected _f64!: Float64Array;
  /** @internal */
  protected _high = 0;
  /** @internal */
  protected _table: Uint32Array;
  /** @internal */
  protected _hash: Uint32Array;
  /** @internal per-slot sequence number and generation (read by record views' {@link EntryMemory}). */
  _seq: Int32Array;
  /** @internal */
  protected _prev: Int32Array;
  /** @internal */
  protected _next: Int32Array;
  /** @internal */
  protected _off: Uint32Array;
  /** @internal */
  protected _ref: Uint8Array;
  /** @internal */
  protected readonly _tableSize: number;
  /** @internal */
  protected readonly _isString: boolean;
  /** @internal */
  protected readonly _valueKind: number;
  /** @internal */
  protected readonly _layout: Layout<any> | undefined;
  /** @internal */
  protected readonly _now: () => number;
  /** @internal */
  protected _onEvict: ((value: ValueView<V>, key: KeyOf<K>, reason: EvictReason) => void) | undefined;
  /** @internal */
  protected _timer: ReturnType<typeof setInterval> | undefined;

  /** @internal */
  protected _count = 0;
  /** @internal */
  protected _head = -1;
  /** @internal */
  protected _tail = -1;
  /** @internal Free slots, linked through `next`. */
  protected _free = -1;
  /** @internal Slots below this index have been used at least once. */
  protected _fresh = 0;
  /** @internal */
  protected _payload = 0;
  /** @internal */
  protected _ttlCount = 0;
  /** @internal */
  protected _busy = 0;
  /** @internal */
  protected _mods = 0;
  /** @internal */
  protected _released = false;
  // probe results (set by _find)
  /** @internal */
  protected _h = 0;
  /** @internal */
  protected _klen = 0;

  /** @internal */
  protected _hits = 0;
  /** @internal */
  protected _misses = 0;
  /** @internal */
  protected _evictions = 0;
  /** @internal */
  protected _expirations = 0;
  /** @internal */
  protected _fragEvictions = 0;

  constructor(options: LruOptions<K, V>) {
    const { maxBytes, max, ttl, key, value, valueKind, shared, tableSize, mb, heapSize, coalesce } = resolveOptions(options as LruOptions<KeyKind, ValueSpec>);
    this.maxBytes = maxBytes;
    this.max = max;
    this.ttl = ttl;
    this.shared = shared;
    this.keyKind = key as K;
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
    this._entries = new EntryHeap(this._u32, region, region + heapSize - REGION_OVERHEAD, coalesce);
    this._maxNeed = heapSize - REGION_OVERHEAD;

    if (options.ttlAutopurge === true) {
      const every = Math.max(100, ttl > 0 ? ttl / 4 : 1000);
      this._timer = setInterval(() => {
        if (!this._released && this._busy === 0) this.purgeStale();
      }, every);
      (this._timer as { unref?: () => void }).unref?.();
    }
  }

  /** @internal Removes every expired entry; the autopurge timer calls it. */
  abstract purgeStale(): number;

  // --------------------------------------------------------------- internals

  /** @internal Allocates the whole buffer as one block (the entries' region) and returns where it starts. */
  protected _takeRegion(): number {
    const p = this._heap.alloc(this._heapSize - REGION_OVERHEAD);
    this._refreshHeapViews(p);
    return p >>> 0;
  }

  /** @internal */
  protected _refreshHeapViews(p: Ptr): void {
    const u8 = this._heap.memoryOf(p);
    this._u8 = u8;
    this._u32 = new Uint32Array(u8.buffer, u8.byteOffset, u8.byteLength >>> 2);
    this._f64 = new Float64Array(u8.buffer, u8.byteOffset, u8.byteLength >>> 3);
    this._high = ptrHigh(p);
  }

  /** @internal */
  protected _checkLive(): void {
    if (this._released) throw new CacheReleasedError("the cache was released");
  }

  /** @internal */
  protected _checkMutable(): void {
    if (this._released) throw new CacheReleasedError("the cache was released");
    if (this._busy !== 0) throw new CacheBusyError("the cache cannot be changed from inside its onEvict callback");
  }

  /** @internal Validates and hashes a key into `_h`/`_klen`. */
  protected _hashKey(key: KeyOf<K>, op: string): void {
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

  /** @internal Slot of `key`, or -1. Validates the key; checks the cache is live. */
  protected _lookup(key: KeyOf<K>): number {
    if (this._released) throw new CacheReleasedError("the cache was released");
    this._hashKey(key, "lookup");
    return this._probe(key, this._h, this._klen);
  }

  /** @internal `get`'s lookup: counts the hit or miss, removes an expired entry, marks a hit most recently used. */
  protected _hit(key: KeyOf<K>): number {
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

  /** @internal */
  protected _probe(key: KeyOf<K>, h: number, klen: number): number {
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

  /** @internal */
  protected _expired(i: number): boolean {
    const o = this._off[i]!;
    return (this._u32[o >>> 2]! & TTL_FLAG) !== 0 && this._f64[(o >>> 3) + 1]! <= this._now();
  }

  /** @internal */
  protected _view(i: number): ValueView<V> {
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

  /** @internal */
  protected _own(i: number): unknown {
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

  /** @internal */
  protected _key(i: number): KeyOf<K> {
    const o = this._off[i]!;
    const w = this._u32[o >>> 2]!;
    const klen = keyLength(w);
    const ko = o + headerBytes(w) + valueLength(w, this._u32, o);
    return (this._isString ? decodeUtf8(this._u8, ko, klen) : this._u8.slice(ko, ko + klen)) as KeyOf<K>;
  }

  /** @internal Byte length of a value; validates it (throws before anything changes). */
  protected _valueLength(value: ValueInput<V>): number {
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

  /** @internal */
  protected _write(o: number, key: KeyOf<K>, value: ValueInput<V> | Uint8Array, klen: number, vlen: number, hdr: number, expires: number, kind: number): void {
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

  /** @internal Inserts a new entry (the key is absent) as the most recently used, evicting until it fits. */
  protected _insert(key: KeyOf<K>, value: ValueInput<V> | Uint8Array, h: number, klen: number, vlen: number, hdr: number, need: number, expires: number, kind: number): void {
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

  /** @internal Replaces the value of the entry in slot `i` (same key). */
  protected _replace(i: number, key: KeyOf<K>, value: ValueInput<V>, vlen: number, klen: number, hdr: number, need: number, expires: number): void {
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

  /** @internal Allocates `need` bytes, evicting from the LRU end until it fits; -1 when the recency list ran empty first. */
  protected _alloc(need: number): number {
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

  /** @internal Evicts the least recently used entry (a Worker-referenced one gets a second chance first). */
  protected _evictTail(): void {
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

  /** @internal */
  protected _emit(i: number, reason: EvictReason): void {
    this._busy++;
    try {
      this._onEvict!(this._view(i), this._key(i), reason);
    } finally {
      this._busy--;
    }
  }

  /** @internal Removes slot `i` entirely. */
  protected _remove(i: number, reason: EvictReason): void {
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

  /** @internal */
  protected _seqBegin(i: number): void {
    // SAFETY: odd while the entry changes; readers that saw the old even value discard what they read,
    // and record views stamped with it throw StaleViewError from now on.
    if (this.shared) Atomics.store(this._seq, i, this._seq[i]! + 1);
    else this._seq[i]!++;
  }

  /** @internal */
  protected _seqEnd(i: number): void {
    // SAFETY: the entry's bytes, offset and hash are written before the seq turns even (Atomics.store publishes them).
    if (this.shared) Atomics.store(this._seq, i, this._seq[i]! + 1);
    else this._seq[i]!++;
  }

  /** @internal */
  protected _insertTable(h: number, i: number): void {
    tableInsert(this._table, this._tableSize, h, i);
  }

  /** @internal */
  protected _deleteTable(i: number): void {
    tableDelete(this._table, this._hash, this._tableSize, i);
  }

  /** @internal */
  protected _unlink(i: number): void {
    const p = this._prev[i]!;
    const n = this._next[i]!;
    if (p >= 0) this._next[p] = n;
    else this._head = n;
    if (n >= 0) this._prev[n] = p;
    else this._tail = p;
  }

  /** @internal */
  protected _pushFront(i: number): void {
    const h = this._head;
    this._prev[i] = -1;
    this._next[i] = h;
    if (h >= 0) this._prev[h] = i;
    else this._tail = i;
    this._head = i;
  }

  /** @internal */
  protected _touch(i: number): void {
    this._unlink(i);
    this._pushFront(i);
    this._mods++;
  }

  /** @internal */
  protected *_walk(forward: boolean): Generator<number, void, undefined> {
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
