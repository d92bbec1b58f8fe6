import { describe, expect, it } from "vitest";
import { CapacityError, capacityOf, inArena, type ArenaKind, type Idx, type Layout } from "../src/index.ts";

const LAYOUTS: readonly Layout[] = ["contiguous", "segmented", "resizable"];

/** Fills an arena of `kind` until it refuses, checking the refusal and that nothing stored was lost. */
function fill(kind: ArenaKind, layout: Layout, withIdx: boolean): { stored: number; error: CapacityError; intact: boolean } {
  const schema = withIdx ? ({ prev: "idx", v: "u32" } as const) : ({ v: "u32" } as const);
  return inArena({ kind, layout, initialCapacity: 64 }, schema, (arena) => {
    let stored = 0;
    let prev: number | null = null;
    for (;;) {
      const r: number | CapacityError = withIdx
        ? (arena as never as { tryAdd(r: object): number | CapacityError }).tryAdd({ prev, v: stored })
        : (arena as never as { tryAdd(r: object): number | CapacityError }).tryAdd({ v: stored });
      if (r instanceof CapacityError) {
        // add() throws the same error, and the arena is unchanged by either
        const thrown = (() => {
          try {
            (arena as never as { add(r: object): number }).add(withIdx ? { prev: null, v: 0 } : { v: 0 });
          } catch (e) {
            return e;
          }
          return undefined;
        })();
        expect(thrown).toBeInstanceOf(CapacityError);
        let intact = arena.length === stored;
        const values = arena.segments("v").flatMap((s) => Array.from(s));
        for (let i = 0; i < stored && intact; i++) intact = values[i] === i;
        if (withIdx) {
          const prevs = arena.segments("prev" as never).flatMap((s) => Array.from(s as ArrayLike<number>));
          intact &&= prevs[0] === arena.none && prevs[stored - 1] === stored - 2;
        }
        return { stored, error: r, intact };
      }
      prev = r;
      stored++;
    }
  });
}

describe.each(LAYOUTS)("capacity edges (%s layout)", (layout) => {
  it("nano: 256 records fit, the 257th is refused", () => {
    const { stored, error, intact } = fill("nano", layout, false);
    expect(stored).toBe(256);
    expect(error.code).toBe("ERR_COMPACT_CAPACITY");
    expect(error.capacity).toBe(256);
    expect(error.message).toMatch(/the nano arena is full: it holds 256 records \(8-bit indices\)/);
    expect(intact).toBe(true);
  });

  it("nano with idx fields: 255 records fit, the 256th is refused (255 spells null)", () => {
    const { stored, error, intact } = fill("nano", layout, true);
    expect(stored).toBe(255);
    expect(error.message).toMatch(/holds 255 records \(8-bit indices, one value kept for null\)/);
    expect(intact).toBe(true);
  });

  it("tiny: 65 536 records fit, the 65 537th is refused", () => {
    const { stored, error, intact } = fill("tiny", layout, false);
    expect(stored).toBe(65536);
    expect(error.kind).toBe("tiny");
    expect(intact).toBe(true);
  });

  it("tiny with idx fields: 65 535 records fit, the 65 536th is refused", () => {
    const { stored, intact } = fill("tiny", layout, true);
    expect(stored).toBe(65535);
    expect(intact).toBe(true);
  });
});

describe("capacity", () => {
  it("capacityOf gives each kind's capacity", () => {
    expect(capacityOf("nano", { v: "u8" })).toBe(256);
    expect(capacityOf("nano", { v: "idx" })).toBe(255);
    expect(capacityOf("tiny", { v: "f64" })).toBe(65536);
    expect(capacityOf("tiny", { v: "idx" })).toBe(65535);
    expect(capacityOf("small", { v: "u8" })).toBe(2 ** 32 - 1);
    expect(capacityOf("small", { v: "idx" })).toBe(2 ** 32 - 1);
    for (const layout of LAYOUTS) {
      inArena({ kind: "small", layout: layout === "resizable" ? "contiguous" : layout }, { v: "idx" }, (arena) => {
        expect(arena.capacity).toBe(2 ** 32 - 1);
        expect(arena.none).toBe(2 ** 32 - 1); // the one u32 value no index can take
      });
    }
  });

  it("a resizable arena holds what it reserved, then reports a capacity error", () => {
    inArena({ kind: "small", layout: "resizable", reserve: 100, initialCapacity: 16 }, { v: "f64" }, (arena) => {
      expect(arena.capacity).toBe(100);
      for (let i = 0; i < 100; i++) arena.add({ v: i });
      const r = arena.tryAdd({ v: 0 });
      expect(r).toBeInstanceOf(CapacityError);
      expect((r as CapacityError).message).toMatch(/reserved 100 records/);
      expect(arena.get(arena.idx(99), "v")).toBe(99);
    });
    // By default it reserves what the widest column allows in a 4 GiB buffer.
    inArena({ kind: "small", layout: "resizable" }, { a: "u8", b: "f64" }, (arena) => {
      expect(arena.capacity).toBe(2 ** 29);
    });
    inArena({ kind: "tiny", layout: "resizable" }, { a: "idx" }, (arena) => {
      expect(arena.capacity).toBe(65535);
    });
  });

  it("growth keeps every record across many doublings (initial capacity 2)", () => {
    for (const layout of LAYOUTS) {
      inArena({ kind: "small", layout, initialCapacity: 2 }, { v: "u32", next: "idx" }, (arena) => {
        let prev: Idx<typeof arena.brand> | null = null;
        for (let i = 0; i < 70_000; i++) prev = arena.add({ v: i * 7, next: prev });
        let i = arena.idx(69_999);
        let steps = 0;
        let wrong = 0;
        for (;;) {
          if (arena.get(i, "v") !== i * 7) wrong++;
          const next = arena.get(i, "next");
          if (next === null) break;
          if (next !== i - 1) wrong++;
          i = next;
          steps++;
        }
        expect(wrong).toBe(0);
        expect(steps).toBe(69_999);
      });
    }
  });
});
