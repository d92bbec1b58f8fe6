// Lookups into the committed benchmark results, shared by the components and
// by scripts/check-docs.ts (which fails the build when a page names a case,
// subject or figure that the results file does not have).
import type {
  CaseResult,
  CustomMetric,
  CustomSubjectResult,
  IsolatedRow,
  ResultsFile,
  TaskResult,
} from "../../../benchmarks/src/api.ts";
import raw from "../../../benchmarks/results/node20.json";
import raw24 from "../../../benchmarks/results/node24.json";
import { fmtBytes, fmtMs, fmtX } from "../../../benchmarks/src/format.ts";

export { fmtBytes, fmtMs, fmtX };

/** The committed results of the full run on Node 20 (`pnpm bench --full`), which every figure on the site comes from. */
export const results = raw as unknown as ResultsFile;

/** Where {@link results} lives, for messages. */
export const RESULTS_PATH = "benchmarks/results/node20.json";

/** One committed results file per runtime (`benchmarks/results/node<major>.json`), Node 20's full run first. */
export interface RuntimeResults {
  readonly runtime: string;
  readonly path: string;
  readonly file: ResultsFile;
}

export const runtimeResults: readonly RuntimeResults[] = [
  { runtime: "Node 20", path: RESULTS_PATH, file: results },
  { runtime: "Node 24", path: "benchmarks/results/node24.json", file: raw24 as unknown as ResultsFile },
];

/** "full run", "default run (curves to 1M)" or "quick run" (files from before profiles were full runs). */
export function profileLabel(file: Pick<ResultsFile, "profile" | "quick">): string {
  const p = file.profile ?? (file.quick ? "quick" : "full");
  return p === "full" ? "full run" : p === "default" ? "default run (curves to 1M, shorter timing)" : "quick run, rough figures";
}

/** A case from the first runtime's file that has it (Node 20's full run first), with where it came from. */
export function findCaseInRuntimes(id: string): (RuntimeResults & { c: CaseResult }) | undefined {
  for (const r of runtimeResults) {
    const c = findCase(id, r.file);
    if (c !== undefined) return { ...r, c };
  }
  return undefined;
}

export type Metric =
  | "speedup"
  | "ratio"
  | "mean"
  | "median"
  | "p99"
  | "hz"
  | "gcMs"
  | "gcSpeedup"
  | "bytesPerRecord"
  | "memoryRatio"
  | "buildMs"
  | "buildSpeedup"
  | "overheadPerRecord";

export const TIME_METRICS: readonly Metric[] = ["speedup", "ratio", "mean", "median", "p99", "hz"];
export const ISOLATED_METRICS: readonly Metric[] = [
  "gcMs", "gcSpeedup", "bytesPerRecord", "memoryRatio", "buildMs", "buildSpeedup", "overheadPerRecord",
];

export function findCase(id: string, file: ResultsFile = results): CaseResult | undefined {
  const slash = id.indexOf("/");
  const suite = file.suites.find((s) => s.id === id.slice(0, slash));
  return suite?.cases.find((c) => c.id === id.slice(slash + 1));
}

export function findRow(
  c: CaseResult,
  subject: string,
  records?: number,
): TaskResult | IsolatedRow | CustomSubjectResult | undefined {
  if (c.kind === "time") return c.tasks.find((t) => t.name === subject);
  if (c.kind === "custom") return c.subjects.find((s) => s.subject === subject);
  const rows = c.rows.filter((r) => r.variant === subject);
  if (records !== undefined) return rows.find((r) => r.records === records);
  return rows.reduce<IsolatedRow | undefined>((a, r) => (a === undefined || r.records > a.records ? r : a), undefined);
}

/**
 * The figure, or an explanation of why it is missing. For a custom case,
 * `metric` is one of the case's metric keys (the figure, with its `unit`) or
 * `<key>.ratio` (the figure / the baseline's).
 */
export function lookup(
  id: string,
  subject: string,
  metric: Metric | string,
  records?: number,
  file: ResultsFile = results,
): { value: number; unit?: CustomMetric["unit"] | "ratio" } | { error: string } {
  const c = findCase(id, file);
  if (c === undefined) return { error: `no benchmark case "${id}" in ${RESULTS_PATH}` };
  const row = findRow(c, subject, records);
  if (row === undefined) return { error: `case "${id}" has no subject "${subject}"${records ? ` at ${records} records` : ""}` };
  if (c.kind === "custom") {
    const s = row as CustomSubjectResult;
    const ratio = metric.endsWith(".ratio");
    const key = ratio ? metric.slice(0, -".ratio".length) : metric;
    const m = c.metrics.find((x) => x.key === key);
    if (m === undefined) {
      return { error: `metric "${metric}" is not a metric of ${id} (${c.metrics.map((x) => x.key).join(", ")}, or <key>.ratio)` };
    }
    const v = ratio ? s.ratios[key] : s.values[key];
    return typeof v === "number" && Number.isFinite(v)
      ? { value: v, unit: ratio ? "ratio" : m.unit }
      : { error: `"${metric}" is not recorded for ${subject} in ${id}` };
  }
  if (!isMetric(metric)) return { error: `metric "${metric}" is not a metric of ${id}` };
  if (c.kind === "time" && !TIME_METRICS.includes(metric)) return { error: `metric "${metric}" is not a time metric` };
  if (c.kind === "isolated" && !ISOLATED_METRICS.includes(metric)) return { error: `metric "${metric}" is not an isolated metric` };
  if (metric === "overheadPerRecord") {
    const r = row as IsolatedRow;
    return { value: r.bytesPerRecord - (r.payloadBytesPerRecord ?? 0) };
  }
  const v = (row as unknown as Record<string, number>)[metric];
  return typeof v === "number" ? { value: v } : { error: `"${metric}" is not recorded for ${id}` };
}

function isMetric(m: string): m is Metric {
  return (TIME_METRICS as readonly string[]).includes(m) || (ISOLATED_METRICS as readonly string[]).includes(m);
}

/** A custom case's figure with its unit (see `CustomMetric`), or a ratio. */
export function formatUnit(unit: CustomMetric["unit"] | "ratio", v: number): string {
  if (!Number.isFinite(v)) return "n/a";
  switch (unit) {
    case "ms":
      return fmtMs(v);
    case "bytes":
      return fmtBytes(v);
    case "perSecond":
      return `${v >= 100 ? Math.round(v).toLocaleString("en-US") : v.toFixed(2)}/s`;
    case "count":
      return v >= 100 ? Math.round(v).toLocaleString("en-US") : v.toFixed(2);
    case "ratio":
      return fmtX(v);
  }
}

/** "2.0× lower" / "1.5× higher" for a ratio subject / baseline. */
export function fmtRatio(r: number): string {
  if (!Number.isFinite(r) || r <= 0) return "n/a";
  return r < 1 ? `${fmtX(1 / r)} lower` : `${fmtX(r)} higher`;
}

export function format(metric: Metric, v: number): string {
  switch (metric) {
    case "speedup":
    case "ratio":
    case "gcSpeedup":
    case "memoryRatio":
    case "buildSpeedup":
      return fmtX(v);
    case "mean":
    case "median":
    case "p99":
    case "gcMs":
    case "buildMs":
      return fmtMs(v);
    case "bytesPerRecord":
    case "overheadPerRecord":
      return fmtBytes(v);
    case "hz":
      return `${Math.round(v).toLocaleString("en-US")}/s`;
  }
}
