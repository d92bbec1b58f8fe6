import { arenakitProject } from "../vitest.shared.ts";

export default arenakitProject({ name: "benchmarks", testTimeout: 120_000 });
