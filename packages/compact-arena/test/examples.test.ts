// The examples are the code the docs show (imported by region): running them
// here keeps every snippet true. This file also checks that every region the
// chapters import exists (VitePress would silently show the whole file).
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { commentedOutput, commentedResults, commentedResultsInTempDir, printedMismatch } from "../../../scripts/example-output.mjs";
import * as branding from "../examples/branding.ts";
import * as indices from "../examples/indices.ts";
import * as layouts from "../examples/layouts.ts";
import { listing, summarize } from "../examples/recipes/branded-tree.ts";
import * as tree from "../examples/tree.ts";

const repo = new URL("../../../", import.meta.url);

describe("examples/tree.ts (the article's tree)", () => {
  it("builds top-down and bottom-up trees of the same size in one arena", () => {
    for (const depth of [1, 2, 3, 10]) {
      const n = 2 ** depth - 1;
      expect(tree.compareBuilds(depth)).toEqual({ topDown: n, bottomUp: n, records: 2 * n });
    }
  });
});

describe("result comments (`// → `) say what each call returns", () => {
  it.each(["indices", "branding", "layouts", "tree"])("examples/%s.ts", async (name) => {
    for (const r of await commentedResults(new URL(`../examples/${name}.ts`, import.meta.url))) {
      expect(r.actual, r.what).toEqual(r.expected);
    }
  });
  it("examples/snapshot.ts (in a temporary directory)", async () => {
    const file = new URL("../examples/snapshot.ts", import.meta.url);
    const results = await commentedResultsInTempDir(file, ["saveAndLoad", "wrongSchema"]);
    expect(results.map((r) => r.fn)).toEqual(["saveAndLoad", "wrongSchema"]);
    for (const r of results) expect(r.actual, r.what).toEqual(r.expected);
  });
});

describe("examples/indices.ts", () => {
  it("reports the capacity of each kind", () => {
    expect(indices.capacities()).toEqual({ nano: [256, 255], tiny: [65536, 65535], small: [2 ** 32 - 1, 2 ** 32 - 1] });
  });
  it("stores a node in 6, 8 or 12 bytes depending on the index width", () => {
    expect(indices.bytesPerNode()).toEqual({ nano: 6, tiny: 8, small: 12 });
  });
  it("fills a nano arena with tryAdd", () => {
    expect(indices.fillNano()).toEqual({ stored: 256, error: "the nano arena is full: it holds 256 records (8-bit indices)" });
  });
  it("sums the tree through its columns exactly like the object tree", () => {
    for (const depth of [1, 5, 12]) expect(indices.columnSum(depth)).toBe(indices.objectSum(indices.objectTree(depth)));
  });
  it("walks the leftmost path with one cursor", () => {
    expect(indices.leftmostDepth(9)).toBe(9);
  });
});

describe("examples/branding.ts", () => {
  it("runs every branded example", () => {
    expect(branding.twoArenas()).toBe(3);
    expect(branding.fromNumber(6)).toBe(3); // the root of a 3-level tree, added last
    expect(branding.fromNumber(0)).toBe(1);
    expect(branding.fromNumber(7)).toBe("out of range");
    expect(branding.fromNumber(-1)).toBe("out of range");
    expect(branding.escapes()).toBe(4);
    expect(branding.holes()).toEqual(["IndexError", "ReleasedError"]);
    expect(branding.shareAndRead()).toBe(5);
  });
});

describe("examples/layouts.ts", () => {
  it("holds the same tree in every layout", () => {
    expect(layouts.sameTreeEachLayout()).toEqual({ contiguous: 4096 * 12, segmented: 4096 * 12, resizable: 4096 * 12 });
  });
  it("locate() is the segment arithmetic of the package", () => {
    const edges = [0, 1, 255, 256, 511, 512, 65535, 65536, 131071, 131072, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 2];
    for (const b of [1, 8, 10, 16]) expect(layouts.locateAgrees(edges, b)).toBe(true);
    expect(layouts.locate(65536 + 5, 16)).toEqual([1, 5]);
  });
  it("scans by segments in every layout", () => {
    const expected = indices.objectSum(indices.objectTree(11));
    for (const layout of ["contiguous", "segmented", "resizable"] as const) expect(layouts.totalValue(layout)).toBe(expected);
  });
  it("shows what growth does to a column taken before it", () => {
    expect(layouts.columnAfterGrowth("contiguous")).toBe(0);
    expect(layouts.columnAfterGrowth("resizable")).toBe(1);
  });
  it("recycles one arena's memory across requests", () => {
    expect(layouts.requests(5)).toEqual({ created: 1, reused: 4 });
  });
});

describe("recipe: branded-tree", () => {
  it("totals match a plain-object computation of the same listing", () => {
    const lines = listing(3000, 11);
    const totals = new Map<string, number>();
    let all = 0;
    for (const { path, size } of lines) {
      all += size;
      const parts = path.split("/");
      for (let p = 1; p < parts.length; p++) {
        const dir = `/${parts.slice(0, p).join("/")}`;
        totals.set(dir, (totals.get(dir) ?? 0) + size);
      }
    }
    const s = summarize(lines, 8);
    expect(s.totalBytes).toBe(all);
    expect(s.dirs).toBe(totals.size + 1); // + the root
    expect(s.entries).toBe(lines.length + totals.size + 1);
    const nested = [...totals].filter(([d]) => d.split("/").length >= 3);
    nested.sort((a, b) => b[1] - a[1]);
    expect(s.largest.map(([, bytes]) => bytes)).toEqual(nested.slice(0, 8).map(([, bytes]) => bytes));
    for (const [path, bytes] of s.largest) expect(totals.get(path)).toBe(bytes);
  });

  it("runs with npx tsx from the repository root and prints what its `// → ` comments say", () => {
    const tsx = fileURLToPath(new URL("node_modules/.bin/tsx", repo));
    const run = spawnSync(tsx, ["--conditions=@arenakit/source", "packages/compact-arena/examples/recipes/branded-tree.ts"], {
      cwd: fileURLToPath(repo),
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    const source = readFileSync(new URL("packages/compact-arena/examples/recipes/branded-tree.ts", repo), "utf8");
    expect(printedMismatch(commentedOutput(source), run.stdout)).toBeUndefined();
    const s = summarize(listing(20_000));
    const out = run.stdout.trim().split("\n");
    expect(out[0]).toBe(`${s.entries} entries, ${s.dirs} of them directories`);
    expect(out[1]).toBe(`${s.totalBytes} bytes in total`);
    expect(out.slice(4)).toEqual(s.largest.map(([p, b]) => `  ${p}  ${b}`));
  });
});

describe("docs pages import regions that exist", () => {
  const pages = ["docs/guide/arenas-vs-indices.md", "docs/guide/branding.md", "docs/guide/memory-layouts.md", "docs/recipes/branded-tree.md"];
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
