import { arenakitProject } from "../vitest.shared.ts";

export default arenakitProject({ name: "docs", testTimeout: 120_000 });
