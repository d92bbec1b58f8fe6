import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { checkPrinted, commentedResults, commentedResultsInTempDir } from "../../../scripts/example-output.mjs";
import { badInput, projectOutlivesTheEntry, readSlot, rollingWindow } from "../examples/basics.ts";
import { accountOf, main as rollingService } from "../examples/recipes/rolling-service.ts";

describe("result comments (`// → `) say what each call returns", () => {
  it("examples/basics.ts", async () => {
    for (const r of await commentedResults(new URL("../examples/basics.ts", import.meta.url))) {
      expect(r.actual, r.what).toEqual(r.expected);
    }
  });
  it("examples/snapshot.ts (in a temporary directory)", async () => {
    const file = new URL("../examples/snapshot.ts", import.meta.url);
    const results = await commentedResultsInTempDir(file, ["saveAndLoad", "refuseLarge"]);
    expect(results.map((r) => r.what.split(" ")[0])).toEqual(["saveAndLoad().owner", "saveAndLoad().size", "refuseLarge()"]);
    for (const r of results) expect(r.actual, r.what).toEqual(r.expected);
  });
});

describe("chapter examples (the code the docs show)", () => {
  it("builds, reads and projects", () => {
    expect(readSlot()).toEqual({ owner: "Sparky-11", data: [0, 3, 6, 9, 12], index: 11n, size: 2, ids: ["acct-rusty", "acct-sparky"] });
    expect(projectOutlivesTheEntry()).toEqual({ id: "acct-rusty", owner: "Rusty-03", slot: 42n });
  });
  it("rolls a window", () => {
    expect(rollingWindow()).toEqual({ slots: [104n, 103n, 102n], latest: 103n, owner: "owner-104" });
  });
  it("rejects bad input with typed errors", () => {
    expect(badInput()).toEqual(["ERR_ACCOUNTS_INVALID_ARGUMENT", "ERR_ACCOUNTS_SLOT_ORDER"]);
  });
});

describe("recipe: rolling slot cache with a Worker pool", () => {
  it("answers every lookup correctly from the Workers and leaves nothing pinned", async () => {
    const { answered, wrong, stats } = await rollingService(12, 40, 2000);
    expect(wrong).toBe(0);
    expect(answered).toBeGreaterThan(12 * 40 * 0.8);
    expect(stats.pinnedEntries).toBe(0);
    expect(stats.pool.reused).toBeGreaterThan(0);
    expect(accountOf(3n, 5).index).toBe(30_005n);
  });
  it("run as a program, prints what its `// → ` comments say", async () => {
    const file = fileURLToPath(new URL("../examples/recipes/rolling-service.ts", import.meta.url));
    expect(await checkPrinted(file)).toBeUndefined();
  }, 180_000);
});
