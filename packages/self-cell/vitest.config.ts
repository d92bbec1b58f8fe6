import { arenakitProject } from "../../vitest.shared.ts";

export default arenakitProject({ name: "self-cell", typecheck: true });
