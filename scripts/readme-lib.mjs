// Helpers shared by the README checks (test/readme.test.ts), each package's
// test/readme.test.ts and scripts/release-check.mjs.
//
// A package's README example is packages/<name>/examples/readme.ts. Its code
// between `// #region <name>` and `// #endregion <name>` is what the README
// shows, verbatim, in a ```ts block. Each line it prints is written next to the
// call as a comment starting with `// → `, so running the file proves the
// README's claims: the printed lines must equal those comments, in order.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { format } from "node:util";

/** Path of the README example of a package directory, or undefined. */
export function exampleFile(packageDir) {
  const file = join(packageDir, "examples", "readme.ts");
  return existsSync(file) ? file : undefined;
}

/** The named regions of a source file: name → code (dedented, without the markers). */
export function regions(source) {
  const out = new Map();
  const open = new Map();
  const lines = source.split("\n");
  lines.forEach((line, i) => {
    const start = line.match(/^\s*\/\/ #region (\S+)/);
    const end = line.match(/^\s*\/\/ #endregion (\S+)/);
    if (start) open.set(start[1], i + 1);
    else if (end && open.has(end[1])) {
      const body = lines.slice(open.get(end[1]), i);
      const indent = Math.min(...body.filter((l) => l.trim() !== "").map((l) => l.match(/^ */)[0].length));
      out.set(end[1], body.map((l) => l.slice(Number.isFinite(indent) ? indent : 0)).join("\n"));
      open.delete(end[1]);
    }
  });
  return out;
}

/** The ```ts blocks of a markdown file that carry a region marker: `<!-- region: <name> -->` on the line before. */
export function markedBlocks(markdown) {
  const out = [];
  for (const m of markdown.matchAll(/<!-- region: (\S+) -->\n```ts\n(?:([\s\S]*?)\n)?```/g)) out.push({ region: m[1], code: m[2] ?? "" });
  return out;
}

/** The lines a README example says it prints (its `// → ` comments, in order). */
export function expectedOutput(source) {
  return [...source.matchAll(/\/\/ → (.*)$/gm)].map((m) => m[1].trimEnd());
}

/**
 * Runs a README example in this process and returns what it printed with
 * `console.log` (formatted as Node formats it), line by line, next to what its
 * `// → ` comments say it prints. `file` is the example's URL or path, imported
 * with `import()`: inside vitest or tsx for a .ts file. A module runs once per
 * process, so a second call for the same file prints nothing.
 */
export async function readmeOutput(file) {
  const url = file instanceof URL ? file : pathToFileURL(file);
  const expected = expectedOutput(readFileSync(url, "utf8"));
  const printed = [];
  const log = console.log;
  console.log = (...args) => void printed.push(format(...args));
  try {
    await import(url.href);
  } finally {
    console.log = log;
  }
  return { printed, expected };
}

/** undefined when `stdout` printed exactly the expected lines, else a message saying where it differs. */
export function outputMismatch(expected, stdout) {
  const actual = stdout.trimEnd().split("\n").map((l) => l.trimEnd());
  if (stdout.trim() === "" && expected.length === 0) return undefined;
  for (let i = 0; i < Math.max(expected.length, actual.length); i++) {
    if (expected[i] !== actual[i]) {
      return `line ${i + 1} of the output: expected ${JSON.stringify(expected[i] ?? "(nothing)")}, got ${JSON.stringify(actual[i] ?? "(nothing)")}`;
    }
  }
  return undefined;
}

/** Reads a UTF-8 file. */
export function read(file) {
  return readFileSync(file, "utf8");
}

/**
 * The README text with each marked block replaced by its region of the
 * example file; throws when a marked region does not exist.
 */
export function syncedReadme(markdown, source, file = "examples/readme.ts") {
  const found = regions(source);
  return markdown.replace(/(<!-- region: (\S+) -->\n```ts\n)(?:([\s\S]*?)\n)?```/g, (_all, head, name) => {
    if (!found.has(name)) throw new Error(`${file} has no region "${name}"`);
    return `${head}${found.get(name)}\n\`\`\``;
  });
}
