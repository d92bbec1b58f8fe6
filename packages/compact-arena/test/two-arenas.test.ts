import { describe, expect, it } from "vitest";
import { IndexError, inArena } from "../src/index.ts";

describe("two arenas in one scope", () => {
  it("each index reads its own arena (compact_arena's two_nano_arenas)", () => {
    const result = inArena("nano", { v: "u32" }, (a) =>
      inArena("nano", { v: "u32" }, (b) => {
        const x = a.add({ v: 1 });
        const y = b.add({ v: 2 });
        return a.get(x, "v") + b.get(y, "v");
      }),
    );
    expect(result).toBe(3);
  });

  it("keeps separate storage, lengths and lifetimes", () => {
    inArena({ kind: "tiny", layout: "segmented" }, { v: "f64" }, (a) => {
      for (let i = 0; i < 10; i++) a.add({ v: i });
      const inner = inArena({ kind: "tiny", layout: "contiguous" }, { v: "f64" }, (b) => {
        for (let i = 0; i < 3; i++) b.add({ v: -i });
        expect(a.length).toBe(10);
        expect(b.length).toBe(3);
        // At runtime an index is only a number: the compiler rejects a.get(bIdx) (see brand.test-d.ts);
        // what the runtime can check is the range, so an index past b's length is refused.
        expect(() => b.get(9 as never, "v")).toThrow(IndexError);
        return b.get(b.idx(2), "v");
      });
      expect(inner).toBe(-2);
      expect(a.get(a.idx(9), "v")).toBe(9); // the inner arena's end did not touch the outer one
    });
  });

  it("an inner scope may use the outer arena's indices and add to it", () => {
    inArena("small", { parent: "idx" }, (outer) => {
      const root = outer.add({ parent: null });
      const added = inArena("nano", { scratch: "u8" }, (inner) => {
        inner.add({ scratch: 1 });
        const child = outer.add({ parent: root });
        return outer.get(child, "parent") === root;
      });
      expect(added).toBe(true);
      expect(outer.length).toBe(2);
    });
  });
});
