// The data behind each chart, computed from the results file: which bars and
// panels to draw, their reader-facing labels, and when a log scale is needed.
// Kept apart from the Vue component so the tests can check it without a DOM.
import type { IsolatedCaseResult, TimeCaseResult } from "../../../benchmarks/src/api.ts";
import { format, type Metric } from "./results.ts";

/** Colours of the series; the first is the baseline's grey. Readable on light and dark backgrounds. */
export const SERIES_COLORS: readonly string[] = ["#8e8e93", "#2f9e7a", "#e07b00", "#3b82f6", "#c026d3", "#b45309"];

/** What readers see for each metric, with its unit: never the results file's key. */
const LABELS: Record<Metric, string> = {
  speedup: "× as fast as the baseline",
  ratio: "time / baseline's time",
  mean: "mean time per call (ms)",
  median: "median time per call (ms)",
  p99: "99th-percentile time per call (ms)",
  hz: "calls per second",
  gcMs: "full GC pause (ms)",
  gcSpeedup: "GC pause, × cheaper than the baseline",
  bytesPerRecord: "memory per record (bytes)",
  memoryRatio: "memory / baseline's memory",
  buildMs: "build time (ms)",
  buildSpeedup: "build, × as fast as the baseline",
  overheadPerRecord: "memory beyond the payload, per record (bytes)",
};

/** The axis title (with unit) for a metric. */
export function axisLabel(metric: Metric): string {
  return LABELS[metric];
}

/** Panel titles for isolated cases. */
const TITLES: Partial<Record<Metric, string>> = {
  gcMs: "Full GC pause with the records alive",
  bytesPerRecord: "Memory per record (JS heap + ArrayBuffers)",
  buildMs: "Time to build the records",
};

export interface Bar {
  readonly name: string;
  readonly speedup: number;
  readonly label: string;
  readonly baseline: boolean;
}

/** One bar per task: its speedup against the baseline, labelled "3.2× faster" / "2.0× slower". */
export function speedupBars(c: TimeCaseResult): { bars: Bar[]; log: boolean; domain: [number, number] } {
  const bars = c.tasks.map((t) => ({
    name: t.name,
    speedup: t.speedup,
    baseline: t.name === c.baseline,
    label:
      t.name === c.baseline
        ? "baseline"
        : t.speedup >= 1
          ? `${format("speedup", t.speedup)} faster`
          : `${format("speedup", 1 / t.speedup)} slower`,
  }));
  const lo = Math.min(1, ...bars.map((b) => b.speedup));
  const hi = Math.max(1, ...bars.map((b) => b.speedup));
  const log = hi / lo > 10;
  // Bars start at the left edge of the domain, so on a log scale it must lie below every bar.
  const domain: [number, number] = log ? [lo / 2, hi * 1.3] : [0, hi * 1.15];
  return { bars, log, domain };
}

export interface Panel {
  readonly metric: Metric;
  readonly title: string;
  readonly log: boolean;
  readonly sizes: number[];
  readonly points: { variant: string; records: number; value: number }[];
}

/**
 * The panels of an isolated case: the requested metric first, then the other
 * of GC pause / memory per record, so time and bytes never share an axis.
 * A panel whose values span more than 20× uses a log y axis, so a flat
 * series is not drawn on top of the zero line.
 */
export function isolatedPanels(c: IsolatedCaseResult, first: Metric = "gcMs"): Panel[] {
  const metrics: Metric[] = [first, ...(["gcMs", "bytesPerRecord"] as const).filter((m) => m !== first)];
  const sizes = [...new Set(c.rows.map((r) => r.records))].sort((a, b) => a - b);
  return metrics.map((metric) => {
    const points = c.rows
      .map((r) => ({ variant: r.variant, records: r.records, value: (r as unknown as Record<string, number>)[metric] ?? NaN }))
      .filter((p) => Number.isFinite(p.value) && p.value > 0)
      .sort((a, b) => a.records - b.records);
    const values = points.map((p) => p.value);
    const log = values.length > 0 && Math.max(...values) / Math.min(...values) > 20;
    return { metric, title: TITLES[metric] ?? axisLabel(metric), log, sizes, points };
  });
}

/**
 * Tick values for a log axis over the range of `values`: every power of ten in
 * range, always; and the 2 and 5 steps between them too when all of them fit
 * in `maxTicks` (the room the axis has for labels).
 */
export function logTicks(values: readonly number[], maxTicks = Infinity): number[] {
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const within = (steps: readonly number[]): number[] => {
    const out: number[] = [];
    for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) {
      for (const s of steps) {
        // 10 ** e is exact for the integer powers used here; s * 10 ** e is
        // rounded so 2 * 10 ** -1 prints as 0.2.
        const v = +(s * 10 ** e).toPrecision(12);
        if (v >= lo * 0.999 && v <= hi * 1.001) out.push(v);
      }
    }
    return out;
  };
  const fine = within([1, 2, 5]);
  const coarse = within([1]);
  // A range with fewer than two powers of ten keeps its 2 and 5 steps: one
  // label alone would not show the scale.
  return fine.length <= maxTicks || coarse.length < 2 ? fine : coarse;
}

/** How many tick labels an axis of `pixels` can hold when each needs `spacing` pixels. */
export function tickRoom(pixels: number, spacing: number): number {
  return Math.max(2, Math.floor(pixels / spacing));
}

/** A record count for an axis: "500", "10k", "250k", "1M", "4.19M". */
export function recordsLabel(n: number): string {
  const short = (x: number): string => String(+x.toPrecision(3));
  return n >= 1e6 ? `${short(n / 1e6)}M` : n >= 1e3 ? `${short(n / 1e3)}k` : short(n);
}

/** A short axis label for a round tick value: "200 ms", "1.5 s", "300 B", "1,000×". */
export function shortFigure(metric: Metric, v: number): string {
  const n = (x: number): string => (+x.toPrecision(3)).toLocaleString("en-US");
  switch (metric) {
    case "gcMs":
    case "buildMs":
    case "mean":
    case "median":
    case "p99":
      return v >= 1000 ? `${n(v / 1000)} s` : v >= 1 ? `${n(v)} ms` : `${n(v * 1000)} µs`;
    case "bytesPerRecord":
    case "overheadPerRecord":
      // Below 10 KiB in bytes, so that steps of 500 B read 1,000 B, 1,500 B.
      return v >= 10 * 1024 ? `${n(v / 1024)} KiB` : `${n(v)} B`;
    default:
      return `${n(v)}×`;
  }
}
