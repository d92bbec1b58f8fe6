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
