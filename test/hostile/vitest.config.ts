import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { defineProject } from "vitest/config";

// The hostile-argument sweep calls every package's sources, as the packages' own tests do.
const packages = fileURLToPath(new URL("../../packages/", import.meta.url));
const alias = readdirSync(packages).map((name) => ({
  find: new RegExp(`^@arenakit/${name}$`),
  replacement: `${packages}${name}/src/index.ts`,
}));

export default defineProject({
  resolve: { alias },
  test: { name: "hostile", include: ["*.test.ts"], testTimeout: 120_000 },
});
