import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { checkPrinted } from "../../../scripts/example-output.mjs";
import { Interner, main as interning } from "../examples/recipes/string-interning.ts";
import { main as sharedMap } from "../examples/recipes/shared-map.ts";

describe("recipe: string interning", () => {
  it("gives each distinct string one id and returns it for every later copy", () => {
    using table = new Interner();
    const a = table.intern("alpha");
    const b = table.intern("beta");
    expect(table.intern(`al${"pha"}`)).toBe(a);
    expect([a, b]).toEqual([0, 1]);
    expect(table.lookup(b)).toBe("beta");
    for (let i = 0; i < 5000; i++) expect(table.intern(`s${i}`)).toBe(i + 2);
    expect(table.lookup(4001)).toBe("s3999");
    expect(() => table.lookup(99999)).toThrow(RangeError);
  });
  it("interns a stream of owners", () => {
    const r = interning(100_000);
    expect(r.distinct).toBe(4999);
    expect(r.sample).toMatch(/^program-\d+$/);
  });
});

describe("recipe: a frozen map shared with Workers", () => {
  it("every Worker reads the owner's map in place and gets the owner's answer", async () => {
    const { totals, expected } = await sharedMap(20_000, 2);
    expect(expected).toBeGreaterThan(0);
    expect(totals).toEqual([expected, expected]);
  });
});

describe("recipes print what their `// → ` comments say", () => {
  it.each(["string-interning", "shared-map"])("%s", async (name) => {
    const file = fileURLToPath(new URL(`../examples/recipes/${name}.ts`, import.meta.url));
    expect(await checkPrinted(file)).toBeUndefined();
  }, 180_000);
});
