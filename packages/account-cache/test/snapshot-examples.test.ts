import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { checkPrinted, commentedOutput, printedMismatch, programOutput } from "../../../scripts/example-output.mjs";
import { refuseLarge, saveAndLoad } from "../examples/snapshot.ts";
import { main as warmRestart } from "../examples/recipes/warm-restart.ts";

const dir = mkdtempSync(join(tmpdir(), "arenakit-snap-examples-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("snapshot examples (the code the 'Arenas on disk' chapter shows)", () => {
  it("saves and loads FrozenAccounts", async () => {
    const r = await saveAndLoad(dir);
    expect(r.owner).toBe("Sparky-11");
    expect(r.size).toBe(1);
    expect(r.bytes).toBeGreaterThan(0);
  });
  it("refuses a file over the configured limit", () => {
    expect(refuseLarge(dir)).toBe("too-large");
  });
});

describe("recipe: warm restart of a rolling cache", () => {
  it("the window survives the restart and keeps rolling", async () => {
    const d = join(dir, "warm");
    const r = await warmRestart(d, 2000);
    expect(r.before).toEqual([105n, 104n, 103n, 102n]);
    expect(r.after).toEqual([106n, 105n, 104n, 103n]);
    expect(r.index).toBe(106_000_007n);
    expect(readdirSync(d).length).toBe(4);
  });
  it("run as a program, prints what its `// → ` comments say", async () => {
    const file = fileURLToPath(new URL("../examples/recipes/warm-restart.ts", import.meta.url));
    expect(await checkPrinted(file)).toBeUndefined();
  }, 180_000);
});

describe("recipe: build once, load many (real child processes, a shared directory and HTTP on loopback)", () => {
  it("every loader and its Worker read every account (what its `// → ` comments say)", async () => {
    const out = await programOutput(new URL("../examples/recipes/build-once-load-many.ts", import.meta.url));
    expect(out).toContain("loaded via directory: 50000 accounts\n  read back: 50000 by the loader, 50000 by its Worker");
    expect(out).toContain("loaded via http: 50000 accounts\n  read back: 50000 by the loader, 50000 by its Worker");
    const source = fileURLToPath(new URL("../examples/recipes/build-once-load-many.ts", import.meta.url));
    expect(printedMismatch(commentedOutput(readFileSync(source, "utf8")), out)).toBeUndefined();
  }, 180_000);
});
