/**
 * Address arithmetic of the segmented layout. With a first segment of 2^b
 * records, segments hold 2^b, 2^b, 2^(b+1), 2^(b+2)… records, so segment s ≥ 1
 * starts at 2^(b+s-1) and index i lives in segment `32 - clz32(i >>> b)` at
 * offset `i` minus that start, which is `i` with its top bit cleared. The
 * arenas inline the same expressions; these functions are the tested reference.
 */

import { InvalidArgumentError } from "./errors.js";

function checkBits(bits: number): void {
  if (!Number.isInteger(bits) || bits < 1 || bits > 30) {
    throw new InvalidArgumentError(`first segment bits must be an integer from 1 to 30, got ${String(bits)}`);
  }
}

/**
 * The segment that holds index `i` when the first segment has 2^`bits` records:
 * one `Math.clz32` and one shift.
 *
 * @example
 * ```ts
 * import { segmentOf } from "@arenakit/compact-arena";
 * segmentOf(65535, 16); // 0
 * segmentOf(65536, 16); // 1
 * segmentOf(131072, 16); // 2
 * ```
 */
export function segmentOf(i: number, bits: number): number {
  checkBits(bits);
  return 32 - Math.clz32(i >>> bits);
}

/**
 * The offset of index `i` inside its segment: `i` masked with the segment's
 * mask, `((2^(bits-1) << s) - 1) | (2^bits - 1)` (the second term makes segment 0's mask whole).
 *
 * @example
 * ```ts
 * import { segmentOffset } from "@arenakit/compact-arena";
 * segmentOffset(65536 + 5, 16); // 5
 * ```
 */
export function segmentOffset(i: number, bits: number): number {
  checkBits(bits);
  const s = 32 - Math.clz32(i >>> bits);
  return (i & (((1 << (bits - 1)) << s) - 1 | ((1 << bits) - 1))) >>> 0;
}

/**
 * Number of records in segment `s` (2^bits for segments 0 and 1, then doubling).
 *
 * @example
 * ```ts
 * import { segmentLength } from "@arenakit/compact-arena";
 * [0, 1, 2, 3].map((s) => segmentLength(s, 16)); // [65536, 65536, 131072, 262144]
 * ```
 */
export function segmentLength(s: number, bits: number): number {
  checkBits(bits);
  return s === 0 ? 2 ** bits : 2 ** (bits + s - 1);
}

/**
 * First index of segment `s`.
 *
 * @example
 * ```ts
 * import { segmentStart } from "@arenakit/compact-arena";
 * segmentStart(2, 16); // 131072
 * ```
 */
export function segmentStart(s: number, bits: number): number {
  checkBits(bits);
  return s === 0 ? 0 : 2 ** (bits + s - 1);
}
