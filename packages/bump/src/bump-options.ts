// Bump's option defaults and limits, and the checks on its arguments (the slow path of every refusal).
import type { BufferPool } from "./api.js";
import { InvalidArgumentError } from "./errors.js";
import { describeValue } from "./memory.js";

/** Default size of an arena's first chunk, in bytes. */
export const DEFAULT_INITIAL: number = 64 * 1024;
/** Default largest chunk (chunks double up to 16 MiB, then grow with the arena up to this size). */
export const DEFAULT_MAX_CHUNK: number = 256 * 1024 * 1024;
/** Default reservation of `growth: "reserve"` (capped by the allocation limit). */
export const DEFAULT_RESERVE: number = 1024 * 1024 * 1024;
/** Offsets are 32-bit, so a chunk cannot reach 4 GiB. */
export const MAX_CHUNK_BYTES: number = 2 ** 32 - 65536;
/** Smallest `maxChunkSize`: an arena holds at most 256 chunks, so tiny chunks would cap it at a few KiB. */
export const MIN_MAX_CHUNK: number = 1024;

/** `v` if it is an integer from `min` to `max`, else an InvalidArgumentError naming `what`. */
export function checkSize(what: string, v: number, min: number, max: number): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max) {
    throw new InvalidArgumentError(`${what} must be an integer from ${min} to ${max}, got ${describe(v)}`, what);
  }
  return v;
}

/** `v` if it is a whole number of bytes or Infinity. */
export function checkLimit(v: number): number {
  if (typeof v !== "number" || Number.isNaN(v) || v < 0 || (!Number.isInteger(v) && v !== Infinity)) {
    throw new InvalidArgumentError(
      `allocationLimit must be a whole number of bytes >= 0 or Infinity, got ${describe(v)}`,
      "allocationLimit",
    );
  }
  return v;
}

/** `v` if it is a boolean. */
export function checkBool(what: string, v: unknown): boolean {
  if (typeof v !== "boolean") throw new InvalidArgumentError(`${what} must be true or false, got ${describe(v)}`, what);
  return v;
}

/** `pool` if it is a BufferPool of the arena's kind (shared or not), or undefined. */
export function checkPool(pool: unknown, shared: boolean): BufferPool | undefined {
  if (pool === undefined) return undefined;
  if (
    pool === null ||
    typeof pool !== "object" ||
    typeof (pool as BufferPool).take !== "function" ||
    typeof (pool as BufferPool).give !== "function" ||
    typeof (pool as BufferPool).shared !== "boolean"
  ) {
    throw new InvalidArgumentError(
      `pool must be a BufferPool (an object with take(minBytes), give(buffer) and a boolean shared, such as a ChunkPool), got ${describe(pool)}`,
      "pool",
    );
  }
  const p = pool as BufferPool;
  if (p.shared !== shared) {
    throw new InvalidArgumentError(
      `the pool holds ${p.shared ? "shared" : "non-shared"} buffers but the arena is ${shared ? "shared" : "not shared"}`,
      "pool",
    );
  }
  return p;
}

/** Whether the buffer under `bytes` was detached (transferred); Node 20 has no `ArrayBuffer.prototype.detached`. */
export function isDetached(bytes: Uint8Array): boolean {
  const buf = bytes.buffer as ArrayBuffer & { detached?: boolean };
  if (typeof buf.detached === "boolean") return buf.detached;
  if (buf.byteLength !== 0) return false;
  try {
    new Uint8Array(buf);
    return false;
  } catch {
    return true;
  }
}

/** The error for a bad `alloc(size, align)`: names the argument at fault. */
export function badAlloc(size: unknown, align: unknown): InvalidArgumentError {
  if (typeof size !== "number" || !Number.isInteger(size) || size < 0) {
    return new InvalidArgumentError(`allocation size must be a whole number of bytes >= 0, got ${describe(size)}`, "size");
  }
  if (size > 0xffffffff) {
    return new InvalidArgumentError(`allocation size ${size} is over the largest chunk (${MAX_CHUNK_BYTES} bytes)`, "size");
  }
  return new InvalidArgumentError(`alignment must be a power of two from 1 to 2^31, got ${describe(align)}`, "align");
}

/** `n` rounded up to a multiple of 8. */
export function roundUp8(n: number): number {
  return Math.ceil(n / 8) * 8;
}

const describe = describeValue;
