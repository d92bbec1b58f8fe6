#!/usr/bin/env node
// Copies each package's README example (the regions of examples/readme.ts)
// into the marked ```ts blocks of its README.md. `--check` only reports drift
// (test/readme.test.ts fails CI on it); without it the READMEs are rewritten.
import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { exampleFile, syncedReadme } from "./readme-lib.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const check = process.argv.includes("--check");
let drift = 0;
for (const dir of readdirSync(join(root, "packages")).sort()) {
  const readme = join(root, "packages", dir, "README.md");
  const example = exampleFile(join(root, "packages", dir));
  if (!existsSync(readme) || example === undefined) continue;
  const before = readFileSync(readme, "utf8");
  const after = syncedReadme(before, readFileSync(example, "utf8"), `packages/${dir}/examples/readme.ts`);
  if (after === before) continue;
  drift++;
  if (check) console.log(`packages/${dir}/README.md differs from packages/${dir}/examples/readme.ts`);
  else writeFileSync(readme, after), console.log(`updated packages/${dir}/README.md`);
}
if (check && drift > 0) process.exit(1);
