// The README's first example prints exactly what its `// → ` comments say.
import { expect, it } from "vitest";
import { readmeOutput } from "../../../scripts/readme-lib.mjs";

it("the README example runs and prints what its comments say", async () => {
  const { printed, expected } = await readmeOutput(new URL("../examples/readme.ts", import.meta.url));
  expect(expected.length).toBeGreaterThan(0);
  expect(printed).toEqual(expected);
});
