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
// #endregion explicit
