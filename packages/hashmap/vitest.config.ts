import { arenakitProject } from "../../vitest.shared.ts";

export default arenakitProject({ name: "hashmap", typecheck: true });
