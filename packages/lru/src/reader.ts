import { FreeListAllocator, InvalidArgumentError, Layout, decodeUtf8, utf8Equals, type Ptr } from "@arenakit/bump";
import type { KeyKind, KeyOf, LruDescriptor, ValueOwned, ValueSpec } from "./api.js";
import { CacheReleasedError } from "./errors.js";
import { bytesEqual, hashBytes, hashString, lastUtf8Length, stringKeyEqual } from "./hash.js";
import {
  HEADER_WORDS,
  KEY_STRING,
  SLOT_MASK,
  VALUE_BYTES,
  VALUE_RECORD,
  VALUE_STRING,
  headerBytes,
  homeOf,
  keyLength,
  metaViews,
  readMetaHeader,
  valueLength,
  type MetaViews,
} from "./meta.js";
import { defaultNow } from "./options.js";

/** Options of {@link LruReader.attach}. */
export interface LruReaderOptions<V extends ValueSpec> {
  /** The value layout, for a cache of records (layouts cannot be posted to a Worker). Must match the owner's. */
  readonly value?: V;
  /**
   * The clock TTLs are compared with; must mean the same as the owner's.
   * @defaultValue `() => performance.timeOrigin + performance.now()`
   */
  readonly now?: () => number;
  /**
   * How many times a lookup restarts when the owner changed the entry under
   * it before giving up with a miss.
   * @defaultValue 8
   */
  readonly maxRetries?: number;
}

const MISMATCH = 1;
const CHANGED = 2;

/**
 * A read-only handle on a shared {@link ArenaLru}, for Workers: `get`,
 * `peek` and `has` read the owner's memory directly while the owner keeps
 * writing and evicting.
 *
 * The protocol (a seqlock per entry): every entry slot has a sequence number
 * that the owner makes odd (with `Atomics.store`) before it changes or frees
 * the entry and even again after. A reader loads it, reads the entry, copies
 * the value out, and checks the number again with an atomic
 * compare-exchange; if it changed, the copy is thrown away and the lookup
 * starts over. So a reader returns the value that was stored, or a miss,
 * never torn or recycled bytes. Nothing is pinned: the owner never waits
 * for readers.
 *
 * Recency: readers do not move entries. `get` sets the entry's reference bit
 * (`Atomics.store`); when the owner is about to evict an entry whose bit is
 * set, it clears the bit and moves the entry to the front instead (CLOCK's
 * second chance). `peek` and `has` leave the bit alone.
 *
 * Cost: a lookup hashes the key, probes the table, copies the value (a new
 * `Uint8Array`, string or plain object per hit) and does one atomic
 * compare-exchange. Gotcha: a lookup that races with the owner moving table
 * entries can miss a key that is present; under heavy churn of the same entry
 * a reader gives up after `maxRetries` and reports a miss.
 *
 * @example
 * ```ts
 * import { ArenaLru, LruReader } from "@arenakit/lru";
 * const cache = new ArenaLru({ maxBytes: 1 << 20, shared: true, value: "string" });
 * cache.set("k", "v");
 * // in a Worker, after posting cache.share():
 * const reader = LruReader.attach<"string", "string">(cache.share());
 * reader.get("k"); // "v" (a copy)
 * ```
 */
export class LruReader<K extends KeyKind = "string", V extends ValueSpec = "bytes"> {
  /** Lookups that restarted because the owner changed the entry being read. */
  retries = 0;
  private _m: MetaViews;
  private _u8: Uint8Array;
  private _u32: Uint32Array;
  private _f64: Float64Array;
  private readonly _heapSize: number;
  private readonly _tableSize: number;
  private readonly _slots: number;
  private readonly _isString: boolean;
  private readonly _valueKind: number;
  private readonly _layout: Layout<any> | undefined;
  private readonly _scratch: FreeListAllocator | undefined;
  private readonly _scratchPtr: Ptr | undefined;
  private readonly _now: () => number;
  private readonly _maxRetries: number;
  private _released = false;
  private _out: unknown;

  private constructor(d: LruDescriptor, options: LruReaderOptions<V>) {
    const meta = d.meta;
    const heap = d.heap;
    const header = readMetaHeader(meta, meta.byteLength);
    if (typeof header === "string" || !header.shared) {
      throw new InvalidArgumentError(`LruReader.attach: the meta buffer is not a shared arenakit LRU${typeof header === "string" ? ` (${header})` : ""}`);
    }
    const { tableSize: t, slots: s, heapSize } = header;
    if (heapSize > heap.byteLength || heapSize % 8 !== 0) {
      throw new InvalidArgumentError("LruReader.attach: the heap buffer is smaller than the header says");
    }
    this._m = metaViews(meta);
    this._u8 = new Uint8Array(heap, 0, heapSize);
    this._u32 = new Uint32Array(heap, 0, heapSize >>> 2);
    this._f64 = new Float64Array(heap, 0, heapSize >>> 3);
    this._heapSize = heapSize;
    this._tableSize = t;
    this._slots = s;
    this._isString = header.keyKind === KEY_STRING;
    this._valueKind = header.valueKind;
    const v = options.value;
    if (this._valueKind === VALUE_RECORD) {
      if (!(v instanceof Layout) || v.size !== header.recordSize) {
        throw new InvalidArgumentError("LruReader.attach: the cache holds records; pass the same Layout as { value }");
      }
      this._layout = v;
      this._scratch = new FreeListAllocator({ size: Math.max(64, v.size + 64) });
      this._scratchPtr = this._scratch.alloc(v.size, 8);
    } else {
      const kind = this._valueKind === VALUE_BYTES ? "bytes" : this._valueKind === VALUE_STRING ? "string" : undefined;
      if (kind === undefined) throw new InvalidArgumentError(`LruReader.attach: unknown value kind ${this._valueKind}`);
      if (v !== undefined && v !== kind) throw new InvalidArgumentError(`LruReader.attach: the cache holds ${kind} values, not ${String(v)}`);
    }
    this._now = options.now ?? defaultNow;
    const r = options.maxRetries ?? 8;
    if (!Number.isInteger(r) || r < 0) throw new InvalidArgumentError(`maxRetries must be a whole number >= 0, got ${String(r)}`);
    this._maxRetries = r;
  }

  /**
   * Attaches to a cache's shared memory from {@link ArenaLru.share} (usually
   * in a Worker). The descriptor is checked before any offset in it is used.
   * @throws `InvalidArgumentError` for a descriptor that is not a shared arenakit LRU.
   */
  static attach<K extends KeyKind = "string", V extends ValueSpec = "bytes">(descriptor: LruDescriptor, options: LruReaderOptions<V> = {}): LruReader<K, V> {
    if (
      descriptor === null ||
      typeof descriptor !== "object" ||
      descriptor.kind !== "arenakit.lru" ||
      !(descriptor.meta instanceof SharedArrayBuffer) ||
      !(descriptor.heap instanceof SharedArrayBuffer) ||
      descriptor.meta.byteLength < HEADER_WORDS * 4
    ) {
      throw new InvalidArgumentError("LruReader.attach expects the descriptor from ArenaLru.share()");
    }
    return new LruReader<K, V>(descriptor, options);
  }

  /** A copy of the value of `key`, or `undefined`; sets the entry's reference bit (the owner will give it a second chance). */
  get(key: KeyOf<K>): ValueOwned<V> | undefined {
    return this._lookup(key, true, true) ? (this._out as ValueOwned<V>) : undefined;
  }

  /** Like {@link LruReader.get} without touching the reference bit. */
  peek(key: KeyOf<K>): ValueOwned<V> | undefined {
    return this._lookup(key, false, true) ? (this._out as ValueOwned<V>) : undefined;
  }

  /** Whether `key` is held and not expired (no copy, no reference bit). */
  has(key: KeyOf<K>): boolean {
    return this._lookup(key, false, false);
  }

  /** Drops this reader's views. Later calls throw {@link CacheReleasedError}. */
  release(): void {
    this._released = true;
    this._scratch?.release();
  }

  private _lookup(key: KeyOf<K>, mark: boolean, copy: boolean): boolean {
    if (this._released) throw new CacheReleasedError("the reader was released");
    let h: number;
    let klen: number;
    if (this._isString) {
      if (typeof key !== "string") throw new InvalidArgumentError("the key must be a string");
      if (!key.isWellFormed()) return false; // never stored (the owner refuses lone surrogates)
      h = hashString(key);
      klen = lastUtf8Length;
    } else {
      if (!(key instanceof Uint8Array)) throw new InvalidArgumentError("the key must be a Uint8Array");
      h = hashBytes(key, 0, key.length);
      klen = key.length;
    }
    const { table, seq, ref } = this._m;
    const size = this._tableSize;
    const tag = h & 0xff;
    for (let attempt = 0; attempt <= this._maxRetries; attempt++) {
      let b = homeOf(h, size);
      let restart = false;
      for (let probes = 0; probes < size; probes++) {
        const e = table[b]!;
        if (e === 0) return false;
        if (e >>> 24 === tag) {
          const i = (e & SLOT_MASK) - 1;
          if (i < this._slots) {
            const s1 = Atomics.load(seq, i);
            if ((s1 & 1) === 0) {
              const r = this._read(i, key, klen, copy);
              // SAFETY: a compare-exchange is a full barrier: the reads above cannot move after it, and it
              // fails if the owner began changing or freeing the entry since s1 (seq is odd or larger).
              if (Atomics.compareExchange(seq, i, s1, s1) !== s1) {
                restart = true;
                break;
              }
              if (r === 0) {
                if (mark) Atomics.store(ref, i, 1);
                return true;
              }
              if (r === CHANGED) return false; // validated and expired
            }
          }
        }
        if (++b === size) b = 0;
      }
      if (!restart) return false;
      this.retries++;
    }
    return false;
  }

  /** Reads slot `i` speculatively: 0 (match, value in `_out`), MISMATCH, or CHANGED (expired). Bounds-checked: never throws on garbage. */
  private _read(i: number, key: KeyOf<K>, klen: number, copy: boolean): number {
    const o = this._m.off[i]!;
    if ((o & 7) !== 0 || o + 16 > this._heapSize) return MISMATCH;
    const w = this._u32[o >>> 2]!;
    if (keyLength(w) !== klen) return MISMATCH;
    const vlen = valueLength(w, this._u32, o);
    const hdr = headerBytes(w);
    const vo = o + hdr;
    const ko = vo + vlen;
    if (ko + klen > this._heapSize) return MISMATCH;
    const u8 = this._u8;
    if (!(this._isString ? stringKeyEqual(u8, ko, klen, key as string, utf8Equals) : bytesEqual(u8, ko, klen, key as Uint8Array))) {
      return MISMATCH;
    }
    if (hdr === 16 && this._f64[(o >>> 3) + 1]! <= this._now()) return CHANGED;
    if (!copy) return 0;
    switch (this._valueKind) {
      case VALUE_BYTES:
        this._out = u8.slice(vo, ko);
        break;
      case VALUE_STRING:
        // Decoded from a private copy: the shared bytes may change under the decoder.
        this._out = decodeUtf8(u8.slice(vo, ko), 0, vlen);
        break;
      default: {
        const layout = this._layout!;
        if (vlen !== layout.size) return MISMATCH;
        const s = this._scratch!;
        const p = this._scratchPtr!;
        const dst = s.memoryOf(p);
        dst.set(u8.subarray(vo, ko), p >>> 0);
        this._out = layout.read(s, p);
      }
    }
    return 0;
  }
}
