/**
 * Public types of `@arenakit/compact-arena`: field types, schemas, brands,
 * and the arena interfaces that `inArena` hands to its callback.
 */

import type { CapacityError } from "./errors.js";

declare const idxBrand: unique symbol;

/**
 * An index of one record in one arena: a plain number at runtime, branded at
 * compile time with the arena's brand `B` so it cannot be used with another arena.
 *
 * When to use: everywhere a record refers to another record (tree children,
 * graph edges) or code keeps a handle to a record. It costs nothing at runtime:
 * the brand is a phantom type, `Idx<B>` is the number itself.
 *
 * Gotchas: the brand is invariant, so an index of one `inArena` call is not
 * assignable to an index of any other call, nor to `Idx<symbol>`. An `Idx` *is* a
 * number (it can index a typed array column directly); a plain number is not an
 * `Idx` (use {@link ArenaView.idx} to check and brand one, e.g. after `postMessage`,
 * which erases types). An `as` cast defeats the brand; the runtime still checks
 * the bounds.
 *
 * @example
 * ```ts
 * import { inArena, type Idx } from "@arenakit/compact-arena";
 * inArena("nano", { value: "u8" }, (arena) => {
 *   const i: Idx<typeof arena.brand> = arena.add({ value: 7 });
 *   return arena.get(i, "value"); // 7
 * });
 * ```
 */
export type Idx<B extends symbol> = number & { readonly [idxBrand]: (brand: B) => B };

/**
 * The type of one field of a record schema.
 *
 * `u8`, `u16`, `u32`, `i32` are integers of that width (out-of-range values are
 * rejected, never wrapped), `f64` is any JavaScript number, and `idx` is an
 * index of a record in the same arena (or `null`), stored at the arena's index
 * width: one byte in a `nano` arena, two in `tiny`, four in `small`.
 *
 * Choose the narrowest type that holds the data: every record pays for every column.
 *
 * @example
 * ```ts
 * import type { FieldType } from "@arenakit/compact-arena";
 * const level: FieldType = "u8"; // 0..255, one byte per record
 * ```
 */
export type FieldType = "u8" | "u16" | "u32" | "i32" | "f64" | "idx";

/**
 * A record schema: field name → {@link FieldType}, written as a plain object,
 * e.g. `{ left: "idx", right: "idx", value: "f64" }`. Each field becomes one
 * typed-array column (struct-of-arrays).
 *
 * Field names must be identifiers and must not be `at`, `idx`, `arena` (cursor members) or a name
 * of `Object.prototype`; a schema has 1 to 64 fields. Declare schemas `as const` (or with
 * {@link defineSchema}) so the field types stay literal.
 *
 * @example
 * ```ts
 * import type { Schema } from "@arenakit/compact-arena";
 * const Edge = { from: "idx", to: "idx", weight: "f64" } as const satisfies Schema;
 * ```
 */
export type Schema = { readonly [field: string]: FieldType };

/**
 * Capacity class of an arena, named like compact_arena's:
 * `nano` has u8 indices (256 records), `tiny` u16 indices (65 536 records),
 * `small` u32 indices (up to 2^32 − 1 records).
 *
 * A schema with `idx` fields needs one index value to spell `null`, so `nano`
 * and `tiny` arenas of such schemas hold 255 and 65 535 records (see {@link capacityOf}).
 * Pick the smallest kind that holds your records: narrower indices mean narrower `idx` columns.
 *
 * @example
 * ```ts
 * import { inArena, type ArenaKind } from "@arenakit/compact-arena";
 * const kind: ArenaKind = "tiny"; // u16 indices
 * inArena(kind, { parent: "idx" }, (arena) => arena.capacity); // 65535
 * ```
 */
export type ArenaKind = "nano" | "tiny" | "small";

/**
 * How an arena's columns grow (see the "Other memory layouts" chapter):
 *
 * - `contiguous`: one typed array per column, copied into one twice as large when full
 *   (like a `Vec`). Fastest reads; growth copies, and a `column()` array taken before
 *   growth no longer sees the arena (it is detached).
 * - `segmented`: per column, segments of N, N, 2N, 4N… records allocated as needed and
 *   addressed with `Math.clz32`, a shift and masks. Growth never copies or moves
 *   anything; each read costs the address arithmetic.
 * - `resizable`: one resizable `ArrayBuffer` per column (`maxByteLength` reserved up
 *   front), grown in place. Never copies, one typed array per column; capacity is
 *   limited by the reservation.
 *
 * @example
 * ```ts
 * import { inArena } from "@arenakit/compact-arena";
 * inArena({ kind: "small", layout: "segmented" }, { v: "f64" }, (arena) => arena.layout); // "segmented"
 * ```
 */
export type Layout = "contiguous" | "segmented" | "resizable";

/**
 * The layouts whose columns are one typed array each, so {@link ArenaView.column} exists.
 *
 * @example
 * ```ts
 * import type { Arena, FlatLayout, Idx } from "@arenakit/compact-arena";
 * // A helper that reads raw columns accepts flat arenas only:
 * function total<B extends symbol>(arena: Arena<B, { v: "f64" }, "small", FlatLayout>): number {
 *   return arena.column("v").reduce((a, b) => a + b, 0);
 * }
 * ```
 */
export type FlatLayout = "contiguous" | "resizable";

/**
 * The layout `inArena` uses when none is given (chosen by the benchmark, see the "Other memory layouts" chapter).
 *
 * @example
 * ```ts
 * import { inArena, type DefaultLayout } from "@arenakit/compact-arena";
 * const layout: DefaultLayout = inArena("nano", { v: "u8" }, (arena) => arena.layout); // "contiguous"
 * ```
 */
export type DefaultLayout = "contiguous";

/**
 * Names of the fields of schema `S`.
 *
 * @example
 * ```ts
 * import type { FieldName } from "@arenakit/compact-arena";
 * type F = FieldName<{ left: "idx"; value: "f64" }>; // "left" | "value"
 * ```
 */
export type FieldName<S extends Schema> = keyof S & string;

/**
 * The JavaScript value of a field of type `T` in an arena branded `B`: `Idx<B> | null` for `idx`, else `number`.
 *
 * @example
 * ```ts
 * import type { FieldValue, Idx } from "@arenakit/compact-arena";
 * declare const brand: unique symbol;
 * type Parent = FieldValue<typeof brand, "idx">; // Idx<typeof brand> | null
 * ```
 */
export type FieldValue<B extends symbol, T extends FieldType> = T extends "idx" ? Idx<B> | null : number;

/**
 * A whole record of schema `S` as a plain object, as `add` takes it.
 *
 * @example
 * ```ts
 * import type { RecordOf } from "@arenakit/compact-arena";
 * type Node<B extends symbol> = RecordOf<B, { left: "idx"; value: "f64" }>;
 * // { readonly left: Idx<B> | null; readonly value: number }
 * ```
 */
export type RecordOf<B extends symbol, S extends Schema> = { readonly [F in keyof S]: FieldValue<B, S[F]> };

/**
 * The typed array that stores indices in an arena of kind `K`.
 *
 * @example
 * ```ts
 * import type { IndexArray } from "@arenakit/compact-arena";
 * type Tiny = IndexArray<"tiny">; // Uint16Array
 * ```
 */
export type IndexArray<K extends ArenaKind> = K extends "nano"
  ? Uint8Array
  : K extends "tiny"
    ? Uint16Array
    : Uint32Array;

/**
 * The typed array of a column of field type `T` in an arena of kind `K`, as
 * {@link ArenaView.column} and {@link ArenaView.segments} return it.
 *
 * @example
 * ```ts
 * import type { ColumnArray } from "@arenakit/compact-arena";
 * type Weights = ColumnArray<"f64", "small">; // Float64Array
 * type Links = ColumnArray<"idx", "nano">; // Uint8Array
 * ```
 */
export type ColumnArray<T extends FieldType, K extends ArenaKind> = T extends "u8"
  ? Uint8Array
  : T extends "u16"
    ? Uint16Array
    : T extends "u32"
      ? Uint32Array
      : T extends "i32"
        ? Int32Array
        : T extends "f64"
          ? Float64Array
          : IndexArray<K>;

/**
 * Members every cursor has besides its fields.
 *
 * @example
 * ```ts
 * import { inArena } from "@arenakit/compact-arena";
 * inArena("nano", { v: "u8" }, (arena) => {
 *   const a = arena.add({ v: 1 });
 *   const b = arena.add({ v: 2 });
 *   const c = arena.cursor(a);
 *   return c.at(b).idx === b; // true
 * });
 * ```
 */
export interface CursorBase<B extends symbol> {
  /** The index the cursor reads. */
  readonly idx: Idx<B>;
  /** Moves the cursor to another record (no allocation) and returns it. */
  at(idx: Idx<B>): this;
}

/**
 * A movable view of one record: one accessor property per field, read and
 * written in place. Moving it with `at(idx)` allocates nothing, so one cursor
 * can walk a million records.
 *
 * Cost: each field access is a bounds check and a typed-array load or a checked
 * store. Gotcha: it reads the arena live, so it stops working (throws
 * {@link ReleasedError}) when the arena's scope ends.
 *
 * @example
 * ```ts
 * import { inArena } from "@arenakit/compact-arena";
 * inArena("tiny", { hits: "u32" }, (arena) => {
 *   const c = arena.cursor(arena.add({ hits: 0 }));
 *   c.hits += 1; // checked like set()
 *   return c.hits; // 1
 * });
 * ```
 */
export type Cursor<B extends symbol, S extends Schema> = CursorBase<B> & { -readonly [F in keyof S]: FieldValue<B, S[F]> };

/**
 * A read-only {@link Cursor} (from an {@link ArenaView}, e.g. a Worker's view of a shared arena).
 *
 * @example
 * ```ts
 * import type { ArenaView, Idx } from "@arenakit/compact-arena";
 * function hitsOf<B extends symbol>(view: ArenaView<B, { hits: "u32" }>, i: Idx<B>): number {
 *   return view.cursor(i).hits; // assigning would not compile
 * }
 * ```
 */
export type ReadonlyCursor<B extends symbol, S extends Schema> = CursorBase<B> & {
  readonly [F in keyof S]: FieldValue<B, S[F]>;
};

/**
 * Options of an arena, given in place of the kind: `inArena({ kind: "small", layout: "segmented" }, schema, fn)`.
 *
 * @example
 * ```ts
 * import { inArena } from "@arenakit/compact-arena";
 * inArena({ kind: "small", layout: "resizable", reserve: 1 << 20, initialCapacity: 4096 }, { v: "f64" }, (arena) => {
 *   return arena.capacity; // 1048576: what was reserved
 * });
 * ```
 */
export interface ArenaOptions<K extends ArenaKind = ArenaKind, L extends Layout = Layout> {
  /** Capacity class (index width). */
  readonly kind: K;
  /**
   * How columns grow.
   * @defaultValue "contiguous"
   */
  readonly layout?: L;
  /**
   * Put the columns in `SharedArrayBuffer`s so {@link Arena.share} can hand them to Workers.
   * @defaultValue false
   */
  readonly shared?: boolean;
  /**
   * Records the columns hold before the first growth (a power of two from 2 to 2^30; capped at
   * the kind's capacity). For `segmented` it is the size of the first two segments.
   * @defaultValue 1024
   */
  readonly initialCapacity?: number;
  /**
   * `resizable` only: records reserved up front (`maxByteLength`). The arena's capacity is at
   * most this. Address space is reserved, memory is committed as the columns grow.
   * @defaultValue the kind's capacity, at most 2^32 bytes per column
   */
  readonly reserve?: number;
}

/**
 * What a Worker (or any other thread) needs to read a shared arena without copying:
 * the column buffers and a header holding the published length. Made by
 * {@link Arena.share}, consumed by `inSharedArena`. Plain data: it survives `postMessage`.
 *
 * Gotcha: it names buffers, not records; the owner must keep the arena's scope open while
 * readers use it (the buffers stay readable, but a released arena stops publishing).
 *
 * @example
 * ```ts
 * import { Worker } from "node:worker_threads";
 * import { inArena } from "@arenakit/compact-arena";
 * await inArena({ kind: "small", shared: true }, { v: "f64" }, async (arena) => {
 *   arena.add({ v: 1 });
 *   const worker = new Worker("./reader.js", { workerData: { desc: arena.share() } });
 *   await new Promise((resolve) => worker.once("exit", resolve)); // keep the scope open meanwhile
 * });
 * ```
 */
export interface ArenaDescriptor<S extends Schema = Schema, K extends ArenaKind = ArenaKind> {
  /** Marks the object as a compact-arena descriptor. */
  readonly type: "arenakit.compact-arena";
  readonly kind: K;
  readonly layout: Layout;
  readonly schema: S;
  /** Capacity of the arena that shared it. */
  readonly capacity: number;
  /** Size of the first segment as a power of two (segmented layout). */
  readonly segmentBits: number;
  /** `Uint32Array` header: `[length]`, published with `Atomics.store`. */
  readonly header: SharedArrayBuffer;
  /** Per field, in schema order: the column's buffers (one for flat layouts, the segments for `segmented`). */
  readonly columns: readonly (readonly SharedArrayBuffer[])[];
}

/**
 * Read access to a branded arena: what `inArena`'s arena and a Worker's view of a
 * shared arena have in common.
 *
 * `B` is the brand (a fresh type per `inArena` call), `S` the schema, `K` the kind,
 * `L` the layout. Helper functions take it generically, so one helper serves owners
 * and views of every kind and layout.
 *
 * @example
 * ```ts
 * import type { ArenaView, Idx } from "@arenakit/compact-arena";
 * const Tree = { left: "idx", right: "idx", value: "f64" } as const;
 * function sum<B extends symbol>(arena: ArenaView<B, typeof Tree>, i: Idx<B>): number {
 *   const l = arena.get(i, "left");
 *   const r = arena.get(i, "right");
 *   return arena.get(i, "value") + (l === null ? 0 : sum(arena, l)) + (r === null ? 0 : sum(arena, r));
 * }
 * ```
 */
export interface ArenaView<in out B extends symbol, S extends Schema, K extends ArenaKind = ArenaKind, L extends Layout = Layout> {
  /**
   * A value of the brand type, for spelling `Idx<typeof arena.brand>` in annotations.
   * It does not exist at runtime (reading it gives `undefined`).
   */
  readonly brand: B;
  /** The capacity class. */
  readonly kind: K;
  /** The growth layout. */
  readonly layout: L;
  /** The schema the arena was made with. */
  readonly schema: S;
  /** `true` when the columns are SharedArrayBuffers. */
  readonly shared: boolean;
  /** Number of records. Indices `0 .. length - 1` are valid. */
  readonly length: number;
  /** Most records the arena can hold (see {@link capacityOf}). */
  readonly capacity: number;
  /**
   * The raw value that spells `null` in `idx` columns (the index width's maximum:
   * 255, 65 535 or 4 294 967 295). Compare raw column values with it in hot loops.
   */
  readonly none: number;
  /** Bytes of column memory the arena holds now (committed, including room not yet used). */
  readonly byteLength: number;

  /**
   * Reads one field of one record. `idx` fields read as `Idx<B>` or `null`.
   *
   * Cost: a bounds check and a typed-array load (plus the segment arithmetic in
   * the `segmented` layout). For loops over many records, prefer {@link ArenaView.column}.
   * @throws {@link IndexError} for an index that is not below `length`;
   *   {@link ReleasedError} after the arena's scope ended.
   */
  get<F extends FieldName<S>>(idx: Idx<B>, field: F): FieldValue<B, S[F]>;

  /**
   * Checks a plain number and returns it as an index of this arena. The way back
   * from numbers that lost their brand (stored, parsed, or received by `postMessage`).
   * @throws {@link IndexError} unless `0 <= n < length` and `n` is an integer.
   */
  idx(n: number): Idx<B>;

  /** Whether `n` is an index of this arena (an integer below `length`); narrows it to `Idx<B>`. */
  isIdx(n: number): n is Idx<B>;

  /**
   * A cursor at `idx`: one object whose properties read the record's fields.
   * Move it with `at()`; it never allocates per access.
   */
  cursor(idx: Idx<B>): ReadonlyCursor<B, S>;

  /**
   * The column of `field` as one typed array of exactly `length` elements, zero-copy:
   * the fastest way to read many records (hot loops, scans, traversals).
   * Raw `idx` values equal {@link ArenaView.none} for `null`.
   *
   * Only flat layouts (`contiguous`, `resizable`) have one array per column; this is
   * a compile error on a `segmented` arena (use {@link ArenaView.segments}).
   *
   * Gotchas: the array is not bounds-checked against later changes: records added
   * after the call are not in it, and in the `contiguous` layout growth moves the
   * column (the old array is detached and reads as empty). Writing through it
   * bypasses the value checks. It is detached when the arena's scope ends.
   */
  column<F extends FieldName<S>>(this: ArenaView<B, S, K, FlatLayout>, field: F): ColumnArray<S[F], K>;

  /**
   * The column of `field` as a list of typed arrays that together hold records
   * `0 .. length - 1` in order: one array for flat layouts, the used part of each
   * segment for `segmented`. For sequential scans in any layout.
   */
  segments<F extends FieldName<S>>(field: F): readonly ColumnArray<S[F], K>[];

  /** Iterates the indices `0 .. length - 1` (the length when iteration starts). */
  [Symbol.iterator](): IterableIterator<Idx<B>>;
}

/**
 * A typed struct-of-arrays arena of records addressed by small branded indices.
 * Obtain one from `inArena` (or `inRecycledArena`); it is valid inside the callback only.
 *
 * Cost: `add` writes one typed-array element per field (amortised O(1); a
 * `contiguous` arena copies its records when it grows, the other layouts never copy).
 * The GC sees a few typed arrays, never one object per record.
 *
 * @example
 * ```ts
 * import { inArena } from "@arenakit/compact-arena";
 * const total = inArena("small", { left: "idx", right: "idx", value: "f64" }, (arena) => {
 *   const a = arena.add({ left: null, right: null, value: 1 });
 *   const b = arena.add({ left: null, right: null, value: 2 });
 *   const root = arena.add({ left: a, right: b, value: 3 });
 *   const left = arena.get(root, "left");
 *   return arena.get(root, "value") + (left === null ? 0 : arena.get(left, "value"));
 * }); // 4
 * ```
 */
export interface Arena<in out B extends symbol, S extends Schema, K extends ArenaKind = ArenaKind, L extends Layout = Layout>
  extends ArenaView<B, S, K, L> {
  /**
   * Appends a record and returns its index.
   * Every field must be present and fit its type; `idx` fields take an index of
   * this arena below `length`, or `null`.
   * @throws {@link CapacityError} when the arena is full; {@link InvalidValueError} for a
   *   value that does not fit its field. Nothing is stored when it throws.
   */
  add(record: RecordOf<B, S>): Idx<B>;

  /**
   * Like {@link Arena.add}, but returns a {@link CapacityError} instead of throwing when
   * the arena is full (compact_arena's `try_add`). Invalid values still throw.
   *
   * @example
   * ```ts
   * import { CapacityError, inArena } from "@arenakit/compact-arena";
   * inArena("nano", { v: "u8" }, (arena) => {
   *   let stored = 0;
   *   for (let i = 0; i < 300; i++) {
   *     const r = arena.tryAdd({ v: i & 255 });
   *     if (r instanceof CapacityError) break;
   *     stored++;
   *   }
   *   return stored; // 256
   * });
   * ```
   */
  tryAdd(record: RecordOf<B, S>): Idx<B> | CapacityError;

  /**
   * Writes one field of one record.
   * @throws {@link IndexError}, {@link InvalidValueError} (nothing is written), {@link ReleasedError}.
   */
  set<F extends FieldName<S>>(idx: Idx<B>, field: F, value: FieldValue<B, S[F]>): void;

  /** A cursor at `idx` whose fields can also be assigned (checked like {@link Arena.set}). */
  cursor(idx: Idx<B>): Cursor<B, S>;

  /**
   * A descriptor of this arena's shared memory, to `postMessage` to a Worker, which reads
   * it with `inSharedArena`. Records added later are published with `Atomics.store` and
   * become visible to the reader as long as they fit the buffers it was given (all of
   * them for `resizable`; call `share()` again after growth for the other layouts).
   * @throws {@link InvalidArgumentError} unless the arena was made with `shared: true`.
   */
  share(): ArenaDescriptor<S, K>;

  /**
   * Ends the arena early: frees its columns (non-shared buffers are detached, so old
   * `column()` arrays read as empty). `inArena` calls it when the callback returns.
   */
  [Symbol.dispose](): void;
}
