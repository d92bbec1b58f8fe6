// Code shown in the "Arenas vs. indices" chapter.
import { CapacityError, capacityOf, inArena, type Idx } from "@arenakit/compact-arena";
import { Tree, topDown } from "./tree.ts";

// #region object-tree
/**
 * The tree most JavaScript code would write: one object per node, children by
 * reference.
 */
interface TreeNode {
  left: TreeNode | null;
  right: TreeNode | null;
  value: number;
}

export function objectTree(depth: number): TreeNode {
  if (depth <= 1) return { left: null, right: null, value: 1 };
  return { left: objectTree(depth - 1), right: objectTree(depth - 1), value: depth };
}

export function objectSum(node: TreeNode): number {
  const left = node.left === null ? 0 : objectSum(node.left);
  const right = node.right === null ? 0 : objectSum(node.right);
  return node.value + left + right;
}
// #endregion object-tree

// #region kinds
/** How many records each kind can hold, for a schema with and without index fields. */
export function capacities(): Record<string, [number, number]> {
  // With index fields, one index value is kept for `null`.
  return {
    nano: [capacityOf("nano", { v: "u32" }), capacityOf("nano", Tree)],
    tiny: [capacityOf("tiny", { v: "u32" }), capacityOf("tiny", Tree)],
    small: [capacityOf("small", { v: "u32" }), capacityOf("small", Tree)],
  };
  // → { nano: [256, 255], tiny: [65536, 65535],
  //     small: [4294967295, 4294967295] }
}

/**
 * Bytes per node of the same 127-node tree in each kind: indices shrink with the kind.
 */
export function bytesPerNode(): Record<string, number> {
  const slots = 128; // records the columns hold before growing
  const sizes: Record<string, number> = {};
  for (const kind of ["nano", "tiny", "small"] as const) {
    sizes[kind] = inArena({ kind, initialCapacity: slots }, Tree, (arena) => {
      topDown(arena, 7); // 127 nodes
      return arena.byteLength / slots;
    });
  }
  return sizes; // → { nano: 6, tiny: 8, small: 12 }
}
// #endregion kinds

// #region try-add
/** Fills a nano arena: tryAdd returns the capacity error instead of throwing. */
export function fillNano(): { stored: number; error: string } {
  return inArena("nano", { v: "u8" }, (arena) => {
    for (let i = 0; ; i++) {
      const r = arena.tryAdd({ v: i & 255 });
      if (r instanceof CapacityError) return { stored: arena.length, error: r.message };
    }
  });
  // → { stored: 256,
  //     error: "the nano arena is full: it holds 256 records (8-bit indices)" }
}
// #endregion try-add

// #region columns
/**
 * Sums a tree through its raw columns: the hot-loop form, three typed arrays and no
 * objects.
 */
export function columnSum(depth: number): number {
  return inArena("small", Tree, (arena) => {
    const root = topDown(arena, depth);
    const left = arena.column("left");
    const right = arena.column("right");
    const value = arena.column("value");
    const none = arena.none; // the raw value of a null index
    const stack = [root as number];
    let sum = 0;
    while (stack.length > 0) {
      const i = stack.pop()!;
      sum += value[i]!;
      if (left[i] !== none) stack.push(left[i]!);
      if (right[i] !== none) stack.push(right[i]!);
    }
    return sum;
  });
}
// #endregion columns

// #region cursor
/** Walks down the leftmost path with one cursor: no object per step. */
export function leftmostDepth(depth: number): number {
  return inArena("tiny", Tree, (arena) => {
    const cursor = arena.cursor(topDown(arena, depth));
    let levels = 1;
    let next: Idx<typeof arena.brand> | null = cursor.left;
    for (; next !== null; next = cursor.left) {
      cursor.at(next);
      levels++;
    }
    return levels;
  });
}
// #endregion cursor
