import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { checkPrinted } from "../../../scripts/example-output.mjs";
import { main } from "../examples/recipes/http-cache.ts";

describe("recipe: an HTTP response cache shared with Workers", () => {
  it("serves every page correctly under its byte budget, from the arena when it can", async () => {
    const r = await main(600, 8);
    expect(r.bad).toBe(0);
    expect(r.hits).toBeGreaterThan(0);
    expect(r.rendered).toBeGreaterThan(0);
    expect(r.hits + r.rendered + r.workerHits).toBeLessThanOrEqual(600);
    expect(r.bytesUsed).toBeLessThanOrEqual(r.maxBytes);
  }, 60_000);
  it("run as a program, prints what its `// → ` comments say", async () => {
    const file = fileURLToPath(new URL("../examples/recipes/http-cache.ts", import.meta.url));
    expect(await checkPrinted(file)).toBeUndefined();
  }, 180_000);
});
