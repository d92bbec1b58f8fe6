// `pnpm bench`: discovers the suites in src/suites/, runs them with visible
// progress, prints a table of ratios against each baseline and writes a JSON
// results file with the machine, Node/V8 versions and the date.
import { mkdirSync, readFileSync, readdirSync, writeFileSync, existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import type { BenchCase, CaseResult, ResultsFile, Suite } from "./api.ts";
import { runIsolatedCase } from "./isolated.ts";
import { machineInfo } from "./machine.ts";
import { customResult, judgeIsolated, judgeTime, summaryRows } from "./report.ts";
import { runTimeCase } from "./time.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const LATEST = join(ROOT, "results", "latest.json");

const { values } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    filter: { type: "string", multiple: true, short: "f" },
    out: { type: "string", short: "o" },
    list: { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
  },
  allowPositionals: false,
});

if (values.help) {
  console.log(`usage: pnpm bench [--quick] [--filter <suite|suite/case|text>]... [--out <file>] [--list]

  --quick    run every case briefly (CI smoke); writes results/local/quick.json unless --out is given
  --filter   run only cases whose "suite/case" id contains the text (repeatable)
  --out      where to write the JSON results (default results/latest.json; filtered runs merge into it)
  --list     list the cases and exit`);
  process.exit(0);
}

async function loadSuites(): Promise<Suite[]> {
  const dir = join(ROOT, "src", "suites");
  const files = readdirSync(dir).filter((f) => f.endsWith(".ts")).sort();
  const suites: Suite[] = [];
  for (const f of files) suites.push(((await import(pathToFileURL(join(dir, f)).href)) as { default: Suite }).default);
  return suites;
}

const filters = values.filter ?? [];
const matches = (id: string): boolean => filters.length === 0 || filters.some((f) => id.includes(f));
const suites = await loadSuites();
const plan: { suite: Suite; c: BenchCase }[] = [];
for (const suite of suites) for (const c of suite.cases) if (matches(`${suite.id}/${c.id}`)) plan.push({ suite, c });

if (values.list) {
  for (const { suite, c } of plan) console.log(`${suite.id}/${c.id}\t${c.kind}\t${c.title}`);
  process.exit(0);
}
if (plan.length === 0) {
  console.error(`no case matches ${filters.join(", ")}; try --list`);
  process.exit(1);
}

const quick = values.quick;
const started = performance.now();
const elapsed = (): string => `${((performance.now() - started) / 1000).toFixed(1)}s`;
console.error(`arenakit benchmarks: ${plan.length} cases${quick ? " (quick)" : ""} on ${machineInfo().cpu}, Node ${process.version}`);

const bySuite = new Map<string, CaseResult[]>();
for (let i = 0; i < plan.length; i++) {
  const { suite, c } = plan[i]!;
  const label = `[${i + 1}/${plan.length}] ${suite.id}/${c.id}`;
  console.error(`${label} ${c.title} … (${plan.length - i - 1} left, ${elapsed()} elapsed)`);
  let result: CaseResult;
  if (c.kind === "time") {
    const tasks = await runTimeCase(c, quick);
    result = {
      kind: "time", id: c.id, title: c.title, op: c.op, baseline: c.baseline, tasks,
      targets: judgeTime(c.targets, tasks), ...(c.note !== undefined ? { note: c.note } : {}),
    };
  } else if (c.kind === "custom") {
    const measured = await c.run({ quick, onStep: (step) => console.error(`    ${step} (${elapsed()})`) });
    result = customResult(c, measured);
  } else {
    const rows = await runIsolatedCase(c, quick, (step) => console.error(`    ${step} (${elapsed()})`));
    result = {
      kind: "isolated", id: c.id, title: c.title, baseline: c.baseline, rows,
      targets: judgeIsolated(c.targets, rows), ...(c.note !== undefined ? { note: c.note } : {}),
    };
  }
  const list = bySuite.get(suite.id) ?? [];
  list.push(result);
  bySuite.set(suite.id, list);
}

let results: ResultsFile = {
  schema: 1,
  date: new Date().toISOString(),
  quick,
  filter: filters,
  machine: machineInfo(),
  durationMs: performance.now() - started,
  suites: suites.filter((s) => bySuite.has(s.id)).map((s) => ({ id: s.id, title: s.title, cases: bySuite.get(s.id)! })),
};

const out = values.out ?? (quick ? join(ROOT, "results", "local", "quick.json") : LATEST);
if (!quick && values.out === undefined && filters.length > 0 && existsSync(LATEST)) {
  // A filtered full run refreshes its cases inside the committed results.
  const prev = JSON.parse(readFileSync(LATEST, "utf8")) as ResultsFile;
  const merged = prev.suites.map((s) => {
    const fresh = results.suites.find((x) => x.id === s.id);
    if (fresh === undefined) return s;
    const ids = new Set(fresh.cases.map((c) => c.id));
    return { ...s, cases: [...s.cases.filter((c) => !ids.has(c.id)), ...fresh.cases] };
  });
  for (const s of results.suites) if (!merged.some((m) => m.id === s.id)) merged.push(s);
  results = { ...results, filter: [], suites: merged };
}

console.table(summaryRows({ ...results, suites: results.suites.filter((s) => bySuite.has(s.id)) }));
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify(results, null, 1)}\n`);
const targets = [...bySuite.values()].flat().flatMap((c): readonly { met: boolean }[] => c.targets);
console.error(
  `done in ${elapsed()}: ${targets.filter((t) => t.met).length}/${targets.length} targets met; results in ${out}`,
);
