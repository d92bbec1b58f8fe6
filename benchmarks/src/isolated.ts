import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { IsolatedCase, IsolatedRow } from "./api.ts";

const CHILD = fileURLToPath(new URL("./child.ts", import.meta.url));

type Raw = Omit<IsolatedRow, "gcSpeedup" | "memoryRatio" | "buildSpeedup">;

function runChild(modulePath: string, variant: string, records: number): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["--expose-gc", "--max-old-space-size=8192", "--import", "tsx", "--conditions=@arenakit/source", CHILD, modulePath, variant, String(records)],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
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
  const modulePath = fileURLToPath(c.module);
  const sizes = quick ? c.quickRecords : c.records;
  const rows: IsolatedRow[] = [];
  for (const records of sizes) {
    const raw: Raw[] = [];
    for (const variant of c.variants) {
      onStep(`${variant} × ${records.toLocaleString("en-US")}`);
      raw.push(await runChild(modulePath, variant, records));
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
