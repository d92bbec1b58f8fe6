/**
 * An owner and a value that depends on it, bound into one object, after Rust's
 * self_cell: {@link SelfCell} builds the dependent from the owner, checks
 * borrows at run time ({@link BorrowError}) and always disposes the dependent
 * before the owner.
 *
 * Gotcha: nothing borrowed inside `withDependent` / `withDependentMut` may be
 * kept past the callback or past disposal.
 *
 * @example
 * ```ts
 * import { SelfCell } from "@arenakit/self-cell";
 * const cell = SelfCell.new("a b c", (text) => text.split(" "));
 * cell.withDependent((_text, words) => words.length); // 3
 * cell[Symbol.dispose]();
 * ```
 *
 * @packageDocumentation
 */
export type { SelfCellOptions, TryNewOrRecoverResult, TryNewResult } from "./api.js";
export { isSuppressedError, suppressedError, type SuppressedErrorLike } from "./dispose.js";
export { BorrowError, CellArgumentError, CellDisposedError, SelfCellError, type SelfCellErrorCode } from "./errors.js";
export { SelfCell } from "./self-cell.js";
