import type { ArenaKind } from "./api.js";

/**
 * Error codes raised by `@arenakit/compact-arena`. Every error it raises (or
 * returns, for `tryAdd`) is a {@link CompactArenaError} with one of these codes.
 */
export type CompactArenaErrorCode =
  | "ERR_COMPACT_CAPACITY"
  | "ERR_COMPACT_INDEX"
  | "ERR_COMPACT_VALUE"
  | "ERR_COMPACT_SCHEMA"
  | "ERR_COMPACT_ARGUMENT"
  | "ERR_COMPACT_RELEASED"
  | "ERR_COMPACT_READ_ONLY"
  | "ERR_COMPACT_ALLOCATION";

/**
 * Base class of every error of `@arenakit/compact-arena`; branch on `code`.
 *
 * @example
 * ```ts
 * import { CompactArenaError, inArena } from "@arenakit/compact-arena";
 * try {
 *   inArena("nano", { v: "u8" }, (arena) => arena.add({ v: 300 }));
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
 */
export class IndexError extends CompactArenaError {
  constructor(message: string) {
    super("ERR_COMPACT_INDEX", message);
  }
}

/** A value does not fit its field (out of range, not an integer, not a number, not an index). Nothing was written. */
export class InvalidValueError extends CompactArenaError {
  constructor(message: string) {
    super("ERR_COMPACT_VALUE", message);
  }
}

/** A schema is not acceptable (no fields, too many, a bad name, an unknown field type). */
export class SchemaError extends CompactArenaError {
  constructor(message: string) {
    super("ERR_COMPACT_SCHEMA", message);
  }
}

/** An option, kind, layout, field name or descriptor is not acceptable. */
export class InvalidArgumentError extends CompactArenaError {
  constructor(message: string) {
    super("ERR_COMPACT_ARGUMENT", message);
  }
}

/**
 * The arena (or the cursor, or the view) was used after its scope ended: the
 * `inArena` callback returned (or its promise settled) or it was disposed.
 */
export class ReleasedError extends CompactArenaError {
  constructor(message: string) {
    super("ERR_COMPACT_RELEASED", message);
  }
}

/** A write was attempted through a read-only view (a Worker's view of a shared arena). */
export class ReadOnlyError extends CompactArenaError {
  constructor(message: string) {
    super("ERR_COMPACT_READ_ONLY", message);
  }
}

/** The engine refused the memory a growth needed. Nothing was stored; the arena is intact. */
export class AllocationError extends CompactArenaError {
  constructor(message: string, options?: { cause: unknown }) {
    super("ERR_COMPACT_ALLOCATION", message);
    if (options !== undefined) (this as { cause?: unknown }).cause = options.cause;
  }
}
