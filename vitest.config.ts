import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: ["packages/*", "benchmarks", "docs", "test", "test/hostile"],
    // .ci/run points VITEST_JSON elsewhere for its second (Node 24) run.
    reporters: ["default", ["json", { outputFile: process.env.VITEST_JSON ?? ".reports/vitest.json" }]],
  },
});
