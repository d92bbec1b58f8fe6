// Where a run's results go, and how a filtered run merges into an earlier
// file. Results are kept per runtime: a full run on Node 20 writes
// results/node20.json, on Node 24 results/node24.json (both committed; the
// site reads them). Default and quick runs write under results/local/
// (git-ignored), so trying the suite never rewrites the committed figures.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Profile, ResultsFile } from "./api.ts";

/** `node20`, `node24`, …: the runtime a results file belongs to. */
export function runtimeId(version: string = process.version): string {
  const major = /^v?(\d+)\./.exec(version)?.[1] ?? "unknown";
  return `node${major}`;
}

/** The file a run of `profile` writes by default, under the results folder `dir`. */
export function defaultResultsPath(dir: string, profile: Profile, runtime: string = runtimeId()): string {
  return profile === "full" ? join(dir, `${runtime}.json`) : join(dir, "local", `${runtime}-${profile}.json`);
}

/** The profile a results file was written by (files from before profiles were full runs). */
export function profileOf(file: Pick<ResultsFile, "profile" | "quick">): Profile {
  return file.profile ?? (file.quick ? "quick" : "full");
}

/** Reads a results file, or undefined when it is missing or unreadable. */
export function readResults(path: string): ResultsFile | undefined {
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, "utf8")) as ResultsFile;
  } catch {
    return undefined;
  }
}

/**
 * A filtered run's results merged into an earlier file of the same profile:
 * the fresh cases replace theirs, every other case stays. The merged file
 * keeps the fresh run's date, machine and duration.
 */
export function mergeResults(prev: ResultsFile, fresh: ResultsFile): ResultsFile {
  const merged = prev.suites.map((s) => {
    const f = fresh.suites.find((x) => x.id === s.id);
    if (f === undefined) return s;
    const ids = new Set(f.cases.map((c) => c.id));
    return { ...s, cases: [...s.cases.filter((c) => !ids.has(c.id)), ...f.cases] };
  });
  for (const s of fresh.suites) if (!merged.some((m) => m.id === s.id)) merged.push(s);
  return { ...fresh, filter: [], suites: merged };
}

/**
 * What a run writes to `path`: for a filtered run, its results merged into the
 * file of the same profile as it is at this moment (read again here, not when
 * the run started: a long run must not overwrite figures that another run
 * wrote to the file meanwhile), each suite's cases in the suites' order; an
 * unfiltered run, or a file of another profile (or none), is replaced.
 */
export function resultsToWrite(
  path: string,
  fresh: ResultsFile,
  profile: Profile,
  order: ReadonlyMap<string, readonly string[]>,
): ResultsFile {
  if (fresh.filter.length === 0) return fresh;
  const latest = readResults(path);
  if (latest === undefined || profileOf(latest) !== profile) return fresh;
  return orderCases(mergeResults(latest, fresh), order);
}

/**
 * The file with each suite's cases in the order `order` gives (suite id →
 * case ids, as the suites define them); cases it does not name keep their
 * place after those it does. A merged file thus lists a suite's cases as the
 * suite runs them, however they were merged in.
 */
export function orderCases(file: ResultsFile, order: ReadonlyMap<string, readonly string[]>): ResultsFile {
  return {
    ...file,
    suites: file.suites.map((s) => {
      const ids = order.get(s.id);
      if (ids === undefined) return s;
      const rank = (id: string): number => {
        const i = ids.indexOf(id);
        return i === -1 ? ids.length : i;
      };
      return { ...s, cases: [...s.cases].sort((a, b) => rank(a.id) - rank(b.id)) };
    }),
  };
}
