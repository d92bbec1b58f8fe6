import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { commentedResults } from "../../../scripts/example-output.mjs";
import { warmStart } from "../examples/basics.ts";

const dir = mkdtempSync(join(tmpdir(), "arenakit-lru-example-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the chapter's examples return what their `// → ` comments say", () => {
  it("examples/basics.ts", async () => {
    const args = { warmStart: [join(dir, "cache.arenakit")] };
    const results = await commentedResults(new URL("../examples/basics.ts", import.meta.url), args);
    // every function of the file shows at least one result
    expect(new Set(results.map((r) => r.fn))).toEqual(
      new Set(["switching", "budget", "views", "records", "ttl", "iterate", "warmStart"]),
    );
    for (const r of results) expect(r.actual, r.what).toEqual(r.expected);
  });
});

describe("what the comments cannot say exactly", () => {
  it("a warm-started entry keeps the TTL it had left (about 60 s)", () => {
    const { remaining } = warmStart(join(dir, "ttl.arenakit"));
    expect(remaining).toBeGreaterThan(59_000);
    expect(remaining).toBeLessThanOrEqual(60_000);
  });
});
