// The arena the cache's entries live in: one region of a buffer, carved into
// blocks whose first word is the entry's own header (meta.ts). Because the
// cache always knows an entry's key and value lengths, a used block needs no
// allocator header of its own: its size is blockBytes(entry size). That saves
// the 4-byte block header of a general allocator and, for the common 4-byte
// entry header, the rounding it causes (84 payload bytes: 88 here, 96 there).
//
// Block format (boundary tags, all blocks at offsets ≡ 0 mod 8, sizes multiples of 8):
//   used:  the entry header; bit 29 (PREV_FREE) says the block before it is free.
//   free:  u32 FREE_TAG | size / 8 at b, u32 size at b + size - 4 (footer);
//          free blocks of 16 bytes or more are on bump's segregated free lists (FreeBins: the same classes
//          and links as FreeListAllocator's); 8-byte free blocks sit outside every list until a neighbour
//          is freed and merges them.
// FREE_TAG (TTL set, LONG clear) is a combination no entry header uses. With
// coalescing on, no two free blocks are neighbours: a freed block merges with
// both. Below `top` every byte belongs to a block; above it is untouched.
import { FreeBins } from "@arenakit/bump/internal";
import { PREV_FREE, blockBytes, entryBlockBytes } from "./meta.js";

const FREE_TAG = 0x80000000;
const SIZE_MASK = 0x1fffffff;

/** Size in bytes of the free block at `b` (its first word is FREE_TAG | size / 8). */
function freeSize(u32: Uint32Array, b: number): number {
  return (u32[b >>> 2]! & SIZE_MASK) * 8;
}

/** Whether the word `w` heads a free block. */
export function isFreeWord(w: number): boolean {
  return w >>> 30 === 2; // TTL_FLAG set, LONG_FLAG clear
}

/**
 * Segregated free lists over a region of a buffer, for cache entries whose
 * header tells their size. `coalesce: false` turns it into plain size classes
 * (a freed block keeps its size for good), kept to measure that choice.
 * @internal
 */
export class EntryHeap {
  private _u32: Uint32Array;
  private readonly _start: number;
  private readonly _end: number;
  private readonly _coalesce: boolean;
  private _top: number;
  private _used = 0;
  private _free8 = 0;
  private readonly _bins = new FreeBins(freeSize);

  /** The region is `[start, end)` of the buffer `u32` views (both multiples of 8, start > 0). */
  constructor(u32: Uint32Array, start: number, end: number, coalesce: boolean) {
    this._u32 = u32;
    this._start = start;
    this._end = end;
    this._top = start;
    this._coalesce = coalesce;
  }

  /** Bytes in used blocks. */
  get usedBytes(): number {
    return this._used;
  }

  /** Bytes of the region not in used blocks (free blocks and the untouched tail). */
  get freeBytes(): number {
    return this._end - this._start - this._used;
  }

  /** Bytes of the region entries have reached (its high-water mark). */
  get reachedBytes(): number {
    return this._top - this._start;
  }

  /** End of the touched part of the region (an offset in the buffer). */
  get top(): number {
    return this._top;
  }

  /** The largest block the empty region can give. */
  get capacity(): number {
    return this._end - this._start;
  }

  /** Forgets every block (the caller owns the memory and its views). */
  reset(u32: Uint32Array): void {
    this._u32 = u32;
    this._top = this._start;
    this._used = 0;
    this._free8 = 0;
    this._bins.clear();
  }

  /**
   * Offset of a new block of `bs` bytes (a multiple of 8, at least 16) whose
   * predecessor flag is already right, or -1 when no free block fits. The
   * caller writes the entry header, keeping {@link PREV_FREE} as found.
   */
  alloc(bs: number): number {
    const u32 = this._u32;
    const b = this._bins.take(u32, bs);
    if (b >= 0) return this._use(b, freeSize(u32, b), bs);
    const top = this._top;
    if (top + bs > this._end) return -1;
    u32[top >>> 2] = 0; // a used block whose predecessor is used (the block before top never is free)
    this._top = top + bs;
    this._used += bs;
    return top;
  }

  /** Frees the used block at `b` of `bs` bytes, merging it with free neighbours. */
  free(b: number, bs: number): void {
    const u32 = this._u32;
    this._used -= bs;
    if (this._used === 0) {
      // SAFETY: the last block is gone, so the whole region is free again; starting over keeps "an empty
      // heap fits any block up to its capacity" true even without coalescing.
      this.reset(u32);
      return;
    }
    let start = b;
    let size = bs;
    if (this._coalesce) {
      const next = b + bs;
      if (next === this._top) {
        // The tail: give the block back to the untouched region (with a free predecessor too).
        this._top = b;
        if ((u32[b >>> 2]! & PREV_FREE) !== 0) {
          const psize = u32[(b - 4) >>> 2]!;
          this._forget(b - psize, psize);
          this._top = b - psize;
        }
        return;
      }
      const nw = u32[next >>> 2]!;
      if (isFreeWord(nw)) {
        const nsize = (nw & SIZE_MASK) * 8;
        this._forget(next, nsize);
        size += nsize;
      }
      if ((u32[b >>> 2]! & PREV_FREE) !== 0) {
        const psize = u32[(b - 4) >>> 2]!;
        start = b - psize;
        this._forget(start, psize);
        size += psize;
      }
    }
    this._makeFree(start, size);
  }

  /** Marks the free block `b` of `size` bytes used for `bs` bytes; the rest stays free after it. */
  private _use(b: number, size: number, bs: number): number {
    const u32 = this._u32;
    // SAFETY: a free block's predecessor is used (coalescing keeps no two free blocks adjacent),
    // so the new block's PREV_FREE is clear. Without coalescing it may be free; the flag is never read then.
    u32[b >>> 2] = 0;
    if (size > bs && b + size === this._top && this._coalesce) {
      // SAFETY: the block before top is never free (a new block at top starts with PREV_FREE clear), so
      // the rest of the last block goes back to the untouched region instead of becoming a free block.
      this._top = b + bs;
    } else if (size > bs) {
      this._makeFree(b + bs, size - bs);
    } else {
      const next = b + size;
      if (next < this._top) u32[next >>> 2] = u32[next >>> 2]! & ~PREV_FREE;
    }
    this._used += bs;
    return b;
  }

  /** Writes a free block at `b`, links it into its bin and sets PREV_FREE on its successor. */
  private _makeFree(b: number, size: number): void {
    const u32 = this._u32;
    u32[b >>> 2] = (FREE_TAG | (size >>> 3)) >>> 0;
    u32[(b + size - 4) >>> 2] = size;
    const next = b + size;
    if (next < this._top) u32[next >>> 2] = (u32[next >>> 2]! | PREV_FREE) >>> 0;
    if (size < 16) this._free8++;
    else this._bins.push(u32, b, size);
  }

  /** Takes the free block `b` out of its bin (if it has one) before it merges into a neighbour. */
  private _forget(b: number, size: number): void {
    if (size < 16) this._free8--;
    else this._bins.remove(this._u32, b, size);
  }

  /**
   * Walks the region in address order and checks the block invariants (sizes
   * add up, free blocks carry their footer, no two free neighbours when
   * coalescing, PREV_FREE matches); for tests. Returns the used bytes seen.
   */
  check(sizeOfUsed: (b: number) => number): number {
    const u32 = this._u32;
    let used = 0;
    let prevFree = false;
    for (let b = this._start; b < this._top; ) {
      const w = u32[b >>> 2]!;
      let size: number;
      if (isFreeWord(w)) {
        size = freeSize(u32, b);
        if (size < 8 || u32[(b + size - 4) >>> 2] !== size) throw new Error(`free block at ${b}: bad size or footer`);
        if (this._coalesce && prevFree) throw new Error(`free blocks at ${b} and before it were not merged`);
        prevFree = true;
      } else {
        size = sizeOfUsed(b);
        if (this._coalesce && ((w & PREV_FREE) !== 0) !== prevFree) throw new Error(`used block at ${b}: PREV_FREE is wrong`);
        used += size;
        prevFree = false;
      }
      if (size <= 0 || b + size > this._top) throw new Error(`block at ${b} runs past the top`);
      b += size;
    }
    if (used !== this._used) throw new Error(`used bytes ${used}, counted ${this._used}`);
    if (this._coalesce && prevFree) throw new Error("a free block ends the touched region");
    return used;
  }
}

export { blockBytes, entryBlockBytes };
