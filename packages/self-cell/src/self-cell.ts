import type { SelfCellOptions, TryNewOrRecoverResult, TryNewResult } from "./api.js";
import { disposeIfDisposable, suppressedError } from "./dispose.js";
import { BorrowError, CellArgumentError, CellDisposedError } from "./errors.js";

// Borrow state, one integer: >= 0 counts active shared borrows; the negative
// values are the exclusive and terminal states. Every check is one compare.
const MUT = -1;
const DISPOSED = -2;
const CONSUMED = -3;

/**
 * An owner and a dependent built from it, bound into one value: the
 * TypeScript counterpart of Rust's `self_cell!`. The dependent typically
 * points into the owner (spans into a byte buffer, pointers into an arena, an
 * index over a list), so the two must live and die together.
 *
 * When to use: you want to hand around one value that owns some memory and
 * a structure that reads it, and you want the structure freed first, then the
 * memory, exactly once. JavaScript has no dangling pointers, but it has the
 * logical version of them (a view kept after its arena was reset or
 * recycled); a cell makes the lifetime explicit and checks it at run time.
 *
 * Cost: one small object; every accessor checks one integer (the borrow
 * state). `withDependent`/`withDependentMut` add a `try/finally`.
 *
 * Gotchas: TypeScript cannot stop a caller from keeping the dependent (or
 * something it returned) after the cell is disposed; the cell only checks its
 * own accessors. A borrow lasts for the synchronous call of the callback: a
 * promise returned from it is not covered.
 *
 * @example
 * ```ts
 * import { SelfCell } from "@arenakit/self-cell";
 * const text = "id,owner\nacct-sparky,Sparky-11\n";
 * using cell = SelfCell.new(text, (t) => t.split("\n").filter((l) => l !== ""));
 * cell.borrowDependent().length;                   // 2
 * cell.withDependent((owner, lines) => owner.indexOf(lines[1]!)); // 9
 * ```
 */
export class SelfCell<O, D> implements Disposable {
  private _owner: O;
  private _dependent: D;
  private _state = 0;
  private readonly _disposeOwner: ((owner: O) => void) | undefined;
  private readonly _disposeDependent: ((dependent: D, owner: O) => void) | undefined;

  private constructor(owner: O, dependent: D, options: SelfCellOptions<O, D> | undefined) {
    this._owner = owner;
    this._dependent = dependent;
    this._disposeOwner = options?.disposeOwner;
    this._disposeDependent = options?.disposeDependent;
  }

  /**
   * Builds the dependent from the owner and binds the two (Rust's
   * `self_cell::new`).
   *
   * If `build` throws, the owner is disposed and the builder's error is
   * rethrown: a failed construction leaves nothing behind. (If disposing the
   * owner also throws, a `SuppressedError` carries both errors; see
   * {@link suppressedError}.)
   *
   * @throws {@link CellArgumentError} when `build` is not a function (the owner is not touched).
   */
  static new<O, D>(owner: O, build: (owner: O) => D, options?: SelfCellOptions<O, D>): SelfCell<O, D> {
    checkFunction("build", build);
    checkOptions(options);
    let dependent: D;
    try {
      dependent = build(owner);
    } catch (err) {
      throw disposeAfterFailure(owner, options, err);
    }
    return new SelfCell(owner, dependent, options);
  }

  /**
   * Like {@link SelfCell.new}, but a builder failure is returned instead of
   * thrown (Rust's `try_new`). On failure the owner has been disposed.
   *
   * When to use: construction can fail for ordinary reasons (bad input) and
   * you want to branch on it without `try/catch`.
   *
   * @example
   * ```ts
   * import { SelfCell } from "@arenakit/self-cell";
   * const r = SelfCell.tryNew("{oops", (json) => JSON.parse(json) as unknown);
   * if (!r.ok) console.log(r.error instanceof SyntaxError); // true
   * ```
   */
  static tryNew<O, D>(owner: O, build: (owner: O) => D, options?: SelfCellOptions<O, D>): TryNewResult<O, D> {
    checkFunction("build", build);
    checkOptions(options);
    let dependent: D;
    try {
      dependent = build(owner);
    } catch (err) {
      return { ok: false, error: disposeAfterFailure(owner, options, err) };
    }
    return { ok: true, cell: new SelfCell(owner, dependent, options) };
  }

  /**
   * Like {@link SelfCell.tryNew}, but on failure the owner is handed back
   * untouched instead of being disposed (Rust's `try_new_or_recover`), so the
   * caller can retry with another builder or use the owner otherwise.
   *
   * @example
   * ```ts
   * import { SelfCell } from "@arenakit/self-cell";
   * const r = SelfCell.tryNewOrRecover("not json", (s) => JSON.parse(s) as unknown);
   * const cell = r.ok ? r.cell : SelfCell.new(r.owner, (s) => s.length);
   * ```
   */
  static tryNewOrRecover<O, D>(
    owner: O,
    build: (owner: O) => D,
    options?: SelfCellOptions<O, D>,
  ): TryNewOrRecoverResult<O, D> {
    checkFunction("build", build);
    checkOptions(options);
    let dependent: D;
    try {
      dependent = build(owner);
    } catch (err) {
      return { ok: false, error: err, owner };
    }
    return { ok: true, cell: new SelfCell(owner, dependent, options) };
  }

  /**
   * The owner. Allowed while the dependent is mutably borrowed (the owner is
   * never borrowed mutably, as in Rust).
   *
   * Gotcha: do not change the owner in a way that invalidates the dependent;
   * the cell cannot see that.
   *
   * @throws {@link CellDisposedError} after dispose or `intoOwner()`.
   */
  borrowOwner(): O {
    if (this._state < MUT) throw this._dead("borrowOwner");
    return this._owner;
  }

  /**
   * The dependent, read-only (the TypeScript type is `Readonly<D>`).
   *
   * Gotcha: the returned reference is not tracked; do not keep it past the
   * cell's life. Prefer {@link SelfCell.withDependent} for a scoped borrow.
   *
   * @throws {@link BorrowError} while `withDependentMut` runs; {@link CellDisposedError} after dispose or `intoOwner()`.
   */
  borrowDependent(): Readonly<D> {
    if (this._state < 0) throw this._state === MUT ? mutablyBorrowed("borrowDependent") : this._dead("borrowDependent");
    return this._dependent;
  }

  /**
   * Calls `f(owner, dependent)` with a shared borrow of the dependent and
   * returns its result. Shared borrows nest (a `withDependent` inside another
   * is fine); a `withDependentMut`, `intoOwner()` or dispose inside `f`
   * throws {@link BorrowError}.
   *
   * @throws {@link BorrowError} while `withDependentMut` runs; {@link CellDisposedError} after dispose or `intoOwner()`.
   */
  withDependent<R>(f: (owner: O, dependent: Readonly<D>) => R): R {
    checkFunction("withDependent: f", f);
    const s = this._state;
    if (s < 0) throw s === MUT ? mutablyBorrowed("withDependent") : this._dead("withDependent");
    this._state = s + 1;
    try {
      return f(this._owner, this._dependent);
    } finally {
      // SAFETY: while s + 1 > 0 no state change other than nested borrows is allowed, and they restore it.
      this._state--;
    }
  }

  /**
   * Calls `f(owner, dependent)` with an exclusive borrow of the dependent (Rust's
   * `with_dependent_mut`): `f` may change the dependent in place. Any other
   * borrow of the dependent during `f` — including a re-entrant
   * `withDependentMut` — throws {@link BorrowError}.
   *
   * @example
   * ```ts
   * import { SelfCell } from "@arenakit/self-cell";
   * const cell = SelfCell.new("a b c", (s) => ({ words: s.split(" ") }));
   * cell.withDependentMut((_, dep) => dep.words.push("d"));
   * cell.borrowDependent().words.length; // 4
   * ```
   *
   * @throws {@link BorrowError} when the dependent is already borrowed; {@link CellDisposedError} after dispose or `intoOwner()`.
   */
  withDependentMut<R>(f: (owner: O, dependent: D) => R): R {
    checkFunction("withDependentMut: f", f);
    const s = this._state;
    if (s !== 0) {
      if (s > 0) {
        throw new BorrowError(
          `withDependentMut: the dependent is already borrowed (${s} shared borrow${s === 1 ? "" : "s"} active)`,
        );
      }
      throw s === MUT ? mutablyBorrowed("withDependentMut") : this._dead("withDependentMut");
    }
    this._state = MUT;
    try {
      return f(this._owner, this._dependent);
    } finally {
      this._state = 0;
    }
  }

  /**
   * Disposes the dependent and returns the owner, consuming the cell (Rust's
   * `into_owner`). Every later use of the cell throws; disposing it is a no-op.
   *
   * If disposing the dependent throws, the owner is disposed as well (nothing
   * leaks) and the error is rethrown.
   *
   * @throws {@link BorrowError} while a borrow is active; {@link CellDisposedError} after dispose or `intoOwner()`.
   */
  intoOwner(): O {
    this._assertUnborrowed("intoOwner");
    const owner = this._owner;
    const dependent = this._dependent;
    this._state = CONSUMED;
    this._release();
    try {
      this._runDisposeDependent(dependent, owner);
    } catch (err) {
      throw disposeAfterFailure(owner, { disposeOwner: this._disposeOwner }, err);
    }
    return owner;
  }

  /**
   * Disposes the dependent, then the owner. Idempotent: a second call, or a
   * call after `intoOwner()`, does nothing.
   *
   * If a disposer throws, the other one still runs and the cell is disposed
   * all the same. One failure is rethrown as is; two failures are thrown as a
   * `SuppressedError` whose `error` is the owner's and whose `suppressed` is
   * the dependent's (the `using` convention; see {@link suppressedError} for
   * Node 20).
   *
   * @throws {@link BorrowError} while a borrow is active (the cell stays usable).
   */
  [Symbol.dispose](): void {
    if (this._state < MUT) return;
    this._assertUnborrowed("dispose");
    const owner = this._owner;
    const dependent = this._dependent;
    this._state = DISPOSED;
    this._release();
    let failure: { error: unknown } | undefined;
    try {
      this._runDisposeDependent(dependent, owner);
    } catch (err) {
      failure = { error: err };
    }
    try {
      if (this._disposeOwner !== undefined) this._disposeOwner(owner);
      else disposeIfDisposable(owner);
    } catch (err) {
      throw failure === undefined
        ? err
        : suppressedError(err, failure.error, "disposing the owner failed after disposing the dependent failed");
    }
    if (failure !== undefined) throw failure.error;
  }

  /** Whether the cell was disposed or consumed by `intoOwner()`. */
  get disposed(): boolean {
    return this._state < MUT;
  }

  /** Number of shared borrows active now (`-1` while mutably borrowed; `0` when none or disposed). */
  get borrowCount(): number {
    return this._state < MUT ? 0 : this._state;
  }

  private _runDisposeDependent(dependent: D, owner: O): void {
    if (this._disposeDependent !== undefined) this._disposeDependent(dependent, owner);
    else disposeIfDisposable(dependent);
  }

  /** Lets the garbage collector take both halves even if the cell object itself is kept. */
  private _release(): void {
    this._owner = undefined as O;
    this._dependent = undefined as D;
  }

  private _assertUnborrowed(what: string): void {
    const s = this._state;
    if (s === 0) return;
    if (s > 0) throw new BorrowError(`${what}: the dependent is borrowed (${s} shared borrow${s === 1 ? "" : "s"} active)`);
    if (s === MUT) throw mutablyBorrowed(what);
    throw this._dead(what);
  }

  private _dead(what: string): CellDisposedError {
    return new CellDisposedError(
      this._state === CONSUMED
        ? `${what}: the cell was consumed by intoOwner()`
        : `${what}: the cell was disposed`,
    );
  }
}

function mutablyBorrowed(what: string): BorrowError {
  return new BorrowError(`${what}: the dependent is mutably borrowed by withDependentMut`);
}

function checkFunction(name: string, f: unknown): void {
  if (typeof f !== "function") throw new CellArgumentError(`${name} must be a function, got ${typeOf(f)}`);
}

function checkOptions(options: unknown): void {
  if (options === undefined) return;
  if (options === null || typeof options !== "object") {
    throw new CellArgumentError(`options must be an object, got ${typeOf(options)}`);
  }
  const o = options as Record<string, unknown>;
  for (const key of ["disposeOwner", "disposeDependent"]) {
    if (o[key] !== undefined && typeof o[key] !== "function") {
      throw new CellArgumentError(`options.${key} must be a function, got ${typeOf(o[key])}`);
    }
  }
}

function typeOf(v: unknown): string {
  return v === null ? "null" : typeof v;
}

/**
 * Disposes `owner` after `cause` (a builder or dependent failure) and returns
 * the error to throw: `cause` itself, or both errors when disposing failed too.
 */
function disposeAfterFailure<O>(
  owner: O,
  options: { readonly disposeOwner?: ((owner: O) => void) | undefined } | undefined,
  cause: unknown,
): unknown {
  try {
    if (options?.disposeOwner !== undefined) options.disposeOwner(owner);
    else disposeIfDisposable(owner);
  } catch (err) {
    return suppressedError(err, cause, "disposing the owner failed after building or disposing the dependent failed");
  }
  return cause;
}
