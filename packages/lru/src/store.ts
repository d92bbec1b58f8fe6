// The state of a cache and its entry storage: the meta buffer (table, links,
// generations), the arena its entries live in, and how one entry is written to
// and read from its block (header, value bytes, key bytes; see meta.ts). Every
// field lives here so that each layer above reads it directly: the table's
// algorithms are in table.ts, the recency list in recency.ts, entry lifecycle
// and eviction in core.ts, the public API in cache.ts.
import {
  FreeListAllocator,
  InvalidArgumentError,
  Layout,
  assertWellFormed,
  decodeUtf8,
  encodeUtf8Into,
  makePtr,
  ptrHigh,
  type Ptr,
} from "@arenakit/bump";
import type { EvictReason, KeyKind, KeyOf, LruOptions, ValueInput, ValueSpec, ValueView } from "./api.js";
import { CacheBusyError, CacheReleasedError } from "./errors.js";
import { EntryMemory } from "./guard.js";
import { EntryHeap } from "./heap.js";
import { utf8Length } from "./hash.js";
import { REGION_OVERHEAD, defaultNow, describe, resolveOptions } from "./options.js";
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
  MAGIC,
  PREV_FREE,
  TTL_FLAG,
  VALUE_BYTES,
  VALUE_RECORD,
  VALUE_STRING,
  headerBytes,
  keyLength,
  metaViews,
  valueLength,
} from "./meta.js";

/**
 * The state every {@link ArenaLru} is made of (options, meta arrays, the
 * entries' arena, counters) and the reading and writing of one entry in its
 * block. The lowest layer of `LruCore`; its members are internal.
 */
export abstract class EntryStore<K extends KeyKind = "string", V extends ValueSpec = "bytes"> {
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

  // ------------------------------------------------------------ the memory

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

  // -------------------------------------------------- one entry in its block

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

  // ------------------------------------------- the per-slot seqlock (reader.ts)

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
}
