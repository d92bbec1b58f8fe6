import type { BytesPtr, Ptr, StrPtr } from "./ptr.js";

/**
 * Read access to arena memory through pointers. Implemented by every
 * allocator and by read-only views of memory attached from another thread.
 *
 * Every read checks that the pointer is live (one integer compare in the
 * common case) and throws {@link StalePointerError} for a pointer that
 * outlived a reset or release, and {@link InvalidPointerError} for a number
 * that is not a pointer (a fraction, a non-number, a chunk the arena does not
 * have) or a read that would run past the end of its chunk.
 */
export interface Memory {
  /** `true` when the memory lives in SharedArrayBuffers (can be handed to Workers without copying). */
  readonly shared: boolean;

  /** Whether `p` names live memory of this allocator (never throws). */
  isLive(p: Ptr): boolean;

  /** Reads an unsigned byte at `p`. */
  readU8(p: Ptr): number;
  /** Reads a little-endian unsigned 16-bit integer at `p`. */
  readU16(p: Ptr): number;
  /** Reads a little-endian unsigned 32-bit integer at `p`. */
  readU32(p: Ptr): number;
  /** Reads a little-endian signed 32-bit integer at `p`. */
  readI32(p: Ptr): number;
  /** Reads a little-endian 32-bit float at `p`. */
  readF32(p: Ptr): number;
  /** Reads a little-endian 64-bit float at `p`. */
  readF64(p: Ptr): number;
  /** Reads a little-endian unsigned 64-bit integer at `p` as a bigint. */
  readU64(p: Ptr): bigint;
  /** Reads a little-endian signed 64-bit integer at `p` as a bigint. */
  readI64(p: Ptr): bigint;

  /** Decodes the string written by `allocStr` at `p` (allocates the JS string). */
  readStr(p: StrPtr): string;
  /** UTF-8 byte length of the string at `p`, without decoding it. */
  strByteLength(p: StrPtr): number;
  /** Compares the stored string at `p` with `s` without allocating. */
  strEquals(p: StrPtr, s: string): boolean;
  /**
   * A zero-copy `Uint8Array` over the bytes written by `allocBytes` at `p`.
   *
   * Gotcha: the array aliases arena memory. After `reset()`/`release()` of a
   * non-shared arena it is detached (length 0); for shared memory it keeps
   * pointing at memory that may be reused, so do not keep it past the arena's life.
   */
  bytes(p: BytesPtr): Uint8Array;
  /** Length of the byte slice at `p`. */
  bytesLength(p: BytesPtr): number;

  /**
   * The whole `Uint8Array` of the chunk that holds `p`; index it with
   * `ptrOffset(p)`. For hot paths that read many fields of one record.
   * Checked once here; the returned array is not checked afterwards.
   */
  memoryOf(p: Ptr): Uint8Array;
  /** The `DataView` of the chunk that holds `p` (see {@link Memory.memoryOf}). */
  dataViewOf(p: Ptr): DataView;
}

/**
 * The explicit allocator interface (the Zig idea: code that allocates takes an
 * allocator argument). {@link Bump} implements it; so can any allocator that
 * hands out {@link Ptr}s into ArrayBuffer memory. `@arenakit/hashmap` and record
 * layouts accept any `Allocator`.
 *
 * @example
 * ```ts
 * import { Bump, type Allocator, type StrPtr } from "@arenakit/bump";
 * function intern(a: Allocator, words: string[]): StrPtr[] {
 *   return words.map((w) => a.allocStr(w));
 * }
 * const ptrs = intern(new Bump(), ["a", "b"]);
 * ```
 */
export interface Allocator extends Memory {
  /**
   * Allocates `size` bytes aligned to `align` (a power of two).
   * Memory is zeroed the first time a chunk is used, not after `reset()`.
   * @throws {@link AllocationLimitError} over the limit; {@link InvalidArgumentError} for bad sizes.
   */
  alloc(size: number, align?: number): Ptr;
  /** Like {@link Allocator.alloc} but returns `undefined` instead of throwing when over the limit. */
  tryAlloc(size: number, align?: number): Ptr | undefined;
  /**
   * Gives memory back. A bump arena can only take back its most recent
   * allocation (otherwise this is a no-op); a freeing allocator returns it to its free list.
   */
  free(p: Ptr, size: number): void;
  /** `true` when {@link Allocator.free} really recycles arbitrary blocks. */
  readonly canFree: boolean;

  /** Copies `s` as length-prefixed UTF-8. Rejects lone surrogates with {@link EncodingError}. */
  allocStr(s: string): StrPtr;
  /** Copies `bytes` as a length-prefixed byte slice. */
  allocBytes(bytes: Uint8Array): BytesPtr;

  /**
   * Writes an unsigned byte at `p`. Every write checks the pointer like a read
   * and the value's type and range: a value that would wrap, be coerced or
   * overflow (`writeU8(p, 256)`, `writeU32(p, "1")`, `writeF32(p, 1e40)`)
   * throws {@link InvalidArgumentError} and writes nothing.
   */
  writeU8(p: Ptr, v: number): void;
  /** Writes a little-endian unsigned 16-bit integer at `p`. */
  writeU16(p: Ptr, v: number): void;
  /** Writes a little-endian unsigned 32-bit integer at `p`. */
  writeU32(p: Ptr, v: number): void;
  /** Writes a little-endian signed 32-bit integer at `p`. */
  writeI32(p: Ptr, v: number): void;
  /** Writes a little-endian 32-bit float at `p`. */
  writeF32(p: Ptr, v: number): void;
  /** Writes a little-endian 64-bit float at `p`. */
  writeF64(p: Ptr, v: number): void;
  /** Writes a little-endian unsigned 64-bit integer at `p` (a bigint, or a safe-integer number as layouts accept). */
  writeU64(p: Ptr, v: bigint | number): void;
  /** Writes a little-endian signed 64-bit integer at `p` (a bigint, or a safe-integer number as layouts accept). */
  writeI64(p: Ptr, v: bigint | number): void;
}

/** How a {@link Bump} gets more memory when its current chunk is full. */
export type GrowthStrategy =
  /** A list of chunks, each twice the previous (bumpalo, Zig `ArenaAllocator`). The default. */
  | "chunks"
  /**
   * One resizable buffer reserved up front (`maxByteLength`) and grown in place.
   * Gotcha: slower to index on Node 20, and a process that uses both strategies
   * makes V8 optimise the shared read/write code for both, which slows the
   * chunked arenas' writes too: pick one strategy per process.
   */
  | "reserve";

/** Options of {@link Bump}. */
export interface BumpOptions {
  /**
   * Allocate chunks as `SharedArrayBuffer`s so the memory can be handed to Workers.
   * @defaultValue false
   */
  readonly shared?: boolean;
  /**
   * Upper bound, in bytes, of memory the arena may take from the engine
   * (the sum of its chunk sizes, as bumpalo counts it). Can be changed later with
   * {@link Bump.allocationLimit}.
   * @defaultValue Infinity
   */
  readonly allocationLimit?: number;
  /**
   * Growth strategy (see the "Other memory layouts" chapter for measurements).
   * @defaultValue "chunks"
   */
  readonly growth?: GrowthStrategy;
  /**
   * Size of the first chunk in bytes.
   * @defaultValue 65536
   */
  readonly initialChunkSize?: number;
  /**
   * The largest chunk ("chunks" growth): chunks double up to 16 MiB, then grow to about an eighth of
   * what the arena holds, up to this many bytes.
   * @defaultValue 268435456 (256 MiB)
   */
  readonly maxChunkSize?: number;
  /**
   * `maxByteLength` reserved for "reserve" growth. Address space is reserved,
   * memory is committed as the buffer grows.
   * @defaultValue the allocation limit, or 1 GiB
   */
  readonly reserve?: number;
  /**
   * A pool that chunks come from and go back to on `reset()`/`release()`, so a
   * steady workload stops asking the engine for new buffers.
   */
  readonly pool?: BufferPool;
}

/** A recycler of chunk buffers shared by several arenas (see {@link BufferPool}). */
export interface BufferPool {
  /** `true` if the pool holds SharedArrayBuffers. */
  readonly shared: boolean;
  /**
   * A buffer of at least `minBytes` bytes, or `undefined` if none is pooled.
   * With `maxBytes`, the caller has no use for a larger one (a pool that
   * ignores it may return one, which the caller then offers back).
   */
  take(minBytes: number, maxBytes?: number): ArrayBuffer | SharedArrayBuffer | undefined;
  /** Offers a buffer back; the pool may keep it or drop it. */
  give(buffer: ArrayBuffer | SharedArrayBuffer): void;
}

/** Debug information about one chunk, from {@link Bump.chunks}. */
export interface ChunkInfo {
  /** Slot of the chunk in the arena (0 is the oldest). */
  readonly index: number;
  /** Capacity of the chunk in bytes. */
  readonly byteLength: number;
  /** Bytes handed out from this chunk (including alignment padding). */
  readonly usedBytes: number;
  /** The used bytes, zero-copy. */
  readonly bytes: Uint8Array;
}

/** An opaque position returned by {@link Bump.checkpoint}, for {@link Bump.resetTo}. */
export interface Checkpoint {
  /** @internal */
  readonly owner: object;
  /** @internal reset epoch the checkpoint belongs to */
  readonly epoch: number;
  /** @internal allocation position (chunk slot * 2^32 + offset) */
  readonly position: number;
}
