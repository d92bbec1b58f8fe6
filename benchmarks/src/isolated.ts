import { writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { IsolatedCase, IsolatedRow } from "./api.ts";
import { runScript, scratchDir } from "./child-process.ts";

const MEASURE = fileURLToPath(new URL("./child.ts", import.meta.url));
const entries = new Map<string, URL>();

type Raw = Omit<IsolatedRow, "gcSpeedup" | "memoryRatio" | "buildSpeedup">;

/** An entry script that measures the case's module: `node entry.mjs <variant> <records>`. */
function entryFor(modulePath: string): URL {
  let url = entries.get(modulePath);
  if (url === undefined) {
    const file = join(scratchDir(), `${basename(modulePath).replace(/\.ts$/, "")}.entry.ts`);
    writeFileSync(
      file,
      `import * as mod from ${JSON.stringify(modulePath)};\n` +
        `import { measure } from ${JSON.stringify(MEASURE)};\n` +
        `const [variant, records] = process.argv.slice(2);\n` +
        `await measure(mod, variant, Number(records));\n`,
    );
    url = pathToFileURL(file);
    entries.set(modulePath, url);
  }
  return url;
}

/** Runs every variant at every record count, each in its own process. */
export async function runIsolatedCase(
  c: IsolatedCase,
  quick: boolean,
  onStep: (label: string) => void,
): Promise<IsolatedRow[]> {
  const entry = entryFor(fileURLToPath(c.module));
  const sizes = quick ? c.quickRecords : c.records;
  const rows: IsolatedRow[] = [];
  for (const records of sizes) {
    const raw: Raw[] = [];
    for (const variant of c.variants) {
      onStep(`${variant} × ${records.toLocaleString("en-US")}`);
      raw.push(await runScript<Raw>(entry, [variant, records]));
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
