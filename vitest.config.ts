import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: ["packages/*", "benchmarks", "docs", "test"],
    reporters: ["default", ["json", { outputFile: ".reports/vitest.json" }]],
  },
});
