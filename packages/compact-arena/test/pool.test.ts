import { describe, expect, it } from "vitest";
import { ArenaPool, InvalidArgumentError, ReleasedError, inRecycledArena, type Layout } from "../src/index.ts";

const LAYOUTS: readonly Layout[] = ["contiguous", "segmented", "resizable"];
const Edge = { from: "idx", to: "idx", weight: "f64" } as const;

describe.each(LAYOUTS)("inRecycledArena (%s)", (layout) => {
  it("reuses grown memory: each call starts empty, the memory does not shrink", () => {
    const pool = new ArenaPool({ kind: "small", layout, initialCapacity: 16 }, Edge);
    const sizes: number[] = [];
    for (let run = 0; run < 4; run++) {
      const total = inRecycledArena(pool, (arena) => {
        expect(arena.length).toBe(0);
        sizes.push(arena.byteLength);
        let prev = arena.add({ from: null, to: null, weight: run });
        for (let i = 1; i < 1000; i++) prev = arena.add({ from: prev, to: null, weight: run });
        let s = 0;
        for (const i of arena) s += arena.get(i, "weight");
        return s;
      });
      expect(total).toBe(1000 * run);
    }
    expect(sizes[0]).toBe(16 * 16); // 16 records × (4 + 4 + 8) bytes before the first growth
    expect(sizes[1]).toBeGreaterThanOrEqual(1000 * 16); // the grown columns came back
    expect(sizes[3]).toBe(sizes[1]);
    expect(pool.stats()).toEqual({ created: 1, reused: 3, idle: 1 });
  });

  it("old arenas, cursors and columns cannot see the next call's records", () => {
    const pool = new ArenaPool({ kind: "tiny", layout }, Edge);
    let oldArena: { get(i: number, f: string): unknown } | undefined;
    let oldColumn: Float64Array | undefined;
    let oldCursor: { weight: number } | undefined;
    inRecycledArena(pool, (arena) => {
      const i = arena.add({ from: null, to: null, weight: 1 });
      oldArena = arena;
      oldCursor = arena.cursor(i);
      oldColumn = arena.segments("weight")[0];
    });
    inRecycledArena(pool, (arena) => {
      arena.add({ from: null, to: null, weight: 2 });
      expect(() => oldArena!.get(0, "weight")).toThrow(ReleasedError);
      expect(() => oldArena!.get(0, "weight")).toThrow(/inRecycledArena scope ended/);
      expect(() => oldCursor!.weight).toThrow(ReleasedError);
      expect(oldColumn!.length).toBe(0); // moved to the new arena: the old view is detached
      expect(arena.get(arena.idx(0), "weight")).toBe(2);
    });
    expect(pool.stats().reused).toBe(1);
  });
});

describe("ArenaPool", () => {
  it("keeps at most maxIdle arenas' memory", async () => {
    const pool = new ArenaPool("nano", Edge, { maxIdle: 1 });
    await Promise.all([
      inRecycledArena(pool, async () => new Promise((r) => setTimeout(r, 5))),
      inRecycledArena(pool, async () => new Promise((r) => setTimeout(r, 5))),
    ]);
    expect(pool.stats()).toEqual({ created: 2, reused: 0, idle: 1 });
    pool.clear();
    expect(pool.stats().idle).toBe(0);
  });

  it("an arena disposed inside the callback is not returned", () => {
    const pool = new ArenaPool("nano", Edge);
    inRecycledArena(pool, (arena) => arena[Symbol.dispose]());
    expect(pool.stats().idle).toBe(0);
  });

  it("rejects shared arenas and bad options", () => {
    expect(() => new ArenaPool({ kind: "nano", shared: true }, Edge)).toThrow(/cannot recycle shared arenas/);
    expect(() => new ArenaPool("nano", Edge, { maxIdle: -1 })).toThrow(InvalidArgumentError);
    expect(() => inRecycledArena({} as never, () => 0)).toThrow(/expected an ArenaPool/);
  });
});
