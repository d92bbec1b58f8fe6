/**
 * The contract between the runner and the benchmark suites. A suite is one
 * module in `src/suites/` whose default export is a {@link Suite}; the runner
 * discovers every file there, so adding a package's benchmarks never touches
 * shared files.
 */

/**
 * How much a run measures. `default` (what `pnpm bench` runs) covers every
 * suite with curves up to 1M records in a few minutes; `full` adds the largest
 * sizes (4M) and the long soak, and produces the results the site shows;
 * `quick` runs every case briefly (CI).
 */
export type Profile = "quick" | "default" | "full";

/** Largest record count an isolated case measures in the `default` profile (unless it sets `defaultRecords`). */
export const DEFAULT_MAX_RECORDS = 1_000_000;

/** What a case's setup or run is told about the run. */
export interface RunContext {
  /** `--quick`: use small inputs (same as `profile === "quick"`). */
  readonly quick: boolean;
  /** The run's profile; `full` is the only one that should run the largest sizes and the longest soaks. */
  readonly profile: Profile;
}

/** A goal from an issue, checked against the measured figure and reported as met or missed. */
export interface Target {
  /** Task (time cases) or variant (isolated cases) the goal is about. */
  readonly subject: string;
  /**
   * Which figure: for time cases `speedup` (baseline time / subject time);
   * for isolated cases `gcSpeedup` (baseline GC pause / subject GC pause),
   * `memoryRatio` (subject bytes per record / baseline bytes per record),
   * `buildSpeedup`, or `bytesPerRecord` (absolute). For time cases, `mean`
   * is the absolute mean time per call, in ms.
   */
  readonly metric: "speedup" | "mean" | "gcSpeedup" | "memoryRatio" | "buildSpeedup" | "bytesPerRecord";
  /** The figure must be at least this. */
  readonly atLeast?: number;
  /** The figure must be at most this. */
  readonly atMost?: number;
  /** For scaled isolated cases: the record count the target refers to. */
  readonly records?: number;
  /** Where the goal comes from, e.g. "project goal". */
  readonly source?: string;
}

/** One timed function of a {@link TimeCase}. */
export type TaskFn = () => unknown;

/**
 * A case timed with tinybench in the runner's process: the baseline and the
 * candidates run in the same process, in the same run, with warm-up.
 */
export interface TimeCase {
  readonly kind: "time";
  /** Short id, unique in the suite (the full id is `suite/case`). */
  readonly id: string;
  /** What is measured, for tables. */
  readonly title: string;
  /** What one call of a task does (e.g. "1,000 allocations"), for tables. */
  readonly op: string;
  /** Name of the task every other task is compared with. */
  readonly baseline: string;
  /**
   * Builds the tasks. Called once before timing; `quick` is true in
   * `--quick` mode (use smaller inputs). Returns task name → function.
   * (The in-browser runner passes `quick` only.)
   */
  readonly setup: (ctx: { readonly quick: boolean; readonly profile?: Profile }) => Record<string, TaskFn> | Promise<Record<string, TaskFn>>;
  /** Called after timing, to free what setup made. */
  readonly teardown?: () => void;
  readonly targets?: readonly Target[];
  /** Prose shown under the table in the docs (methodology notes). */
  readonly note?: string;
  /**
   * What the case needs beyond the packages: `node` (Node-only APIs such as
   * worker_threads) keeps it out of the in-browser runner; `sharedArrayBuffer`
   * needs a cross-origin-isolated page there.
   */
  readonly requires?: readonly ("node" | "sharedArrayBuffer")[];
}

/**
 * A memory / GC case: each variant runs alone in a child process started
 * with `--expose-gc`, so one case's garbage never pollutes another's figures.
 * The module must export `build(variant, records)` (see {@link IsolatedModule}).
 */
export interface IsolatedCase {
  readonly kind: "isolated";
  readonly id: string;
  readonly title: string;
  /** Module (a file in `src/isolated/`) that builds and holds the records. */
  readonly module: URL;
  /** Variant names passed to `build`; the first one compared against is `baseline`. */
  readonly variants: readonly string[];
  readonly baseline: string;
  /**
   * Record counts to measure at in the `full` profile (a curve when there are
   * several). The `default` profile keeps the counts up to
   * {@link DEFAULT_MAX_RECORDS}.
   */
  readonly records: readonly number[];
  /** Record counts for the `default` profile, when the rule above does not fit. */
  readonly defaultRecords?: readonly number[];
  /**
   * Variants the `default` profile measures (the baseline among them), when
   * measuring every one would cost a newcomer's run too much; the `full` and
   * `quick` profiles measure them all.
   */
  readonly defaultVariants?: readonly string[];
  /** Record counts for `--quick`. */
  readonly quickRecords: readonly number[];
  readonly targets?: readonly Target[];
  readonly note?: string;
}

/** A figure that a {@link CustomCase} reports for each of its subjects. */
export interface CustomMetric {
  /** Key of the figure in each subject's `values` (also what a target or the docs name). */
  readonly key: string;
  /** Column label for tables. */
  readonly label: string;
  /** How the figure is shown: milliseconds, bytes, a rate per second, or a plain count. */
  readonly unit: "ms" | "bytes" | "perSecond" | "count";
  /** Which direction is better, for the "vs baseline" text. */
  readonly better: "lower" | "higher";
}

/** What a custom case measured for one subject: one number per metric key. */
export interface CustomSubject {
  readonly subject: string;
  readonly values: Readonly<Record<string, number>>;
}

/** A goal on a figure of a {@link CustomCase}. */
export interface CustomTarget {
  /** The subject the goal is about. */
  readonly subject: string;
  /** A metric key of the case. */
  readonly metric: string;
  /**
   * Judge the figure itself (`value`) or its ratio to the baseline's figure
   * (`ratio`: subject / baseline, so "at most 1/5 of the baseline" is `atMost: 0.2`).
   */
  readonly of: "value" | "ratio";
  readonly atLeast?: number;
  readonly atMost?: number;
  readonly source?: string;
}

/** What {@link CustomCase.run} is given. */
export interface CustomContext {
  /** `--quick`: a brief run. */
  readonly quick: boolean;
  /**
   * The run's profile (absent in tests, which pass `smoke`): a long soak runs
   * its full length only in `full`, and a short one in `default`.
   */
  readonly profile?: Profile;
  /**
   * For tests: the cheapest run that still goes through every code path of
   * every subject; its figures mean nothing.
   */
  readonly smoke?: boolean;
  /** Reports progress (the runner prints it). */
  readonly onStep?: (label: string) => void;
  /**
   * Reports how far the current step is, 0–1 (the runner moves its progress
   * bar). Pass it to `runScript`, whose child reports with `reportProgress`.
   */
  readonly onProgress?: (fraction: number) => void;
}

/**
 * A case that neither tinybench nor one isolated child can measure (a soak
 * with Workers, a drop followed by a GC, …): `run` does its own measuring,
 * normally in child processes, and returns figures per subject, which the
 * runner compares with the baseline's.
 */
export interface CustomCase {
  readonly kind: "custom";
  readonly id: string;
  readonly title: string;
  /** Subject every other subject is compared with. */
  readonly baseline: string;
  /** The figures each subject reports, in table order. */
  readonly metrics: readonly CustomMetric[];
  /** Measures every subject (the baseline included) and returns their figures. */
  readonly run: (ctx: CustomContext) => Promise<readonly CustomSubject[]>;
  readonly targets?: readonly CustomTarget[];
  readonly note?: string;
  /**
   * Rough wall time of `run` per profile in ms, for the progress bar's ETA
   * before a previous run's timing is known.
   */
  readonly estimateMs?: Partial<Record<Profile, number>>;
  /**
   * For an optional case that needs something outside Node (a compiler, a
   * system package): returns why it cannot run here, or undefined when it can.
   * The runner then skips it with that one line.
   */
  readonly unavailable?: () => string | undefined | Promise<string | undefined>;
  /** As for {@link TimeCase.requires}. */
  readonly requires?: readonly ("node" | "sharedArrayBuffer")[];
}

/** A case of any kind. */
export type BenchCase = TimeCase | IsolatedCase | CustomCase;

/** The default export of a file in `src/suites/`. */
export interface Suite {
  /** Short id, usually the package name without scope (`bump`). */
  readonly id: string;
  /** Title for tables and the docs. */
  readonly title: string;
  readonly cases: readonly BenchCase[];
}

/** What an isolated module's `build` returns: the held structure and its own accounting. */
export interface Built {
  /** Keeps the structure alive while the child measures. */
  readonly hold: unknown;
  /**
   * Bytes held in ArrayBuffers by the variant, by its own accounting (resizable
   * and growable buffers do not show in `process.memoryUsage().arrayBuffers`).
   */
  readonly arenaBytes?: number;
  /** Payload bytes per record (keys + values as raw bytes), for "overhead per record" figures. */
  readonly payloadBytes?: number;
}

/** Shape of a module in `src/isolated/`. */
export interface IsolatedModule {
  build(variant: string, records: number): Built | Promise<Built>;
}

// ------------------------------------------------------------------ results

/** Statistics of one timed task. Times are in milliseconds per call. */
export interface TaskResult {
  readonly name: string;
  readonly samples: number;
  readonly mean: number;
  readonly median: number;
  readonly p99: number;
  /** Relative margin of error, in percent. */
  readonly rme: number;
  /** Calls per second. */
  readonly hz: number;
  /** This task's mean time / the baseline's (below 1 is faster). */
  readonly ratio: number;
  /** The baseline's mean time / this task's (above 1 is faster). */
  readonly speedup: number;
}

/** One isolated measurement: a variant at a record count. */
export interface IsolatedRow {
  readonly variant: string;
  readonly records: number;
  readonly buildMs: number;
  /** JS heap growth after a full GC, in bytes. */
  readonly heapBytes: number;
  /** ArrayBuffer bytes: max of the engine's count and the variant's own accounting. */
  readonly arrayBufferBytes: number;
  /** RSS growth, in bytes. */
  readonly rssBytes: number;
  /** (heap + ArrayBuffer bytes) / records. */
  readonly bytesPerRecord: number;
  /** Payload bytes per record, when the variant reports it. */
  readonly payloadBytesPerRecord?: number;
  /** Median duration of a forced full GC with the structure alive, in ms. */
  readonly gcMs: number;
  /** Sum of major GC pauses reported by perf_hooks during the forced GCs, in ms. */
  readonly gcObservedMs: number;
  /** Baseline GC ms / this GC ms, at the same record count. */
  readonly gcSpeedup: number;
  /** This bytes per record / the baseline's. */
  readonly memoryRatio: number;
  /** Baseline build ms / this build ms. */
  readonly buildSpeedup: number;
}

/** A target's verdict in the results. */
export interface TargetResult extends Target {
  readonly value: number | null;
  readonly met: boolean;
}

export interface TimeCaseResult {
  readonly kind: "time";
  readonly id: string;
  readonly title: string;
  readonly op: string;
  readonly baseline: string;
  readonly note?: string;
  readonly tasks: readonly TaskResult[];
  readonly targets: readonly TargetResult[];
}

export interface IsolatedCaseResult {
  readonly kind: "isolated";
  readonly id: string;
  readonly title: string;
  readonly baseline: string;
  readonly note?: string;
  readonly rows: readonly IsolatedRow[];
  readonly targets: readonly TargetResult[];
}

/** A custom case's figures for one subject, and their ratios to the baseline's (subject / baseline). */
export interface CustomSubjectResult extends CustomSubject {
  readonly ratios: Readonly<Record<string, number>>;
}

/** A custom target's verdict in the results. */
export interface CustomTargetResult extends CustomTarget {
  readonly value: number | null;
  readonly met: boolean;
}

export interface CustomCaseResult {
  readonly kind: "custom";
  readonly id: string;
  readonly title: string;
  readonly baseline: string;
  readonly metrics: readonly CustomMetric[];
  readonly note?: string;
  readonly subjects: readonly CustomSubjectResult[];
  readonly targets: readonly CustomTargetResult[];
}

/**
 * A case's result, with the wall time the case took and the CPU time it used,
 * its child processes included (for the next run's ETA).
 */
export type CaseResult = (TimeCaseResult | IsolatedCaseResult | CustomCaseResult) & {
  readonly durationMs?: number;
  readonly cpuMs?: number;
};

export interface MachineInfo {
  readonly cpu: string;
  readonly cores: number;
  readonly memoryBytes: number;
  readonly os: string;
  readonly node: string;
  readonly v8: string;
}

/**
 * The file written by `pnpm bench`: `results/node<major>.json` for a full run
 * (committed; the docs read it), `results/local/…` otherwise.
 */
export interface ResultsFile {
  readonly schema: 1;
  readonly date: string;
  readonly quick: boolean;
  /** The profile that produced the file (files written before profiles existed were full runs). */
  readonly profile?: Profile;
  readonly filter: readonly string[];
  readonly machine: MachineInfo;
  readonly durationMs: number;
  readonly suites: readonly { readonly id: string; readonly title: string; readonly cases: readonly CaseResult[] }[];
}

/** Identity helper that gives a suite file its types. */
export function defineSuite(suite: Suite): Suite {
  return suite;
}
