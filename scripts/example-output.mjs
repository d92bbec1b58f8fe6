// Runs an example program the way a reader would (tsx, workspace sources) and
// compares what it prints with the `// → ` comments written next to its
// console.log calls. A comment may say `…` where a figure depends on the
// machine (a time in ms): that part matches any text, the rest must be equal.
// Chapter examples are checked in the test process instead: their `// → `
// comments say what a function returns (see resultComments, commentedResults).
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));

/** The lines a program says it prints: its `// → ` comments, in order. */
export function commentedOutput(source) {
  return [...source.matchAll(/\/\/ → (.*)$/gm)].map((m) => m[1].trimEnd());
}

/** undefined when every printed line matches its comment (`…` matches anything), else where they differ. */
export function printedMismatch(expected, stdout) {
  const actual = stdout.trimEnd().split("\n").map((l) => l.trimEnd());
  for (let i = 0; i < Math.max(expected.length, actual.length); i++) {
    const want = expected[i];
    const got = actual[i];
    const pattern =
      want === undefined
        ? undefined
        : new RegExp(`^${want.split("…").map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`);
    if (pattern === undefined || got === undefined || !pattern.test(got)) {
      return `line ${i + 1}: the comment says ${JSON.stringify(want ?? "(nothing)")}, the program printed ${JSON.stringify(got ?? "(nothing)")}`;
    }
  }
  return undefined;
}

/** Runs `file` (a .ts program) with tsx from the repository root; resolves with its exit code and output. */
export function runProgram(file, timeoutMs = 180_000) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "--conditions=@arenakit/source", file], {
      cwd: root,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/**
 * Runs a program (see {@link runProgram}; `file` a path or file URL) and
 * resolves with what it printed when it exits 0; rejects with the exit code
 * and the end of its stderr otherwise.
 */
export async function programOutput(file, timeoutMs) {
  const path = file instanceof URL ? fileURLToPath(file) : file;
  const r = await runProgram(path, timeoutMs);
  if (r.code !== 0) throw new Error(`${path} exited ${r.code}: ${r.stderr.slice(-2000)}`);
  return r.stdout;
}

/** Runs a program and returns undefined when it exits 0 and prints what its comments say, else the problem. */
export async function checkPrinted(file) {
  const expected = commentedOutput(readFileSync(file, "utf8"));
  if (expected.length === 0) return `${file} has no \`// → \` comments`;
  const r = await runProgram(file);
  if (r.code !== 0) return `exit code ${r.code}\n${r.stderr.slice(-2000)}`;
  return printedMismatch(expected, r.stdout);
}

/**
 * The result comments of a chapter example, in the order they stand. A comment
 * `// → <value>` (a JavaScript expression: literals, `11n`,
 * `new Uint8Array([1])`) sits inside an exported top-level function and says one
 * of two things:
 *
 * - on a line that binds or names a value (`const hit = cache.get(k); // → "Ada"`,
 *   `hit = …` for a `let`, or just `hit; // → "Ada"`), the value the function
 *   returns under that name: the call returns an object with a `hit` field
 *   (`name` is "hit"), so one function can show several results;
 * - anywhere else, what the call returns (`name` is undefined); a function holds
 *   at most one such comment.
 *
 * A long comment goes on in the lines right after it that start with `//   `.
 * See {@link commentedResults} for the check a test makes of them.
 */
export function resultComments(source) {
  const out = [];
  let fn;
  let last;
  source.split("\n").forEach((line, i) => {
    const more = /^\s*\/\/ {3}(.*)$/.exec(line);
    if (more !== null && last !== undefined) {
      last.text = `${last.text} ${more[1].trim()}`;
      return;
    }
    last = undefined;
    const start = /^export (?:async )?function (\w+)\(/.exec(line);
    if (start !== null) fn = start[1];
    else if (/^}/.test(line)) fn = undefined;
    const m = /\/\/ → (.*)$/.exec(line);
    if (m === null) return;
    if (fn === undefined) throw new Error(`line ${i + 1}: a // → comment outside an exported function: ${line.trim()}`);
    const name = (/^\s*(?:(?:const|let|var) )?(\w+)(?:: [^=]+)? = /.exec(line) ?? /^\s*(\w+);\s*\/\//.exec(line))?.[1];
    if (name === undefined && out.some((c) => c.fn === fn && c.name === undefined)) {
      throw new Error(`${fn} has more than one // → comment on its return value (line ${i + 1})`);
    }
    last = { fn, name, text: m[1].trim(), line: i + 1 };
    out.push(last);
  });
  return out;
}

/**
 * The comments of {@link resultComments} that say what a whole call returns:
 * function name → the comment's text.
 */
export function commentedReturns(source) {
  return new Map(resultComments(source).filter((c) => c.name === undefined).map((c) => [c.fn, c.text]));
}

/**
 * Checks the result comments of a chapter example against real calls: imports
 * `file` (a URL or path of a .ts file; run inside vitest or tsx), calls each
 * function its comments speak of once, with no arguments or with `args[fn]`,
 * awaits it, and pairs every comment with what came back: `{ fn, what, actual,
 * expected }`. A test compares each pair: `expect(actual, what).toEqual(expected)`.
 *
 * Throws when the file has no result comment, a function is not exported, or a
 * named value is missing from the object the function returns.
 */
export async function commentedResults(file, args = {}) {
  const url = file instanceof URL ? file : pathToFileURL(file);
  const comments = resultComments(readFileSync(url, "utf8"));
  if (comments.length === 0) throw new Error(`${fileURLToPath(url)} has no \`// → \` result comment`);
  const module = await import(url.href);
  const returned = new Map();
  const out = [];
  for (const { fn, name, text, line } of comments) {
    if (!returned.has(fn)) {
      if (typeof module[fn] !== "function") throw new Error(`${fn} (line ${line}) is not an exported function`);
      returned.set(fn, await module[fn](...(args[fn] ?? [])));
    }
    const result = returned.get(fn);
    if (name !== undefined && (typeof result !== "object" || result === null || !Object.hasOwn(result, name))) {
      throw new Error(`line ${line}: ${fn}() returns no "${name}" field for the comment on \`${name}\``);
    }
    out.push({
      fn,
      what: `${name === undefined ? `${fn}()` : `${fn}().${name}`} (line ${line})`,
      actual: name === undefined ? result : result[name],
      expected: evaluateComment(text),
    });
  }
  return out;
}

/**
 * commentedResults for an example whose functions write files: each function named in `fns` is called with
 * one fresh temporary directory, which is removed afterwards.
 */
export async function commentedResultsInTempDir(file, fns) {
  const dir = mkdtempSync(join(tmpdir(), "arenakit-example-"));
  try {
    return await commentedResults(file, Object.fromEntries(fns.map((fn) => [fn, [dir]])));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The value a result comment writes (a JavaScript expression: literals, `11n`, `new Uint8Array([1])`). */
export function evaluateComment(text) {
  return new Function(`return (${text});`)();
}
