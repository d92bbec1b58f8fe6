// The explicit-allocator idea from Zig: code that allocates takes an
// allocator argument, so the caller decides where memory comes from.

// #region explicit
import { Bump, type Allocator, type StrPtr } from "@arenakit/bump";

/** Copies a batch of names into whatever allocator the caller passes. */
export function internAll(alloc: Allocator, names: readonly string[]): StrPtr[] {
  return names.map((n) => alloc.allocStr(n));
}

export function perBatch(batches: readonly (readonly string[])[]): number[] {
  const arena = new Bump();
  const sizes: number[] = [];
  for (const batch of batches) {
    const ptrs = internAll(arena, batch); // the batch's memory comes from one arena
    sizes.push(ptrs.reduce((n, p) => n + arena.strByteLength(p), 0));
    arena.reset(); // and goes away at once, however many names it held
  }
  return sizes;
}

export function twoBatches(): number[] {
  // the UTF-8 bytes of each batch's names
  return perBatch([["a", "bb"], ["ccc"]]); // → [3, 3]
}
// #endregion explicit

// #region freeing
import { FreeListAllocator } from "@arenakit/bump";

/** The same function, given an allocator that can free single blocks. */
export function freeOneByOne(
  names: readonly string[],
): { used: number; afterFree: number } {
  // one buffer, blocks freed and merged
  const heap = new FreeListAllocator({ size: 1 << 20 });
  const ptrs = internAll(heap, names);
  const used = heap.usedBytes;
  // give each string back
  for (const p of ptrs) heap.free(p, 4 + heap.strByteLength(p));
  return { used, afterFree: heap.usedBytes };
}

export function threeNames(): { used: number; afterFree: number } {
  // a block per name: a 4-byte header, the 4-byte length, the bytes; 16 bytes here
  return freeOneByOne(["alpha", "beta", "gamma"]); // → { used: 48, afterFree: 0 }
}
// #endregion freeing
