// A case's goals in words a reader can follow: the goal, then the measured
// figure ("Bump.alloc: at least 5× as fast as new Uint8Array(n); measured
// 80×"). Where a goal came from is project history, not something a reader
// of the book needs, so it is not shown.
import type { CaseResult, CustomTargetResult, TargetResult } from "../../../benchmarks/src/api.ts";
import { fmtBytes, fmtMs, fmtX, formatUnit } from "./results.ts";

export interface GoalLine {
  readonly text: string;
  readonly met: boolean;
}

function bound(t: { atLeast?: number; atMost?: number }, f: (v: number) => string): string {
  return t.atLeast !== undefined ? `at least ${f(t.atLeast)}` : `at most ${f(t.atMost ?? NaN)}`;
}

function measured(v: number | null, f: (v: number) => string): string {
  return v === null || !Number.isFinite(v) ? "not measured" : `measured ${f(v)}`;
}

function standard(c: CaseResult, t: TargetResult): string {
  const at = t.records !== undefined ? ` at ${t.records.toLocaleString("en-US")} records` : "";
  const base = c.baseline;
  switch (t.metric) {
    case "speedup":
      return `${t.subject}: ${bound(t, fmtX)} as fast as ${base}${at}; ${measured(t.value, fmtX)}`;
    case "mean":
      return `${t.subject}: ${bound(t, fmtMs)} per call${at}; ${measured(t.value, fmtMs)}`;
    case "gcSpeedup":
      return `${t.subject}: a full GC ${bound(t, fmtX)} cheaper than with ${base}${at}; ${measured(t.value, fmtX)}`;
    case "buildSpeedup":
      return `${t.subject}: building ${bound(t, fmtX)} as fast as ${base}${at}; ${measured(t.value, fmtX)}`;
    case "memoryRatio":
      return `${t.subject}: memory per record ${bound(t, fmtX)} of ${base}'s${at}; ${measured(t.value, fmtX)}`;
    case "bytesPerRecord":
      return `${t.subject}: ${bound(t, fmtBytes)} per record${at}; ${measured(t.value, fmtBytes)}`;
  }
}

function custom(c: CaseResult & { kind: "custom" }, t: CustomTargetResult): string {
  const m = c.metrics.find((x) => x.key === t.metric);
  const label = m?.label ?? t.metric;
  if (t.of === "ratio") {
    return `${t.subject}: ${label} ${bound(t, fmtX)} ${c.baseline}'s; ${measured(t.value, fmtX)}`;
  }
  const f = (v: number): string => (m === undefined ? String(v) : formatUnit(m.unit, v));
  return `${t.subject}: ${label} ${bound(t, f)}; ${measured(t.value, f)}`;
}

/** One line per goal of the case, with whether the measured figure meets it. */
export function goalLines(c: CaseResult): GoalLine[] {
  if (c.kind === "custom") return c.targets.map((t) => ({ text: `Goal for ${custom(c, t)}`, met: t.met }));
  return (c.targets as readonly TargetResult[]).map((t) => ({ text: `Goal for ${standard(c, t)}`, met: t.met }));
}
