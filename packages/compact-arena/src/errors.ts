import type { ArenaKind } from "./api.js";

/**
 * Error codes raised by `@arenakit/compact-arena`. Every error it raises (or
 * returns, for `tryAdd`) is a {@link CompactArenaError} with one of these codes.
 *
 * @example
 * ```ts
 * import type { CompactArenaErrorCode } from "@arenakit/compact-arena";
 * const full: CompactArenaErrorCode = "ERR_COMPACT_CAPACITY";
 * ```
 */
export type CompactArenaErrorCode =
  | "ERR_COMPACT_CAPACITY"
  | "ERR_COMPACT_INDEX"
  | "ERR_COMPACT_VALUE"
  | "ERR_COMPACT_SCHEMA"
  | "ERR_COMPACT_ARGUMENT"
  | "ERR_COMPACT_RELEASED"
  | "ERR_COMPACT_READ_ONLY"
  | "ERR_COMPACT_ALLOCATION"
  | "ERR_COMPACT_STALE";

/**
 * Base class of every error of `@arenakit/compact-arena`; branch on `code`.
 *
 * @example
 * ```ts
 * import { CompactArenaError, inArena } from "@arenakit/compact-arena";
 * try {
 *   inArena("nano", { v: "u8" }, (arena) => {
 *     arena.add({ v: 300 });
 *   });
 * } catch (err) {
 *   if (err instanceof CompactArenaError) console.log(err.code); // "ERR_COMPACT_VALUE"
 * }
 * ```
 */
export class CompactArenaError extends Error {
  /** Machine-readable code naming the problem. */
  readonly code: CompactArenaErrorCode;

  constructor(code: CompactArenaErrorCode, message: string) {
    super(message);
    this.code = code;
    this.name = new.target.name;
  }
}

/**
 * The arena is full: it holds `capacity` records, as many as its index width can
 * address. `add` throws it; `tryAdd` returns it. Nothing was stored.
 *
 * @example
 * ```ts
 * import { CapacityError, inArena } from "@arenakit/compact-arena";
 * inArena("nano", { v: "u8" }, (arena) => {
 *   for (let i = 0; i < 256; i++) arena.add({ v: 0 });
 *   const r = arena.tryAdd({ v: 0 });
 *   return r instanceof CapacityError ? r.capacity : -1; // 256
 * });
 * ```
 */
export class CapacityError extends CompactArenaError {
  /** The arena's kind. */
  readonly kind: ArenaKind;
  /** Records the arena holds (its capacity). */
  readonly capacity: number;

  constructor(kind: ArenaKind, capacity: number, why: string) {
    super("ERR_COMPACT_CAPACITY", `the ${kind} arena is full: it holds ${capacity} records (${why})`);
    this.kind = kind;
    this.capacity = capacity;
  }
}

/**
 * A number used as an index is not an index of this arena: not an integer, or
 * not below its `length`. (Indices of another arena of the same size cannot be
 * told apart at runtime; the brand catches those at compile time.)
 *
 * @example
 * ```ts
 * import { IndexError, inArena } from "@arenakit/compact-arena";
 * inArena("nano", { v: "u8" }, (arena) => {
 *   try {
 *     arena.idx(3); // nothing added yet
 *   } catch (err) {
 *     return err instanceof IndexError; // true
 *   }
 *   return false;
 * });
 * ```
 */
export class IndexError extends CompactArenaError {
  constructor(message: string) {
    super("ERR_COMPACT_INDEX", message);
  }
}

/**
 * A value does not fit its field (out of range, not an integer, not a number, not an index). Nothing was written.
 *
 * @example
 * ```ts
 * import { InvalidValueError, inArena } from "@arenakit/compact-arena";
 * inArena("nano", { v: "u8" }, (arena) => {
 *   try {
 *     arena.add({ v: 256 }); // u8 holds 0..255: never wrapped to 0
 *   } catch (err) {
 *     return err instanceof InvalidValueError; // true
 *   }
 *   return false;
 * });
 * ```
 */
export class InvalidValueError extends CompactArenaError {
  constructor(message: string) {
    super("ERR_COMPACT_VALUE", message);
  }
}

/**
 * A schema is not acceptable (no fields, too many, a bad name, an unknown field type).
 *
 * @example
 * ```ts
 * import { SchemaError, defineSchema } from "@arenakit/compact-arena";
 * try {
 *   defineSchema({ at: "u8" }); // `at` is a cursor member
 * } catch (err) {
 *   console.log(err instanceof SchemaError); // true
 * }
 * ```
 */
export class SchemaError extends CompactArenaError {
  constructor(message: string) {
    super("ERR_COMPACT_SCHEMA", message);
  }
}

/**
 * An option, kind, layout, field name or descriptor is not acceptable.
 *
 * @example
 * ```ts
 * import { InvalidArgumentError, inArena } from "@arenakit/compact-arena";
 * try {
 *   inArena({ kind: "small", initialCapacity: 1000 }, { v: "u8" }, () => 0); // not a power of two
 * } catch (err) {
 *   console.log(err instanceof InvalidArgumentError); // true
 * }
 * ```
 */
export class InvalidArgumentError extends CompactArenaError {
  constructor(message: string) {
    super("ERR_COMPACT_ARGUMENT", message);
  }
}

/**
 * The arena (or the cursor, or the view) was used after its scope ended: the
 * `inArena` callback returned (or its promise settled) or it was disposed.
 *
 * @example
 * ```ts
 * import { ReleasedError, inArena } from "@arenakit/compact-arena";
 * const size = inArena("nano", { v: "u8" }, (arena) => () => arena.length); // a closure escapes
 * try {
 *   size();
 * } catch (err) {
 *   console.log(err instanceof ReleasedError); // true
 * }
 * ```
 */
export class ReleasedError extends CompactArenaError {
  constructor(message: string) {
    super("ERR_COMPACT_RELEASED", message);
  }
}

/**
 * A write was attempted through a read-only view (a Worker's view of a shared arena).
 * Views have no `add`/`set` at the type level; this is the runtime guard for casts and plain JavaScript.
 *
 * @example
 * ```ts
 * import { ReadOnlyError, inArena, inSharedArena } from "@arenakit/compact-arena";
 * inArena({ kind: "nano", shared: true }, { v: "u8" }, (arena) => {
 *   arena.add({ v: 1 });
 *   return inSharedArena(arena.share(), "nano", { v: "u8" }, (view) => {
 *     try {
 *       (view as unknown as { set(i: number, f: string, v: number): void }).set(0, "v", 2);
 *     } catch (err) {
 *       return err instanceof ReadOnlyError; // true
 *     }
 *     return false;
 *   });
 * });
 * ```
 */
export class ReadOnlyError extends CompactArenaError {
  constructor(message: string) {
    super("ERR_COMPACT_READ_ONLY", message);
  }
}

/**
 * The engine refused the memory a growth needed. Nothing was stored; the arena is intact.
 *
 * @example
 * ```ts
 * import { AllocationError, inArena } from "@arenakit/compact-arena";
 * inArena("small", { v: "f64" }, (arena) => {
 *   try {
 *     arena.add({ v: 1 });
 *   } catch (err) {
 *     if (err instanceof AllocationError) console.log("out of memory:", err.message);
 *     else throw err;
 *   }
 * });
 * ```
 */
export class AllocationError extends CompactArenaError {
  constructor(message: string, options?: { cause: unknown }) {
    super("ERR_COMPACT_ALLOCATION", message);
    if (options !== undefined) (this as { cause?: unknown }).cause = options.cause;
  }
}

/**
 * A slot arena's handle whose record was removed: the slot is vacant, or was reused
 * by a newer record (its generation moved on), or was retired after its last generation.
 * Every checked access of a slot arena (`get`, `set`, `at`, `remove`, `slotOf`,
 * secondary columns) throws it for such a handle; `has` returns `false` instead.
 * Nothing stored is changed.
 *
 * A number the arena never issued (forged, or a handle of another arena) is an
 * {@link IndexError} instead, as far as the arena can tell (see the "Removing things"
 * chapter for the odds with handles of other arenas).
 *
 * @example
 * ```ts
 * import { StaleHandleError, inSlotArena } from "@arenakit/compact-arena";
 * inSlotArena("tiny", { hp: "u16" }, (arena) => {
 *   const h = arena.insert({ hp: 10 });
 *   arena.remove(h);
 *   try {
 *     arena.get(h, "hp");
 *   } catch (err) {
 *     return err instanceof StaleHandleError; // true
 *   }
 *   return false;
 * });
 * ```
 */
export class StaleHandleError extends CompactArenaError {
  /** The handle that was refused. */
  readonly handle: number;

  constructor(handle: number, message: string) {
    super("ERR_COMPACT_STALE", message);
    this.handle = handle;
  }
}
