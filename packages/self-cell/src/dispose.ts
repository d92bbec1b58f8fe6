/**
 * The shape of a `SuppressedError`: the error thrown last (`error`) and the
 * one it replaced (`suppressed`). On Node 24 it is a real `SuppressedError`;
 * on Node 20, which has no such global, it is a plain `Error` named
 * `"SuppressedError"` with the same two properties — exactly what TypeScript's
 * down-levelled `using` produces there, so one check works on both.
 */
export interface SuppressedErrorLike extends Error {
  /** The error thrown last (by the disposer that ran last). */
  readonly error: unknown;
  /** The earlier error that `error` replaced. */
  readonly suppressed: unknown;
}

type SuppressedCtor = new (error: unknown, suppressed: unknown, message?: string) => SuppressedErrorLike;

/**
 * Combines two errors the way `using` and `DisposableStack` do: `error` is the
 * later one, `suppressed` the earlier one it replaces.
 *
 * When to use: in code that runs several disposers and must not lose either
 * failure. Uses the native `SuppressedError` when the runtime has it (Node 24),
 * otherwise returns an `Error` with `name === "SuppressedError"` and the same
 * `error`/`suppressed` properties (Node 20; the same fallback TypeScript's
 * `using` helper uses).
 *
 * @example
 * ```ts
 * import { isSuppressedError, suppressedError } from "@arenakit/self-cell";
 * const e = suppressedError(new Error("owner"), new Error("dependent"), "both disposers failed");
 * isSuppressedError(e); // true
 * ```
 */
export function suppressedError(error: unknown, suppressed: unknown, message: string): SuppressedErrorLike {
  const Native = (globalThis as { SuppressedError?: SuppressedCtor }).SuppressedError;
  if (typeof Native === "function") return new Native(error, suppressed, message);
  const e = new Error(message) as Error & { error: unknown; suppressed: unknown };
  e.name = "SuppressedError";
  e.error = error;
  e.suppressed = suppressed;
  return e;
}

/**
 * Whether `e` is a `SuppressedError` — native, or the Node 20 fallback made by
 * {@link suppressedError} or by TypeScript's down-levelled `using`.
 *
 * @example
 * ```ts
 * import { isSuppressedError } from "@arenakit/self-cell";
 * try {
 *   // ...dispose something whose owner and dependent both throw
 * } catch (err) {
 *   if (isSuppressedError(err)) console.log(err.error, err.suppressed);
 * }
 * ```
 */
export function isSuppressedError(e: unknown): e is SuppressedErrorLike {
  return e instanceof Error && e.name === "SuppressedError" && "error" in e && "suppressed" in e;
}

/** Calls `value[Symbol.dispose]()` when `value` has one; anything else needs no disposal. */
export function disposeIfDisposable(value: unknown): void {
  if (value !== null && (typeof value === "object" || typeof value === "function")) {
    const dispose = (value as Partial<Disposable>)[Symbol.dispose];
    if (typeof dispose === "function") dispose.call(value);
  }
}
