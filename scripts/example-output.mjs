// Runs an example program the way a reader would (tsx, workspace sources) and
// compares what it prints with the `// → ` comments written next to its
// console.log calls. A comment may say `…` where a figure depends on the
// machine (a time in ms): that part matches any text, the rest must be equal.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

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

/** Runs a program and returns undefined when it exits 0 and prints what its comments say, else the problem. */
export async function checkPrinted(file) {
  const expected = commentedOutput(readFileSync(file, "utf8"));
  if (expected.length === 0) return `${file} has no \`// → \` comments`;
  const r = await runProgram(file);
  if (r.code !== 0) return `exit code ${r.code}\n${r.stderr.slice(-2000)}`;
  return printedMismatch(expected, r.stdout);
}

/**
 * The result comments of a chapter example: for each top-level function whose
 * body holds a `// → ` comment, the comment's text. The comment says what a
 * call with no arguments returns, written as a JavaScript expression
 * (`// → { owner: "Sparky-11", index: 11n }`); a test calls the function and
 * compares (see {@link evaluateComment}). A function may hold one such comment;
 * a long one goes on in the lines right after it that start with `//   `.
 */
export function commentedReturns(source) {
  const out = new Map();
  let current;
  let last;
  for (const line of source.split("\n")) {
    const more = /^\s*\/\/ {3}(.*)$/.exec(line);
    if (more !== null && last !== undefined) {
      out.set(last, `${out.get(last)} ${more[1].trim()}`);
      continue;
    }
    last = undefined;
    const fn = /^export (?:async )?function (\w+)\(/.exec(line);
    if (fn !== null) current = fn[1];
    else if (/^}/.test(line)) current = undefined;
    const m = /\/\/ → (.*)$/.exec(line);
    if (m === null) continue;
    if (current === undefined) throw new Error(`a // → comment outside an exported function: ${line.trim()}`);
    if (out.has(current)) throw new Error(`${current} has more than one // → comment`);
    out.set(current, m[1].trim());
    last = current;
  }
  return out;
}

/** The value a result comment writes (a JavaScript expression: literals, `11n`, `new Uint8Array([1])`). */
export function evaluateComment(text) {
  return new Function(`return (${text});`)();
}
