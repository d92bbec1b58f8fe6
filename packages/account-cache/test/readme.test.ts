// The README's first example prints exactly what its `// → ` comments say.
import { readFileSync } from "node:fs";
import { format } from "node:util";
import { expect, it, vi } from "vitest";
import { expectedOutput } from "../../../scripts/readme-lib.mjs";

it("the README example runs and prints what its comments say", async () => {
  const source = readFileSync(new URL("../examples/readme.ts", import.meta.url), "utf8");
  const printed: string[] = [];
  const log = vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => void printed.push(format(...args)));
  try {
    await import("../examples/readme.ts");
  } finally {
    log.mockRestore();
  }
  expect(expectedOutput(source).length).toBeGreaterThan(0);
  expect(printed).toEqual(expectedOutput(source));
});
