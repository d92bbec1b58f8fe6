import { arenakitProject } from "../../vitest.shared.ts";

export default arenakitProject({ name: "bump", typecheck: true });
