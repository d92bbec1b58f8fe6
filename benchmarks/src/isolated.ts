import { spawn } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import type { IsolatedCase, IsolatedRow } from "./api.ts";

const CHILD = fileURLToPath(new URL("./child.ts", import.meta.url));
// Inside node_modules so that externals (lru-cache, …) resolve from the benchmarks package.
const OUT = fileURLToPath(new URL(`../node_modules/.cache/isolated-${process.pid}/`, import.meta.url));
const bundles = new Map<string, string>();

type Raw = Omit<IsolatedRow, "gcSpeedup" | "memoryRatio" | "buildSpeedup">;

/**
 * Bundles the case's module with the measuring code into one plain ESM file,
 * resolving workspace packages from source, so each child is a bare `node`.
 */
async function bundle(modulePath: string): Promise<string> {
  const cached = bundles.get(modulePath);
  if (cached !== undefined) return cached;
  mkdirSync(OUT, { recursive: true });
  const name = basename(modulePath).replace(/\.ts$/, "");
  const entry = join(OUT, `${name}.entry.ts`);
  writeFileSync(
    entry,
    `import * as mod from ${JSON.stringify(modulePath)};\n` +
      `import { measure } from ${JSON.stringify(CHILD)};\n` +
      `const [variant, records] = process.argv.slice(2);\n` +
      `await measure(mod, variant, Number(records));\n`,
  );
  const outfile = join(OUT, `${name}.mjs`);
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    conditions: ["@arenakit/source"],
    external: ["lru-cache", "@thi.ng/*", "piscina", "tinypool"],
    logLevel: "error",
  });
  bundles.set(modulePath, outfile);
  return outfile;
}

function runChild(script: string, variant: string, records: number): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--expose-gc", "--max-old-space-size=12288", script, variant, String(records)], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    child.on("error", reject);
    child.on("close", (code) => {
      const line = out.trim().split("\n").pop() ?? "";
      if (code !== 0 || !line.startsWith("{")) {
        reject(new Error(`isolated ${variant} @ ${records} exited with ${code}: ${err.trim().slice(-2000)}`));
        return;
      }
      resolve(JSON.parse(line) as Raw);
    });
  });
}

/** Runs every variant at every record count, each in its own process. */
export async function runIsolatedCase(
  c: IsolatedCase,
  quick: boolean,
  onStep: (label: string) => void,
): Promise<IsolatedRow[]> {
  const script = await bundle(fileURLToPath(c.module));
  process.once("exit", () => rmSync(OUT, { recursive: true, force: true }));
  const sizes = quick ? c.quickRecords : c.records;
  const rows: IsolatedRow[] = [];
  for (const records of sizes) {
    const raw: Raw[] = [];
    for (const variant of c.variants) {
      onStep(`${variant} × ${records.toLocaleString("en-US")}`);
      raw.push(await runChild(script, variant, records));
    }
    const base = raw.find((r) => r.variant === c.baseline);
    if (base === undefined) throw new Error(`case ${c.id}: baseline variant "${c.baseline}" is missing`);
    for (const r of raw) {
      rows.push({
        ...r,
        gcSpeedup: base.gcMs / r.gcMs,
        memoryRatio: r.bytesPerRecord / base.bytesPerRecord,
        buildSpeedup: base.buildMs / r.buildMs,
      });
    }
  }
  return rows;
}
