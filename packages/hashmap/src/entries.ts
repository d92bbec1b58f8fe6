// Entry storage of the hash maps: where entries live and how their values are
// read and written. Each entry is one allocation from the map's allocator,
// 4-byte aligned: u32 key length, key bytes (UTF-8 for strings), then the value
// (inline; str/bytes values as u32 length + bytes). The key part is bump's
// StrPtr / BytesPtr format. Entries never move when the table grows.
//
// An entry reference (what the table stores) is 32 bits: a 12-bit "window"
// number and a 20-bit offset in 4-byte units inside that 4 MiB window of an
// allocator chunk. The map keeps each window's chunk views in arrays, so a
// reference resolves to (views, offset) with two array loads and no allocation.
// Removed entries are marked DEAD; with an allocator that cannot free they are
// kept as holes, per size, for later inserts.
//
// Entry pointers handed out by find()/entryPtrs() carry a 2-bit stamp in their
// low bits (entries are 4-byte aligned, so an address never uses them). The
// stamp of an address is a counter of the entries removed from its 8-byte
// block, kept in a side array per window that exists only once an entry of
// that window was removed: a map that never removes anything pays nothing and
// hands out plain addresses. Every removal advances the counter, so a pointer
// kept past the removal of its entry no longer matches, whichever key later
// takes the space. With 2 bits the counter wraps: the check misses only when
// the block saw 4, 8, ... removals since the pointer was taken. (Retiring a
// hole at the wrap would make it exact for a Bump, but a map that deletes and
// inserts in a loop would then grow its arena without bound.)
import {
  InvalidArgumentError,
  InvalidPointerError,
  ReadOnlyError,
  StalePointerError,
  decodeUtf8,
  encodeUtf8Into,
  type AnyField,
  type Allocator,
  type Fields,
  type Layout,
  type Memory,
  type Ptr,
} from "@arenakit/bump";
import type { EntryPtr, HashMapOptions } from "./api.js";
import { CapacityOverflowError, MapReleasedError } from "./errors.js";
import { GuardedMemory } from "./guarded.js";
import { keysFromSeed, randomSeed } from "./hash.js";
import {
  VK_BOOL,
  VK_BYTES,
  VK_F32,
  VK_F64,
  VK_I16,
  VK_I32,
  VK_I64,
  VK_I8,
  VK_STR,
  VK_U16,
  VK_U32,
  VK_U64,
  VK_U8,
  codecOf,
  describe,
  type ValueCodec,
} from "./values.js";

const WINDOW_SHIFT = 22;
const WINDOW_SPAN = 1 << WINDOW_SHIFT;
/** Window numbers are 12 bits; 4095 is never used so that no reference equals -1. */
export const MAX_WINDOWS = 4095;
const SPAN = 4294967296;
const NO_HOLE = -1;
/**
 * Written over the key length of an entry that was removed: no real key is
 * this long (an entry lives inside one chunk of at most 4 GiB), so an entry
 * pointer kept past its key's delete is recognised instead of read.
 */
export const DEAD = 0xffffffff;

/**
 * The state of a hash map and its entry storage: windows over the
 * allocator's chunks, holes kept for reuse, and the value codec. The table's
 * fields live here too so that every part of the map reads them directly;
 * the table's algorithms are in `TableCore`, the public API in `MapCore`.
 */
export abstract class EntryStore<V extends AnyField> {
  /** The allocator that holds the table and the entries. */
  readonly allocator: Allocator;
  /** The value type given as the `value` option. */
  readonly valueType: V;
  /** The hash seed in use (random unless given). */
  readonly seed: number;

  /** @internal hash keys */
  protected readonly _k0: number;
  /** @internal */
  protected readonly _k1: number;
  /** @internal */
  protected readonly _k2: number;
  /** @internal */
  protected readonly _k3: number;

  /** @internal table view (control word + 4 references per group) */
  protected _t: Int32Array = new Int32Array(0);
  /** @internal groups - 1, or -1 while there is no table */
  protected _gmask = -1;
  /** @internal */
  protected _groups = 0;
  /** @internal pointer of the table allocation (0 when none) */
  protected _tPtr = 0;
  /** @internal */
  protected _size = 0;
  /** @internal inserts into EMPTY slots left before the table must grow */
  protected _growthLeft = 0;
  /** @internal */
  protected _tombs = 0;
  /** @internal the hash computed by the last _findSlot, reused by inserts */
  protected _h = 0;
  /**
   * @internal with `keepHashes`: the hash of the entry in each FULL slot (by slot number), or undefined when
   * not kept (then growth hashes the stored keys)
   */
  protected _hs: Int32Array | undefined = undefined;
  /** @internal whether growth keeps a new `_hs` */
  protected _keepHashes = false;

  /** @internal per-window chunk views and positions */
  protected readonly _winU8: Uint8Array[] = [];
  /** @internal */
  protected readonly _winU32: Uint32Array[] = [];
  /** @internal */
  protected readonly _winDv: DataView[] = [];
  /** @internal offset of the window inside its chunk */
  protected readonly _winBase: number[] = [];
  /** @internal chunk part of pointers in the window (high bits × 2^32) */
  protected readonly _winHigh: number[] = [];
  protected readonly _winIndex: Map<number, number> = new Map();
  protected readonly _u32Of: Map<ArrayBufferLike, Uint32Array> = new Map();
  protected _lastWinKey = -1;
  protected _lastWin = -1;

  /** @internal per-window removal stamps, 2 bits per 8-byte block (undefined until an entry of the window is removed) */
  protected readonly _stamps: (Uint8Array | undefined)[] = [];
  /** @internal whether any stamp array exists (before that every stamp is 0) */
  protected _stamped = false;
  protected readonly _holes: Map<number, number> = new Map();
  protected _holeBytes = 0;
  /**
   * @internal room for entries inside the last outgrown table, when the map's allocator cannot free:
   * [_spanPtr, _spanEnd) as pointers. Entries are carved from it before the allocator is asked.
   */
  protected _spanPtr = 0;
  protected _spanEnd = 0;
  protected _entryBytes = 0;
  protected _retired = 0;
  /** @internal structural modification counter, checked by iterators */
  protected _mods = 0;
  /**
   * @internal removals (delete, clear, retain, a replace that moves its entry,
   * release): record views made before one read through a memory stamped with
   * an older count and throw instead of reading an entry that may be reused.
   */
  protected _removals = 0;
  protected _viewMem: GuardedMemory | undefined;
  /** @internal newest allocation of the map: if it is live, all of the map's memory is */
  protected _guard = 0;
  /** @internal the allocator that holds the table (the map's allocator unless `tableAllocator` or `moveTable` said otherwise) */
  protected _talloc: Allocator;
  /** @internal the table's pointer when it lives in another allocator than the entries (checked like `_guard`) */
  protected _tguard = 0;
  /** @internal */
  protected _released = false;
  /** @internal attached from a handle: every mutation throws */
  protected _readOnly = false;

  /** @internal value codec */
  protected readonly _vk: number;
  /** @internal */
  protected readonly _vsize: number;
  /** @internal */
  protected readonly _layout: Layout<Fields> | undefined;
  protected readonly _vRefs: boolean;
  protected readonly _codec: ValueCodec;
  protected readonly _what: string;


  constructor(allocator: Allocator, options: HashMapOptions<V>, what: string) {
    this._what = what;
    if (allocator === null || typeof allocator !== "object" || typeof allocator.alloc !== "function") {
      throw new InvalidArgumentError(
        `${what}: allocator must be an Allocator of @arenakit/bump (a Bump, a FreeListAllocator, ...), got ${describe(allocator)}`,
        "allocator",
      );
    }
    if (options === null || typeof options !== "object") {
      throw new InvalidArgumentError(`${what} options must be an object with a value type, got ${describe(options)}`);
    }
    const codec = codecOf(options.value);
    this._codec = codec;
    this.allocator = allocator;
    this._talloc = checkAllocator(options.tableAllocator ?? allocator, what, "tableAllocator");
    this.valueType = options.value;
    this._vk = codec.kind;
    this._vsize = codec.size;
    this._layout = codec.layout;
    this._vRefs = codec.hasRefs;
    const seed = options.seed ?? randomSeed();
    if (typeof seed !== "number" || !Number.isSafeInteger(seed)) {
      throw new InvalidArgumentError(`seed must be a safe integer, got ${describe(seed)}`);
    }
    this.seed = seed;
    const keep = options.keepHashes ?? false;
    if (typeof keep !== "boolean") throw new InvalidArgumentError(`keepHashes must be true or false, got ${describe(keep)}`, "keepHashes");
    this._keepHashes = keep;
    const k = keysFromSeed(seed);
    this._k0 = k.k0;
    this._k1 = k.k1;
    this._k2 = k.k2;
    this._k3 = k.k3;
  }

  // --------------------------------------------------------------- checks

  /** @internal throws when the map or its memory is gone. */
  protected _check(): void {
    if (this._released) throw new MapReleasedError(`the ${this._what} was released`);
    // Throws StalePointerError when the allocator was reset, rewound or released under the map.
    if (this._guard !== 0) this.allocator.memoryOf(this._guard as Ptr);
    if (this._tguard !== 0) this._talloc.memoryOf(this._tguard as Ptr);
  }

  /** @internal throws when the map was attached read-only from a handle */
  protected _mutable(what: string): void {
    if (this._readOnly) {
      throw new ReadOnlyError(`${what}: this ${this._what} was attached read-only from a handle (another thread owns it)`);
    }
  }

  /** @internal chunk offset of the entry `ref` names. */
  protected _offOf(ref: number): number {
    return this._winBase[ref >>> 20]! + ((ref & 0xfffff) << 2);
  }

  protected _valueAtPtr(entry: EntryPtr, owned: boolean): unknown {
    this._check();
    const p = this._entryAddress(entry);
    const u8 = this.allocator.memoryOf(p);
    const dv = this.allocator.dataViewOf(p);
    const o = p >>> 0;
    return this._readValue(u8, dv, o + 4 + this._entryKeyLength(p, dv), p - o, owned);
  }

  /**
   * The address of the entry an entry pointer names, after checking that the
   * pointer's stamp is the current stamp of that address (it is not when the
   * entry was removed since the pointer was handed out).
   */
  protected _entryAddress(entry: EntryPtr): Ptr {
    // Fast path: a map that never removed anything hands out plain addresses, which the caller's read checks.
    if (!this._stamped && typeof entry === "number" && (entry & 3) === 0 && entry > 0) return entry;
    if (typeof entry !== "number" || !Number.isSafeInteger(entry) || entry <= 0) {
      throw new InvalidArgumentError(
        `${this._what}: entry must be an entry pointer from find() or entryPtrs(), got ${describe(entry)}`,
        "entry",
      );
    }
    const s = entry & 3;
    const p = (entry - s) as Ptr;
    if (this._stampAt(p) === s) return p;
    // Throws a typed error for a number that is no pointer of the allocator (or one of a reset arena).
    this.allocator.memoryOf(p);
    throw this._deadEntry(entry);
  }

  /** The key length of the entry at address `p`, checked to be a live entry that fits its chunk. */
  protected _entryKeyLength(p: Ptr, dv: DataView): number {
    const o = p >>> 0;
    if (o + 8 > dv.byteLength) throw new InvalidPointerError(`${p} is not an entry pointer of this ${this._what}`);
    const kl = dv.getUint32(o, true);
    if (kl === DEAD) throw this._deadEntry(p);
    if (o + 4 + kl > dv.byteLength) throw new InvalidPointerError(`${p} is not an entry pointer of this ${this._what}`);
    return kl;
  }

  protected _deadEntry(entry: number): StalePointerError {
    return new StalePointerError(
      `entry pointer ${entry} of this ${this._what} is stale: its key was deleted (or its value moved by a set of another size)`,
    );
  }

  // ---------------------------------------------------------------- stamps

  /** @internal the stamp of the entry `ref` names (what its pointers carry in their low 2 bits). */
  protected _stampOf(ref: number): number {
    if (!this._stamped) return 0;
    const st = this._stamps[ref >>> 20];
    // Word offset u = ref & 0xfffff; 8-byte block u >> 1; 4 blocks per byte: byte u >> 3, shift (u >> 1 & 3) * 2 = u & 6.
    return st === undefined ? 0 : (st[(ref & 0xfffff) >>> 3]! >>> (ref & 6)) & 3;
  }

  /** @internal the current stamp of address `p` (0 outside the map's windows). */
  protected _stampAt(p: number): number {
    if (!this._stamped) return 0;
    const off = p >>> 0;
    const key = Math.floor(p / SPAN) * 1024 + (off >>> WINDOW_SHIFT);
    const wi = key === this._lastWinKey ? this._lastWin : this._winIndex.get(key);
    if (wi === undefined) return 0;
    return this._stampOf((wi << 20) | ((off - this._winBase[wi]!) >>> 2));
  }

  /** @internal advances the stamp of a removed entry's block. */
  protected _advanceStamp(ref: number): void {
    const wi = ref >>> 20;
    let st = this._stamps[wi];
    if (st === undefined) {
      while (this._stamps.length < wi) this._stamps.push(undefined);
      st = this._stamps[wi] = new Uint8Array(WINDOW_SPAN >>> 5);
      this._stamped = true;
    }
    const i = (ref & 0xfffff) >>> 3;
    const shift = ref & 6;
    const c = ((st[i]! >>> shift) + 1) & 3;
    st[i] = (st[i]! & ~(3 << shift)) | (c << shift);
  }

  /** @internal the memory record views read through: stamped with the current removal count. */
  protected _viewMemory(): Memory {
    const m = this._viewMem;
    if (m !== undefined && m.stamp === this._removals) return m;
    return (this._viewMem = new GuardedMemory(this.allocator, this, this._removals));
  }

  /** @internal the removal count, read by the views' guarded memory. */
  get _removalCount(): number {
    return this._released ? -1 : this._removals;
  }

  /** @internal reads the value at chunk offset `vo`; `high` is the chunk part of pointers there. */
  protected _readValue(u8: Uint8Array, dv: DataView, vo: number, high: number, owned: boolean): unknown {
    switch (this._vk) {
      case VK_U8:
        return u8[vo];
      case VK_I8:
        return (u8[vo]! << 24) >> 24;
      case VK_U16:
        return dv.getUint16(vo, true);
      case VK_I16:
        return dv.getInt16(vo, true);
      case VK_U32:
        return dv.getUint32(vo, true);
      case VK_I32:
        return dv.getInt32(vo, true);
      case VK_F32:
        return dv.getFloat32(vo, true);
      case VK_F64:
        return dv.getFloat64(vo, true);
      case VK_U64:
        return dv.getBigUint64(vo, true);
      case VK_I64:
        return dv.getBigInt64(vo, true);
      case VK_BOOL:
        return u8[vo] !== 0;
      case VK_STR:
        return decodeUtf8(u8, vo + 4, dv.getUint32(vo, true));
      case VK_BYTES: {
        const len = dv.getUint32(vo, true);
        return owned ? u8.slice(vo + 4, vo + 4 + len) : new Uint8Array(u8.buffer, u8.byteOffset + vo + 4, len);
      }
      default: {
        const p = (high + vo) as Ptr;
        return owned ? this._layout!.read(this.allocator, p) : this._layout!.view(this._viewMemory(), p);
      }
    }
  }

  /** Writes a validated value at chunk offset `vo`. May throw only for records with str/bytes fields (allocation). */
  protected _writeValue(u8: Uint8Array, dv: DataView, vo: number, high: number, v: unknown, vlen: number): void {
    switch (this._vk) {
      case VK_U8:
      case VK_I8:
        u8[vo] = (v as number) & 0xff;
        return;
      case VK_U16:
      case VK_I16:
        dv.setUint16(vo, (v as number) & 0xffff, true);
        return;
      case VK_U32:
        dv.setUint32(vo, v as number, true);
        return;
      case VK_I32:
        dv.setInt32(vo, v as number, true);
        return;
      case VK_F32:
        dv.setFloat32(vo, v as number, true);
        return;
      case VK_F64:
        dv.setFloat64(vo, v as number, true);
        return;
      case VK_U64:
        dv.setBigUint64(vo, BigInt(v as bigint | number), true);
        return;
      case VK_I64:
        dv.setBigInt64(vo, BigInt(v as bigint | number), true);
        return;
      case VK_BOOL:
        u8[vo] = v ? 1 : 0;
        return;
      case VK_STR:
        dv.setUint32(vo, vlen, true);
        // SAFETY: vlen is the exact UTF-8 length of the validated string, so exactly vlen bytes are written.
        encodeUtf8Into(v as string, u8, vo + 4);
        return;
      case VK_BYTES:
        dv.setUint32(vo, vlen, true);
        u8.set(v as Uint8Array, vo + 4);
        return;
      default:
        this._layout!.writeAt(this.allocator, (high + vo) as Ptr, v as never);
    }
  }

  /** Bytes an entry takes: length-prefixed key, value, rounded up to 4. */
  protected _entrySizeFor(keyLen: number, vlen: number): number {
    const v = this._vsize >= 0 ? this._vsize : 4 + vlen;
    return (4 + keyLen + v + 3) & ~3;
  }

  protected _entrySizeOf(wi: number, o: number): number {
    const dv = this._winDv[wi]!;
    const keyLen = dv.getUint32(o, true);
    return this._entrySizeFor(keyLen, this._vsize >= 0 ? 0 : dv.getUint32(o + 4 + keyLen, true));
  }

  // --------------------------------------------------------- entries

  /** Allocates an entry of `size` bytes (reusing a hole of the same size when the allocator cannot free). */
  protected _allocEntry(size: number): number {
    if (this._holeBytes !== 0) {
      const head = this._holes.get(size);
      if (head !== undefined) {
        const next = this._winDv[head >>> 20]!.getInt32(this._offOf(head) + 4, true);
        if (next === NO_HOLE) this._holes.delete(size);
        else this._holes.set(size, next);
        this._holeBytes -= size;
        return head;
      }
    }
    if (this._spanEnd - this._spanPtr >= size) {
      // SAFETY: the span is the map's own outgrown table, which nothing reads any more (the table was
      // replaced; iterators over it throw on their next step), in one allocation of the map's allocator.
      const p = this._spanPtr;
      const wi = this._window(p);
      this._spanPtr = p + size;
      this._retired -= size;
      return (wi << 20) | (((p >>> 0) - this._winBase[wi]!) >>> 2);
    }
    const p = this.allocator.alloc(size, 4);
    let wi: number;
    try {
      wi = this._window(p);
    } catch (err) {
      this.allocator.free(p, size);
      throw err;
    }
    this._guard = p;
    return (wi << 20) | (((p >>> 0) - this._winBase[wi]!) >>> 2);
  }

  /** Gives an entry that was never linked back. */
  protected _dropEntry(ref: number, size: number): void {
    const wi = ref >>> 20;
    const o = this._offOf(ref);
    if (this.allocator.canFree) this.allocator.free((this._winHigh[wi]! + o) as Ptr, size);
    else this._addHole(ref, size);
  }

  /** Frees an unlinked entry (and its record's out-of-line fields) or keeps it as a hole. */
  protected _releaseEntry(ref: number, size: number = this._entrySizeOf(ref >>> 20, this._offOf(ref))): void {
    const wi = ref >>> 20;
    const o = this._offOf(ref);
    // Pointers to this entry stop matching its address's stamp.
    this._advanceStamp(ref);
    if (!this.allocator.canFree) {
      this._addHole(ref, size);
      return;
    }
    if (this._vRefs) {
      const keyLen = this._winDv[wi]!.getUint32(o, true);
      freeRefs(this.allocator, this._layout!, (this._winHigh[wi]! + o + 4 + keyLen) as Ptr);
    }
    this.allocator.free((this._winHigh[wi]! + o) as Ptr, size);
  }

  protected _addHole(ref: number, size: number): void {
    const head = this._holes.get(size);
    const dv = this._winDv[ref >>> 20]!;
    const o = this._offOf(ref);
    // SAFETY: every entry is at least 8 bytes (length word + a value of >= 1 byte, rounded to 4).
    dv.setUint32(o, DEAD, true);
    dv.setInt32(o + 4, head ?? NO_HOLE, true);
    this._holes.set(size, ref);
    this._holeBytes += size;
  }

  /** The window number of pointer `p`, registering its 4 MiB window on first use. */
  protected _window(p: number): number {
    const high = Math.floor(p / SPAN);
    const off = p >>> 0;
    const key = high * 1024 + (off >>> WINDOW_SHIFT);
    if (key === this._lastWinKey) return this._lastWin;
    let wi = this._winIndex.get(key);
    if (wi === undefined) {
      wi = this._winU8.length;
      if (wi >= MAX_WINDOWS) {
        throw new CapacityOverflowError(
          `the ${this._what}'s entries would span more than ${MAX_WINDOWS} windows of 4 MiB of allocator memory`,
        );
      }
      const u8 = this.allocator.memoryOf(p as Ptr);
      if (u8.byteOffset % 4 !== 0) {
        throw new InvalidArgumentError("the allocator's memory views must start at a 4-byte aligned offset of their buffer");
      }
      this._winU8.push(u8);
      this._winDv.push(this.allocator.dataViewOf(p as Ptr));
      this._winU32.push(this._u32View(u8));
      this._winBase.push(Math.floor(off / WINDOW_SPAN) * WINDOW_SPAN);
      this._winHigh.push(high * SPAN);
      this._winIndex.set(key, wi);
    }
    this._lastWinKey = key;
    this._lastWin = wi;
    return wi;
  }

  /** A Uint32Array over a chunk's buffer indexed by chunk offset / 4 (length-tracking for resizable buffers). */
  protected _u32View(u8: Uint8Array): Uint32Array {
    const buf = u8.buffer;
    let v = this._u32Of.get(buf);
    if (v === undefined) {
      const resizable = (buf as ArrayBuffer).resizable === true || (buf as SharedArrayBuffer).growable === true;
      v = resizable && u8.byteOffset === 0 ? new Uint32Array(buf) : new Uint32Array(buf, u8.byteOffset, u8.length >>> 2);
      this._u32Of.set(buf, v);
    }
    return v;
  }
}

export function checkAllocator(a: unknown, what: string, name: string): Allocator {
  if (a === null || typeof a !== "object" || typeof (a as Allocator).alloc !== "function") {
    throw new InvalidArgumentError(`${what} ${name} must be an Allocator of @arenakit/bump (a Bump, a FreeListAllocator, ...)`, name);
  }
  return a as Allocator;
}

/** Copies `n` bytes between (possibly different) chunks. */
export function copyBytes(src: Uint8Array, from: number, dst: Uint8Array, to: number, n: number): void {
  dst.set(src.subarray(from, from + n), to);
}

/** Frees the str/bytes fields of the record at `p`, at any depth. */
function freeRefs(a: Allocator, layout: Layout<Fields>, p: Ptr): void {
  for (const f of layout.fields) {
    const kind = f.type.kind;
    const fp = (p + f.offset) as Ptr;
    if (kind === "str" || kind === "bytes") {
      const q = a.readF64(fp) as Ptr;
      if (q !== 0) a.free(q, 4 + a.readU32(q));
    } else if (kind === "struct") {
      freeRefs(a, f.type as unknown as Layout<Fields>, fp);
    }
  }
}
