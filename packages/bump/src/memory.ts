import type { Memory } from "./api.js";
import { InvalidArgumentError, InvalidPointerError, StalePointerError } from "./errors.js";
import { CHUNK_BITS, GENERATIONS, MAX_CHUNKS, OFFSET_SPAN, type BytesPtr, type Ptr, type StrPtr } from "./ptr.js";
import { decodeUtf8, utf8Equals } from "./utf8.js";

const CHUNK_MASK = MAX_CHUNKS - 1;
// Multiplying by 2^-32 is exact in binary floating point and several times
// cheaper than dividing by 2^32 on the read path.
const INV_SPAN = 1 / OFFSET_SPAN;

/**
 * Pointer-checked reads over a table of chunks. The base of {@link Bump} and
 * of {@link ArenaReader}; other allocators can extend it too.
 *
 * A pointer is live when its generation is the current one and its chunk slot
 * exists (one unsigned compare: `high - highBase < chunkCount`). Pointers of
 * older generations fall to a slow path that consults the rewind floors.
 */
export abstract class ChunkedMemory implements Memory {
  /** @internal per-slot byte views */
  protected _u8: Uint8Array[] = [];
  /** @internal per-slot data views */
  protected _dv: DataView[] = [];
  /** @internal number of live chunk slots */
  protected _n = 0;
  /** @internal current generation (1 .. GENERATIONS-1) */
  protected _gen = 1;
  /** @internal `_gen << CHUNK_BITS` */
  protected _highBase: number = 1 << CHUNK_BITS;
  /**
   * @internal For each generation g, pointers of g are still valid below this
   * position (slot * 2^32 + offset). Non-decreasing in g (see Bump.resetTo).
   * An arena starts in generation 1 and most are never reset, so the table
   * starts with room for generations 0 and 1 only; the first write past its
   * end makes the whole table (64 KiB). Reads past the end give `undefined`,
   * which no position is below: those generations have no floor.
   */
  protected _floor: Float64Array = new Float64Array(2);
  /** @internal why reads fail once released, or undefined while usable */
  protected _releasedWhy: string | undefined;
  /**
   * @internal set when a raw view of chunk memory (`bytes`, `memoryOf`,
   * `dataViewOf`, `chunks`) was handed out: a reset must then detach the chunk
   * it keeps so that those views cannot read the next generation's data.
   */
  protected _escaped = false;

  abstract readonly shared: boolean;

  /** @internal Sets the floor of generation `g`, making the whole table on the first write past its end. */
  protected _setFloor(g: number, position: number): void {
    if (g >= this._floor.length) {
      const all = new Float64Array(GENERATIONS);
      all.set(this._floor);
      this._floor = all;
    }
    this._floor[g] = position;
  }

  /**
   * @internal resolves the chunk slot of `p` or throws. The fast path is one
   * type check, one unsigned compare for the slot and generation, and one
   * exact reconstruction of `p` from its parts, which refuses fractions.
   */
  protected _slot(p: number): number {
    if (typeof p === "number") {
      const high = (p * INV_SPAN) >>> 0;
      const c = high - this._highBase;
      if (c >>> 0 < this._n && high * OFFSET_SPAN + (p >>> 0) === p) return c;
    }
    return this._slowSlot(p);
  }

  /** @internal classifies a pointer that failed the fast check. */
  protected _slowSlot(p: number): number {
    if (this._releasedWhy !== undefined) {
      throw new StalePointerError(`pointer ${describePtr(p)} used after its arena was ${this._releasedWhy}`);
    }
    if (typeof p !== "number" || !Number.isSafeInteger(p) || p < OFFSET_SPAN * MAX_CHUNKS) {
      throw new InvalidPointerError(`${describePtr(p)} is not a pointer returned by an arenakit allocator`);
    }
    const high = (p / OFFSET_SPAN) >>> 0;
    const gen = high >>> CHUNK_BITS;
    const slot = high & CHUNK_MASK;
    if (gen === this._gen) {
      throw new InvalidPointerError(`pointer ${p} names chunk ${slot}, which this arena does not have`);
    }
    const position = p % (OFFSET_SPAN * MAX_CHUNKS);
    if (position < this._floor[gen]! && slot < this._n) return slot;
    throw new StalePointerError(
      `pointer ${p} is stale: the arena was reset or rewound after it was allocated (generation ${gen}, now ${this._gen})`,
    );
  }

  /** @internal the slot of `p` when `size` bytes from it lie inside its chunk, or throws. */
  protected _span(p: number, size: number): number {
    const c = this._slot(p);
    if ((p >>> 0) + size > this._u8[c]!.length) throw this._pastEnd(p, size, c);
    return c;
  }

  /** @internal the error for an access of `size` bytes at `p` that runs past its chunk. */
  protected _pastEnd(p: number, size: number, c: number): InvalidPointerError {
    return new InvalidPointerError(
      `pointer ${p} (offset ${p >>> 0}) with ${size} bytes runs past the end of its ${this._u8[c]!.length}-byte chunk`,
    );
  }

  /** Whether `p` names live memory of this arena (never throws). */
  isLive(p: Ptr): boolean {
    try {
      this._slot(p);
      return true;
    } catch {
      return false;
    }
  }

  readU8(p: Ptr): number {
    return this._u8[this._span(p, 1)]![p >>> 0]!;
  }
  readU16(p: Ptr): number {
    const c = this._slot(p);
    try {
      return this._dv[c]!.getUint16(p >>> 0, true);
    } catch {
      throw this._pastEnd(p, 2, c);
    }
  }
  readU32(p: Ptr): number {
    const c = this._slot(p);
    try {
      return this._dv[c]!.getUint32(p >>> 0, true);
    } catch {
      throw this._pastEnd(p, 4, c);
    }
  }
  readI32(p: Ptr): number {
    const c = this._slot(p);
    try {
      return this._dv[c]!.getInt32(p >>> 0, true);
    } catch {
      throw this._pastEnd(p, 4, c);
    }
  }
  readF32(p: Ptr): number {
    const c = this._slot(p);
    try {
      return this._dv[c]!.getFloat32(p >>> 0, true);
    } catch {
      throw this._pastEnd(p, 4, c);
    }
  }
  readF64(p: Ptr): number {
    const c = this._slot(p);
    try {
      return this._dv[c]!.getFloat64(p >>> 0, true);
    } catch {
      throw this._pastEnd(p, 8, c);
    }
  }
  readU64(p: Ptr): bigint {
    const c = this._slot(p);
    try {
      return this._dv[c]!.getBigUint64(p >>> 0, true);
    } catch {
      throw this._pastEnd(p, 8, c);
    }
  }
  readI64(p: Ptr): bigint {
    const c = this._slot(p);
    try {
      return this._dv[c]!.getBigInt64(p >>> 0, true);
    } catch {
      throw this._pastEnd(p, 8, c);
    }
  }

  readStr(p: StrPtr): string {
    const c = this._span(p, 4);
    const o = p >>> 0;
    return decodeUtf8(this._u8[c]!, o + 4, this._prefixed(p, c));
  }
  strByteLength(p: StrPtr): number {
    return this._prefixed(p, this._span(p, 4));
  }
  strEquals(p: StrPtr, s: string): boolean {
    const c = this._span(p, 4);
    return utf8Equals(this._u8[c]!, (p >>> 0) + 4, this._prefixed(p, c), s);
  }
  bytes(p: BytesPtr): Uint8Array {
    this._escaped = true;
    const c = this._span(p, 4);
    const o = p >>> 0;
    return this._u8[c]!.subarray(o + 4, o + 4 + this._prefixed(p, c));
  }
  bytesLength(p: BytesPtr): number {
    return this._prefixed(p, this._span(p, 4));
  }

  /** @internal the length prefix at `p` (in slot `c`), checked to fit its chunk. */
  protected _prefixed(p: number, c: number): number {
    const o = p >>> 0;
    const len = this._dv[c]!.getUint32(o, true);
    if (o + 4 + len > this._u8[c]!.length) throw this._pastEnd(p, 4 + len, c);
    return len;
  }
  memoryOf(p: Ptr): Uint8Array {
    this._escaped = true;
    return this._u8[this._slot(p)]!;
  }
  dataViewOf(p: Ptr): DataView {
    this._escaped = true;
    return this._dv[this._slot(p)]!;
  }
}

/**
 * {@link ChunkedMemory} plus pointer-checked writes: the base of the
 * allocators (`Bump`, `FreeListAllocator`). Read-only memory
 * (`ArenaReader`) stays on `ChunkedMemory`, so it has no write methods at all.
 */
export abstract class WritableMemory extends ChunkedMemory {
  /**
   * Writes an unsigned byte at `p` (checked like a read).
   * @throws {@link InvalidArgumentError} unless `v` is an integer from 0 to 255.
   */
  writeU8(p: Ptr, v: number): void {
    if (typeof v !== "number" || (v & 0xff) !== v) throw badValue("writeU8", v, "an integer from 0 to 255");
    this._u8[this._span(p, 1)]![p >>> 0] = v;
  }
  /**
   * Writes a little-endian unsigned 16-bit integer at `p` (checked like a read).
   * @throws {@link InvalidArgumentError} unless `v` is an integer from 0 to 65535.
   */
  writeU16(p: Ptr, v: number): void {
    if (typeof v !== "number" || (v & 0xffff) !== v) throw badValue("writeU16", v, "an integer from 0 to 65535");
    const c = this._slot(p);
    try {
      this._dv[c]!.setUint16(p >>> 0, v, true);
    } catch {
      throw this._pastEnd(p, 2, c);
    }
  }
  /**
   * Writes a little-endian unsigned 32-bit integer at `p` (checked like a read).
   * @throws {@link InvalidArgumentError} unless `v` is an integer from 0 to 2^32 - 1.
   */
  writeU32(p: Ptr, v: number): void {
    if (typeof v !== "number" || v >>> 0 !== v) throw badValue("writeU32", v, "an integer from 0 to 4294967295");
    const c = this._slot(p);
    try {
      this._dv[c]!.setUint32(p >>> 0, v, true);
    } catch {
      throw this._pastEnd(p, 4, c);
    }
  }
  /**
   * Writes a little-endian signed 32-bit integer at `p` (checked like a read).
   * @throws {@link InvalidArgumentError} unless `v` is an integer from -2^31 to 2^31 - 1.
   */
  writeI32(p: Ptr, v: number): void {
    if (typeof v !== "number" || (v | 0) !== v) throw badValue("writeI32", v, "an integer from -2147483648 to 2147483647");
    const c = this._slot(p);
    try {
      this._dv[c]!.setInt32(p >>> 0, v, true);
    } catch {
      throw this._pastEnd(p, 4, c);
    }
  }
  /**
   * Writes a little-endian 32-bit float at `p` (checked like a read). The
   * value is rounded to the nearest 32-bit float, as `Float32Array` does.
   * @throws {@link InvalidArgumentError} when `v` is not a number, or is finite
   * but too large for 32 bits (it would be stored as Infinity).
   */
  writeF32(p: Ptr, v: number): void {
    if (typeof v !== "number" || (Math.fround(v) - Math.fround(v) !== 0 && v - v === 0)) {
      throw badValue("writeF32", v, "a number within the 32-bit float range (about ±3.4e38)");
    }
    const c = this._slot(p);
    try {
      this._dv[c]!.setFloat32(p >>> 0, v, true);
    } catch {
      throw this._pastEnd(p, 4, c);
    }
  }
  /**
   * Writes a little-endian 64-bit float at `p` (checked like a read).
   * @throws {@link InvalidArgumentError} when `v` is not a number.
   */
  writeF64(p: Ptr, v: number): void {
    if (typeof v !== "number") throw badValue("writeF64", v, "a number");
    const c = this._slot(p);
    try {
      this._dv[c]!.setFloat64(p >>> 0, v, true);
    } catch {
      throw this._pastEnd(p, 8, c);
    }
  }
  /**
   * Writes a little-endian unsigned 64-bit integer at `p` (checked like a
   * read). Accepts a bigint or a safe-integer number, as record layouts do.
   * @throws {@link InvalidArgumentError} unless `v` is from 0 to 2^64 - 1.
   */
  writeU64(p: Ptr, v: bigint | number): void {
    const b = toBig(v);
    if (b === undefined || BigInt.asUintN(64, b) !== b) throw badValue("writeU64", v, "a bigint or safe integer from 0 to 2^64 - 1");
    const c = this._slot(p);
    try {
      this._dv[c]!.setBigUint64(p >>> 0, b, true);
    } catch {
      throw this._pastEnd(p, 8, c);
    }
  }
  /**
   * Writes a little-endian signed 64-bit integer at `p` (checked like a read).
   * Accepts a bigint or a safe-integer number, as record layouts do.
   * @throws {@link InvalidArgumentError} unless `v` is from -2^63 to 2^63 - 1.
   */
  writeI64(p: Ptr, v: bigint | number): void {
    const b = toBig(v);
    if (b === undefined || BigInt.asIntN(64, b) !== b) throw badValue("writeI64", v, "a bigint or safe integer from -2^63 to 2^63 - 1");
    const c = this._slot(p);
    try {
      this._dv[c]!.setBigInt64(p >>> 0, b, true);
    } catch {
      throw this._pastEnd(p, 8, c);
    }
  }
}

function toBig(v: unknown): bigint | undefined {
  if (typeof v === "bigint") return v;
  if (typeof v === "number" && Number.isSafeInteger(v)) return BigInt(v);
  return undefined;
}

function badValue(method: string, v: unknown, want: string): InvalidArgumentError {
  return new InvalidArgumentError(`${method}: the value must be ${want}, got ${describeValue(v)}`, "value");
}

/** A short, safe description of an argument for error messages. */
export function describeValue(v: unknown): string {
  if (typeof v === "number") return Object.is(v, -0) ? "-0" : String(v);
  if (typeof v === "bigint") return `${v}n`;
  if (typeof v === "string") return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  if (v === null || v === undefined) return String(v);
  if (typeof v === "object") return (v as object).constructor?.name ?? "object";
  return typeof v;
}

function describePtr(p: unknown): string {
  return typeof p === "number" ? String(p) : describeValue(p);
}
