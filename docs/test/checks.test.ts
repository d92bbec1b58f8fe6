import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { results } from "../.vitepress/theme/results.ts";
import { checkCodeBlocks, checkFigures, checkSite, checkSnippets } from "../scripts/checks.ts";

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

  it("catch figures that the results file does not have", () => {
    const md = [
      '<BenchTable id="bump/gc" />',
      '<BenchTable id="nope/case" />',
      '<BenchValue id="bump/gc" subject="bump" metric="gcSpeedup" records="1000000" />',
      '<BenchValue id="bump/gc" subject="ghost" metric="gcMs" />',
      '<BenchValue id="bump/small-allocs" subject="Bump.alloc" metric="gcMs" />',
    ].join("\n");
    const problems = checkFigures("x.md", md, results).map((p) => p.line);
    expect(problems).toEqual([2, 4, 5]);
  });

  it("catch unchecked TypeScript blocks", () => {
    const md = "```ts\nconst a = 1\n```\n```ts twoslash\nconst b = 2\n```\n```sh\nls\n```\n";
    expect(checkCodeBlocks("x.md", md).map((p) => p.line)).toEqual([1]);
  });
});
