// Segregated free lists with a bitmap of the non-empty ones: the part of a
// free-list allocator that does not depend on its block format, shared by
// FreeListAllocator (freelist.ts) and the entry arena of `@arenakit/lru`.
//
// Classes: exact 8-byte classes from 16 bytes to 1 KiB, then four classes per
// power of two (as in TLSF). A list is threaded through its free blocks:
// u32 next at b + 4, u32 prev at b + 8, 0 ending a list, so a listed block has
// 16 bytes or more and no block starts at offset 0. The allocator writes its
// own headers and footers; the one thing the lists read from them is a free
// block's size, through the hook given to the constructor, and only while
// scanning a large class for a fit.

/** Null link: offset 0 never starts a block. */
const NIL = 0;
const SMALL_LIMIT = 1024;
const SMALL_BINS = SMALL_LIMIT / 8 - 1; // sizes 16..1024 → bins 0..126
const NUM_BINS = SMALL_BINS + (32 - 10) * 4;
/** How many blocks of a large class are examined for a fit before moving to a larger class. */
const FIT_SCAN = 8;

/** The class of a free block of `size` bytes (a multiple of 8, at least 16). */
function binOf(size: number): number {
  if (size <= SMALL_LIMIT) return (size >>> 3) - 2;
  const fl = 31 - Math.clz32(size);
  return SMALL_BINS + (fl - 10) * 4 + ((size >>> (fl - 2)) & 3);
}

/**
 * The free lists of an allocator whose blocks live in one buffer (viewed as
 * `u32` by every call), for allocators that keep their own block format.
 *
 * Cost: `push`, `remove` and `take` are O(1) apart from a scan of at most 8
 * blocks of a large class (over 1 KiB) and a walk over at most 7 bitmap words.
 * Gotcha: the lists live in the blocks; a block must be removed before its
 * bytes are written as anything else.
 *
 * @example
 * ```ts
 * import { FreeBins } from "@arenakit/bump/internal";
 * const u32 = new Uint32Array(1024);
 * const bins = new FreeBins((u32, b) => u32[b >>> 2]!); // this format keeps a free block's size in its first word
 * u32[64 >>> 2] = 48;
 * bins.push(u32, 64, 48);
 * bins.take(u32, 40); // 64: a free block of at least 40 bytes, now out of its list
 * ```
 */
export class FreeBins {
  private readonly _heads = new Uint32Array(NUM_BINS);
  private readonly _bitmap = new Uint32Array(Math.ceil(NUM_BINS / 32));

  /** `sizeOfFree(u32, b)` reads the size in bytes of the free block at byte offset `b` from the allocator's own header. */
  constructor(private readonly _sizeOfFree: (u32: Uint32Array, b: number) => number) {}

  /**
   * Takes a free block of at least `bs` bytes out of its list and returns its
   * offset, or -1 when no listed block is large enough. Its size is whatever
   * the allocator's header says; splitting it is the allocator's business.
   */
  take(u32: Uint32Array, bs: number): number {
    let bin = binOf(bs);
    if (bs > SMALL_LIMIT) {
      // A large class holds sizes in a range: look for a fit among its first blocks.
      let b = this._heads[bin]!;
      for (let i = 0; b !== NIL && i < FIT_SCAN; i++) {
        const size = this._sizeOfFree(u32, b);
        if (size >= bs) {
          this.remove(u32, b, size);
          return b;
        }
        b = u32[(b + 4) >>> 2]!;
      }
      bin++;
    }
    const found = this._firstFrom(bin);
    if (found < 0) return -1;
    const b = this._heads[found]!;
    this._unlink(u32, b, found);
    return b;
  }

  /** Adds the free block at `b` of `size` bytes (16 or more) to its list; its words at b + 4 and b + 8 become links. */
  push(u32: Uint32Array, b: number, size: number): void {
    const bin = binOf(size);
    const head = this._heads[bin]!;
    u32[(b + 4) >>> 2] = head;
    u32[(b + 8) >>> 2] = NIL;
    if (head !== NIL) u32[(head + 8) >>> 2] = b;
    this._heads[bin] = b;
    this._bitmap[bin >>> 5] = this._bitmap[bin >>> 5]! | (1 << (bin & 31));
  }

  /** Takes the listed free block at `b` of `size` bytes out of its list (before it merges or is used). */
  remove(u32: Uint32Array, b: number, size: number): void {
    this._unlink(u32, b, binOf(size));
  }

  /** Empties every list (the allocator starts over). */
  clear(): void {
    this._heads.fill(NIL);
    this._bitmap.fill(0);
  }

  private _unlink(u32: Uint32Array, b: number, bin: number): void {
    const next = u32[(b + 4) >>> 2]!;
    const prev = u32[(b + 8) >>> 2]!;
    if (prev !== NIL) u32[(prev + 4) >>> 2] = next;
    else this._heads[bin] = next;
    if (next !== NIL) u32[(next + 8) >>> 2] = prev;
    if (this._heads[bin] === NIL) this._bitmap[bin >>> 5] = this._bitmap[bin >>> 5]! & ~(1 << (bin & 31));
  }

  /** The first non-empty class from `bin` up, or -1. */
  private _firstFrom(bin: number): number {
    const words = this._bitmap.length;
    let w = bin >>> 5;
    if (w >= words) return -1;
    let bits = this._bitmap[w]! & (-1 << (bin & 31));
    for (;;) {
      if (bits !== 0) return (w << 5) + (31 - Math.clz32(bits & -bits));
      if (++w >= words) return -1;
      bits = this._bitmap[w]!;
    }
  }
}
