import { describe, expect, it } from "vitest";
import { churn, outgrownTables } from "../examples/allocators.ts";
import { hotPath, iterationRules, loneSurrogates, newIn, whatGetReturns } from "../examples/basics.ts";
import { byteKeys } from "../examples/byte-keys.ts";

describe("chapter examples (the code the docs show)", () => {
  it("new_in: a map whose table and entries live in a Bump", () => {
    expect(newIn()).toEqual({ owner: "Sparky-11", index: 11n, key: "acct-sparky", entries: 2 });
  });
  it("get returns numbers, zero-copy views or owned copies", () => {
    expect(whatGetReturns()).toEqual({
      hits: 2,
      view: [42, 2, 3],
      copy: [1, 2, 3],
      record: { owner: "Zed", data: new Uint8Array([5]), index: 1n },
    });
  });
  it("find + valuePtr update values without a second lookup", () => {
    const ids = ["a", "b", "c"];
    // values 0, 1.5 and 3, each incremented once
    expect(hotPath(ids)).toBe(1 + 2.5 + 4);
  });
  it("mutation during iteration throws; retain removes while walking", () => {
    expect(iterationRules()).toEqual({ error: "ERR_HASHMAP_CONCURRENT_MODIFICATION", kept: ["a", "c"] });
  });
  it("lone surrogate keys are rejected and never found", () => {
    expect(loneSurrogates()).toEqual({ stored: 1, rejected: "ERR_ARENA_ENCODING", found: false });
  });
  it("a bump arena keeps outgrown tables; capacity or a freeing allocator avoid it", () => {
    const r = outgrownTables(10_000);
    // Doubling from one 4-slot group leaves 20 + 40 + ... bytes behind: the live table's size, less 20.
    expect(r.grown).toBe(r.table - 20);
    expect(r.sized).toBe(0);
    expect(r.freed).toBe(0);
  });
  it("a freeing allocator reuses the memory of deleted entries", () => {
    const r = churn(20);
    expect(r.live).toBe(100);
    expect(r.usedAfter).toBeLessThanOrEqual(r.usedBefore + 100 * 8);
  });
  it("byte keys are copied on insert", () => {
    expect(byteKeys()).toEqual({ lamports: 1_000_000, size: 2 });
  });
});
