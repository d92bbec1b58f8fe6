import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { checkPrinted, commentedResults, commentedResultsInTempDir } from "../../../scripts/example-output.mjs";
import { freeOneByOne, perBatch } from "../examples/allocator.ts";
import { allocate, allocationLimit, resetMakesPointersStale, scoped, scratchPerItem, stringsAndBytes } from "../examples/basics.ts";
import { roundTrip, staleView, viewIsZeroCopy } from "../examples/layout.ts";
import { main as requestScratch, summarize } from "../examples/recipes/request-scratch.ts";
import { Bump } from "../src/index.ts";

describe("chapter examples (the code the docs show)", () => {
  it("allocates and reads through a pointer", () => {
    expect(allocate()).toEqual({ offset: 0, value: 0xc0ffee, used: 16 });
  });
  it("stores strings and bytes", () => {
    expect(stringsAndBytes()).toEqual({ id: "acct-sparky", data: [1, 3, 6, 9, 12], bytes: 4 + 11 + 4 + 5 });
  });
  it("reset makes old pointers stale", () => {
    expect(resetMakesPointersStale()).toEqual({ before: "slot 41", error: "ERR_ARENA_STALE_POINTER" });
  });
  it("stops at the allocation limit", () => {
    const { stored, refused } = allocationLimit();
    expect(refused).toBe("ERR_ARENA_ALLOCATION_LIMIT");
    expect(stored).toBeGreaterThan(40);
    expect(stored).toBeLessThanOrEqual(64);
  });
  it("rewinds scratch memory per item", () => {
    expect(scratchPerItem(["ab", "cde", "é"])).toBe(2 + 3 + 2);
  });
  it("`using` releases the arena", () => {
    expect(scoped()).toBe(true);
  });
  it("layouts round-trip, view zero-copy and detect stale use", () => {
    expect(roundTrip()).toEqual({ owned: { owner: "Sparky-11", data: new Uint8Array([0, 3, 6]), index: 11n }, size: 24 });
    expect(viewIsZeroCopy()).toEqual({ owner: "Rusty-03", first: 42, index: 7n });
    expect(staleView()).toBe("StalePointerError");
  });
  it("passes the allocator explicitly", () => {
    expect(perBatch([["a", "bb"], ["ccc"]])).toEqual([3, 3]);
    const { used, afterFree } = freeOneByOne(["alpha", "beta", "gamma"]);
    expect(used).toBeGreaterThan(0);
    expect(afterFree).toBe(0);
  });
});

describe("result comments (`// → `) say what each call returns", () => {
  it.each(["basics", "layout", "allocator", "publish"])("examples/%s.ts", async (name) => {
    for (const r of await commentedResults(new URL(`../examples/${name}.ts`, import.meta.url))) {
      expect(r.actual, r.what).toEqual(r.expected);
    }
  });
  it("examples/snapshot.ts (in a temporary directory)", async () => {
    const file = new URL("../examples/snapshot.ts", import.meta.url);
    const results = await commentedResultsInTempDir(file, ["roundTrip", "damaged"]);
    expect(results.map((r) => r.fn)).toEqual(["roundTrip", "damaged"]);
    for (const r of results) expect(r.actual, r.what).toEqual(r.expected);
  });
});

describe("recipe: per-request scratch arena", () => {
  it("summarizes a body inside an arena", () => {
    using bump = new Bump();
    expect(summarize(bump, "a,x,1\nb,y,2\nc,x,3\n")).toEqual({ records: 3, totals: { x: 4, y: 2 } });
    expect(() => summarize(bump, "broken")).toThrow(/bad line/);
  });
  it("serves real HTTP requests on loopback and recycles chunks between them", async () => {
    const { answers, pool } = await requestScratch(5);
    expect(answers).toHaveLength(5);
    const expected: Record<string, number> = {};
    for (let j = 0; j < 500; j++) expected[`owner-${j % 3}`] = (expected[`owner-${j % 3}`] ?? 0) + (j % 10);
    expect(answers[0]).toMatchObject({ records: 500, totals: expected });
    expect(pool.reused).toBeGreaterThanOrEqual(4);
  });
});

describe("recipe: zero-copy records from a binary file", () => {
  it("saves an arena and reads every record back in place", async () => {
    const { main, save, load } = await import("../examples/recipes/binary-file.ts");
    const r = main(3000);
    let want = 0;
    for (let i = 0; i < 3000; i++) want += i % 50;
    expect(r.sum).toBe(want);
    expect(r.sample).toEqual({ symbol: ["BTC-EUR", "ETH-EUR", "SOL-EUR"][2999 % 3], price: 100 + (2999 % 997) / 10, qty: 2999 % 50, ts: 1_700_000_002_999n });
    expect(r.perRecord).toBeLessThan(64);
    const { tmpdir } = await import("node:os");
    const path = `${tmpdir()}/arenakit-trades-test-${process.pid}.bin`;
    save(path, [{ symbol: "X", price: 1, qty: 2, ts: 3n }]);
    const f = load(path);
    expect(() => f.at(1)).toThrow(RangeError);
    const { writeFileSync } = await import("node:fs");
    writeFileSync(path, new Uint8Array(40));
    expect(() => load(path)).toThrow(/not an arenakit trade file/);
  });
});

describe("recipes print what their `// → ` comments say", () => {
  it.each(["request-scratch", "binary-file"])("%s", async (name) => {
    const file = fileURLToPath(new URL(`../examples/recipes/${name}.ts`, import.meta.url));
    expect(await checkPrinted(file)).toBeUndefined();
  }, 180_000);
});
