// Checks that keep the site true to the code. VitePress 1.6.4 silently
// imports a WHOLE file when a `<<< file#region` names a missing region, and
// only warns for a missing file; pages may also name benchmark figures that
// the results file does not have. Each check returns problems as strings.
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import type { ResultsFile } from "../../benchmarks/src/api.ts";
import { lookup, type Metric } from "../.vitepress/theme/results.ts";

export interface Problem {
  readonly file: string;
  readonly line: number;
  readonly message: string;
}

/** Every markdown page of the site except the generated API reference. */
export function pages(docsDir: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      if (name === "node_modules" || name === "api" && dir === docsDir || name.startsWith(".")) continue;
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith(".md")) out.push(p);
    }
  };
  walk(docsDir);
  return out.sort();
}

const SNIPPET = /^<<<\s+(\S+?)(?:#([\w-]+))?(?:\{[^}]*\})?(?:\s+\[[^\]]*\])?\s*$/;

/** `<<< @/path#region` imports: the file must exist and hold the region. */
export function checkSnippets(file: string, text: string, docsDir: string): Problem[] {
  const problems: Problem[] = [];
  text.split("\n").forEach((line, i) => {
    if (!line.startsWith("<<<")) return;
    const m = SNIPPET.exec(line.trim());
    if (m === null) {
      problems.push({ file, line: i + 1, message: `cannot parse snippet import: ${line}` });
      return;
    }
    const [, path, region] = m;
    const target = path!.startsWith("@/") ? resolve(docsDir, path!.slice(2)) : resolve(dirname(file), path!);
    if (!existsSync(target)) {
      problems.push({ file, line: i + 1, message: `snippet file not found: ${path}` });
      return;
    }
    if (region !== undefined) {
      const src = readFileSync(target, "utf8");
      const start = new RegExp(`^\\s*(//|#|<!--)\\s*#region ${region}\\b`, "m");
      const end = new RegExp(`^\\s*(//|#|<!--)\\s*#endregion( ${region}\\b)?`, "m");
      if (!start.test(src) || !end.test(src)) {
        problems.push({ file, line: i + 1, message: `region "${region}" not found in ${relative(docsDir, target)}` });
      }
    }
  });
  return problems;
}

/** The widest code line a page may import: what fits the content column without scrolling. */
export const MAX_CODE_COLUMNS = 88;

/** The lines a `<<< file#region` import shows (region markers left out), or the whole file. */
export function importedLines(source: string, region: string | undefined): string[] {
  const lines = source.split("\n");
  const marker = /^\s*(\/\/|#|<!--)\s*#(end)?region\b/;
  if (region === undefined) return lines.filter((l) => !marker.test(l));
  const start = lines.findIndex((l) => new RegExp(`^\\s*(//|#|<!--)\\s*#region ${region}\\b`).test(l));
  if (start < 0) return [];
  const end = lines.findIndex((l, i) => i > start && new RegExp(`^\\s*(//|#|<!--)\\s*#endregion( ${region}\\b)?`).test(l));
  const body = lines.slice(start + 1, end < 0 ? undefined : end).filter((l) => !marker.test(l));
  // VitePress removes the region's common indentation.
  const indent = Math.min(...body.filter((l) => l.trim() !== "").map((l) => /^ */.exec(l)![0].length));
  return Number.isFinite(indent) ? body.map((l) => l.slice(indent)) : body;
}

/**
 * Imported code must fit the content column: no line of an imported file or
 * region may be wider than {@link MAX_CODE_COLUMNS} characters.
 */
export function checkSnippetWidth(file: string, text: string, docsDir: string): Problem[] {
  const problems: Problem[] = [];
  text.split("\n").forEach((line, i) => {
    const m = line.startsWith("<<<") ? SNIPPET.exec(line.trim()) : null;
    if (m === null) return;
    const [, path, region] = m;
    const target = path!.startsWith("@/") ? resolve(docsDir, path!.slice(2)) : resolve(dirname(file), path!);
    if (!existsSync(target)) return; // checkSnippets reports it
    for (const code of importedLines(readFileSync(target, "utf8"), region)) {
      const width = [...code].length;
      if (width > MAX_CODE_COLUMNS) {
        problems.push({
          file,
          line: i + 1,
          message: `${relative(docsDir, target)}${region ? `#${region}` : ""} has a ${width}-column line (at most ${MAX_CODE_COLUMNS}): ${code.trim().slice(0, 60)}`,
        });
      }
    }
  });
  return problems;
}

const ATTR = /(\w+)="([^"]*)"/g;

/** `<BenchTable|BenchChart|BenchValue …/>`: every id, subject and metric must exist in the results. */
export function checkFigures(file: string, text: string, results: ResultsFile): Problem[] {
  const problems: Problem[] = [];
  text.split("\n").forEach((line, i) => {
    if (/^\W?<BenchValue\b/.test(line)) {
      // VitePress parses a component at the start of a line as a block: the sentence would break around it.
      problems.push({ file, line: i + 1, message: "an inline <BenchValue> starts a line; move it after some text" });
    }
    for (const m of line.matchAll(/<(BenchTable|BenchChart|BenchValue)\b((?:[^>"]|"[^"]*")*)\/?>/g)) {
      const attrs = Object.fromEntries([...m[2]!.matchAll(ATTR)].map((a) => [a[1], a[2]]));
      const id = attrs.id;
      if (id === undefined) {
        problems.push({ file, line: i + 1, message: `${m[1]} without an id` });
        continue;
      }
      const subject = m[1] === "BenchValue" ? attrs.subject : undefined;
      const metric = (attrs.metric ?? (m[1] === "BenchValue" ? undefined : null)) as Metric | undefined | null;
      if (m[1] === "BenchValue" && (subject === undefined || metric === undefined)) {
        problems.push({ file, line: i + 1, message: `BenchValue ${id} needs subject and metric` });
        continue;
      }
      if (m[1] === "BenchChart" && kindOf(results, id) === "custom") {
        problems.push({ file, line: i + 1, message: `BenchChart cannot draw the custom case ${id}: use BenchTable or BenchValue` });
        continue;
      }
      const records = attrs.records === undefined ? undefined : Number(attrs.records);
      const found = lookup(id, subject ?? firstSubject(results, id) ?? "", metric ?? "speedup", records, results);
      if ("error" in found && !(metric === null && found.error.includes("metric"))) {
        problems.push({ file, line: i + 1, message: found.error });
      }
    }
  });
  return problems;
}

function firstSubject(results: ResultsFile, id: string): string | undefined {
  for (const s of results.suites) {
    for (const c of s.cases) {
      if (`${s.id}/${c.id}` !== id) continue;
      if (c.kind === "time") return c.tasks[0]?.name;
      return c.kind === "custom" ? c.subjects[0]?.subject : c.rows[0]?.variant;
    }
  }
  return undefined;
}

function kindOf(results: ResultsFile, id: string): string | undefined {
  for (const s of results.suites) for (const c of s.cases) if (`${s.id}/${c.id}` === id) return c.kind;
  return undefined;
}

/** `<BenchSuite id="…"/>`: the suite must exist in the results. */
export function checkSuites(file: string, text: string, results: ResultsFile): Problem[] {
  const problems: Problem[] = [];
  text.split("\n").forEach((line, i) => {
    for (const m of line.matchAll(/<BenchSuite\b[^>]*\bid="([^"]*)"/g)) {
      if (!results.suites.some((s) => s.id === m[1])) {
        problems.push({ file, line: i + 1, message: `no benchmark suite "${m[1]}" in benchmarks/results/node20.json` });
      }
    }
  });
  return problems;
}

/** Hand-written TS/JS code blocks: code must be region-imported or twoslash-checked. */
export function checkCodeBlocks(file: string, text: string): Problem[] {
  const problems: Problem[] = [];
  let inFence = false;
  text.split("\n").forEach((line, i) => {
    const m = /^(```+)\s*([\w-]*)(.*)$/.exec(line);
    if (m === null) return;
    if (inFence) {
      inFence = false;
      return;
    }
    inFence = true;
    const lang = m[2]!;
    if (["ts", "js", "typescript", "javascript", "tsx", "mts"].includes(lang) && !m[3]!.includes("twoslash")) {
      problems.push({
        file,
        line: i + 1,
        message: "a TypeScript/JavaScript block that is neither twoslash-checked nor imported from a tested file",
      });
    }
  });
  return problems;
}

/** Words of the project's own process that a reader of the book cannot follow. */
const PROCESS_WORDS = /\bissues? #?\d+|\bthe issue'?s?\b|\bproject's issues\b|\bTODO\b|\bFIXME\b/i;

/** Prose must not mention issue numbers or planning words. Code blocks are left alone. */
export function checkProcessWords(file: string, text: string): Problem[] {
  const problems: Problem[] = [];
  let inFence = false;
  text.split("\n").forEach((line, i) => {
    if (/^```/.test(line)) inFence = !inFence;
    if (inFence) return;
    const m = PROCESS_WORDS.exec(line);
    if (m !== null) problems.push({ file, line: i + 1, message: `process word "${m[0]}" on the site: say what it means to a reader` });
  });
  return problems;
}

/**
 * The recipes index: every recipe page is listed, under the title of its own
 * h1 (which is what the sidebar shows), so the two never disagree.
 */
export function checkRecipeIndex(docsDir: string): Problem[] {
  const dir = join(docsDir, "recipes");
  const index = join(dir, "index.md");
  if (!existsSync(index)) return [];
  const text = readFileSync(index, "utf8");
  const problems: Problem[] = [];
  for (const name of readdirSync(dir).filter((f) => f.endsWith(".md") && f !== "index.md").sort()) {
    const h1 = /^#\s+(.+)$/m.exec(readFileSync(join(dir, name), "utf8"))?.[1]?.replace(/`/g, "").trim();
    const slug = name.slice(0, -3);
    const m = new RegExp(`\\[([^\\]]+)\\]\\(\\./${slug}\\)`).exec(text);
    if (m === null) problems.push({ file: index, line: 1, message: `the recipes index does not list ${slug}` });
    else if (m[1]!.replace(/`/g, "").trim() !== h1) {
      problems.push({ file: index, line: 1, message: `recipe ${slug} is listed as "${m[1]}" but its title is "${h1}"` });
    }
  }
  return problems;
}

/** Runs every check over the site. */
export function checkSite(docsDir: string, results: ResultsFile): Problem[] {
  const problems: Problem[] = [];
  for (const file of pages(docsDir)) {
    const text = readFileSync(file, "utf8");
    problems.push(
      ...checkSnippets(file, text, docsDir),
      ...checkSnippetWidth(file, text, docsDir),
      ...checkFigures(file, text, results),
      ...checkSuites(file, text, results),
      ...checkCodeBlocks(file, text),
      ...checkProcessWords(file, text),
    );
  }
  problems.push(...checkRecipeIndex(docsDir));
  return problems;
}
