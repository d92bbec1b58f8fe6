// Shared per-project vitest settings: every workspace package resolves its
// neighbours from source (the "@arenakit/source" export condition), so tests
// never need a build first. `dist/` is checked separately by test/dist.test.ts.
import { defaultServerConditions } from "vite";
import { defineProject, type UserWorkspaceConfig } from "vitest/config";

export const SOURCE_CONDITION = "@arenakit/source";

export interface ProjectOptions {
  /** vitest project name, shown in the report. */
  readonly name: string;
  /** Run `*.test-d.ts` files through the TypeScript checker. */
  readonly typecheck?: boolean;
  /** Per-test timeout in ms. */
  readonly testTimeout?: number;
}

export function arenakitProject(options: ProjectOptions): UserWorkspaceConfig {
  return defineProject({
    resolve: { conditions: [SOURCE_CONDITION] },
    ssr: { resolve: { conditions: [SOURCE_CONDITION, ...defaultServerConditions] } },
    test: {
      name: options.name,
      include: ["test/**/*.test.ts"],
      testTimeout: options.testTimeout ?? 20_000,
      // Type tests run once, on Node 20; .ci/run's Node 24 pass sets ARENAKIT_SKIP_TYPECHECK.
      ...(options.typecheck && process.env.ARENAKIT_SKIP_TYPECHECK === undefined
        ? { typecheck: { enabled: true, include: ["test/**/*.test-d.ts"], tsconfig: "./tsconfig.json" } }
        : {}),
    },
  });
}
