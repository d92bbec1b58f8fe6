// Runs a measuring script (it prints one JSON line) in a fresh `node
// --expose-gc` process. The script is bundled with esbuild first (workspace
// packages from source), so the child holds nothing but node and the
// workload: no loader, no other case's garbage. Isolated cases (isolated.ts)
// and custom cases that measure in a child both go through here. Worker
// threads a script starts run the same bundle (`new Worker(import.meta.url)`).
import { spawn } from "node:child_process";
import { mkdirSync, readdirSync, rmSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { PROGRESS_ENV, parseProgress } from "./child-progress.ts";

// Inside node_modules so that externals (lru-cache) resolve from the benchmarks package.
const OUT = fileURLToPath(new URL(`../node_modules/.cache/bench-${process.pid}/`, import.meta.url));
const bundles = new Map<string, Promise<string>>();
let cleanup = false;

/** The folder bundles and generated entries go to (removed when the run exits). */
export function scratchDir(): string {
  mkdirSync(OUT, { recursive: true });
  if (!cleanup) {
    cleanup = true;
    process.once("exit", () => rmSync(OUT, { recursive: true, force: true }));
    sweepDead();
  }
  return OUT;
}

/** Removes the scratch folders of runs whose process is gone (killed runs never reach their exit hook). */
function sweepDead(): void {
  const parent = dirname(OUT.replace(/[\\/]$/, ""));
  for (const name of readdirSync(parent)) {
    const pid = /^bench-(\d+)$/.exec(name)?.[1];
    if (pid === undefined || Number(pid) === process.pid) continue;
    try {
      process.kill(Number(pid), 0); // still running: leave it
    } catch {
      rmSync(join(parent, name), { recursive: true, force: true });
    }
  }
}

/** Bundles a script once per run; resolves with the path of the bundle. */
export function bundleScript(script: URL): Promise<string> {
  const path = fileURLToPath(script);
  let out = bundles.get(path);
  if (out === undefined) {
    scratchDir();
    const outfile = join(OUT, `${bundles.size}-${basename(path).replace(/\.ts$/, ".mjs")}`);
    out = build({
      entryPoints: [path],
      outfile,
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node20",
      conditions: ["@arenakit/source"],
      external: ["lru-cache", "@thi.ng/*"],
      logLevel: "error",
    }).then(() => outfile);
    bundles.set(path, out);
  }
  return out;
}

/** What a child reported with `reportProgress` (child-progress.ts). */
export type ChildProgressListener = (fraction: number, label?: string) => void;

let progressListener: ChildProgressListener | undefined;

/**
 * Sets who hears the progress lines of the children started from now on
 * (the runner sets it per case; undefined stops listening).
 */
export function onChildProgress(listener: ChildProgressListener | undefined): void {
  progressListener = listener;
}

/**
 * Runs the bundled `script` with `args` in a child started with
 * `--expose-gc` and resolves with the last line it printed, parsed as JSON.
 * The child's progress lines go to the listener set with {@link onChildProgress}.
 * @throws when the child exits with an error or prints no JSON line.
 */
export async function runScript<T>(script: URL, args: readonly (string | number)[], maxOldSpaceMb = 12288): Promise<T> {
  const file = await bundleScript(script);
  const listener = progressListener;
  return new Promise<T>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["--expose-gc", `--max-old-space-size=${maxOldSpaceMb}`, file, ...args.map(String)],
      { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, [PROGRESS_ENV]: listener === undefined ? "0" : "1" } },
    );
    let out = "";
    let err = "";
    let partial = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d: Buffer) => {
      const lines = (partial + d.toString()).split("\n");
      partial = lines.pop() ?? "";
      for (const line of lines) {
        const p = parseProgress(line);
        if (p === undefined) err += `${line}\n`;
        else listener?.(p.f, p.label);
      }
    });
    child.on("error", reject);
    child.on("close", (code) => {
      err += partial;
      const line = out.trim().split("\n").pop() ?? "";
      if (code !== 0 || !line.startsWith("{")) {
        reject(new Error(`${basename(file)} ${args.join(" ")} exited with ${code}: ${err.trim().slice(-2000)}`));
        return;
      }
      resolve(JSON.parse(line) as T);
    });
  });
}
