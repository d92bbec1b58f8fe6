// Trees shared by the compact-arena benchmark cases: the same complete binary
// tree as plain JS objects and as records of a compact arena, built in the same
// order (children before parents, as the article's build_tree) and walked the
// same way (recursive depth-first sum of the node values).
import type { Arena, ArenaView, Idx } from "@arenakit/compact-arena";

/** The arena's node: two child indices (u32 in a small arena) and the node's level. */
export const Tree = { left: "idx", right: "idx", value: "u32" } as const;

/** The object tree's node, as most JavaScript code would write it. */
export interface ObjNode {
  left: ObjNode | null;
  right: ObjNode | null;
  value: number;
}

/** Nodes of a complete tree of `levels` levels. */
export function nodesOf(levels: number): number {
  return 2 ** levels - 1;
}

/** Levels of a complete tree of `nodes` nodes (throws unless nodes = 2^k - 1). */
export function levelsOf(nodes: number): number {
  const levels = Math.log2(nodes + 1);
  if (!Number.isInteger(levels)) throw new Error(`${nodes} is not the size of a complete binary tree (2^k - 1)`);
  return levels;
}

export function objectTree(levels: number): ObjNode {
  if (levels <= 1) return { left: null, right: null, value: 1 };
  const left = objectTree(levels - 1);
  const right = objectTree(levels - 1);
  return { left, right, value: levels };
}

export function arenaTree<B extends symbol>(arena: Arena<B, typeof Tree>, levels: number): Idx<B> {
  if (levels <= 1) return arena.add({ left: null, right: null, value: 1 });
  const left = arenaTree(arena, levels - 1);
  const right = arenaTree(arena, levels - 1);
  return arena.add({ left, right, value: levels });
}

export function objectSum(n: ObjNode): number {
  return n.value + (n.left === null ? 0 : objectSum(n.left)) + (n.right === null ? 0 : objectSum(n.right));
}

/** The same walk over the raw columns (`none` is the raw null index). */
export function columnSum(left: Uint32Array, right: Uint32Array, value: Uint32Array, i: number, none: number): number {
  const l = left[i]!;
  const r = right[i]!;
  return value[i]! + (l === none ? 0 : columnSum(left, right, value, l, none)) + (r === none ? 0 : columnSum(left, right, value, r, none));
}

/** Depth-first sum with an explicit stack instead of recursion (a stack deep enough for the tree). */
export function objectStackSum(root: ObjNode, stack: (ObjNode | null)[]): number {
  let sp = 0;
  let sum = 0;
  stack[sp++] = root;
  while (sp > 0) {
    const n = stack[--sp]!;
    sum += n.value;
    if (n.left !== null) stack[sp++] = n.left;
    if (n.right !== null) stack[sp++] = n.right;
  }
  return sum;
}

/** The same explicit-stack walk over the raw columns. */
export function columnStackSum(left: Uint32Array, right: Uint32Array, value: Uint32Array, root: number, none: number, stack: Uint32Array): number {
  let sp = 0;
  let sum = 0;
  stack[sp++] = root;
  while (sp > 0) {
    const i = stack[--sp]!;
    sum += value[i]!;
    const l = left[i]!;
    if (l !== none) stack[sp++] = l;
    const r = right[i]!;
    if (r !== none) stack[sp++] = r;
  }
  return sum;
}

/** The same walk through the checked API (any layout). */
export function getSum<B extends symbol>(arena: ArenaView<B, typeof Tree>, i: Idx<B>): number {
  const l = arena.get(i, "left");
  const r = arena.get(i, "right");
  return arena.get(i, "value") + (l === null ? 0 : getSum(arena, l)) + (r === null ? 0 : getSum(arena, r));
}
