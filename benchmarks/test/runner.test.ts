import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import type { IsolatedCase, ResultsFile } from "../src/api.ts";
import { PROGRESS_PREFIX, parseProgress } from "../src/child-progress.ts";
import { estimateMs, idleMs } from "../src/estimate.ts";
import { TIME_SETTINGS } from "../src/time.ts";
import { isolatedSizes, isolatedVariants } from "../src/isolated.ts";
import { RunProgress, clock, etaMs } from "../src/progress.ts";
import { defaultResultsPath, mergeResults, orderCases, profileOf, resultsToWrite, runtimeId } from "../src/results-file.ts";

const iso = (records: number[], defaultRecords?: number[]): IsolatedCase => ({
  kind: "isolated", id: "m", title: "m", module: new URL("file:///x.ts"), variants: ["a", "b"], baseline: "a",
  records, quickRecords: [10], ...(defaultRecords !== undefined ? { defaultRecords } : {}),
});

const isoResult = { kind: "isolated" as const, id: "m", title: "m", baseline: "a", rows: [], targets: [] };

describe("profiles", () => {
  it("the default profile keeps the curve up to 1M; full adds the larger sizes; quick its own", () => {
    const c = iso([10_000, 100_000, 1_000_000, 4_000_000]);
    expect(isolatedSizes(c, "default")).toEqual([10_000, 100_000, 1_000_000]);
    expect(isolatedSizes(c, "full")).toEqual([10_000, 100_000, 1_000_000, 4_000_000]);
    expect(isolatedSizes(c, "quick")).toEqual([10]);
    expect(isolatedSizes(iso([1, 2, 3], [2]), "default")).toEqual([2]);
  });

  it("the default profile may leave variants out, never the baseline; full and quick measure them all", () => {
    const c: IsolatedCase = { ...iso([10]), variants: ["a", "b", "c", "d"], defaultVariants: ["d", "b"] };
    expect(isolatedVariants(c, "default")).toEqual(["a", "b", "d"]);
    expect(isolatedVariants(c, "full")).toEqual(["a", "b", "c", "d"]);
    expect(isolatedVariants(c, "quick")).toEqual(["a", "b", "c", "d"]);
    expect(isolatedVariants(iso([10]), "default")).toEqual(["a", "b"]);
  });

  it("estimates a case from its previous CPU time first, then the committed durations, then its shape", () => {
    const c = iso([10_000, 1_000_000]);
    expect(estimateMs(c, "default", { previous: { ...isoResult, durationMs: 90_000, cpuMs: 30_000 }, committed: 5000 })).toBe(30_000);
    expect(estimateMs(c, "default", { previous: { ...isoResult, durationMs: 90_000 }, committed: 5000 })).toBe(90_000);
    expect(estimateMs(c, "default", { committed: 5000 })).toBe(5000);
    // A time case's tasks run for tinybench's time budget however little CPU a busy machine gives them.
    const tasks = ["a", "b", "c"].map((name) => ({ name, samples: 1, mean: 1, median: 1, p99: 1, rme: 0, hz: 1, ratio: 1, speedup: 1 }));
    const timed = { kind: "time" as const, id: "t", title: "t", op: "op", baseline: "a", tasks, targets: [], cpuMs: 1000 };
    expect(idleMs(timed, "default")).toBe(1000 + 3 * (TIME_SETTINGS.default.time + TIME_SETTINGS.default.warmupTime));
    expect(estimateMs(c, "default")).toBeGreaterThan(estimateMs(iso([10_000]), "default"));
  });
});

describe("results per runtime", () => {
  it("names files after the Node major version; only full runs write the committed file", () => {
    expect(runtimeId("v20.20.2")).toBe("node20");
    expect(runtimeId("v24.21.0")).toBe("node24");
    expect(defaultResultsPath("/r", "full", "node24")).toBe("/r/node24.json");
    expect(defaultResultsPath("/r", "default", "node20")).toBe("/r/local/node20-default.json");
    expect(defaultResultsPath("/r", "quick", "node20")).toBe("/r/local/node20-quick.json");
  });

  const file = (suites: ResultsFile["suites"], extra: Partial<ResultsFile> = {}): ResultsFile => ({
    schema: 1, date: "d", quick: false, filter: [], durationMs: 1,
    machine: { cpu: "c", cores: 2, memoryBytes: 1, os: "o", node: "v20", v8: "v" }, suites, ...extra,
  });
  const tc = (id: string, mean: number) => ({
    kind: "time" as const, id, title: id, op: "op", baseline: "b", targets: [],
    tasks: [{ name: "b", samples: 1, mean, median: mean, p99: mean, rme: 0, hz: 1, ratio: 1, speedup: 1 }],
  });

  it("a filtered run replaces its own cases and keeps every other one", () => {
    const prev = file([
      { id: "s", title: "S", cases: [tc("x", 1), tc("y", 2)] },
      { id: "t", title: "T", cases: [tc("z", 3)] },
    ]);
    const fresh = file([{ id: "s", title: "S", cases: [tc("y", 5)] }, { id: "u", title: "U", cases: [tc("w", 6)] }], {
      date: "new", filter: ["s/y", "u"],
    });
    const m = mergeResults(prev, fresh);
    expect(m.date).toBe("new");
    expect(m.filter).toEqual([]);
    expect(m.suites.map((s) => [s.id, s.cases.map((c) => c.id)])).toEqual([["s", ["x", "y"]], ["t", ["z"]], ["u", ["w"]]]);
    expect(m.suites[0]!.cases[1]!.kind === "time" && m.suites[0]!.cases[1]!.tasks[0]!.mean).toBe(5);
  });

  it("a merged file lists each suite's cases in the suite's order", () => {
    const merged = file([{ id: "s", title: "S", cases: [tc("x", 1), tc("z", 3), tc("y", 2)] }, { id: "t", title: "T", cases: [tc("w", 1)] }]);
    const ordered = orderCases(merged, new Map([["s", ["y", "x"]]]));
    expect(ordered.suites.map((s) => s.cases.map((c) => c.id))).toEqual([["y", "x", "z"], ["w"]]);
  });

  it("a filtered run merges into the file as it is when the run ends, keeping what another run wrote meanwhile", () => {
    const dir = mkdtempSync(join(tmpdir(), "arenakit-results-"));
    try {
      const path = join(dir, "node20.json");
      const order = new Map([["s", ["x", "y"]], ["t", ["z"]]]);
      const write = (f: ResultsFile): void => writeFileSync(path, JSON.stringify(f));
      // The file when this run started…
      write(file([{ id: "s", title: "S", cases: [tc("x", 1), tc("y", 2)] }, { id: "t", title: "T", cases: [tc("z", 3)] }], { profile: "full" }));
      // …then another run's figures for s/x and t/z are written while this one measures s/y.
      write(file([{ id: "s", title: "S", cases: [tc("x", 10), tc("y", 2)] }, { id: "t", title: "T", cases: [tc("z", 30)] }], { profile: "full" }));
      const fresh = file([{ id: "s", title: "S", cases: [tc("y", 20)] }], { profile: "full", filter: ["s/y"], date: "new" });
      const out = resultsToWrite(path, fresh, "full", order);
      const mean = (suite: string, id: string): unknown => {
        const c = out.suites.find((s) => s.id === suite)?.cases.find((x) => x.id === id);
        return c?.kind === "time" ? c.tasks[0]!.mean : undefined;
      };
      expect([mean("s", "x"), mean("s", "y"), mean("t", "z")]).toEqual([10, 20, 30]);
      expect(out.suites[0]!.cases.map((c) => c.id)).toEqual(["x", "y"]);
      expect(out.date).toBe("new");
      // An unfiltered run, or a file of another profile, is replaced, not merged.
      expect(resultsToWrite(path, { ...fresh, filter: [] }, "full", order)).toEqual({ ...fresh, filter: [] });
      expect(resultsToWrite(path, fresh, "default", order)).toBe(fresh);
      expect(resultsToWrite(join(dir, "missing.json"), fresh, "full", order)).toBe(fresh);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("files from before profiles count as full runs (or quick ones)", () => {
    expect(profileOf({ quick: false })).toBe("full");
    expect(profileOf({ quick: true })).toBe("quick");
    expect(profileOf({ quick: false, profile: "default" })).toBe("default");
  });
});

describe("progress", () => {
  it("formats clocks and scales the ETA by the pace so far", () => {
    expect(clock(0)).toBe("0:00");
    expect(clock(65_400)).toBe("1:05");
    expect(clock(3_725_000)).toBe("1:02:05");
    expect(etaMs(0, 10_000, 0)).toBe(10_000);
    expect(etaMs(0, 10_000, 8000)).toBe(10_000); // nothing done yet: the estimate is all there is
    expect(etaMs(10_000, 10_000, 50_000)).toBe(0);
    // Half of a 20-minute estimate took twice as long: the rest will too (within the prior's weight).
    const slow = etaMs(600_000, 1_200_000, 1_200_000);
    expect(slow).toBeGreaterThan(1_100_000);
    expect(slow).toBeLessThan(1_200_000);
    // One second of estimate that took a minute (a fixture on a busy machine) does not multiply the rest by 60.
    expect(etaMs(1000, 300_000, 60_000)).toBeLessThan(2 * 300_000);
    expect(etaMs(1000, 300_000, 60_000)).toBeGreaterThan(300_000);
  });

  it("parses a child's progress lines and ignores everything else", () => {
    expect(parseProgress(`${PROGRESS_PREFIX}{"f":0.5,"label":"GC 1/7"}`)).toEqual({ f: 0.5, label: "GC 1/7" });
    expect(parseProgress(`${PROGRESS_PREFIX}{"f":"x"}`)).toBeUndefined();
    expect(parseProgress(`${PROGRESS_PREFIX}{oops`)).toBeUndefined();
    expect(parseProgress("an error message")).toBeUndefined();
  });

  it("prints plain lines when the stream is not a terminal", () => {
    const stream = new PassThrough() as unknown as NodeJS.WriteStream;
    let text = "";
    (stream as unknown as PassThrough).on("data", (d) => (text += d));
    const p = new RunProgress(
      [
        { id: "a/one", title: "One", estimateMs: 1000 },
        { id: "a/two", title: "Two", estimateMs: 3000 },
      ],
      stream,
    );
    p.startCase(0);
    p.step("variant × 10");
    p.startCase(1);
    p.stop();
    const lines = text.trim().split("\n");
    expect(lines[0]).toMatch(/^\[1\/2\] a\/one: One \(0%, 0:00 elapsed, ETA 0:04\)$/);
    expect(lines[1]).toMatch(/^ {4}variant × 10 \(0%/);
    expect(lines[2]).toMatch(/^\[2\/2\] a\/two: Two \(25%/);
  });
});
