/**
 * Typed struct-of-arrays arenas addressed by u8 / u16 / u32 indices, after
 * Rust's compact_arena: each field is a typed-array column, a record is an
 * index, and each arena brands its indices at compile time so they cannot be
 * used with another arena. Start with {@link inArena}; {@link inSharedArena}
 * shares an arena with Workers; {@link inSlotArena} adds removal with
 * generational handles.
 *
 * Gotcha: indices are meaningful only inside their own arena's scope; after the
 * arena is released every access throws {@link ReleasedError}.
 *
 * @example
 * ```ts
 * import { inArena } from "@arenakit/compact-arena";
 * const sum = inArena("nano", { v: "u32" }, (arena) => {
 *   const a = arena.add({ v: 2 });
 *   return arena.get(a, "v") + 1;
 * }); // 3
 * ```
 *
 * @packageDocumentation
 */
export type {
  Arena,
  ArenaDescriptor,
  ArenaKind,
  ArenaOptions,
  ArenaView,
  ColumnArray,
  Cursor,
  CursorBase,
  DefaultLayout,
  FieldName,
  FieldType,
  FieldValue,
  FlatLayout,
  Idx,
  IndexArray,
  Layout,
  ReadonlyCursor,
  RecordOf,
  Schema,
} from "./api.js";
export {
  AllocationError,
  CapacityError,
  CompactArenaError,
  IndexError,
  InvalidArgumentError,
  InvalidValueError,
  ReadOnlyError,
  ReleasedError,
  SchemaError,
  type CompactArenaErrorCode,
} from "./errors.js";
export { DEFAULT_LAYOUT } from "./factory.js";
export { ArenaPool, inRecycledArena, type ArenaPoolOptions } from "./pool.js";
export { FIELD_TYPES, NONE, capacityOf, defineSchema } from "./schema.js";
export { inArena, inSharedArena, type ViewOptions } from "./scope.js";
export { segmentLength, segmentOf, segmentOffset, segmentStart } from "./segments.js";
export { StaleHandleError } from "./errors.js";
export { GENERATION_BITS } from "./handle.js";
export type {
  Handle,
  ReadonlySlotCursor,
  SecondaryColumns,
  SlotArena,
  SlotArenaDescriptor,
  SlotArenaOptions,
  SlotArenaView,
  SlotCursor,
  SlotCursorBase,
  SlotFieldType,
  SlotRecordOf,
  SlotReuse,
  SlotSchema,
} from "./slot-api.js";
export { inSharedSlotArena, inSlotArena } from "./slot-scope.js";
export {
  COMPACT_ARENA_KIND,
  columnsFingerprint,
  compactArenaSnapshot,
  inLoadedArena,
  inLoadedArenaSync,
  loadCompactArena,
  loadCompactArenaSync,
  saveCompactArena,
  saveCompactArenaSync,
} from "./snapshot.js";
export { SLOT_ARENA_KIND, inLoadedSlotArenaSync, saveSlotArenaSync, slotsFingerprint } from "./slot-snapshot.js";
