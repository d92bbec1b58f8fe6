import { arenakitProject } from "../../vitest.shared.ts";

export default arenakitProject({ name: "yoke", typecheck: true });
