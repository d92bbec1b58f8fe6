export type { SelfCellOptions, TryNewOrRecoverResult, TryNewResult } from "./api.js";
export { isSuppressedError, suppressedError, type SuppressedErrorLike } from "./dispose.js";
export { BorrowError, CellArgumentError, CellDisposedError, SelfCellError, type SelfCellErrorCode } from "./errors.js";
export { SelfCell } from "./self-cell.js";
