// The slot-arena examples are the code the "Removing things" chapter and the entity-table
// recipe show (imported by region): running them here keeps every snippet true, and the
// last block checks that every region those pages import exists.
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { checkPrinted, commentedResults } from "../../../scripts/example-output.mjs";
import { main as entityTable } from "../examples/recipes/entity-table.ts";
import * as ex from "../examples/slot-handles.ts";

const repo = new URL("../../../", import.meta.url);

describe("result comments (`// → `) in examples/slot-handles.ts say what each call returns", () => {
  it("every commented function returns what its comment says", async () => {
    const results = await commentedResults(new URL("../examples/slot-handles.ts", import.meta.url));
    expect(results.length).toBeGreaterThanOrEqual(7);
    for (const r of results) expect(r.actual, r.what).toEqual(r.expected);
  });
});

describe("examples/slot-handles.ts", () => {
  it("shows the reuse bug of plain indices", () => {
    expect(ex.plainIndexReuse()).toBe("mallory");
  });
  it("refuses a removed record's handle after its slot is reused", () => {
    const r = ex.basics();
    expect(r).toMatchObject({ reused: true, aliceLive: false, size: 1 });
    expect(r.error).toMatch(/^the record of handle \d+ was removed: slot 0 now holds a newer record/);
  });
  it("sweeps with forEach and sums raw columns of live slots", () => {
    let total = 0;
    let closed = 0;
    for (let i = 0; i < 1000; i++) {
      if (i % 7 === 0) closed++;
      else total += i % 7;
    }
    expect(ex.sweep(1000)).toEqual({ closed, total, size: 1000 - closed });
  });
  it("moves a cursor's fields in place", () => {
    expect(ex.cursor()).toBe(2000);
  });
  it("keeps secondary values with their record only", () => {
    expect(ex.secondary()).toEqual({ before: 0x1301, after: undefined, leaked: false });
  });
  it("follows a stored handle until its record is removed", () => {
    expect(ex.parentLinks()).toEqual({ depth: 0, orphaned: true });
  });
  it("retires a worn-out slot", () => {
    expect(ex.turnsPerSlot()).toEqual({ nano: 8388608, tiny: 32768, small: 1048576 });
    expect(ex.wearOut()).toEqual({ handles: 32768, retired: 1, nextSlot: 1 });
  });
  it("gives bad handles typed errors and loses nothing", () => {
    expect(ex.badHandles()).toEqual(["IndexError", "IndexError", "StaleHandleError", "port 1, size 1"]);
  });
});

describe("examples/recipes/entity-table.ts", () => {
  it("the Worker's reports match the owner's own view after every tick", async () => {
    const { reports, expected } = await entityTable(5000, 4);
    expect(reports).toEqual(expected);
    expect(reports.map((r) => r.followed)).toEqual(["at (1, -1) with 15 hp", "at (2, -2) with 5 hp", "removed", "removed"]);
  }, 60_000);
  it("run as a program, prints what its `// → ` comments say", async () => {
    const file = fileURLToPath(new URL("packages/compact-arena/examples/recipes/entity-table.ts", repo));
    expect(await checkPrinted(file)).toBeUndefined();
  }, 180_000);
});

describe("docs pages import slot-arena regions that exist", () => {
  const pages = ["docs/guide/generational-handles.md", "docs/recipes/entity-table.md"];
  it.each(pages)("%s", (page) => {
    const md = readFileSync(new URL(page, repo), "utf8");
    const refs = [...md.matchAll(/^<<< @\/\.\.\/(packages\/compact-arena\/examples\/[^\s#{]+)(?:#([\w-]+))?/gm)];
    expect(refs.length).toBeGreaterThan(0);
    for (const [, file, region] of refs) {
      const url = new URL(file!, repo);
      expect(existsSync(url), file).toBe(true);
      if (region !== undefined) {
        const src = readFileSync(url, "utf8");
        expect(src, `${file}#${region}`).toContain(`// #region ${region}\n`);
        expect(src, `${file}#${region}`).toContain(`// #endregion ${region}\n`);
      }
    }
  });
});
