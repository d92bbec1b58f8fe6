/**
 * Public types of slot arenas: arenas whose records can be removed, addressed by
 * generational handles instead of plain indices.
 */

import type { ArenaKind, ColumnArray, FieldType } from "./api.js";
import type { CapacityError } from "./errors.js";

declare const handleBrand: unique symbol;

/**
 * A handle of one record in one slot arena: a plain number at runtime that packs the
 * record's slot index and the slot's generation, branded at compile time with the
 * arena's brand `B` (like `Idx`).
 *
 * When a record is removed its slot's generation moves on, so every handle to it
 * becomes stale: checked accesses throw {@link StaleHandleError} instead of reading the
 * slot's next occupant. Layout: `handle = generation * 2^bits + slot`, where `bits` is
 * the index width (8, 16, 32) and the generation is odd while the slot is occupied.
 * Handles of `nano` and `tiny` arenas are below 2^32 (they fit a `u32` field); handles of
 * `small` arenas are integers below 2^53 (they fit an `f64` field).
 *
 * Gotchas: an `as` cast defeats the brand (the runtime still checks the generation);
 * a number that lost its brand (stored in a column, sent by `postMessage`) is branded
 * again by {@link SlotArenaView.handle}, which checks it.
 *
 * @example
 * ```ts
 * import { inSlotArena, type Handle } from "@arenakit/compact-arena";
 * inSlotArena("tiny", { hp: "u16" }, (arena) => {
 *   const h: Handle<typeof arena.brand> = arena.insert({ hp: 100 });
 *   return arena.get(h, "hp"); // 100
 * });
 * ```
 */
export type Handle<B extends symbol> = number & { readonly [handleBrand]: (brand: B) => B };

/**
 * The field types a slot arena's schema may use: every {@link FieldType} except `idx`.
 * A slot arena refers to its records by handle, never by bare index (a bare index would
 * silently follow a reused slot): store a handle in a `u32` field (`nano`, `tiny`) or an
 * `f64` field (`small`), and brand it back with {@link SlotArenaView.handle}.
 *
 * @example
 * ```ts
 * import type { SlotFieldType } from "@arenakit/compact-arena";
 * const parent: SlotFieldType = "f64"; // a small arena's handle fits exactly
 * ```
 */
export type SlotFieldType = Exclude<FieldType, "idx">;

/**
 * A slot arena's record schema: field name → {@link SlotFieldType}, one typed-array column per field.
 *
 * @example
 * ```ts
 * import type { SlotSchema } from "@arenakit/compact-arena";
 * const Entity = { x: "f64", y: "f64", hp: "u16", kind: "u8" } as const satisfies SlotSchema;
 * ```
 */
export type SlotSchema = { readonly [field: string]: SlotFieldType };

/**
 * A whole record of slot schema `S` as a plain object, as `insert` takes it.
 *
 * @example
 * ```ts
 * import type { SlotRecordOf } from "@arenakit/compact-arena";
 * type Entity = SlotRecordOf<{ x: "f64"; hp: "u16" }>; // { readonly x: number; readonly hp: number }
 * ```
 */
export type SlotRecordOf<S extends SlotSchema> = { readonly [F in keyof S]: number };

/**
 * Where freed slots are reused from.
 *
 * - `lifo`: the slot freed last is reused first (its memory is likely still in the CPU caches).
 * - `fifo`: the slot freed first is reused first, so reuse (and generation wear) is spread
 *   over every free slot and a stale handle's slot stays vacant longer.
 *
 * The default is `fifo`, chosen by the benchmark (case slot-arena/free-list-order): with
 * 10,000 slots freed at once among 1,000,000, FIFO ran as fast as LIFO or faster, and it
 * also spreads generation wear (a slot that is freed and reused over and over retires
 * sooner under `lifo`).
 *
 * @example
 * ```ts
 * import { inSlotArena } from "@arenakit/compact-arena";
 * inSlotArena({ kind: "tiny", reuse: "fifo" }, { v: "u8" }, (arena) => arena.reuse); // "fifo"
 * ```
 */
export type SlotReuse = "lifo" | "fifo";

/**
 * Options of a slot arena, given in place of the kind:
 * `inSlotArena({ kind: "small", shared: true }, schema, fn)`.
 *
 * @example
 * ```ts
 * import { inSlotArena } from "@arenakit/compact-arena";
 * inSlotArena({ kind: "small", initialCapacity: 1 << 16, reuse: "fifo" }, { v: "f64" }, (arena) => arena.slots); // 0
 * ```
 */
export interface SlotArenaOptions<K extends ArenaKind = ArenaKind> {
  /** Capacity class: slot index width (8, 16 or 32 bits) and generation width (24, 16 or 21 bits). */
  readonly kind: K;
  /**
   * How columns grow: `contiguous` copies into buffers twice as large (a Worker's view must
   * be shared again after growth); `resizable` grows one reserved buffer per column in place
   * (a Worker's view sees every slot).
   * @defaultValue "contiguous"
   */
  readonly layout?: "contiguous" | "resizable";
  /**
   * Put the columns and generations in `SharedArrayBuffer`s so {@link SlotArena.share} can hand them to Workers.
   * @defaultValue false
   */
  readonly shared?: boolean;
  /**
   * Slots the columns hold before the first growth (a power of two from 2 to 2^30; capped at the kind's capacity).
   * @defaultValue 1024
   */
  readonly initialCapacity?: number;
  /**
   * `resizable` only: slots reserved up front (`maxByteLength`).
   * @defaultValue the kind's capacity, at most 2^32 bytes per column
   */
  readonly reserve?: number;
  /**
   * Which free slot `insert` reuses first.
   * @defaultValue "fifo"
   */
  readonly reuse?: SlotReuse;
}

/**
 * What a Worker needs to read a shared slot arena without copying: the column buffers,
 * the generation buffer and a header with the published slot count. Made by
 * {@link SlotArena.share}, consumed by `inSharedSlotArena`. Plain data: it survives `postMessage`.
 *
 * @example
 * ```ts
 * import { inSlotArena } from "@arenakit/compact-arena";
 * inSlotArena({ kind: "tiny", shared: true }, { v: "u32" }, (arena) => {
 *   const desc = arena.share(); // postMessage(desc) to a Worker
 *   return desc.generationBits; // 16
 * });
 * ```
 */
export interface SlotArenaDescriptor<S extends SlotSchema = SlotSchema, K extends ArenaKind = ArenaKind> {
  /** Marks the object as a slot-arena descriptor. */
  readonly type: "arenakit.compact-arena.slots";
  readonly kind: K;
  readonly layout: "contiguous" | "resizable";
  readonly schema: S;
  /** Slots the arena may use. */
  readonly capacity: number;
  /** Width of the generation in a handle. */
  readonly generationBits: number;
  /** The generation every slot of this arena starts at. */
  readonly base: number;
  /** `Uint32Array` header: `[slots, size, epoch]`, published with `Atomics.store`. */
  readonly header: SharedArrayBuffer;
  /** The generation of every slot (`Uint32Array`, or `Uint16Array` for `tiny`). */
  readonly generations: SharedArrayBuffer;
  /** Per field, in schema order: the column's buffer. */
  readonly columns: readonly SharedArrayBuffer[];
}

/**
 * Members every slot cursor has besides its fields.
 *
 * @example
 * ```ts
 * import { inSlotArena } from "@arenakit/compact-arena";
 * inSlotArena("nano", { v: "u8" }, (arena) => {
 *   const a = arena.insert({ v: 1 });
 *   const b = arena.insert({ v: 2 });
 *   return arena.at(a).at(b).handle === b; // true
 * });
 * ```
 */
export interface SlotCursorBase<B extends symbol> {
  /** The handle the cursor reads. */
  readonly handle: Handle<B>;
  /** Moves the cursor to another record (checked, no allocation) and returns it. */
  at(handle: Handle<B>): this;
}

/**
 * A movable view of one record of a slot arena: one accessor per field, each access
 * checked against the slot's generation (so a cursor whose record was removed throws
 * {@link StaleHandleError} instead of reading the next occupant).
 *
 * @example
 * ```ts
 * import { inSlotArena } from "@arenakit/compact-arena";
 * inSlotArena("tiny", { hp: "u16" }, (arena) => {
 *   const c = arena.at(arena.insert({ hp: 5 }));
 *   c.hp -= 1; // checked like set()
 *   return c.hp; // 4
 * });
 * ```
 */
export type SlotCursor<B extends symbol, S extends SlotSchema> = SlotCursorBase<B> & { -readonly [F in keyof S]: number };

/**
 * A read-only {@link SlotCursor} (from a Worker's view of a shared slot arena).
 *
 * @example
 * ```ts
 * import type { Handle, SlotArenaView } from "@arenakit/compact-arena";
 * function hpOf<B extends symbol>(view: SlotArenaView<B, { hp: "u16" }>, h: Handle<B>): number {
 *   return view.at(h).hp; // assigning would not compile
 * }
 * ```
 */
export type ReadonlySlotCursor<B extends symbol, S extends SlotSchema> = SlotCursorBase<B> & { readonly [F in keyof S]: number };

/**
 * Read access to a slot arena: what the owner and a Worker's view have in common.
 *
 * @example
 * ```ts
 * import type { Handle, SlotArenaView } from "@arenakit/compact-arena";
 * function alive<B extends symbol>(view: SlotArenaView<B, { hp: "u16" }>): number {
 *   let n = 0;
 *   view.forEach((h) => {
 *     if (view.get(h, "hp") > 0) n++;
 *   });
 *   return n;
 * }
 * ```
 */
export interface SlotArenaView<in out B extends symbol, S extends SlotSchema, K extends ArenaKind = ArenaKind> {
  /** A value of the brand type, for spelling `Handle<typeof arena.brand>`; `undefined` at runtime. */
  readonly brand: B;
  readonly kind: K;
  readonly layout: "contiguous" | "resizable";
  readonly schema: S;
  /** `true` when the memory is SharedArrayBuffers. */
  readonly shared: boolean;
  /** Width of the generation packed in a handle: 24 (`nano`), 16 (`tiny`) or 21 (`small`) bits. */
  readonly generationBits: number;
  /** Live records. */
  readonly size: number;
  /** Slots ever used (the high-water mark): columns and iteration cover slots `0 .. slots - 1`. */
  readonly slots: number;
  /** Most slots the arena can use: 256, 65 536 or 2^32 − 1 (less for a `resizable` reservation). */
  readonly capacity: number;
  /** Slots retired because their generations ran out (never reused; see the chapter). */
  readonly retired: number;
  /** Bytes of memory held (columns, generations, free list), committed, including room not yet used. */
  readonly byteLength: number;

  /**
   * Reads one field of the record `handle` names.
   *
   * Cost: a generation check (one multiply-add and two compares) and a typed-array load;
   * a Worker's view adds two `Atomics.load`s, so it never returns a field of a record
   * removed or replaced while it read.
   * @throws {@link StaleHandleError} if the record was removed; {@link IndexError} for a number
   *   this arena never issued; {@link InvalidArgumentError} for an unknown field;
   *   {@link ReleasedError} after the arena's scope ended.
   */
  get<F extends keyof S & string>(handle: Handle<B>, field: F): number;

  /** Whether `n` is the handle of a live record of this arena (never throws, except {@link ReleasedError}). */
  has(n: number): n is Handle<B>;

  /**
   * Checks a plain number and returns it as a live handle of this arena: the way back
   * from numbers that lost their brand (a handle stored in a column, or received by `postMessage`).
   * @throws {@link StaleHandleError} or {@link IndexError} like {@link SlotArenaView.get}.
   */
  handle(n: number): Handle<B>;

  /**
   * The slot index of a live handle (checked), to index {@link SlotArenaView.column} arrays.
   * @throws like {@link SlotArenaView.get}.
   */
  slotOf(handle: Handle<B>): number;

  /** A cursor at `handle` (checked now and on every field access). */
  at(handle: Handle<B>): ReadonlySlotCursor<B, S>;

  /**
   * The column of `field` over slots `0 .. slots - 1`, zero-copy and unchecked: vacant
   * slots hold whatever their last record left. For hot loops that visit live slots
   * (see {@link SlotArenaView.forEach}) or index by {@link SlotArenaView.slotOf}.
   *
   * Gotchas: records inserted into new slots after the call are not in it; in the
   * `contiguous` layout growth moves the column (the old array is detached).
   */
  column<F extends keyof S & string>(field: F): ColumnArray<S[F], K>;

  /**
   * Calls `fn(handle, slot)` for every live record, in slot order. Cost: O(slots),
   * one generation read per slot; no allocation per record.
   */
  forEach(fn: (handle: Handle<B>, slot: number) => void): void;

  /** Iterates the handles of the live records, in slot order. */
  [Symbol.iterator](): IterableIterator<Handle<B>>;
}

/**
 * A struct-of-arrays arena whose records can be removed: removal frees the slot for
 * reuse and bumps its generation, so every handle to the removed record is refused
 * from then on. Obtain one from `inSlotArena`; it is valid inside the callback only.
 *
 * Cost: `insert` and `remove` are O(1) (amortised: a `contiguous` arena copies its
 * columns when it grows); per slot the arena holds the schema's bytes, a generation
 * (2 or 4 bytes), and 4 bytes per vacant slot in the free list. The GC sees a few typed arrays.
 *
 * @example
 * ```ts
 * import { inSlotArena } from "@arenakit/compact-arena";
 * inSlotArena("small", { x: "f64", hp: "u16" }, (arena) => {
 *   const a = arena.insert({ x: 1, hp: 10 });
 *   arena.remove(a);
 *   const b = arena.insert({ x: 2, hp: 20 }); // reuses a's slot with a new generation
 *   return [arena.has(a), arena.get(b, "hp"), arena.size]; // [false, 20, 1]
 * });
 * ```
 */
export interface SlotArena<in out B extends symbol, S extends SlotSchema, K extends ArenaKind = ArenaKind>
  extends SlotArenaView<B, S, K> {
  /** Which free slot `insert` reuses first. */
  readonly reuse: SlotReuse;

  /**
   * Stores a record in a free slot (or a new one) and returns its handle.
   * @throws {@link CapacityError} when every slot is live or retired; {@link InvalidValueError}
   *   for a value that does not fit its field. Nothing is stored when it throws.
   */
  insert(record: SlotRecordOf<S>): Handle<B>;

  /**
   * Like {@link SlotArena.insert}, but returns a {@link CapacityError} instead of throwing when every
   * slot is live or retired (compact_arena's `try_add`). Invalid values still throw.
   *
   * @example
   * ```ts
   * import { CapacityError, inSlotArena } from "@arenakit/compact-arena";
   * inSlotArena("nano", { v: "u8" }, (arena) => {
   *   let stored = 0;
   *   while (!(arena.tryInsert({ v: 1 }) instanceof CapacityError)) stored++;
   *   return stored; // 256
   * });
   * ```
   */
  tryInsert(record: SlotRecordOf<S>): Handle<B> | CapacityError;

  /**
   * Removes the record: its slot becomes free, and every handle to it stale.
   * @throws {@link StaleHandleError} for a handle already removed (a double remove);
   *   {@link IndexError} for a number this arena never issued. Nothing changes when it throws.
   */
  remove(handle: Handle<B>): void;

  /**
   * Writes one field of a live record.
   * @throws {@link StaleHandleError}, {@link IndexError}, {@link InvalidValueError} (nothing is written).
   */
  set<F extends keyof S & string>(handle: Handle<B>, field: F, value: number): void;

  /** A cursor at `handle` whose fields can also be assigned (checked like {@link SlotArena.set}). */
  at(handle: Handle<B>): SlotCursor<B, S>;

  /**
   * Removes every record (O(slots)): all handles become stale; generations are kept, so
   * none of them can become valid again.
   */
  clear(): void;

  /**
   * Side columns of another schema keyed by this arena's handles (slotmap's `SecondaryMap`).
   * They live as long as the arena; a value is visible only while its record lives.
   */
  secondary<const S2 extends SlotSchema>(schema: S2): SecondaryColumns<B, S2>;

  /**
   * A descriptor of this arena's shared memory, to `postMessage` to a Worker, which reads
   * it with `inSharedSlotArena`.
   * @throws {@link InvalidArgumentError} unless the arena was made with `shared: true`.
   */
  share(): SlotArenaDescriptor<S, K>;

  /** Ends the arena early (`inSlotArena` calls it when the callback returns). */
  [Symbol.dispose](): void;
}

/**
 * Side data for records of a slot arena, in columns of another schema that share its
 * slot space (slotmap's `SecondaryMap`, la-arena's `ArenaMap`). A value set for a
 * handle is visible while that record lives: once the record is removed, its handle is
 * stale here too, and a newer record in the same slot starts without a value.
 *
 * Cost: per slot, the schema's bytes and a 2- or 4-byte generation; columns grow to
 * the highest slot given a value. Owner-only (not shared with Workers).
 *
 * @example
 * ```ts
 * import { inSlotArena } from "@arenakit/compact-arena";
 * inSlotArena("tiny", { x: "f64" }, (arena) => {
 *   const labels = arena.secondary({ color: "u32" });
 *   const h = arena.insert({ x: 0 });
 *   labels.set(h, { color: 0xff0000 });
 *   return labels.get(h, "color"); // 16711680
 * });
 * ```
 */
export interface SecondaryColumns<in out B extends symbol, S extends SlotSchema> {
  readonly schema: S;
  /** Live records that have a value here. O(slots). */
  readonly size: number;
  /** Sets (or replaces) the value of a live record. @throws like {@link SlotArena.set}. */
  set(handle: Handle<B>, record: SlotRecordOf<S>): void;
  /**
   * One field of the value of a live record, or `undefined` when it has none.
   * @throws {@link StaleHandleError} for a removed record, like the arena.
   */
  get<F extends keyof S & string>(handle: Handle<B>, field: F): number | undefined;
  /** Whether the record is live and has a value here (never throws, except {@link ReleasedError}). */
  has(handle: number): boolean;
  /** Deletes the value of a live record; returns whether it had one. @throws like `get`. */
  delete(handle: Handle<B>): boolean;
}
