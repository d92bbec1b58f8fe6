// Isolated workload of the compact-arena memory / GC case: a complete binary
// tree of N nodes held as JS objects or in a compact arena of each layout, and
// a variant that holds nothing, whose GC figure is the process's own floor.
// Runs alone in a child process started with --expose-gc.
import { inArena, type Layout } from "@arenakit/compact-arena";
import type { Built } from "../api.ts";
import { Tree, arenaTree, levelsOf, objectSum, objectTree } from "./compact-arena-trees.ts";

const LAYOUTS: Record<string, Layout> = {
  "arena, contiguous": "contiguous",
  "arena, segmented": "segmented",
  "arena, resizable": "resizable",
};

// Run every variant once on a small tree before measuring, so that compiled
// code and type feedback (which the heap figure would otherwise count) exist beforehand.
for (const layout of Object.values(LAYOUTS)) inArena({ kind: "small", layout }, Tree, (arena) => arenaTree(arena, 12) >>> 0);
objectSum(objectTree(12));

export function build(variant: string, records: number): Built {
  const levels = levelsOf(records);
  if (variant === "objects") return { hold: objectTree(levels) };
  // The floor: a full GC of this process with no tree at all (Node, the loader, this code).
  if (variant === "nothing held") return { hold: null };
  const layout = LAYOUTS[variant];
  if (layout === undefined) throw new Error(`unknown variant ${variant}`);
  // The arena must outlive build(): the scope stays open on a promise that never
  // settles, and `held` (typed unknown, so it carries no brand) keeps it reachable.
  let held: unknown;
  let bytes = 0;
  void inArena({ kind: "small", layout }, Tree, (arena) => {
    arenaTree(arena, levels);
    held = arena;
    bytes = arena.byteLength;
    return new Promise<never>(() => {});
  });
  return { hold: held, arenaBytes: bytes };
}
