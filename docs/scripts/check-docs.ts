// Fails the docs build when a page imports a missing file or region, names a
// benchmark figure that does not exist, or shows unchecked TS code.
import { fileURLToPath } from "node:url";
import { relative } from "node:path";
import { results } from "../.vitepress/theme/results.ts";
import { checkSite } from "./checks.ts";

const docs = fileURLToPath(new URL("..", import.meta.url));
const problems = checkSite(docs, results);
for (const p of problems) console.error(`${relative(docs, p.file)}:${p.line}: ${p.message}`);
if (problems.length > 0) {
  console.error(`docs check: ${problems.length} problem(s)`);
  process.exit(1);
}
console.log("docs check: every snippet region, figure and code block is accounted for");
