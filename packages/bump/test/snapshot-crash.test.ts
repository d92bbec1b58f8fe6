import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { loadArenaSync } from "../src/index.ts";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const FIXTURE = fileURLToPath(new URL("./fixtures/save-loop.ts", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "arenakit-crash-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Starts the saving child, kills it with SIGKILL `delayMs` after its `nth` "saving" line. */
function killDuringSave(path: string, nth: number, delayMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "--conditions=@arenakit/source", FIXTURE, path], {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let seen = 0;
    let err = "";
    const watchdog = setTimeout(() => child.kill("SIGKILL"), 30_000);
    child.stdout.on("data", (d: Buffer) => {
      seen += d.toString().split("saving").length - 1;
      if (seen >= nth && !child.killed) setTimeout(() => child.kill("SIGKILL"), delayMs);
    });
    child.stderr.on("data", (d) => (err += d));
    child.on("error", reject);
    child.on("exit", (_code, signal) => {
      clearTimeout(watchdog);
      if (signal === "SIGKILL") resolve();
      else reject(new Error(`the child exited on its own: ${err.slice(-1000)}`));
    });
  });
}

describe("safe writes", () => {
  it("killing the saver mid-save leaves the final name absent or a complete file", async () => {
    let midSave = 0;
    for (let round = 0; round < 4; round++) {
      const path = join(dir, `r${round}.arenakit`);
      // Rounds alternate between the first save (no old file) and a later one (an old file to keep).
      // A save of this 32 MiB arena takes tens to hundreds of ms (CRC pass, writes, fsync): the delays spread the kill over it.
      await killDuringSave(path, round % 2 === 0 ? 1 : 2, 20 + round * 40);
      const leftovers = readdirSync(dir).filter((f) => f.startsWith(`r${round}.arenakit.`) && f.endsWith(".tmp"));
      if (leftovers.length > 0) midSave++;
      if (existsSync(path)) {
        const loaded = loadArenaSync(path);
        expect(loaded.usedBytes).toBeGreaterThan(512 * 65536);
      }
    }
    // At least one kill landed inside a save (a temporary file was left behind), so the check above was exercised.
    expect(midSave).toBeGreaterThan(0);
  }, 120_000);
});
