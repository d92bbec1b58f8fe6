// The cache's hash table: open addressing with linear probing over a Uint32Array
// of any size (the home bucket scales the hash's top 24 bits, so the size need
// not be a power of two). A word is 0 (empty) or tag << 24 | slot + 1, the tag
// being the hash's low 8 bits; `hash[slot]` keeps each entry's full hash.
import { SLOT_MASK, homeOf } from "./meta.js";

/** Puts slot `i` with hash `h` in the first empty word from its home. The table must have one. */
export function tableInsert(table: Uint32Array, size: number, h: number, i: number): void {
  let b = homeOf(h, size);
  while (table[b] !== 0) if (++b === size) b = 0;
  table[b] = (((h & 0xff) << 24) | (i + 1)) >>> 0;
}

/**
 * Removes slot `i` by backward-shift deletion: the entries after it in its
 * cluster move back into the hole when their home allows, so the table never
 * holds tombstones (a cache under constant churn would otherwise fill with them).
 */
export function tableDelete(table: Uint32Array, hash: Uint32Array, size: number, i: number): void {
  let b = homeOf(hash[i]!, size);
  const want = i + 1;
  while ((table[b]! & SLOT_MASK) !== want) if (++b === size) b = 0;
  let j = b;
  for (;;) {
    if (++j === size) j = 0;
    const e = table[j]!;
    if (e === 0) break;
    const home = homeOf(hash[(e & SLOT_MASK) - 1]!, size);
    // The entry at j may move to the hole at b unless its home lies cyclically in (b, j].
    if (b <= j ? home <= b || home > j : home <= b && home > j) {
      table[b] = e;
      b = j;
    }
  }
  table[b] = 0;
}
