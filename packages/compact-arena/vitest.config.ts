import { arenakitProject } from "../../vitest.shared.ts";

export default arenakitProject({ name: "compact-arena", typecheck: true });
