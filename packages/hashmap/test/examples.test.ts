import { describe, expect, it } from "vitest";
import { commentedResults } from "../../../scripts/example-output.mjs";
import { churn, outgrownTables } from "../examples/allocators.ts";
import { hotPath, iterationRules, loneSurrogates, newIn, whatGetReturns } from "../examples/basics.ts";
import { byteKeys } from "../examples/byte-keys.ts";

describe("result comments (`// → `) say what each call returns", () => {
  it.each(["basics", "byte-keys", "allocators"])("examples/%s.ts", async (name) => {
    for (const r of await commentedResults(new URL(`../examples/${name}.ts`, import.meta.url))) {
      expect(r.actual, r.what).toEqual(r.expected);
    }
  });
});

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
  it("a bump arena reuses outgrown tables for entries; capacity or a freeing allocator leave none", () => {
    const r = outgrownTables(10_000);
    // Doubling from one 4-slot group outgrows 20 + 40 + ... bytes of tables (the live table's size, less 20);
    // the entries inserted after each growth fill them, so less than 1% stays unused.
    expect(r.grown).toBeGreaterThan(0);
    expect(r.grown).toBeLessThan((r.table - 20) / 100);
    expect(r.table).toBe(81_920); // 16,384 slots: a power of two
    expect(r.sizedTable).toBe(57_140); // 11,428 slots: the smallest table that holds 10,000 at most 7/8 full
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
