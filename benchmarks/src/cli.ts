// `pnpm bench`: discovers the suites in src/suites/, runs them with a
// progress bar (or plain progress lines when stderr is not a terminal),
// prints a table of ratios against each baseline and writes a JSON results
// file with the machine, Node/V8 versions, the profile and the date.
import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import type { BenchCase, CaseResult, Profile, ResultsFile, Suite } from "./api.ts";
import { onChildProgress } from "./child-process.ts";
import { PROFILE_ENV } from "./child-progress.ts";
import { cpuMs, estimateMs, idleMs, readDurations } from "./estimate.ts";
import { runIsolatedCase } from "./isolated.ts";
import { machineInfo } from "./machine.ts";
import { RunProgress, clock } from "./progress.ts";
import { customResult, judgeIsolated, judgeTime, summaryRows } from "./report.ts";
import { defaultResultsPath, profileOf, readResults, resultsToWrite, runtimeId } from "./results-file.ts";
import { runTimeCase } from "./time.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const RESULTS = join(ROOT, "results");

const { values } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    full: { type: "boolean", default: false },
    filter: { type: "string", multiple: true, short: "f" },
    out: { type: "string", short: "o" },
    list: { type: "boolean", default: false },
    "save-durations": { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
  },
  allowPositionals: false,
});

const runtime = runtimeId();
if (values.help) {
  console.log(`usage: pnpm bench [--quick | --full] [--filter <suite|suite/case|text>]... [--out <file>] [--list]

  (default)  every suite, curves up to 1M records, a short soak (--list estimates it);
             writes results/local/${runtime}-default.json
  --full     adds the 4M sizes and the 60 s soak, times each task longer; writes
             results/${runtime}.json, the committed file the site reads
  --quick    every case briefly (CI smoke); writes results/local/${runtime}-quick.json
  --filter   run only cases whose "suite/case" id contains the text (repeatable);
             a filtered run merges its cases into the profile's file
  --out      write the JSON results here instead
  --list     list the cases with their estimated times, and exit
  --save-durations  also record each case's time on an idle machine (its CPU time, plus
             tinybench's time budget) in results/durations.json: the committed
             estimates that a machine without a previous run starts from`);
  process.exit(0);
}
if (values.quick && values.full) {
  console.error("--quick and --full exclude each other");
  process.exit(1);
}
const profile: Profile = values.quick ? "quick" : values.full ? "full" : "default";
// Children (isolated measurements) inherit it: they time fewer forced GCs outside the full run.
process.env[PROFILE_ENV] = profile;

async function loadSuites(): Promise<Suite[]> {
  const dir = join(ROOT, "src", "suites");
  const files = readdirSync(dir).filter((f) => f.endsWith(".ts")).sort();
  const suites: Suite[] = [];
  for (const f of files) {
    try {
      suites.push(((await import(pathToFileURL(join(dir, f)).href)) as { default: Suite }).default);
    } catch (e) {
      // One broken suite must not cost a newcomer the whole run: say so, run the rest, exit non-zero.
      failures.push(`src/suites/${f} did not load: ${(e as Error).message.split("\n")[0]}`);
    }
  }
  return suites;
}

const failures: string[] = [];
const filters = values.filter ?? [];
const matches = (id: string): boolean => filters.length === 0 || filters.some((f) => id.includes(f));
const suites = await loadSuites();
const plan: { suite: Suite; c: BenchCase; id: string }[] = [];
for (const suite of suites) {
  for (const c of suite.cases) {
    const id = `${suite.id}/${c.id}`;
    if (matches(id)) plan.push({ suite, c, id });
  }
}

if (plan.length === 0) {
  console.error(`no case matches ${filters.join(", ")}; try --list`);
  process.exit(1);
}

const out = values.out ?? defaultResultsPath(RESULTS, profile, runtime);
const previous = readResults(out);
const prevCases = new Map<string, CaseResult>();
if (previous !== undefined && profileOf(previous) === profile) {
  for (const s of previous.suites) for (const c of s.cases) prevCases.set(`${s.id}/${c.id}`, c);
}

// The committed results (this runtime's, else Node 20's) tell how long each call and each child takes.
const reference = new Map<string, CaseResult>();
for (const f of [defaultResultsPath(RESULTS, "full", runtime), defaultResultsPath(RESULTS, "full", "node20")]) {
  const r = readResults(f);
  if (r === undefined) continue;
  for (const s of r.suites) for (const c of s.cases) if (!reference.has(`${s.id}/${c.id}`)) reference.set(`${s.id}/${c.id}`, c);
}

const DURATIONS = join(RESULTS, "durations.json");
const durations = readDurations(DURATIONS)[profile] ?? {};
const estimates = plan.map(({ c, id }) =>
  estimateMs(c, profile, { previous: prevCases.get(id), committed: durations[id], reference: reference.get(id) }),
);

if (values.list) {
  for (let i = 0; i < plan.length; i++) {
    const { c, id } = plan[i]!;
    console.log(`${id}\t${c.kind}\t~${clock(estimates[i]!)}\t${c.title}`);
  }
  const total = estimates.reduce((a, e) => a + e, 0);
  console.log(`${plan.length} cases, ${profile} profile: about ${clock(total)} when the machine is idle (longer when it is busy)`);
  process.exit(0);
}

const progress = new RunProgress(plan.map(({ c, id }, i) => ({ id, title: c.title, estimateMs: estimates[i]! })));
const cpuAtStart = cpuMs();
progress.log(
  `arenakit benchmarks: ${plan.length} cases, ${profile} profile, on ${machineInfo().cpu} ` +
    `(${machineInfo().cores} cores), Node ${process.version}; about ${clock(estimates.reduce((a, e) => a + e, 0))} ` +
    `when the machine is idle`,
);

const bySuite = new Map<string, CaseResult[]>();
const skipped: string[] = [];
for (let i = 0; i < plan.length; i++) {
  const { suite, c, id } = plan[i]!;
  progress.startCase(i);
  const t0 = performance.now();
  const cpu0 = cpuMs();
  try {
    const result = await runCase(c, id);
    if (result === undefined) continue;
    const durationMs = Math.round(performance.now() - t0);
    const cpu = Math.round(cpuMs() - cpu0);
    const list = bySuite.get(suite.id) ?? [];
    list.push({ ...result, durationMs, cpuMs: cpu });
    bySuite.set(suite.id, list);
    progress.log(`${id}: ${clock(durationMs)} (CPU ${clock(cpu)}, estimated ${clock(estimates[i]!)})`);
  } catch (e) {
    failures.push(`${id} failed: ${(e as Error).message.split("\n")[0]}`);
    progress.log(`${id} FAILED: ${(e as Error).stack ?? String(e)}`);
  } finally {
    onChildProgress(undefined);
  }
}
progress.stop();

/** Runs one case; undefined when an optional case is skipped. */
async function runCase(c: BenchCase, id: string): Promise<CaseResult | undefined> {
  let result: CaseResult;
  onChildProgress((f, label) => {
    if (label !== undefined) progress.detail(label);
    progress.fraction(f);
  });
  if (c.kind === "time") {
    const tasks = await runTimeCase(c, profile, (done, total) => progress.fraction(done / total));
    result = {
      kind: "time", id: c.id, title: c.title, op: c.op, baseline: c.baseline, tasks,
      targets: judgeTime(c.targets, tasks), ...(c.note !== undefined ? { note: c.note } : {}),
    };
  } else if (c.kind === "custom") {
    const why = await c.unavailable?.();
    if (why !== undefined) {
      progress.log(`${id} skipped: ${why}`);
      skipped.push(id);
      return undefined;
    }
    // Custom cases usually measure one subject per step: a child's progress moves the bar within its step.
    const prev = prevCases.get(id);
    const expected = Math.max(1, prev?.kind === "custom" ? prev.subjects.length : 2);
    // A case that reports its own progress (onProgress) knows better: then children only label the step.
    let steps = 0;
    let own = false;
    const within = (f: number): void => {
      if (!own) progress.fraction((Math.max(0, steps - 1) + f) / Math.max(expected, steps));
    };
    onChildProgress((f, label) => {
      if (label !== undefined) progress.detail(label);
      within(f);
    });
    const measured = await c.run({
      quick: profile === "quick",
      profile,
      onStep: (step) => {
        steps++;
        progress.step(step);
        within(0);
      },
      onProgress: (f) => {
        own = true;
        progress.fraction(f);
      },
    });
    result = customResult(c, measured);
  } else {
    let children = 1;
    let child = 0;
    // A child's own progress moves the bar within its share of the case.
    onChildProgress((f, label) => {
      if (label !== undefined) progress.detail(label);
      progress.fraction((child + f) / children);
    });
    const rows = await runIsolatedCase(c, profile, (step, index, count) => {
      child = index;
      children = count;
      progress.step(step);
      progress.fraction(index / count);
    });
    result = {
      kind: "isolated", id: c.id, title: c.title, baseline: c.baseline, rows,
      // A default run that leaves variants or sizes out judges only the targets it measured.
      targets: judgeIsolated(
        c.targets?.filter((t) => rows.some((r) => r.variant === t.subject && (t.records === undefined || r.records === t.records))),
        rows,
      ), ...(c.note !== undefined ? { note: c.note } : {}),
    };
  }
  return result;
}

const ran = suites.filter((s) => bySuite.has(s.id)).map((s) => ({ id: s.id, title: s.title, cases: bySuite.get(s.id)! }));
const results: ResultsFile = {
  schema: 1,
  date: new Date().toISOString(),
  quick: profile === "quick",
  profile,
  filter: filters,
  machine: machineInfo(),
  durationMs: progress.elapsedMs(),
  suites: ran,
};
console.table(summaryRows(results));
// A filtered run merges into the file as it is now, not as it was when this run started.
const written = resultsToWrite(out, results, profile, new Map(suites.map((s) => [s.id, s.cases.map((c) => c.id)])));
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify(written, null, 1)}\n`);
if (values["save-durations"]) {
  const all = readDurations(DURATIONS);
  // An unfiltered run replaces the profile's table (cases renamed or removed since drop out); a filtered one updates its cases.
  const mine: Record<string, number> = filters.length === 0 ? {} : { ...all[profile] };
  for (const [suite, cases] of bySuite) {
    for (const c of cases) {
      const idle = idleMs(c, profile);
      if (idle !== undefined) mine[`${suite}/${c.id}`] = idle;
    }
  }
  const sorted = Object.fromEntries(Object.entries(mine).sort(([a], [b]) => (a < b ? -1 : 1)));
  writeFileSync(DURATIONS, `${JSON.stringify({ ...all, [profile]: sorted }, null, 1)}\n`);
}
const targets = [...bySuite.values()].flat().flatMap((c): readonly { met: boolean }[] => c.targets);
for (const f of failures) console.error(`FAILED: ${f}`);
console.error(
  `done in ${clock(progress.elapsedMs())} (${profile} profile; ${clock(cpuMs() - cpuAtStart)} of CPU time, about ` +
    `${clock([...bySuite.values()].flat().reduce((a, c) => a + (idleMs(c, profile) ?? 0), 0))} on an idle machine): ` +
    `${targets.filter((t) => t.met).length}/${targets.length} ` +
    `targets met${skipped.length > 0 ? `; skipped ${skipped.join(", ")}` : ""}\nresults written to ${relative(join(ROOT, ".."), out)}`,
);
if (failures.length > 0) process.exitCode = 1;
