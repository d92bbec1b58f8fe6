// Progress lines from a measuring child to the runner. A child started by
// runScript (child-process.ts) calls reportProgress now and then; the parent
// reads these lines from the child's stderr and moves its progress bar, so a
// child that measures for a minute does not look stuck. Kept apart from
// child-process.ts so that children do not bundle esbuild.

/** Prefix of a progress line on a child's stderr. */
export const PROGRESS_PREFIX = "@@arenakit-progress ";

/** Set by the runner in its own environment, so every child knows the run's profile. */
export const PROFILE_ENV = "ARENAKIT_BENCH_PROFILE";

/** Set by the runner in a child's environment when it wants progress lines. */
export const PROGRESS_ENV = "ARENAKIT_BENCH_PROGRESS";

let last = 0;

/**
 * Tells the runner how far this child is (`fraction` of its work, 0–1), with
 * an optional label. At most about 4 lines a second are written; nothing is
 * written when the child was not started by the runner.
 */
export function reportProgress(fraction: number, label?: string): void {
  if (process.env[PROGRESS_ENV] !== "1") return;
  const now = performance.now();
  if (now - last < 250 && fraction < 1) return;
  last = now;
  const f = Math.max(0, Math.min(1, fraction));
  process.stderr.write(`${PROGRESS_PREFIX}${JSON.stringify(label === undefined ? { f } : { f, label })}\n`);
}

/** Parses a progress line; undefined for any other line. */
export function parseProgress(line: string): { f: number; label?: string } | undefined {
  if (!line.startsWith(PROGRESS_PREFIX)) return undefined;
  try {
    const v = JSON.parse(line.slice(PROGRESS_PREFIX.length)) as { f?: unknown; label?: unknown };
    if (typeof v.f !== "number" || !Number.isFinite(v.f)) return undefined;
    return typeof v.label === "string" ? { f: v.f, label: v.label } : { f: v.f };
  } catch {
    return undefined;
  }
}
