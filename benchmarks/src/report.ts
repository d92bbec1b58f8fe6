import type {
  CaseResult,
  CustomCase,
  CustomCaseResult,
  CustomMetric,
  CustomSubject,
  CustomSubjectResult,
  CustomTargetResult,
  IsolatedRow,
  ResultsFile,
  Target,
  TargetResult,
  TaskResult,
} from "./api.ts";
import { fmtBytes, fmtMs, fmtX } from "./format.ts";

/** Checks targets against a time case's task results. */
export function judgeTime(targets: readonly Target[] = [], tasks: readonly TaskResult[]): TargetResult[] {
  return targets.map((t) => {
    const task = tasks.find((x) => x.name === t.subject);
    const value = task === undefined ? null : t.metric === "speedup" ? task.speedup : t.metric === "mean" ? task.mean : null;
    return verdict(t, value);
  });
}

/** Checks targets against an isolated case's rows (at `records`, or the largest count measured). */
export function judgeIsolated(targets: readonly Target[] = [], rows: readonly IsolatedRow[]): TargetResult[] {
  return targets.map((t) => {
    const mine = rows.filter((r) => r.variant === t.subject);
    const at = t.records ?? Math.max(...mine.map((r) => r.records));
    const row = mine.find((r) => r.records === at) ?? mine.at(-1);
    if (row === undefined) return verdict(t, null);
    const value =
      t.metric === "gcSpeedup"
        ? row.gcSpeedup
        : t.metric === "memoryRatio"
          ? row.memoryRatio
          : t.metric === "buildSpeedup"
            ? row.buildSpeedup
            : t.metric === "bytesPerRecord"
              ? row.bytesPerRecord - (row.payloadBytesPerRecord ?? 0)
              : null;
    return verdict({ ...t, records: row.records }, value);
  });
}

/**
 * Turns what a custom case's `run` returned into its result: every figure's
 * ratio to the baseline's (subject / baseline), and the targets' verdicts.
 * @throws when the baseline subject is missing.
 */
export function customResult(c: CustomCase, measured: readonly CustomSubject[]): CustomCaseResult {
  const base = measured.find((s) => s.subject === c.baseline);
  if (base === undefined) throw new Error(`case ${c.id}: baseline subject "${c.baseline}" is missing`);
  const subjects: CustomSubjectResult[] = measured.map((s) => ({
    subject: s.subject,
    values: s.values,
    ratios: Object.fromEntries(c.metrics.map((m) => [m.key, (s.values[m.key] ?? NaN) / (base.values[m.key] ?? NaN)])),
  }));
  const targets: CustomTargetResult[] = (c.targets ?? []).map((t) => {
    const s = subjects.find((x) => x.subject === t.subject);
    const raw = s === undefined ? undefined : t.of === "ratio" ? s.ratios[t.metric] : s.values[t.metric];
    const value = raw !== undefined && Number.isFinite(raw) ? raw : null;
    const met =
      value !== null && (t.atLeast === undefined || value >= t.atLeast) && (t.atMost === undefined || value <= t.atMost);
    return { ...t, value, met };
  });
  return {
    kind: "custom", id: c.id, title: c.title, baseline: c.baseline, metrics: c.metrics, subjects, targets,
    ...(c.note !== undefined ? { note: c.note } : {}),
  };
}

/** A custom figure with its unit. */
export function fmtUnit(unit: CustomMetric["unit"], v: number): string {
  if (!Number.isFinite(v)) return "n/a";
  if (unit === "ms") return fmtMs(v);
  if (unit === "bytes") return fmtBytes(v);
  if (unit === "perSecond") return `${fmtCount(v)}/s`;
  return fmtCount(v);
}

function fmtCount(v: number): string {
  return v >= 100 ? Math.round(v).toLocaleString("en-US") : v.toFixed(2);
}

function verdict(t: Target, value: number | null): TargetResult {
  const met =
    value !== null && (t.atLeast === undefined || value >= t.atLeast) && (t.atMost === undefined || value <= t.atMost);
  return { ...t, value, met };
}

/** Rows of the summary table printed at the end of a run. */
export function summaryRows(results: ResultsFile): Record<string, string>[] {
  const rows: Record<string, string>[] = [];
  for (const suite of results.suites) {
    for (const c of suite.cases) rows.push(...caseRows(`${suite.id}/${c.id}`, c));
  }
  return rows;
}

function caseRows(id: string, c: CaseResult): Record<string, string>[] {
  if (c.kind === "custom" && c.metrics.length > 3) {
    // Many figures per subject (a curve): one row per subject and figure keeps the table readable.
    return c.subjects.flatMap((s) =>
      c.metrics.map((m) => ({
        case: id,
        subject: `${s.subject}: ${m.label}`,
        "time/op": fmtUnit(m.unit, s.values[m.key] ?? NaN),
        "±": "",
        "vs baseline": s.subject === c.baseline ? "baseline" : fmtRatio(s.ratios[m.key] ?? NaN, m.better),
        target: c.targets
          .filter((t) => t.subject === s.subject && t.metric === m.key)
          .map((t) => `${t.met ? "met" : "MISSED"} ${t.of === "ratio" ? "ratio " : ""}${t.value === null ? "n/a" : t.value.toPrecision(3)} (${t.atLeast !== undefined ? `≥${t.atLeast}` : `≤${t.atMost}`})`)
          .join("; "),
      })),
    );
  }
  if (c.kind === "custom") {
    return c.subjects.map((s) => ({
      case: id,
      subject: s.subject,
      "time/op": c.metrics.map((m) => `${m.label} ${fmtUnit(m.unit, s.values[m.key] ?? NaN)}`).join(", "),
      "±": "",
      "vs baseline":
        s.subject === c.baseline
          ? "baseline"
          : c.metrics.map((m) => `${m.label} ${fmtRatio(s.ratios[m.key] ?? NaN, m.better)}`).join(", "),
      target: c.targets
        .filter((t) => t.subject === s.subject)
        .map((t) => {
          const goal = t.atLeast !== undefined ? `≥${t.atLeast}` : `≤${t.atMost}`;
          const v = t.value === null ? "n/a" : t.value.toPrecision(3);
          return `${t.met ? "met" : "MISSED"} ${t.metric}${t.of === "ratio" ? " ratio" : ""} ${v} (${goal})`;
        })
        .join("; "),
    }));
  }
  if (c.kind === "time") {
    return c.tasks.map((t) => ({
      case: id,
      subject: t.name,
      "time/op": fmtMs(t.mean),
      "±": `${t.rme.toFixed(1)}%`,
      "vs baseline": t.name === c.baseline ? "baseline" : `${fmtX(t.speedup)} faster`.replace(/^(\d.*)× faster$/, (m) => (t.speedup < 1 ? `${fmtX(1 / t.speedup)} slower` : m)),
      target: targetText(c.targets, t.name),
    }));
  }
  return c.rows.map((r) => ({
    case: `${id} @${r.records.toLocaleString("en-US")}`,
    subject: r.variant,
    "time/op": `GC ${fmtMs(r.gcMs)}`,
    "±": `${fmtBytes(r.bytesPerRecord)}/rec`,
    "vs baseline": r.variant === c.baseline ? "baseline" : `GC ${fmtX(r.gcSpeedup)} cheaper, mem ${fmtX(r.memoryRatio)}`,
    target: targetText(c.targets.filter((t) => t.records === undefined || t.records === r.records), r.variant),
  }));
}

/** "3.2× lower" / "1.5× higher" for a ratio subject / baseline. */
export function fmtRatio(r: number, better: CustomMetric["better"]): string {
  if (!Number.isFinite(r) || r <= 0) return "n/a";
  const word = r < 1 ? "lower" : "higher";
  const x = r < 1 ? 1 / r : r;
  const good = (r < 1) === (better === "lower");
  return `${fmtX(x)} ${word}${r === 1 ? "" : good ? "" : " (worse)"}`;
}

function targetText(targets: readonly TargetResult[], subject: string): string {
  return targets
    .filter((t) => t.subject === subject)
    .map((t) => {
      const goal = t.atLeast !== undefined ? `≥${t.atLeast}` : `≤${t.atMost}`;
      const v = t.value === null ? "n/a" : t.value.toFixed(2);
      return `${t.met ? "met" : "MISSED"} ${t.metric} ${v} (${goal})`;
    })
    .join("; ");
}

export { fmtBytes, fmtMs, fmtX };
