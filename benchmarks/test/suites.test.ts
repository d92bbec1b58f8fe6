import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Suite } from "../src/api.ts";

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
      } else {
        expect(c.variants).toContain(c.baseline);
        expect(c.quickRecords.length).toBeGreaterThan(0);
      }
      for (const t of c.targets ?? []) {
        const subjects = c.kind === "time" ? Object.keys(await c.setup({ quick: true })) : c.variants;
        expect(subjects).toContain(t.subject);
      }
    }
  });
});
