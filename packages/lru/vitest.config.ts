import { arenakitProject } from "../../vitest.shared.ts";

export default arenakitProject({ name: "lru", typecheck: true });
