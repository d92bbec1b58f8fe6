/**
 * Error codes raised by `@arenakit/self-cell`. Every error the package throws
 * (apart from the ones your builder or disposers throw, which are passed
 * through unchanged) is a {@link SelfCellError} with one of these codes.
 */
export type SelfCellErrorCode = "ERR_CELL_BORROWED" | "ERR_CELL_DISPOSED" | "ERR_CELL_INVALID_ARGUMENT";

/**
 * Base class of the errors raised by {@link SelfCell}; branch on `err.code`.
 *
 * @example
 * ```ts
 * import { SelfCell, SelfCellError } from "@arenakit/self-cell";
 * const cell = SelfCell.new([1, 2, 3], (xs) => ({ total: xs.length }));
 * cell[Symbol.dispose]();
 * try {
 *   cell.borrowDependent();
 * } catch (err) {
 *   if (err instanceof SelfCellError) console.log(err.code); // "ERR_CELL_DISPOSED"
 * }
 * ```
 */
export class SelfCellError extends Error {
  /** Machine-readable code naming the problem. */
  readonly code: SelfCellErrorCode;

  constructor(code: SelfCellErrorCode, message: string) {
    super(message);
    this.code = code;
    this.name = new.target.name;
  }
}

/**
 * A borrow rule was broken at run time, the way Rust's `RefCell` panics:
 * `withDependentMut` while the dependent is borrowed (or re-entrantly), a
 * shared borrow while it is mutably borrowed, or `intoOwner()`/dispose while
 * any borrow is active. The cell is left exactly as it was.
 */
export class BorrowError extends SelfCellError {
  constructor(message: string) {
    super("ERR_CELL_BORROWED", message);
  }
}

/** The cell was disposed, or consumed by `intoOwner()`, and can no longer be used. */
export class CellDisposedError extends SelfCellError {
  constructor(message: string) {
    super("ERR_CELL_DISPOSED", message);
  }
}

/** An argument was not acceptable (for example a builder that is not a function). */
export class CellArgumentError extends SelfCellError {
  constructor(message: string) {
    super("ERR_CELL_INVALID_ARGUMENT", message);
  }
}
