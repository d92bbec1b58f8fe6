import type { SelfCell } from "./self-cell.js";

/**
 * How a {@link SelfCell} disposes its two halves. By default each half is
 * disposed by calling its `[Symbol.dispose]()` when it has one (an arena, a
 * file handle, another cell) and left to the garbage collector otherwise.
 *
 * @example
 * ```ts
 * import { SelfCell } from "@arenakit/self-cell";
 * const log: string[] = [];
 * const cell = SelfCell.new("owner", (o) => o.length, {
 *   disposeOwner: () => log.push("owner"),
 *   disposeDependent: () => log.push("dependent"),
 * });
 * cell[Symbol.dispose](); // log: ["dependent", "owner"]
 * ```
 */
export interface SelfCellOptions<O, D> {
  /**
   * Frees the owner. Runs after the dependent was disposed, and also when a
   * builder fails in `SelfCell.new` / `SelfCell.tryNew`.
   * @defaultValue calls `owner[Symbol.dispose]()` if the owner has it
   */
  readonly disposeOwner?: (owner: O) => void;
  /**
   * Frees the dependent. Runs first, while the owner is still intact, so it
   * may read the owner.
   * @defaultValue calls `dependent[Symbol.dispose]()` if the dependent has it
   */
  readonly disposeDependent?: (dependent: D, owner: O) => void;
}

/**
 * What {@link SelfCell.tryNew} returns: the cell, or the builder's error
 * (the owner has then been disposed).
 */
export type TryNewResult<O, D> =
  | { readonly ok: true; readonly cell: SelfCell<O, D> }
  | { readonly ok: false; readonly error: unknown };

/**
 * What {@link SelfCell.tryNewOrRecover} returns: the cell, or the builder's
 * error together with the owner, handed back untouched (not disposed).
 */
export type TryNewOrRecoverResult<O, D> =
  | { readonly ok: true; readonly cell: SelfCell<O, D> }
  | { readonly ok: false; readonly error: unknown; readonly owner: O };
