import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { ResultsFile } from "../../benchmarks/src/api.ts";
import { lookup, results } from "../.vitepress/theme/results.ts";
import {
  checkCodeBlocks,
  checkFigures,
  checkSite,
  checkSnippets,
  checkSnippetWidth,
  checkSuites,
  importedLines,
} from "../scripts/checks.ts";

const docs = fileURLToPath(new URL("..", import.meta.url));

describe("docs checks", () => {
  it("the site passes every check", () => {
    expect(checkSite(docs, results)).toEqual([]);
  });

  it("catch a missing snippet file and a missing region", () => {
    const dir = mkdtempSync(join(tmpdir(), "docs-check-"));
    writeFileSync(join(dir, "a.ts"), "// #region here\nconst x = 1;\n// #endregion here\n");
    const md = "<<< @/a.ts#here\n<<< @/a.ts#gone\n<<< @/missing.ts\n";
    const problems = checkSnippets(join(dir, "page.md"), md, dir);
    expect(problems.map((p) => p.message)).toEqual(['region "gone" not found in a.ts', "snippet file not found: @/missing.ts"]);
  });

  it("catch imported code wider than 88 columns (whole files and regions, after the region's indentation)", () => {
    const dir = mkdtempSync(join(tmpdir(), "docs-check-"));
    const wide = `x(${"a".repeat(85)});`; // 89 columns
    writeFileSync(
      join(dir, "a.ts"),
      [
        "// #region ok",
        `  const y = "${"b".repeat(75)}";`, // 90 columns, 88 once dedented
        "// #endregion ok",
        "// #region wide",
        wide,
        "// #endregion wide",
      ].join("\n"),
    );
    writeFileSync(join(dir, "b.ts"), `const é = "${"é".repeat(75)}";\n`); // 88 characters, more bytes
    expect(importedLines(`// #region r\n    a\n  // #region inner\n    b\n  // #endregion inner\n// #endregion r`, "r")).toEqual(["a", "b"]);
    const md = "<<< @/a.ts#ok\n<<< @/a.ts#wide\n<<< @/a.ts\n<<< @/b.ts\n";
    const problems = checkSnippetWidth(join(dir, "page.md"), md, dir);
    expect(problems.map((p) => [p.line, p.message.slice(0, 35)])).toEqual([
      [2, "a.ts#wide has a 89-column line (at "],
      [3, "a.ts has a 90-column line (at most "],
      [3, "a.ts has a 89-column line (at most "],
    ]);
  });

  it("catch figures that the results file does not have", () => {
    const md = [
      '<BenchTable id="bump/gc" />',
      '<BenchTable id="nope/case" />',
      'see <BenchValue id="bump/gc" subject="bump" metric="gcSpeedup" records="1000000" />',
      'see <BenchValue id="bump/gc" subject="ghost" metric="gcMs" />',
      'see <BenchValue id="bump/small-allocs" subject="Bump.alloc" metric="gcMs" />',
    ].join("\n");
    const problems = checkFigures("x.md", md, results).map((p) => p.line);
    expect(problems).toEqual([2, 4, 5]);
  });

  it("validate figures of custom cases: metric keys, <key>.ratio, subjects; no charts", () => {
    const file: ResultsFile = {
      ...results,
      suites: [
        {
          id: "demo",
          title: "demo",
          cases: [
            {
              kind: "custom",
              id: "soak",
              title: "soak",
              baseline: "map",
              metrics: [{ key: "p99DelayMs", label: "p99", unit: "ms", better: "lower" }],
              subjects: [
                { subject: "map", values: { p99DelayMs: 50 }, ratios: { p99DelayMs: 1 } },
                { subject: "arena", values: { p99DelayMs: 5 }, ratios: { p99DelayMs: 0.1 } },
              ],
              targets: [],
            },
          ],
        },
      ],
    };
    expect(lookup("demo/soak", "arena", "p99DelayMs", undefined, file)).toEqual({ value: 5, unit: "ms" });
    expect(lookup("demo/soak", "arena", "p99DelayMs.ratio", undefined, file)).toEqual({ value: 0.1, unit: "ratio" });
    const md = [
      '<BenchTable id="demo/soak" />',
      'see <BenchValue id="demo/soak" subject="arena" metric="p99DelayMs" />',
      'see <BenchValue id="demo/soak" subject="arena" metric="p99DelayMs.ratio" />',
      'see <BenchValue id="demo/soak" subject="arena" metric="speedup" />',
      'see <BenchValue id="demo/soak" subject="ghost" metric="p99DelayMs" />',
      '<BenchChart id="demo/soak" />',
    ].join("\n");
    expect(checkFigures("x.md", md, file).map((p) => p.line)).toEqual([4, 5, 6]);
  });

  it("catch an inline figure that would break its paragraph", () => {
    const md = 'takes\n<BenchValue id="bump/gc" subject="bump" metric="gcMs" /> with an arena';
    expect(checkFigures("x.md", md, results).map((p) => p.message)).toEqual([
      "an inline <BenchValue> starts a line; move it after some text",
    ]);
  });

  it("catch suites that the results file does not have", () => {
    const md = '<BenchSuite id="bump" />\n<BenchSuite id="nope" />\n';
    expect(checkSuites("x.md", md, results).map((p) => p.line)).toEqual([2]);
  });

  it("catch unchecked TypeScript blocks", () => {
    const md = "```ts\nconst a = 1\n```\n```ts twoslash\nconst b = 2\n```\n```sh\nls\n```\n";
    expect(checkCodeBlocks("x.md", md).map((p) => p.line)).toEqual([1]);
  });
});
