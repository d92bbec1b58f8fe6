// The FinalizationRegistry leak report, observed for real: a child process
// started with --expose-gc forgets some handles and forces collections.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { YokeArgumentError, setLeakReporting, type LeakReport } from "../src/index.ts";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const CHILD = fileURLToPath(new URL("./fixtures/leak-child.ts", import.meta.url));

function runChild(mode: string, env: Record<string, string>): Promise<{ reports: LeakReport[]; stderr: string }> {
  return new Promise((resolve, reject) => {
    const base = { ...process.env };
    delete base.NODE_ENV;
    delete base.ARENAKIT_LEAK_REPORT;
    const child = spawn(
      process.execPath,
      ["--expose-gc", "--import", "tsx", "--conditions=@arenakit/source", CHILD, mode],
      { cwd: ROOT, env: { ...base, ...env }, stdio: ["ignore", "pipe", "pipe"] },
    );
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    child.on("error", reject);
    child.on("close", (code) => {
      const line = out.trim().split("\n").pop() ?? "";
      if (code !== 0 || !line.startsWith("[")) reject(new Error(`leak child exited ${code}: ${err.slice(-2000)}`));
      else resolve({ reports: JSON.parse(line) as LeakReport[], stderr: err });
    });
  });
}

describe("leak report", () => {
  it("names the arcs and yokes that were collected without being released", async () => {
    const { reports } = await runChild("custom", {});
    const names = reports.map((r) => `${r.kind} ${r.name}`).sort();
    expect(names).toEqual(["Arc forgotten-arc", "SharedArc forgotten-shared", "Yoke Yoke(yoked-cart)"]);
    // captureStacks: the report says where the handle was made.
    for (const r of reports) expect(r.stack).toMatch(/leak-child\.ts/);
  }, 30_000);

  it("is on by default under NODE_ENV=test, as a process warning", async () => {
    const { stderr, reports } = await runChild("default", { NODE_ENV: "test" });
    expect(reports).toEqual([]);
    expect(stderr).toMatch(/ArenakitLeakWarning: Arc "forgotten-arc" was garbage-collected without being released/);
    expect(stderr).toMatch(/SharedArc "forgotten-shared"/);
    expect(stderr).toMatch(/Yoke "Yoke\(yoked-cart\)"/);
    expect(stderr).not.toMatch(/released-arc|released-yoke-cart|disposed-arc|Arc "yoked-cart"/);
  }, 30_000);

  it("is off without the test environment, and ARENAKIT_LEAK_REPORT switches it either way", async () => {
    const off = await runChild("default", {});
    expect(off.stderr).not.toMatch(/ArenakitLeakWarning/);
    const forcedOff = await runChild("default", { NODE_ENV: "test", ARENAKIT_LEAK_REPORT: "0" });
    expect(forcedOff.stderr).not.toMatch(/ArenakitLeakWarning/);
    const forcedOn = await runChild("default", { ARENAKIT_LEAK_REPORT: "1" });
    expect(forcedOn.stderr).toMatch(/ArenakitLeakWarning: Arc "forgotten-arc"/);
  }, 60_000);

  it("rejects bad options", () => {
    expect(() => setLeakReporting("yes" as never)).toThrow(YokeArgumentError);
    expect(() => setLeakReporting({ onLeak: 1 as never })).toThrow(/onLeak must be a function/);
  });
});
