// The run's progress, for a person watching: on a terminal, one bar for the
// whole run (cli-progress) with elapsed time, ETA and the current case and
// step; elsewhere (CI logs, a pipe), plain lines. Work is counted in
// estimated milliseconds per case (from the previous run of the same profile
// when there is one), so the bar moves by how long cases take, not by how
// many there are, and the ETA is the remaining estimate at the pace so far.
import cliProgress from "cli-progress";

/** One case of the plan, with its estimated wall time. */
export interface PlannedCase {
  readonly id: string;
  readonly title: string;
  readonly estimateMs: number;
}

/** m:ss or h:mm:ss. */
export function clock(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return "?";
  const s = Math.round(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${ss}` : `${m}:${ss}`;
}

/**
 * Estimated work (ms) that the pace of the run is averaged with at the start:
 * one case that runs far over its estimate early on (a large fixture on a busy
 * machine) should not multiply the whole remaining estimate by its own factor.
 */
export const PACE_PRIOR_MS = 60_000;

/**
 * Remaining time: the estimate of what is left, scaled by how the run has
 * kept to its estimates so far (on a busy machine every case takes longer
 * than estimated, and the ETA says so). The pace is measured over the work
 * done plus {@link PACE_PRIOR_MS} of work assumed on time, so it moves from
 * 1 towards the measured pace as work gets done.
 */
export function etaMs(doneEstimate: number, totalEstimate: number, elapsedMs: number): number {
  const left = Math.max(0, totalEstimate - doneEstimate);
  if (doneEstimate <= 0) return left;
  return left * ((elapsedMs + PACE_PRIOR_MS) / (doneEstimate + PACE_PRIOR_MS));
}

/** Progress of one benchmark run; write every message through it so the bar is not torn. */
export class RunProgress {
  readonly #cases: readonly PlannedCase[];
  readonly #total: number;
  readonly #started = performance.now();
  readonly #stream: NodeJS.WriteStream;
  readonly #multi: cliProgress.MultiBar | undefined;
  readonly #bar: cliProgress.SingleBar | undefined;
  #index = -1;
  #before = 0;
  #fraction = 0;
  #step = "";
  #detail = "";
  #lastLine = 0;

  constructor(cases: readonly PlannedCase[], stream: NodeJS.WriteStream = process.stderr) {
    this.#cases = cases;
    this.#total = cases.reduce((a, c) => a + c.estimateMs, 0);
    this.#stream = stream;
    if (stream.isTTY === true) {
      this.#multi = new cliProgress.MultiBar(
        {
          stream,
          format: "{bar} {percentage}% | {el} elapsed | ETA {left} | {what}",
          barsize: RunProgress.#barSize(stream),
          hideCursor: true,
          fps: 4,
          etaAsynchronousUpdate: true,
          forceRedraw: true,
          autopadding: true,
        },
        cliProgress.Presets.shades_classic,
      );
      this.#bar = this.#multi.create(Math.max(1, Math.round(this.#total)), 0, { el: "0:00", left: "?", what: "" });
    }
  }

  /** Milliseconds since the run started. */
  elapsedMs(): number {
    return performance.now() - this.#started;
  }

  /** A message above the bar (or a plain line). */
  log(text: string): void {
    if (this.#multi !== undefined) this.#multi.log(`${text}\n`);
    else this.#stream.write(`${text}\n`);
  }

  /** The next case starts. */
  startCase(index: number): void {
    this.#before = this.#cases.slice(0, index).reduce((a, c) => a + c.estimateMs, 0);
    this.#index = index;
    this.#fraction = 0;
    this.#step = "";
    this.#detail = "";
    const c = this.#cases[index]!;
    if (this.#bar === undefined) {
      this.#stream.write(`${this.#prefix()} ${c.id}: ${c.title} (${this.#times()})\n`);
      this.#lastLine = performance.now();
    }
    this.#render();
  }

  /** A named step inside the current case (a variant, a size). */
  step(label: string): void {
    this.#step = label;
    this.#detail = "";
    if (this.#bar === undefined) {
      this.#stream.write(`    ${label} (${this.#times()})\n`);
      this.#lastLine = performance.now();
    }
    this.#render();
  }

  /** What a child is doing inside the current step (shown on the bar; plain output shows it with the periodic line). */
  detail(label: string): void {
    this.#detail = label;
    this.#render();
  }

  /** How far the current case is, 0–1. */
  fraction(f: number): void {
    if (!(f >= this.#fraction)) return;
    this.#fraction = Math.min(1, f);
    // Plain output: a line every 15 s while a long case runs, so a log never looks stuck.
    if (this.#bar === undefined && performance.now() - this.#lastLine > 15_000) {
      const what = [this.#step, this.#detail].filter((x) => x !== "").join(": ");
      this.#stream.write(`    … ${Math.round(this.#fraction * 100)}% of this case${what === "" ? "" : `, ${what}`} (${this.#times()})\n`);
      this.#lastLine = performance.now();
    }
    this.#render();
  }

  /** Stops the bar (call before printing the summary). */
  stop(): void {
    if (this.#bar !== undefined) {
      this.#bar.update(Math.max(1, Math.round(this.#total)), { el: clock(this.elapsedMs()), left: "0:00", what: "done" });
    }
    this.#multi?.stop();
  }

  static #barSize(stream: NodeJS.WriteStream): number {
    return (stream.columns ?? 100) >= 120 ? 24 : 12;
  }

  #done(): number {
    const c = this.#cases[this.#index];
    return this.#before + (c === undefined ? 0 : c.estimateMs * this.#fraction);
  }

  #prefix(): string {
    return `[${this.#index + 1}/${this.#cases.length}]`;
  }

  #times(): string {
    const pct = this.#total > 0 ? Math.floor((100 * this.#done()) / this.#total) : 0;
    return `${pct}%, ${clock(this.elapsedMs())} elapsed, ETA ${clock(etaMs(this.#done(), this.#total, this.elapsedMs()))}`;
  }

  #render(): void {
    if (this.#bar === undefined) return;
    const c = this.#cases[this.#index];
    const tail = [this.#step, this.#detail].filter((x) => x !== "").join(": ");
    const what = c === undefined ? "" : `${this.#prefix()} ${c.id}${tail === "" ? "" : `: ${tail}`}`;
    // The bar, percentage, times and separators take about 40 columns besides the bar itself.
    const room = Math.max(12, (this.#stream.columns ?? 100) - RunProgress.#barSize(this.#stream) - 42);
    this.#bar.update(Math.round(this.#done()), {
      el: clock(this.elapsedMs()),
      left: clock(etaMs(this.#done(), this.#total, this.elapsedMs())),
      what: what.length > room ? `${what.slice(0, room - 1)}…` : what,
    });
  }
}
