import type { Memory } from "./api.js";
import { InvalidPointerError, StalePointerError } from "./errors.js";
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
   */
  protected _floor: Float64Array = new Float64Array(GENERATIONS);
  /** @internal why reads fail once released, or undefined while usable */
  protected _releasedWhy: string | undefined;

  abstract readonly shared: boolean;

  /** @internal resolves the chunk slot of `p` or throws. */
  protected _slot(p: number): number {
    const c = ((p * INV_SPAN) >>> 0) - this._highBase;
    if (c >>> 0 < this._n) return c;
    return this._slowSlot(p);
  }

  /** @internal classifies a pointer that failed the fast check. */
  protected _slowSlot(p: number): number {
    if (this._releasedWhy !== undefined) {
      throw new StalePointerError(`pointer ${p} used after its arena was ${this._releasedWhy}`);
    }
    if (!Number.isSafeInteger(p) || p < OFFSET_SPAN * MAX_CHUNKS) {
      throw new InvalidPointerError(`${String(p)} is not a pointer returned by an arenakit allocator`);
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
    return this._u8[this._slot(p)]![p >>> 0]!;
  }
  readU16(p: Ptr): number {
    return this._dv[this._slot(p)]!.getUint16(p >>> 0, true);
  }
  readU32(p: Ptr): number {
    return this._dv[this._slot(p)]!.getUint32(p >>> 0, true);
  }
  readI32(p: Ptr): number {
    return this._dv[this._slot(p)]!.getInt32(p >>> 0, true);
  }
  readF32(p: Ptr): number {
    return this._dv[this._slot(p)]!.getFloat32(p >>> 0, true);
  }
  readF64(p: Ptr): number {
    return this._dv[this._slot(p)]!.getFloat64(p >>> 0, true);
  }
  readU64(p: Ptr): bigint {
    return this._dv[this._slot(p)]!.getBigUint64(p >>> 0, true);
  }
  readI64(p: Ptr): bigint {
    return this._dv[this._slot(p)]!.getBigInt64(p >>> 0, true);
  }

  readStr(p: StrPtr): string {
    const c = this._slot(p);
    const o = p >>> 0;
    const len = this._dv[c]!.getUint32(o, true);
    return decodeUtf8(this._u8[c]!, o + 4, len);
  }
  strByteLength(p: StrPtr): number {
    return this._dv[this._slot(p)]!.getUint32(p >>> 0, true);
  }
  strEquals(p: StrPtr, s: string): boolean {
    const c = this._slot(p);
    const o = p >>> 0;
    return utf8Equals(this._u8[c]!, o + 4, this._dv[c]!.getUint32(o, true), s);
  }
  bytes(p: BytesPtr): Uint8Array {
    const c = this._slot(p);
    const o = p >>> 0;
    const len = this._dv[c]!.getUint32(o, true);
    return this._u8[c]!.subarray(o + 4, o + 4 + len);
  }
  bytesLength(p: BytesPtr): number {
    return this._dv[this._slot(p)]!.getUint32(p >>> 0, true);
  }
  memoryOf(p: Ptr): Uint8Array {
    return this._u8[this._slot(p)]!;
  }
  dataViewOf(p: Ptr): DataView {
    return this._dv[this._slot(p)]!;
  }
}

/**
 * {@link ChunkedMemory} plus pointer-checked writes: the base of the
 * allocators (`Bump`, `FreeListAllocator`). Read-only memory
 * (`ArenaReader`) stays on `ChunkedMemory`, so it has no write methods at all.
 */
export abstract class WritableMemory extends ChunkedMemory {
  /** Writes an unsigned byte at `p` (checked like a read). */
  writeU8(p: Ptr, v: number): void {
    this._u8[this._slot(p)]![p >>> 0] = v;
  }
  /** Writes a little-endian unsigned 16-bit integer at `p` (checked like a read). */
  writeU16(p: Ptr, v: number): void {
    this._dv[this._slot(p)]!.setUint16(p >>> 0, v, true);
  }
  /** Writes a little-endian unsigned 32-bit integer at `p` (checked like a read). */
  writeU32(p: Ptr, v: number): void {
    this._dv[this._slot(p)]!.setUint32(p >>> 0, v, true);
  }
  /** Writes a little-endian signed 32-bit integer at `p` (checked like a read). */
  writeI32(p: Ptr, v: number): void {
    this._dv[this._slot(p)]!.setInt32(p >>> 0, v, true);
  }
  /** Writes a little-endian 32-bit float at `p` (checked like a read). */
  writeF32(p: Ptr, v: number): void {
    this._dv[this._slot(p)]!.setFloat32(p >>> 0, v, true);
  }
  /** Writes a little-endian 64-bit float at `p` (checked like a read). */
  writeF64(p: Ptr, v: number): void {
    this._dv[this._slot(p)]!.setFloat64(p >>> 0, v, true);
  }
  /** Writes a little-endian unsigned 64-bit integer at `p` (checked like a read). */
  writeU64(p: Ptr, v: bigint): void {
    this._dv[this._slot(p)]!.setBigUint64(p >>> 0, v, true);
  }
  /** Writes a little-endian signed 64-bit integer at `p` (checked like a read). */
  writeI64(p: Ptr, v: bigint): void {
    this._dv[this._slot(p)]!.setBigInt64(p >>> 0, v, true);
  }
}
