import { writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { DEFAULT_MAX_RECORDS, type IsolatedCase, type IsolatedRow, type Profile } from "./api.ts";
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

/** The record counts a profile measures (see {@link IsolatedCase.records}). */
export function isolatedSizes(c: IsolatedCase, profile: Profile): readonly number[] {
  if (profile === "quick") return c.quickRecords;
  if (profile === "full") return c.records;
  return c.defaultRecords ?? c.records.filter((n) => n <= DEFAULT_MAX_RECORDS);
}

/** The variants a profile measures (see {@link IsolatedCase.defaultVariants}), in the case's order. */
export function isolatedVariants(c: IsolatedCase, profile: Profile): readonly string[] {
  if (profile !== "default" || c.defaultVariants === undefined) return c.variants;
  const keep = new Set([c.baseline, ...c.defaultVariants]);
  return c.variants.filter((v) => keep.has(v));
}

/**
 * Runs every variant at every record count of the profile, each in its own
 * process. `onStep` hears each child's start (its label, and the index of the
 * child among all of the case's children).
 */
export async function runIsolatedCase(
  c: IsolatedCase,
  profile: Profile,
  onStep: (label: string, child: number, children: number) => void,
): Promise<IsolatedRow[]> {
  const entry = entryFor(fileURLToPath(c.module));
  const sizes = isolatedSizes(c, profile);
  const variants = isolatedVariants(c, profile);
  const rows: IsolatedRow[] = [];
  let child = 0;
  for (const records of sizes) {
    const raw: Raw[] = [];
    for (const variant of variants) {
      onStep(`${variant} × ${records.toLocaleString("en-US")}`, child++, sizes.length * variants.length);
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
