import { readFileSync, readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { CustomCase, ResultsFile, Suite } from "../src/api.ts";
import { customResult } from "../src/report.ts";

const dir = new URL("../src/suites/", import.meta.url);
const files = readdirSync(dir).filter((f) => f.endsWith(".ts"));

describe("benchmark suites", () => {
  it.each(files)("%s declares well-formed cases with real baselines", async (file) => {
    const suite = ((await import(new URL(file, dir).href)) as { default: Suite }).default;
    expect(suite.id).toMatch(/^[a-z-]+$/);
    const ids = new Set<string>();
    for (const c of suite.cases) {
      expect(ids.has(c.id)).toBe(false);
      ids.add(c.id);
      if (c.kind === "time") {
        const tasks = await c.setup({ quick: true });
        expect(Object.keys(tasks)).toContain(c.baseline);
        expect(Object.keys(tasks).length).toBeGreaterThan(1);
        for (const fn of Object.values(tasks)) fn(); // every task runs once without throwing
        c.teardown?.();
        for (const t of c.targets ?? []) expect(Object.keys(tasks)).toContain(t.subject);
      } else if (c.kind === "custom") {
        // An optional case that cannot run here (the native anchor without cargo) is skipped, as the runner does.
        if ((await c.unavailable?.()) !== undefined) continue;
        // A smoke run goes through every subject's code path in seconds; its figures mean nothing.
        const measured = await c.run({ quick: true, smoke: true });
        const subjects = measured.map((s) => s.subject);
        expect(subjects).toContain(c.baseline);
        expect(subjects.length).toBeGreaterThan(1);
        for (const s of measured) {
          for (const m of c.metrics) expect(Number.isFinite(s.values[m.key]), `${s.subject} ${m.key}`).toBe(true);
        }
        const keys = c.metrics.map((m) => m.key);
        for (const t of c.targets ?? []) {
          expect(subjects).toContain(t.subject);
          expect(keys).toContain(t.metric);
        }
      } else {
        expect(c.variants).toContain(c.baseline);
        expect(c.quickRecords.length).toBeGreaterThan(0);
        for (const t of c.targets ?? []) expect(c.variants).toContain(t.subject);
      }
    }
  });
});

describe("committed results", () => {
  // The site finds a case by its id: a case renamed in a suite must be renamed in the committed files too,
  // or the page keeps showing the old id's figures under a name the suite no longer measures.
  it.each(["node20.json", "node24.json"])("%s names only cases the suites define", async (name) => {
    const file = JSON.parse(readFileSync(new URL(`../results/${name}`, import.meta.url), "utf8")) as ResultsFile;
    const defined = new Set<string>();
    for (const f of files) {
      const suite = ((await import(new URL(f, dir).href)) as { default: Suite }).default;
      for (const c of suite.cases) defined.add(`${suite.id}/${c.id}`);
    }
    const stale = file.suites.flatMap((s) => s.cases.map((c) => `${s.id}/${c.id}`)).filter((id) => !defined.has(id));
    expect(stale).toEqual([]);
  });
});

describe("custom case results", () => {
  const c: CustomCase = {
    kind: "custom",
    id: "x",
    title: "x",
    baseline: "base",
    metrics: [
      { key: "delayMs", label: "delay", unit: "ms", better: "lower" },
      { key: "rate", label: "rate", unit: "perSecond", better: "higher" },
    ],
    run: () => Promise.resolve([]),
    targets: [
      { subject: "arena", metric: "delayMs", of: "ratio", atMost: 0.2 },
      { subject: "arena", metric: "rate", of: "value", atLeast: 500 },
      { subject: "ghost", metric: "rate", of: "value", atLeast: 1 },
    ],
  };

  it("compares every figure with the baseline's and judges targets on values or ratios", () => {
    const r = customResult(c, [
      { subject: "base", values: { delayMs: 50, rate: 100 } },
      { subject: "arena", values: { delayMs: 5, rate: 400 } },
    ]);
    expect(r.subjects.map((s) => s.ratios)).toEqual([{ delayMs: 1, rate: 1 }, { delayMs: 0.1, rate: 4 }]);
    expect(r.targets.map((t) => [t.value, t.met])).toEqual([
      [0.1, true],
      [400, false],
      [null, false],
    ]);
  });

  it("refuses results without the baseline", () => {
    expect(() => customResult(c, [{ subject: "arena", values: { delayMs: 5, rate: 400 } }])).toThrow(/baseline/);
  });
});
