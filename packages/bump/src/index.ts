/**
 * A bump arena over `ArrayBuffer` / `SharedArrayBuffer` chunks, after Rust's
 * bumpalo and Zig's `ArenaAllocator`: allocation is a pointer bump, a pointer is
 * a plain number carrying a generation stamp, and `reset()` / `release()` free
 * everything at once in O(chunks).
 *
 * Start with {@link Bump}; describe records with {@link struct} and {@link t};
 * recycle chunks between arenas with {@link ChunkPool}; read a shared arena on
 * another thread with {@link ArenaReader}. Every allocator of the higher
 * packages implements {@link Allocator}.
 *
 * Gotcha: after `reset()` every pointer of the previous generation is stale and
 * reading through it throws {@link StalePointerError}; views alias arena memory
 * and are valid only until then.
 *
 * @example
 * ```ts
 * import { Bump } from "@arenakit/bump";
 * const arena = new Bump();
 * const p = arena.allocStr("hello");
 * arena.readStr(p); // "hello"
 * arena.reset(); // p is stale from now on
 * ```
 *
 * @packageDocumentation
 */
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
