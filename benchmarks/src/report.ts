import type { CaseResult, IsolatedRow, ResultsFile, Target, TargetResult, TaskResult } from "./api.ts";

/** Checks targets against a time case's task results. */
export function judgeTime(targets: readonly Target[] = [], tasks: readonly TaskResult[]): TargetResult[] {
  return targets.map((t) => {
    const task = tasks.find((x) => x.name === t.subject);
    const value = task === undefined ? null : t.metric === "speedup" ? task.speedup : null;
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

function verdict(t: Target, value: number | null): TargetResult {
  const met =
    value !== null && (t.atLeast === undefined || value >= t.atLeast) && (t.atMost === undefined || value <= t.atMost);
  return { ...t, value, met };
}

export function fmtMs(ms: number): string {
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 1) return `${ms.toFixed(2)} ms`;
  if (ms >= 0.001) return `${(ms * 1000).toFixed(2)} µs`;
  return `${(ms * 1e6).toFixed(1)} ns`;
}

export function fmtBytes(b: number): string {
  if (b >= 1 << 30) return `${(b / (1 << 30)).toFixed(2)} GiB`;
  if (b >= 1 << 20) return `${(b / (1 << 20)).toFixed(1)} MiB`;
  if (b >= 1024) return `${(b / 1024).toFixed(1)} KiB`;
  return `${b.toFixed(0)} B`;
}

export function fmtX(x: number): string {
  return x >= 100 ? `${x.toFixed(0)}×` : x >= 10 ? `${x.toFixed(1)}×` : `${x.toFixed(2)}×`;
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
