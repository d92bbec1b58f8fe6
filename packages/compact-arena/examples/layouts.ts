// Code shown in the "Other memory layouts" chapter.
import {
  ArenaPool,
  inArena,
  inRecycledArena,
  segmentOf,
  segmentOffset,
} from "@arenakit/compact-arena";
import { Tree, topDown } from "./tree.ts";

// #region choose
/** The same tree in each layout: the API is the same, the memory behind it is not. */
export function sameTreeEachLayout(): Record<string, number> {
  const out: Record<string, number> = {};
  for (const layout of ["contiguous", "segmented", "resizable"] as const) {
    out[layout] = inArena({ kind: "small", layout }, Tree, (arena) => {
      topDown(arena, 12); // 4095 nodes
      return arena.byteLength;
    });
  }
  return out; // → { contiguous: 49152, segmented: 49152, resizable: 49152 }
}
// #endregion choose

// #region locate
/**
 * Where index i lives when segments hold 2^b, 2^b, 2^(b+1), 2^(b+2)… records:
 * segment s ≥ 1 starts at 2^(b+s-1), so s is the position of i's top bit above b.
 */
export function locate(i: number, b: number): [segment: number, offset: number] {
  const s = 32 - Math.clz32(i >>> b); // 0 below 2^b, then 1, 2, 3…
  // segment 0 keeps all b low bits
  const mask = (((1 << (b - 1)) << s) - 1) | ((1 << b) - 1);
  return [s, (i & mask) >>> 0];
}
// #endregion locate

/** Checks `locate` against the package's reference functions. */
export function locateAgrees(indices: readonly number[], b: number): boolean {
  return indices.every((i) => {
    const [s, off] = locate(i, b);
    return s === segmentOf(i, b) && off === segmentOffset(i, b);
  });
}

// #region scan
/**
 * A scan that works in every layout: one typed array per segment (one in all for flat
 * layouts).
 */
export function totalValue(layout: "contiguous" | "segmented" | "resizable"): number {
  return inArena({ kind: "small", layout, initialCapacity: 256 }, Tree, (arena) => {
    topDown(arena, 11); // 2047 nodes over several segments
    let total = 0;
    for (const segment of arena.segments("value")) {
      for (let i = 0; i < segment.length; i++) total += segment[i]!;
    }
    return total;
  });
}
// #endregion scan

// #region stale-column
/**
 * A column taken before growth: copied away (contiguous) or still valid (resizable).
 */
export function columnAfterGrowth(layout: "contiguous" | "resizable"): number {
  const options = { kind: "small", layout, initialCapacity: 16 } as const;
  return inArena(options, { v: "u32" }, (arena) => {
    arena.add({ v: 7 });
    const before = arena.column("v"); // records 0..0
    for (let i = 0; i < 100; i++) arena.add({ v: i }); // grows 16 → 32 → 64 → 128
    // contiguous: 0 (detached by the copy); resizable: 1, still the arena's memory
    return before.length;
  });
}
// #endregion stale-column

// #region pool
/** One arena per request, without growing new columns each time. */
export function requests(n: number): { created: number; reused: number } {
  const pool = new ArenaPool({ kind: "small", layout: "contiguous" }, Tree);
  for (let r = 0; r < n; r++) {
    inRecycledArena(pool, (arena) => {
      topDown(arena, 10); // the columns grow on the first request only
      return arena.length;
    });
  }
  const { created, reused } = pool.stats();
  return { created, reused };
}
// #endregion pool
