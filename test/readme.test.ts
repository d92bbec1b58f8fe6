// Every package README is fit for npm and tells the truth: its code blocks are
// exactly the regions of its tested example file (scripts/readme-sync.mjs
// copies them) within 88 columns, it says how to install the package, and the
// package ships the repository's LICENSE.
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { exampleFile, markedBlocks, regions } from "../scripts/readme-lib.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const pkgs = readdirSync(join(root, "packages")).filter((p) => {
  const index = join(root, "packages", p, "src", "index.ts");
  return existsSync(index) && /export\s+(\*|\{\s*\S|const|function|class)/.test(readFileSync(index, "utf8"));
});

describe.each(pkgs)("packages/%s/README.md", (dir) => {
  const pkg = join(root, "packages", dir);
  const readme = () => readFileSync(join(pkg, "README.md"), "utf8");

  it("exists, says how to install the package and links its chapter and API page", () => {
    expect(existsSync(join(pkg, "README.md")), "README.md is missing").toBe(true);
    const text = readme();
    expect(text).toContain(`npm i @arenakit/${dir}`);
    expect(text).toMatch(/\]\(\/guide\/[\w-]+\)/);
    expect(text).toContain(`](/api/${dir}/)`);
    expect(text).not.toMatch(/\bTODO\b|\bissue \d+|\btarget\b/i);
  });

  it("shows the regions of examples/readme.ts verbatim (run `node scripts/readme-sync.mjs` after editing the example)", () => {
    const file = exampleFile(pkg);
    expect(file, "examples/readme.ts is missing").toBeDefined();
    const found = regions(readFileSync(file!, "utf8"));
    const blocks = markedBlocks(readme());
    expect(blocks.length).toBeGreaterThan(0);
    for (const b of blocks) {
      expect(found.has(b.region), `no region "${b.region}" in examples/readme.ts`).toBe(true);
      expect(b.code).toBe(found.get(b.region));
    }
    // Every ```ts block of the README is one of these (nothing pasted by hand).
    expect(readme().match(/```ts\n/g)?.length).toBe(blocks.length);
  });

  it("keeps its code within 88 columns (npm and the site show it without scrolling)", () => {
    const wide = markedBlocks(readme()).flatMap((b) =>
      b.code.split("\n").filter((line) => [...line].length > 88).map((line) => `${b.region}: ${line}`),
    );
    expect(wide).toEqual([]);
  });

  it("ships the repository's LICENSE", () => {
    expect(readFileSync(join(pkg, "LICENSE"), "utf8")).toBe(readFileSync(join(root, "LICENSE"), "utf8"));
  });
});
