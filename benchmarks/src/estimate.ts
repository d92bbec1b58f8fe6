// How long a case will take, before it runs (the progress bar's ETA and
// `pnpm bench --list`), and how much CPU it used once it ran (recorded in the
// results, so the next run's estimate does not depend on how busy the machine
// was). Estimates come, best first, from: the previous run of the same
// profile on this machine; the committed per-case CPU times of each profile
// (results/durations.json, written from a measured run); the committed full
// run's figures; the case's shape.
import { readFileSync } from "node:fs";
import type { BenchCase, CaseResult, Profile } from "./api.ts";
import { timedGcs } from "./child.ts";
import { isolatedSizes, isolatedVariants } from "./isolated.ts";
import { TIME_SETTINGS } from "./time.ts";

/**
 * Committed per-case CPU times in ms, per profile (`results/durations.json`):
 * what the runner estimates a case at on a machine that has not run it yet.
 */
export type Durations = Partial<Record<Profile, Readonly<Record<string, number>>>>;

/** Reads a durations file; an empty table when it is missing or unreadable. */
export function readDurations(path: string): Durations {
  try {
    return JSON.parse(readFileSync(path, "utf8")) as Durations;
  } catch {
    return {};
  }
}

/** What the estimate of one case can draw on. */
export interface EstimateSources {
  /** The case's result in the previous run of this profile, if any. */
  readonly previous?: CaseResult | undefined;
  /** Committed CPU ms of this case in this profile, if any. */
  readonly committed?: number | undefined;
  /** The case's result in the committed full run (this runtime's, else Node 20's), if any. */
  readonly reference?: CaseResult | undefined;
}

/**
 * Estimated wall time of a case in ms on an idle machine (the progress bar
 * scales it by the pace of the run so far). A previous run's CPU time is
 * preferred to its wall time: on a shared machine the wall time says more
 * about the other processes than about the case.
 */
export function estimateMs(c: BenchCase, profile: Profile, from: EstimateSources = {}): number {
  const prev = from.previous;
  if (prev !== undefined) {
    const idle = idleMs(prev, profile);
    if (idle !== undefined) return idle;
  }
  if (from.committed !== undefined) return from.committed;
  const ref = from.reference;
  if (c.kind === "time") {
    const s = TIME_SETTINGS[profile];
    if (ref?.kind === "time") {
      return ref.tasks.reduce(
        (a, t) => a + Math.max(s.time, s.iterations * t.mean) + Math.max(s.warmupTime, s.warmupIterations * t.mean),
        300,
      );
    }
    return 500 + 3 * (s.time + s.warmupTime) * 1.3;
  }
  if (c.kind === "isolated") {
    return isolatedSizes(c, profile).reduce((a, n) => {
      const all = ref?.kind === "isolated" ? ref.rows.filter((r) => r.records === n) : [];
      const variants = isolatedVariants(c, profile);
      const rows = all.filter((r) => variants.includes(r.variant));
      if (rows.length === 0) return a + variants.length * (400 + n * 0.004);
      // A child: start, make the input (about the build again), build, settle (three GCs) and the timed GCs.
      return a + rows.reduce((b, r) => b + 500 + 2 * r.buildMs + (3 + timedGcs(profile)) * r.gcMs, 0);
    }, 0);
  }
  return c.estimateMs?.[profile] ?? (profile === "quick" ? 3000 : 15_000);
}

/**
 * What a case that ran would take on an idle machine, from its result: the
 * CPU time it used, plus, for a time case, tinybench's time budget per task
 * (tinybench times by the clock, so on a busy machine a task uses less CPU
 * within the same budget); the wall time when no CPU time was recorded.
 */
export function idleMs(r: CaseResult, profile: Profile): number | undefined {
  if (r.cpuMs === undefined) return r.durationMs;
  if (r.kind !== "time") return r.cpuMs;
  const s = TIME_SETTINGS[profile];
  return r.cpuMs + r.tasks.length * (s.time + s.warmupTime);
}

const TICKS_PER_SECOND = 100;

/**
 * CPU time used so far, in ms, by this process and by the child processes it
 * has waited for (isolated and custom cases measure in children), user and
 * system. Read from /proc on Linux (`utime + stime + cutime + cstime`, in
 * clock ticks of 10 ms); elsewhere this process's own time only.
 */
export function cpuMs(): number {
  try {
    const stat = readFileSync("/proc/self/stat", "utf8");
    // Fields after the command name, which is in parentheses and may hold spaces.
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ticks = Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
    if (Number.isFinite(ticks)) return (ticks * 1000) / TICKS_PER_SECOND;
  } catch {
    // not Linux
  }
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}
