import { describe, expect, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { budget, iterate, records, switching, ttl, views, warmStart } from "../examples/basics.ts";

describe("the chapter's examples do what the prose says", () => {
  it("switching from lru-cache", () => {
    expect(switching()).toEqual({ hit: '{"name":"Ada"}', size: 0 });
  });
  it("the budget holds and an oversized entry is refused without loss", () => {
    const r = budget();
    expect(r.bytesUsed).toBeLessThanOrEqual(r.maxBytes);
    expect(r.refused).toBe(true);
    expect(r.kept).toBe(true);
  });
  it("views alias the entry, copies do not", () => {
    expect(views()).toEqual({ first: 1, afterChange: 9, copy: 1 });
  });
  it("records", () => {
    expect(records()).toEqual({ price: 1.0842, owned: { price: 1.0842, qty: 5, updated: 1_700_000_000_000n }, stale: true });
  });
  it("ttl", () => {
    expect(ttl()).toEqual({ before: "bob", after: undefined, reasons: ["s1: expire"] });
  });
  it("iteration order", () => {
    expect(iterate()).toEqual({ keys: ["a", "c", "b"], oldestFirst: ["b", "c", "a"] });
  });
  it("save and warm-start", () => {
    const dir = mkdtempSync(join(tmpdir(), "arenakit-lru-example-"));
    try {
      const r = warmStart(join(dir, "cache.arenakit"));
      expect(r.keys).toEqual(["/a", "/b"]);
      expect(r.hits).toBe(1);
      expect(r.remaining).toBeGreaterThan(59_000);
      expect(r.remaining).toBeLessThanOrEqual(60_000);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
