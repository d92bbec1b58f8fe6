export type {
  Allocator,
  BufferPool,
  BumpOptions,
  Checkpoint,
  ChunkInfo,
  GrowthStrategy,
  Memory,
} from "./api.js";
export { Bump, type ArenaDescriptor } from "./bump.js";
export {
  AllocationLimitError,
  ArenaError,
  EncodingError,
  InvalidArgumentError,
  InvalidPointerError,
  ReadOnlyError,
  ReleasedError,
  StalePointerError,
  type ArenaErrorCode,
} from "./errors.js";
export {
  Layout,
  struct,
  t,
  type AnyField,
  type FieldInfo,
  type FieldKind,
  type FieldType,
  type Fields,
  type Input,
  type InputOf,
  type Owned,
  type OwnedOf,
  type View,
  type ViewOf,
} from "./layout.js";
export { ChunkedMemory, WritableMemory } from "./memory.js";
export { ChunkPool, type ChunkPoolOptions } from "./pool.js";
export {
  GENERATIONS,
  MAX_CHUNKS,
  NULL_PTR,
  OFFSET_SPAN,
  makePtr,
  ptrAdd,
  ptrHigh,
  ptrOffset,
  type BytesPtr,
  type Ptr,
  type StrPtr,
} from "./ptr.js";
export { ArenaReader } from "./reader.js";
export { assertWellFormed, decodeUtf8, encodeUtf8, encodeUtf8Into, maxUtf8Length, utf8Equals } from "./utf8.js";
export { FreeListAllocator, type FreeListOptions } from "./freelist.js";
export * from "./snapshot/index.js";
