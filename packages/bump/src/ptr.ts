import { InvalidArgumentError } from "./errors.js";

// A pointer helper given something that is not a number would compute garbage
// (or throw a bare TypeError for a bigint); the typeof test is free on the hot path.
function notNumber(fn: string, name: string, v: unknown): InvalidArgumentError {
  return new InvalidArgumentError(`${fn}: ${name} must be a number, got ${typeof v === "bigint" ? `${v}n` : typeof v}`, name);
}

/**
 * Pointers are plain numbers. The low 32 bits are a byte offset inside one
 * chunk; the 21 bits above hold the chunk's slot (8 bits) and a generation
 * stamp (13 bits). Every valid pointer is therefore >= 2^40 and 0 is free to
 * mean "null". Encoding the generation lets a checked read refuse a pointer
 * that outlived a `reset()` with one integer compare.
 */

declare const ptrBrand: unique symbol;
declare const strBrand: unique symbol;
declare const bytesBrand: unique symbol;

/**
 * An address returned by an {@link Allocator}: a plain number at runtime,
 * branded at compile time so it cannot be mixed with ordinary numbers.
 *
 * Valid until the allocator that returned it is reset, rewound past it or released.
 */
export type Ptr = number & { readonly [ptrBrand]: true };

/** A pointer to a length-prefixed UTF-8 string written by `allocStr`. */
export type StrPtr = Ptr & { readonly [strBrand]: true };

/** A pointer to a length-prefixed byte slice written by `allocBytes`. */
export type BytesPtr = Ptr & { readonly [bytesBrand]: true };

/** The null pointer: never returned by an allocation. */
export const NULL_PTR: Ptr = 0 as Ptr;

/** 2^32: the offset field's range. */
export const OFFSET_SPAN = 4294967296;

/** Bits of the chunk slot field. */
export const CHUNK_BITS = 8;

/** Number of chunk slots a pointer can name. */
export const MAX_CHUNKS: number = 1 << CHUNK_BITS;

/** Number of distinct generation stamps before they wrap around. */
export const GENERATIONS = 8192;

/**
 * Byte offset of `p` inside its chunk (its low 32 bits).
 *
 * @example
 * ```ts
 * import { Bump, ptrOffset } from "@arenakit/bump";
 * const bump = new Bump();
 * const p = bump.alloc(8);
 * const u8 = bump.memoryOf(p); // the chunk's bytes
 * u8[ptrOffset(p)] = 1;
 * ```
 */
export function ptrOffset(p: Ptr): number {
  if (typeof p !== "number") throw notNumber("ptrOffset", "p", p);
  return p >>> 0;
}

/** The chunk-slot + generation field of `p` (its bits 32..52). */
export function ptrHigh(p: Ptr): number {
  if (typeof p !== "number") throw notNumber("ptrHigh", "p", p);
  return (p / OFFSET_SPAN) >>> 0;
}

/** Builds a pointer from its high field and offset. Internal to allocators. */
export function makePtr(high: number, offset: number): Ptr {
  if (typeof high !== "number") throw notNumber("makePtr", "high", high);
  if (typeof offset !== "number") throw notNumber("makePtr", "offset", offset);
  return (high * OFFSET_SPAN + offset) as Ptr;
}

/** Adds a byte delta to a pointer (stays inside the same chunk). */
export function ptrAdd<P extends Ptr>(p: P, delta: number): Ptr {
  if (typeof p !== "number") throw notNumber("ptrAdd", "p", p);
  if (typeof delta !== "number") throw notNumber("ptrAdd", "delta", delta);
  return (p + delta) as Ptr;
}
