// The article's tree example, which Rust rejects with invariant lifetimes
// ("the lifetime cannot be stored in the arena") and which works here: the
// brand is a type parameter, so indices are ordinary values that records of
// the same arena can hold.
import { inArena, type Arena, type ArenaView, type Idx } from "@arenakit/compact-arena";

// #region schema
/** A binary tree node: two optional children, stored as indices of the same arena. */
export const Tree = { left: "idx", right: "idx", value: "u32" } as const;
// #endregion schema

// #region top-down
/**
 * Builds a complete tree of `depth` levels, children first (the article's build_tree).
 */
export function topDown<B extends symbol>(
  arena: Arena<B, typeof Tree>,
  depth: number,
): Idx<B> {
  if (depth <= 1) return arena.add({ left: null, right: null, value: 1 });
  const left = topDown(arena, depth - 1);
  const right = topDown(arena, depth - 1);
  return arena.add({ left, right, value: depth });
}
// #endregion top-down

// #region bottom-up
/** The same tree, parent first: add the node, then point it at its children. */
export function bottomUp<B extends symbol>(
  arena: Arena<B, typeof Tree>,
  depth: number,
): Idx<B> {
  const node = arena.add({ left: null, right: null, value: depth });
  if (depth > 1) {
    arena.set(node, "left", bottomUp(arena, depth - 1));
    arena.set(node, "right", bottomUp(arena, depth - 1));
  }
  return node;
}
// #endregion bottom-up

// #region count
/**
 * Counts the nodes under `root`; any view of the arena will do (an owner or a Worker's
 * view).
 */
export function count<B extends symbol>(
  arena: ArenaView<B, typeof Tree>,
  root: Idx<B>,
): number {
  const left = arena.get(root, "left");
  const right = arena.get(root, "right");
  const l = left === null ? 0 : count(arena, left);
  const r = right === null ? 0 : count(arena, right);
  return 1 + l + r;
}
// #endregion count

// #region run
/** Builds both trees in one arena and counts them; only numbers leave the scope. */
type Builds = { topDown: number; bottomUp: number; records: number };

export function compareBuilds(depth: number): Builds {
  return inArena("small", Tree, (arena) => {
    const a = topDown(arena, depth);
    const b = bottomUp(arena, depth);
    return {
      topDown: count(arena, a),
      bottomUp: count(arena, b),
      records: arena.length,
    };
  });
}

export function depthThree(): Builds {
  return compareBuilds(3); // → { topDown: 7, bottomUp: 7, records: 14 }
}
// #endregion run
