import type { Allocator } from "./api.js";
import { FreeBins } from "./bins.js";
import type { ArenaDescriptor } from "./bump.js";
import { detach } from "./detach.js";
import { AllocationLimitError, InvalidArgumentError, InvalidPointerError, ReleasedError } from "./errors.js";
import { WritableMemory, describeValue } from "./memory.js";
import { CHUNK_BITS, GENERATIONS, OFFSET_SPAN, type BytesPtr, type Ptr, type StrPtr } from "./ptr.js";
import { assertWellFormed, encodeUtf8Into } from "./utf8.js";

/** Options of {@link FreeListAllocator}. */
export interface FreeListOptions {
  /**
   * Size of the buffer in bytes, taken from the engine up front. The buffer
   * never grows: an allocation that finds no room throws
   * {@link AllocationLimitError} (`tryAlloc` returns `undefined`). Pages the
   * program never touches are not committed by the operating system.
   * @defaultValue 16777216 (16 MiB)
   */
  readonly size?: number;
  /**
   * Use a `SharedArrayBuffer`, so the memory can be read from Workers.
   * @defaultValue false
   */
  readonly shared?: boolean;
}

const DEFAULT_SIZE = 16 * 1024 * 1024;
/** Offsets are 32-bit; keep the last 8 bytes unused so `top + size` never wraps. */
const MAX_SIZE = 2 ** 32 - 8;

// Block format (boundary tags). Blocks start at offsets ≡ 4 (mod 8) so that
// the payload after the 4-byte header is 8-byte aligned; sizes are multiples
// of 8, so every following block keeps that property.
//   header u32 at b:        size | USED | PREV_USED
//   free block only:        footer u32 (size) at b+size-4; its size class's list links at b+4 and b+8 (bins.ts)
const USED = 1;
const PREV_USED = 2;
const MIN_BLOCK = 16;
const FIRST_BLOCK = 4;

/** Block size stored in a header word (sizes can exceed 2^31, so no `& ~7`). */
function sizeOf(h: number): number {
  return h - (h & 7);
}

/** Size of the free block at `b`, for the free lists' fit scan. */
function freeSize(u32: Uint32Array, b: number): number {
  return sizeOf(u32[b >>> 2]!);
}

/**
 * A general-purpose allocator over one fixed `ArrayBuffer` (or
 * `SharedArrayBuffer`): blocks are allocated and freed one by one, freed
 * blocks are coalesced with their free neighbours and recycled. It implements
 * the same {@link Allocator} interface as {@link Bump}, so data structures such
 * as `@arenakit/hashmap` can be given either.
 *
 * When to use: long-lived structures that grow, shrink and replace their
 * parts (a hash map whose old tables should be returned when it grows, a
 * cache with churn), when you still want their memory to be a single buffer
 * the garbage collector does not trace. Use a {@link Bump} when everything
 * dies together: it is faster and frees in O(chunks).
 *
 * Cost: segregated free lists (exact 8-byte classes up to 1 KiB, then four
 * classes per power of two) with a bitmap of non-empty classes, so `alloc` and
 * `free` are O(1) apart from a short first-fit scan in large classes. Each
 * block carries a 4-byte header and is rounded up to 8 bytes (16 at least).
 *
 * Gotchas: the buffer has a fixed size (no growth; resizable buffers are much
 * slower to index on Node 20). Like `malloc`, a pointer used after `free` is
 * not detected by reads (only a second `free` of it is); `reset()` and
 * `release()` do make every earlier pointer stale, as in a {@link Bump}.
 *
 * @example
 * ```ts
 * import { FreeListAllocator } from "@arenakit/bump";
 * using heap = new FreeListAllocator({ size: 1 << 20 });
 * const a = heap.alloc(100);
 * heap.free(a, 100); // back on the free list
 * const b = heap.alloc(100); // reuses the same block
 * console.log(a === b, heap.usedBytes); // true 104
 * ```
 */
export class FreeListAllocator extends WritableMemory implements Allocator, Disposable {
  readonly shared: boolean;
  readonly canFree: boolean = true;

  private _buf: ArrayBuffer | SharedArrayBuffer;
  private _u32: Uint32Array;
  private _size: number;
  /** Start of the never-used tail ("wilderness"); the block before it is never free. */
  private _top = FIRST_BLOCK;
  private _peak = FIRST_BLOCK;
  private _used = 0;
  private _blocks = 0;
  /** Free blocks by size class (segregated lists, see bins.ts). */
  private readonly _bins = new FreeBins(freeSize);

  constructor(options: FreeListOptions = {}) {
    super();
    if (options === null || typeof options !== "object") {
      throw new InvalidArgumentError(`FreeListAllocator options must be an object, got ${String(options)}`);
    }
    const size = options.size ?? DEFAULT_SIZE;
    if (typeof size !== "number" || !Number.isInteger(size) || size < 64 || size > MAX_SIZE) {
      throw new InvalidArgumentError(`size must be an integer from 64 to ${MAX_SIZE} bytes, got ${describeValue(size)}`, "size");
    }
    this.shared = options.shared ?? false;
    if (typeof this.shared !== "boolean") {
      throw new InvalidArgumentError(`shared must be true or false, got ${describeValue(this.shared)}`, "shared");
    }
    if (this.shared && typeof SharedArrayBuffer === "undefined") {
      throw new InvalidArgumentError("shared: true needs SharedArrayBuffer, which this environment does not expose");
    }
    this._size = size - (size % 8);
    this._buf = this.shared ? new SharedArrayBuffer(this._size) : new ArrayBuffer(this._size);
    this._u32 = new Uint32Array(this._buf);
    this._u8[0] = new Uint8Array(this._buf);
    this._dv[0] = new DataView(this._buf);
    this._n = 1;
    this._floor[this._gen] = Infinity;
  }

  // ---------------------------------------------------------------- allocation

  alloc(size: number, align = 1): Ptr {
    const p = this.tryAlloc(size, align);
    if (p === undefined) {
      throw new AllocationLimitError(
        `cannot allocate ${size} bytes: no free block of the FreeListAllocator's ${this._size}-byte buffer fits ` +
          `(${this._used} bytes in use, ${this._size - this._top} never used)`,
        size,
        this._size,
      );
    }
    return p;
  }

  tryAlloc(size: number, align = 1): Ptr | undefined {
    if (
      typeof size !== "number" ||
      typeof align !== "number" ||
      size >>> 0 !== size ||
      align >>> 0 !== align ||
      align === 0 ||
      (align & (align - 1)) !== 0
    ) {
      throw badAlloc(size, align);
    }
    if (this._releasedWhy !== undefined) throw new ReleasedError("cannot allocate: the allocator was released");
    if (size > MAX_SIZE) return undefined;
    const bs = Math.max(MIN_BLOCK, Math.ceil((size + 4) / 8) * 8);
    const b = align <= 8 ? this._take(bs) : this._takeAligned(bs, align);
    if (b < 0) return undefined;
    return (this._highBase * OFFSET_SPAN + b + 4) as Ptr;
  }

  /**
   * Returns the block at `p` to the free list, merging it with free
   * neighbours. `size` must not exceed what was requested (it is checked
   * against the block).
   * @throws {@link InvalidPointerError} when `p` is not an allocated block (for example a second `free`).
   */
  free(p: Ptr, size: number): void {
    const c = this._slot(p);
    const o = p >>> 0;
    const b = o - 4;
    const u32 = this._u32;
    if (c !== 0 || (o & 7) !== 0 || b < FIRST_BLOCK || b >= this._top) {
      throw new InvalidPointerError(`free: ${p} is not the start of a block of this allocator`);
    }
    const h = u32[b >>> 2]!;
    if ((h & USED) === 0) throw new InvalidPointerError(`free: the block at ${p} is not allocated (double free?)`);
    const bs = sizeOf(h);
    if (bs < MIN_BLOCK || b + bs > this._top) {
      throw new InvalidPointerError(`free: ${p} is not the start of a block of this allocator`);
    }
    if (typeof size !== "number" || !(size >= 0) || size > bs - 4) {
      throw new InvalidArgumentError(`free: size ${String(size)} does not match the ${bs - 4}-byte block at ${p}`);
    }
    this._used -= bs;
    this._blocks--;
    let start = b;
    let total = bs;
    if ((h & PREV_USED) === 0) {
      const prevSize = u32[(b - 4) >>> 2]!;
      start = b - prevSize;
      this._bins.remove(u32, start, prevSize);
      total += prevSize;
    }
    const next = b + bs;
    if (next === this._top) {
      // SAFETY: the block before a free block is always used (free blocks are coalesced), so the new top keeps the invariant.
      this._top = start;
      return;
    }
    const nh = u32[next >>> 2]!;
    if ((nh & USED) === 0) {
      const nextSize = sizeOf(nh);
      this._bins.remove(u32, next, nextSize);
      total += nextSize;
    }
    this._makeFree(start, total);
  }

  allocStr(s: string): StrPtr {
    if (typeof s !== "string") throw new InvalidArgumentError(`allocStr expects a string, got ${typeof s}`);
    assertWellFormed(s);
    const len = utf8Length(s);
    const p = this.alloc(4 + len);
    const o = p >>> 0;
    this._dv[0]!.setUint32(o, len, true);
    encodeUtf8Into(s, this._u8[0]!, o + 4);
    return p as StrPtr;
  }

  allocBytes(bytes: Uint8Array): BytesPtr {
    if (!(bytes instanceof Uint8Array)) {
      throw new InvalidArgumentError(`allocBytes expects a Uint8Array, got ${describeValue(bytes)}`, "bytes");
    }
    if (bytes.length === 0 && bytes.buffer.byteLength === 0) {
      try {
        new Uint8Array(bytes.buffer);
      } catch {
        throw new InvalidArgumentError("allocBytes: the Uint8Array's buffer is detached (transferred or released)", "bytes");
      }
    }
    const p = this.alloc(4 + bytes.length);
    const o = p >>> 0;
    this._dv[0]!.setUint32(o, bytes.length, true);
    this._u8[0]!.set(bytes, o + 4);
    return p as BytesPtr;
  }


  // ------------------------------------------------------------ free lists

  /** Finds a block of at least `bs` bytes, marks it used and returns its offset, or -1. */
  private _take(bs: number): number {
    const u32 = this._u32;
    const b = this._bins.take(u32, bs);
    if (b >= 0) return this._use(b, sizeOf(u32[b >>> 2]!), bs);
    const top = this._top;
    if (top + bs > this._size) return -1;
    u32[top >>> 2] = bs | USED | PREV_USED;
    this._top = top + bs;
    if (this._top > this._peak) this._peak = this._top;
    this._used += bs;
    this._blocks++;
    return top;
  }

  /** Like {@link _take} for alignments above 8: the payload is aligned by splitting off a free lead block. */
  private _takeAligned(bs: number, align: number): number {
    const need = bs + align + MIN_BLOCK;
    const b = this._take(need);
    if (b < 0) return -1;
    const u32 = this._u32;
    const h = u32[b >>> 2]!;
    const size = sizeOf(h);
    let gap = Math.ceil((b + 4) / align) * align - (b + 4);
    while (gap !== 0 && gap < MIN_BLOCK) gap += align;
    let start = b;
    let rest = size;
    if (gap > 0) {
      // The lead block becomes free; the aligned block after it is used and its predecessor is free.
      u32[b >>> 2] = gap | (h & PREV_USED);
      u32[(b + gap) >>> 2] = (rest - gap) | USED;
      this._used -= gap;
      this._makeFree(b, gap);
      start = b + gap;
      rest -= gap;
      u32[start >>> 2] = rest | USED;
    }
    // Give back the tail beyond what was asked for.
    if (rest - bs >= MIN_BLOCK) {
      const tail = start + bs;
      u32[start >>> 2] = bs | USED | (u32[start >>> 2]! & PREV_USED);
      if (tail + (rest - bs) === this._top) {
        this._used -= rest - bs;
        this._top = tail;
      } else {
        u32[tail >>> 2] = (rest - bs) | USED | PREV_USED;
        this._blocks++;
        this.free((this._highBase * OFFSET_SPAN + tail + 4) as Ptr, 0);
      }
    }
    return start;
  }

  /** Marks the free block `b` of `size` bytes used for `bs` bytes, splitting off the rest when it can stand alone. */
  private _use(b: number, size: number, bs: number): number {
    const u32 = this._u32;
    // SAFETY: a free block's predecessor is always used, so PREV_USED is set.
    if (size - bs >= MIN_BLOCK) {
      u32[b >>> 2] = bs | USED | PREV_USED;
      this._makeFree(b + bs, size - bs);
      this._used += bs;
    } else {
      u32[b >>> 2] = size | USED | PREV_USED;
      const next = b + size;
      if (next < this._top) u32[next >>> 2] = u32[next >>> 2]! | PREV_USED;
      this._used += size;
    }
    this._blocks++;
    return b;
  }

  /** Writes a free block at `b` (its predecessor is used), links it into its bin and clears PREV_USED of its successor. */
  private _makeFree(b: number, size: number): void {
    const u32 = this._u32;
    u32[b >>> 2] = size | PREV_USED;
    u32[(b + size - 4) >>> 2] = size;
    const next = b + size;
    if (next < this._top) u32[next >>> 2] = u32[next >>> 2]! & ~PREV_USED;
    this._bins.push(u32, b, size);
  }

  // -------------------------------------------------------- reset and release

  /**
   * Frees every block at once (O(1) apart from clearing the bins). Every
   * earlier pointer becomes stale; raw views of a non-shared buffer are
   * detached, as with `Bump.reset()`.
   */
  reset(): void {
    if (this._releasedWhy !== undefined) throw new ReleasedError("cannot reset: the allocator was released");
    this._top = FIRST_BLOCK;
    this._used = 0;
    this._blocks = 0;
    this._bins.clear();
    const old = this._gen;
    this._floor[old] = 0;
    this._gen = old + 1 === GENERATIONS ? 1 : old + 1;
    this._setFloor(this._gen, Infinity);
    this._highBase = this._gen << CHUNK_BITS;
    this._peak = FIRST_BLOCK;
    if (this._buf instanceof ArrayBuffer) {
      // SAFETY: moving the memory to a new ArrayBuffer object detaches every old view, so stale views read as empty.
      this._buf = detach(this._buf);
      this._u32 = new Uint32Array(this._buf);
      this._u8[0] = new Uint8Array(this._buf);
      this._dv[0] = new DataView(this._buf);
    }
  }

  /** Gives the buffer back to the engine. The allocator cannot be used again; calling it twice is harmless. */
  release(): void {
    if (this._releasedWhy !== undefined) return;
    if (this._buf instanceof ArrayBuffer) detach(this._buf);
    this._releasedWhy = "released";
    this._n = 0;
    this._u8.length = 0;
    this._dv.length = 0;
    this._u32 = new Uint32Array(0);
    this._used = 0;
    this._blocks = 0;
  }

  /**
   * A small, postMessage-able description of the buffer for
   * `ArenaReader.attach` in a Worker (needs `shared: true`). Readers see the
   * current generation: do not reset or release the allocator while they read.
   */
  share(): ArenaDescriptor {
    if (this._releasedWhy !== undefined) throw new ReleasedError("cannot share: the allocator was released");
    if (!this.shared) throw new InvalidArgumentError("share() needs an allocator created with { shared: true }");
    return Object.freeze({
      kind: "arenakit.arena" as const,
      buffers: Object.freeze([this._buf as SharedArrayBuffer]),
      generation: this._gen,
    });
  }

  /** Same as {@link FreeListAllocator.release}. */
  [Symbol.dispose](): void {
    this.release();
  }

  // -------------------------------------------------------------- inspection

  /** Size of the buffer in bytes (what the allocator took from the engine). */
  get allocatedBytes(): number {
    return this._releasedWhy === undefined ? this._size : 0;
  }

  /** Bytes in live blocks, headers and rounding included. */
  get usedBytes(): number {
    return this._used;
  }

  /** Bytes available for allocation: free blocks plus the never-used tail (possibly fragmented). */
  get freeBytes(): number {
    return this._releasedWhy === undefined ? this._size - this._used - FIRST_BLOCK : 0;
  }

  /** High-water mark: the furthest the allocator has reached into its buffer since the last reset. */
  get peakBytes(): number {
    return this._peak;
  }

  /** Number of live blocks. */
  get blockCount(): number {
    return this._blocks;
  }

  /** Whether {@link FreeListAllocator.release} was called. */
  get released(): boolean {
    return this._releasedWhy !== undefined;
  }
}

/** Exact UTF-8 length of a well-formed string. */
function utf8Length(s: string): number {
  let len = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80) {
      if (c < 0x800) len += 1;
      else if (c >= 0xd800 && c <= 0xdbff) {
        len += 2; // the pair's two units count 2; the code point takes 4 bytes
        i++;
      } else len += 2;
    }
  }
  return len;
}

function badAlloc(size: unknown, align: unknown): InvalidArgumentError {
  if (typeof size !== "number" || !Number.isInteger(size) || size < 0) {
    return new InvalidArgumentError(`allocation size must be a whole number of bytes >= 0, got ${describeValue(size)}`, "size");
  }
  if (size > 0xffffffff) return new InvalidArgumentError(`allocation size ${size} is over 4 GiB`, "size");
  return new InvalidArgumentError(`alignment must be a power of two from 1 to 2^31, got ${describeValue(align)}`, "align");
}
