import { arenakitProject } from "../../vitest.shared.ts";

export default arenakitProject({ name: "account-cache", typecheck: true });
