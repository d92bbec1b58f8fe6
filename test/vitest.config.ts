import { defineProject } from "vitest/config";

// Tests of what users install: the built dist/ of every package (no source condition here).
export default defineProject({ test: { name: "dist", include: ["*.test.ts"], testTimeout: 60_000 } });
