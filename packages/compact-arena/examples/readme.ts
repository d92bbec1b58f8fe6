// The first example of the package README (README.md shows the region below
// verbatim; test/readme.test.ts runs this file and checks what it prints).
// #region example
import { CapacityError, inArena } from "@arenakit/compact-arena";

// A binary tree: children are indices into the same arena
// (u8 indices in a "nano" arena).
const Node = { left: "idx", right: "idx", value: "u32" } as const;

const total = inArena("nano", Node, (arena) => {
  const a = arena.add({ left: null, right: null, value: 1 });
  const b = arena.add({ left: null, right: null, value: 2 });
  // An Idx branded to this arena only:
  const root = arena.add({ left: a, right: b, value: 3 });
  const left = arena.get(root, "left")!;
  return arena.get(root, "value") + arena.get(left, "value");
}); // the arena is released here; its indices cannot escape (their type names it)
console.log(total); // → 4

const full = inArena("nano", { v: "u8" }, (arena) => {
  // A nano arena holds 256 records:
  while (!(arena.tryAdd({ v: 0 }) instanceof CapacityError));
  return arena.length;
});
console.log(full); // → 256
// #endregion example
