// Examples shown in the "The bump arena" chapter. Each region is imported by
// the docs and each function is run by test/examples.test.ts.

// #region alloc
import {
  AllocationLimitError,
  Bump,
  ptrOffset,
  StalePointerError,
} from "@arenakit/bump";

export function allocate(): { offset: number; value: number; used: number } {
  const bump = new Bump(); // no memory is taken until the first allocation
  // 16 bytes, 8-byte aligned: a Ptr, which is a plain number
  const p = bump.alloc(16, 8);
  bump.writeU32(p, 0xc0ffee); // typed access through the pointer
  return { offset: ptrOffset(p), value: bump.readU32(p), used: bump.usedBytes };
  // → { offset: 0, value: 0xc0ffee, used: 16 }
}
// #endregion alloc

// #region strings
export function stringsAndBytes(): { id: string; data: number[]; bytes: number } {
  const bump = new Bump();
  const id = bump.allocStr("acct-sparky"); // UTF-8, length-prefixed: a StrPtr
  const data = bump.allocBytes(new Uint8Array([0, 3, 6, 9, 12])); // a copy: a BytesPtr
  const view = bump.bytes(data); // zero-copy Uint8Array over the arena
  view[0] = 1; // writes go straight to arena memory
  return {
    id: bump.readStr(id),
    data: Array.from(bump.bytes(data)),
    bytes: bump.usedBytes,
  };
  // → { id: "acct-sparky", data: [1, 3, 6, 9, 12], bytes: 24 }
}
// #endregion strings

// #region reset
export function resetMakesPointersStale(): { before: string; error: string } {
  const bump = new Bump();
  const old = bump.allocStr("slot 41");
  const before = bump.readStr(old);
  bump.reset(); // O(chunks): frees everything at once, keeps the largest chunk
  bump.allocStr("slot 42"); // reuses the same bytes
  try {
    bump.readStr(old);
    return { before, error: "none" };
  } catch (err) {
    // The pointer carries the generation it was allocated in: stale, not garbage.
    return { before, error: err instanceof StalePointerError ? err.code : String(err) };
    // → { before: "slot 41", error: "ERR_ARENA_STALE_POINTER" }
  }
}
// #endregion reset

// #region limit
export function allocationLimit(): { stored: number; refused: string } {
  const bump = new Bump({ allocationLimit: 64 * 1024, initialChunkSize: 16 * 1024 });
  let stored = 0;
  // tryAlloc: undefined instead of a throw
  while (bump.tryAlloc(1024) !== undefined) stored++;
  try {
    bump.alloc(1024);
    return { stored, refused: "no" };
  } catch (err) {
    const refused = err instanceof AllocationLimitError ? err.code : String(err);
    return { stored, refused };
  }
}
// #endregion limit

// #region checkpoint
export function scratchPerItem(items: readonly string[]): number {
  const bump = new Bump();
  let total = 0;
  for (const item of items) {
    // Everything allocated inside scope() is rewound when it returns.
    total += bump.scope((scratch) => {
      const p = scratch.allocStr(item.toUpperCase());
      return scratch.strByteLength(p);
    });
  }
  return total + bump.usedBytes; // usedBytes is back to 0
}
// #endregion checkpoint

// #region using
export function scoped(): boolean {
  let arena: Bump;
  {
    using bump = new Bump(); // released at the end of the block, even on a throw
    bump.allocStr("temporary");
    arena = bump;
  }
  return arena.released; // → true
}
// #endregion using
