// The chunk table under a Bump: its buffers and their views, the current chunk's bump position,
// the spare chunk, the pool and the byte accounting, with the operations that install, drop and
// give back chunks. Bump (bump.ts) adds the allocation policy on top: alloc, growth, reset, trim.
import type { BufferPool, ChunkInfo } from "./api.js";
import { detach } from "./detach.js";
import { InvalidArgumentError, ReleasedError } from "./errors.js";
import { WritableMemory, describeValue } from "./memory.js";
import { CHUNK_BITS, GENERATIONS, OFFSET_SPAN } from "./ptr.js";

/**
 * Buffers currently installed in some arena of this thread. A custom pool that
 * hands the same buffer to two arenas would let them overwrite each other;
 * this set makes that an error instead (checked on the slow path only).
 */
export const IN_USE: WeakSet<AnyBuffer> = new WeakSet();

/** The highest generation stamp (generation 0 is never used, so stamps run 1 .. GENERATIONS - 1). */
const LAST_GENERATION = GENERATIONS - 1;

/** A chunk buffer: shared or not. */
export type AnyBuffer = ArrayBuffer | SharedArrayBuffer;

/**
 * The chunk table of a {@link Bump}: which buffers the arena holds, how much
 * of each is used, and what it takes from and gives back to its pool. Its
 * getters are Bump's inspection API.
 */
export abstract class ChunkTable extends WritableMemory {
  /** @internal chunk buffers, in slot order */ protected readonly _buffers: AnyBuffer[] = [];
  /** @internal bytes used in each chunk before the current one */ protected readonly _usedOf: number[] = [];
  /** @internal the current chunk's slot, -1 while there is none */ protected _cur = -1;
  /** @internal the current chunk's bump position */ protected _top = 0;
  /** @internal the current chunk's end: -1 while there is no chunk, so even a zero-size allocation takes the slow path */
  protected _cap = -1;
  /** @internal the current chunk's pointer high field (generation and slot) */ protected _highCur = 0;
  /** @internal `_highCur * 2^32`: a pointer is this plus its offset (one add on the fast path) */ protected _ptrBase = 0;
  /** @internal bytes taken from the engine or the pool */ protected _allocated = 0;
  /** @internal the largest chunk dropped by a rewind, kept for the next growth */ protected _spare: AnyBuffer | undefined;
  /** @internal where chunks come from and go back to */ protected _pool: BufferPool | undefined;

  /** @internal A buffer of at least `bytes` bytes from the pool, checked, or undefined. */
  protected _takeFromPool(bytes: number, maxBytes?: number): AnyBuffer | undefined {
    const pool = this._pool;
    if (pool === undefined) return undefined;
    const buf: unknown = maxBytes === undefined ? pool.take(bytes) : pool.take(bytes, maxBytes);
    if (buf === undefined) return undefined;
    // Bytes from outside are untrusted: check kind, size and that no other arena holds the buffer.
    const isShared = typeof SharedArrayBuffer !== "undefined" && buf instanceof SharedArrayBuffer;
    if (!(buf instanceof ArrayBuffer) && !isShared) {
      throw new InvalidArgumentError(`pool.take(${bytes}) returned ${describe(buf)}, not an ArrayBuffer or SharedArrayBuffer`, "pool");
    }
    const b = buf as AnyBuffer;
    if (isShared !== this.shared) {
      throw new InvalidArgumentError(
        `pool.take(${bytes}) returned a ${isShared ? "SharedArrayBuffer" : "ArrayBuffer"} to a ${this.shared ? "shared" : "non-shared"} arena`,
        "pool",
      );
    }
    if ((b as ArrayBuffer).resizable === true || (b as SharedArrayBuffer).growable === true) {
      throw new InvalidArgumentError(`pool.take(${bytes}) returned a resizable buffer; chunks must have a fixed size`, "pool");
    }
    if (b.byteLength < bytes) {
      throw new InvalidArgumentError(
        `pool.take(${bytes}) returned a buffer of ${b.byteLength} bytes${b.byteLength === 0 ? " (detached?)" : ""}, smaller than asked`,
        "pool",
      );
    }
    if (IN_USE.has(b)) {
      throw new InvalidArgumentError(`pool.take(${bytes}) returned a buffer that an arena is still using (handed out twice)`, "pool");
    }
    return b;
  }

  /** @internal makes `buf` the current chunk (with its views, when the caller kept them). */
  protected _install(buf: AnyBuffer, u8?: Uint8Array, dv?: DataView): void {
    const slot = this._n;
    this._buffers[slot] = buf;
    if (u8 === undefined || dv === undefined) {
      IN_USE.add(buf);
      this._u8[slot] = new Uint8Array(buf);
      this._dv[slot] = new DataView(buf);
    } else {
      this._u8[slot] = u8;
      this._dv[slot] = dv;
    }
    this._usedOf[slot] = 0;
    this._n = slot + 1;
    this._cur = slot;
    this._top = 0;
    this._cap = buf.byteLength;
    this._highCur = this._highBase + slot;
    this._ptrBase = this._highCur * OFFSET_SPAN;
    this._allocated += buf.byteLength;
  }

  /** @internal gives chunk `c` back (or keeps it as the spare for the next growth). */
  protected _dropChunk(c: number, keepAsSpare: boolean): void {
    const buf = this._buffers[c]!;
    this._allocated -= buf.byteLength;
    this._n = Math.min(this._n, c);
    if (keepAsSpare && (this._spare === undefined || this._spare.byteLength < buf.byteLength)) {
      this._dropSpare();
      this._spare = buf instanceof ArrayBuffer ? detach(buf) : buf;
      this._allocated += this._spare.byteLength; // not buf's: a detached buffer's byteLength is 0
      return;
    }
    this._giveBack(buf);
  }

  /** @internal gives the spare chunk back. */
  protected _dropSpare(): void {
    if (this._spare === undefined) return;
    this._allocated -= this._spare.byteLength;
    this._giveBack(this._spare);
    this._spare = undefined;
  }

  /**
   * @internal to the pool (unless `toPool` is false), or to the GC: detached first when a raw view of the
   * arena's memory was handed out (stale views then go empty instead of
   * reading whatever reuses the memory). With no view out, nothing outside can
   * see the buffer, and dropping it is enough: detaching costs a structured
   * clone on Node 20 (it has no `ArrayBuffer.prototype.transfer`), which made
   * filling and releasing a 16 MiB arena 1.6–2.3× slower in one A/B.
   */
  protected _giveBack(buf: AnyBuffer, toPool: boolean = true): void {
    IN_USE.delete(buf);
    if (toPool && this._pool !== undefined) this._pool.give(buf);
    else if (buf instanceof ArrayBuffer && this._escaped) detach(buf);
  }

  /** @internal Retires the current generation: its pointers stay valid only below `position`. */
  protected _nextGeneration(position: number): void {
    // The floors are non-decreasing in generation order, so walk back only
    // while they are above the new one (amortised O(1)).
    // The wrap-around branches use only constants: they run once per 8,191 resets, so an
    // operation there would have no type feedback and deoptimize the (inlined) caller.
    let g = this._gen;
    while (this._floor[g]! > position) {
      this._floor[g] = position;
      g = g === 1 ? LAST_GENERATION : g - 1;
    }
    const next = this._gen + 1;
    this._gen = next === GENERATIONS ? 1 : next;
    this._setFloor(this._gen, Infinity);
    this._highBase = this._gen << CHUNK_BITS;
    this._highCur = this._highBase + Math.max(this._cur, 0);
    this._ptrBase = this._highCur * OFFSET_SPAN;
  }

  /** @internal slot * 2^32 + offset of the next allocation. */
  protected _position(): number {
    return this._cur < 0 ? 0 : this._cur * OFFSET_SPAN + this._top;
  }

  /** @internal throws once released. */
  protected _assertUsable(what: string): void {
    if (this._releasedWhy !== undefined) throw new ReleasedError(`cannot ${what}: the arena was released`);
  }

  /** Bytes taken from the engine (sum of chunk sizes, plus a spare chunk kept by `resetTo`). */
  get allocatedBytes(): number {
    return this._allocated;
  }

  /** Bytes handed out by allocations, including alignment padding. */
  get usedBytes(): number {
    let used = 0;
    for (let c = 0; c < this._cur; c++) used += this._usedOf[c]!;
    return this._cur >= 0 ? used + this._top : 0;
  }

  /** Number of chunks currently held. */
  get chunkCount(): number {
    return this._n;
  }

  /** Whether {@link Bump.release} was called. */
  get released(): boolean {
    return this._releasedWhy !== undefined;
  }

  /** The chunks, oldest first, for debugging and measurements. */
  *chunks(): IterableIterator<ChunkInfo> {
    this._escaped = true;
    for (let c = 0; c < this._n; c++) {
      const used = c === this._cur ? this._top : this._usedOf[c]!;
      yield { index: c, byteLength: this._buffers[c]!.byteLength, usedBytes: used, bytes: this._u8[c]!.subarray(0, used) };
    }
  }
}

const describe = describeValue;
