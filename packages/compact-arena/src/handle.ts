// How a slot arena packs a slot index and a generation into one JavaScript number,
// and where each arena's generations start.

import type { ArenaKind } from "./api.js";

/**
 * Width in bits of the generation packed into a slot arena's handle, per kind.
 *
 * `handle = generation * 2^indexBits + slot`. `nano` (8-bit slots) and `tiny` (16-bit
 * slots) keep handles below 2^32, so they fit a `u32` field and stay cheap integers;
 * `small` (32-bit slots) uses the 21 bits left below 2^53, so its handles are exact
 * integers in an `f64`. A generation is odd while its slot is occupied, so a slot can
 * hold 2^(bits − 1) records in turn (8 388 608, 32 768 or 1 048 576) before it is retired.
 *
 * @example
 * ```ts
 * import { GENERATION_BITS } from "@arenakit/compact-arena";
 * GENERATION_BITS.tiny; // 16: a tiny slot is reused 32 768 times, then retired
 * ```
 */
export const GENERATION_BITS: { readonly nano: 24; readonly tiny: 16; readonly small: 21 } = { nano: 24, tiny: 16, small: 21 };

/** Slot index width per kind. */
const SLOT_BITS: { readonly [K in ArenaKind]: number } = { nano: 8, tiny: 16, small: 32 };

/** The constants of one kind's handle encoding. */
export interface HandleCodec {
  /** 2^slotBits: handle = generation * span + slot. */
  readonly span: number;
  /** Shift that keeps the slot bits of `h >>> 0`: slot = ((h >>> 0) << shift) >>> shift. */
  readonly shift: number;
  /** Generation mask (2^generationBits − 1). */
  readonly mask: number;
  readonly generationBits: number;
  /** Largest handle of the kind. */
  readonly maxHandle: number;
}

/** The handle encoding of `kind`. */
export function codecOf(kind: ArenaKind): HandleCodec {
  const slotBits = SLOT_BITS[kind];
  const generationBits = GENERATION_BITS[kind];
  const span = 2 ** slotBits;
  return {
    span,
    shift: 32 - slotBits,
    mask: 2 ** generationBits - 1,
    generationBits,
    maxHandle: (2 ** generationBits - 1) * span + (span - 1),
  };
}

// Each arena starts its slots at a different odd generation, so a handle of one arena
// is refused by another (it names a generation the other never issued) instead of
// reading a stranger's record. Consecutive arenas of a thread step through a Weyl
// sequence (an odd multiplier is a bijection mod 2^n: no two of the first 2^(bits-1)
// arenas share a start); the random offset separates threads and processes.
let counter = Math.floor(Math.random() * 2 ** 30);

/** The first generation of a new arena of a kind with `generationBits`: odd, below 2^generationBits. */
export function nextBase(generationBits: number): number {
  counter = (counter + 1) >>> 0;
  const half = 2 ** (generationBits - 1);
  return ((Math.imul(counter, 0x9e3779b1) >>> 0) % half) * 2 + 1;
}
