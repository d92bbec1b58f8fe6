import type { U64 } from "./api.js";
import { InvalidAccountError } from "./errors.js";

const U64_MAX = (1n << 64n) - 1n;

/** Checks a u64 given as a bigint or a safe-integer number and returns it as a bigint. */
export function toU64(v: U64, what: string): bigint {
  if (typeof v === "bigint") {
    if (v < 0n || v > U64_MAX) throw new InvalidAccountError(`${what} must be a u64 (0 to 2^64 - 1), got ${v}`);
    return v;
  }
  if (typeof v === "number") {
    if (!Number.isSafeInteger(v) || v < 0) {
      throw new InvalidAccountError(`${what} must be a whole number >= 0 (a safe integer or a bigint), got ${v}`);
    }
    return BigInt(v);
  }
  throw new InvalidAccountError(`${what} must be a bigint or a number, got ${v === null ? "null" : typeof v}`);
}

/** Checks that `s` is a string that can be stored unchanged (well-formed UTF-16). */
export function checkText(s: unknown, what: string): asserts s is string {
  if (typeof s !== "string") throw new InvalidAccountError(`${what} must be a string, got ${s === null ? "null" : typeof s}`);
  if (!s.isWellFormed()) {
    throw new InvalidAccountError(`${what} is not well-formed UTF-16 (it contains a lone surrogate) and cannot be stored unchanged`);
  }
}

/** Like {@link toU64}, but keeps a safe-integer number as it is (the layout stores either without converting here). */
export function checkU64(v: U64, what: string): U64 {
  if (typeof v === "number" && Number.isSafeInteger(v) && v >= 0) return v;
  return toU64(v, what);
}
