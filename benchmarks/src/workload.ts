/**
 * Deterministic, seeded workloads that look like the real thing: account ids
 * are base58 strings of 32 random bytes (Solana-style, 43–44 characters),
 * owners come from a small realistic set (a few programs own most accounts),
 * data lengths are skewed (most small, some kilobytes, rare large). The same
 * seed always gives the same workload, on every machine.
 */

/** A small fast PRNG (mulberry32): deterministic, not for cryptography. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

/** 58^5: the base of the limbs {@link base58} converts in (a limb times 256 stays an exact double). */
const LIMB = 58 ** 5;
let limbs = new Float64Array(16);
let digits = new Uint8Array(80);

/**
 * Base58-encodes bytes (Bitcoin alphabet). Converts five base-58 digits at a
 * time (a million ids are generated for the 1M cases); the string is built
 * one character at a time, as a digit-at-a-time encoder builds it.
 */
export function base58(bytes: Uint8Array): string {
  // Limbs needed: 8 bits per byte over log2(58^5) ≈ 29.3 bits per limb, plus one.
  const most = Math.ceil(bytes.length * 0.2731) + 2;
  if (limbs.length < most) {
    limbs = new Float64Array(most);
    digits = new Uint8Array(5 * most);
  }
  let n = 1;
  limbs[0] = 0;
  for (let b = 0; b < bytes.length; b++) {
    let carry = bytes[b]!;
    for (let i = 0; i < n; i++) {
      const v = limbs[i]! * 256 + carry;
      carry = Math.floor(v / LIMB);
      limbs[i] = v - carry * LIMB;
    }
    while (carry > 0) {
      const q = Math.floor(carry / LIMB);
      limbs[n++] = carry - q * LIMB;
      carry = q;
    }
  }
  let d = 0;
  for (let i = 0; i < n; i++) {
    let v = limbs[i]!;
    for (let k = 0; k < 5; k++) {
      const q = Math.floor(v / 58);
      digits[d++] = v - q * 58;
      v = q;
    }
  }
  // The value's digits without leading zeros (one zero digit for the value 0).
  while (d > 1 && digits[d - 1] === 0) d--;
  let out = "";
  for (const byte of bytes) {
    if (byte !== 0) break;
    out += "1";
  }
  for (let i = d - 1; i >= 0; i--) out += B58[digits[i]!];
  return out;
}

/** An id: base58 of 32 random bytes. */
export function accountId(next: () => number): string {
  const b = new Uint8Array(32);
  for (let i = 0; i < 32; i++) b[i] = (next() * 256) | 0;
  return base58(b);
}

/** Owner programs, most popular first (the skew is applied in {@link owner}). */
export const OWNERS: readonly string[] = [
  "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA",
  "11111111111111111111111111111111",
  "TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb",
  "ATokenGPvbdGVxr1b2hvZbsiqW5xWH25efTNsLJA8knL",
  "Stake11111111111111111111111111111111111111",
  "Vote111111111111111111111111111111111111111",
  "metaqbxxUerdq28cj1RbAWkYQm3ybzjb6a8bt518x1s",
  "whirLbMiicVdio4qvUfM5KAg6Ct8VwpYzGff3uctyCc",
  "675kPX9MHTjS2zt1qfr1NYHuzeLXfQM9H24wFSUt1Mp8",
  "JUP6LkbZbjS1jKKwapdHNy74zcZ3tLUZoi5QNyVTaV4",
];

/** An owner, drawn with a Zipf-like skew: the first few own most accounts. */
export function owner(next: () => number): string {
  const r = next();
  return OWNERS[Math.min(OWNERS.length - 1, Math.floor(-Math.log2(1 - r * 0.999) * 1.3))]!;
}

/**
 * A data length with a skewed distribution: 80% small (0–200 B, centred on
 * 128), 18% a few kilobytes, 2% large (up to `maxLarge`).
 */
export function dataLength(next: () => number, maxLarge = 64 * 1024): number {
  const r = next();
  if (r < 0.8) return 64 + Math.floor(next() * 128);
  if (r < 0.98) return 1024 + Math.floor(next() * 4096);
  return 8192 + Math.floor(next() * (maxLarge - 8192));
}

/** Fills `len` deterministic bytes derived from `seed` (so readers can verify every byte). */
export function dataBytes(seed: number, len: number): Uint8Array {
  const out = new Uint8Array(len);
  let x = (seed * 2654435761) >>> 0;
  for (let i = 0; i < len; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

/** One account of a workload. */
export interface AccountRecord {
  readonly id: string;
  readonly owner: string;
  readonly index: number;
  readonly data: Uint8Array;
}

/** Options of {@link accounts}. */
export interface AccountsOptions {
  readonly seed?: number;
  /** Fixed data length (e.g. 128 for hash-map cases); skewed when omitted. */
  readonly dataLength?: number;
}

/** `n` accounts, deterministic for a seed. */
export function accounts(n: number, options: AccountsOptions = {}): AccountRecord[] {
  const next = rng(options.seed ?? 42);
  const out: AccountRecord[] = [];
  for (let i = 0; i < n; i++) {
    const len = options.dataLength ?? dataLength(next);
    out.push({ id: accountId(next), owner: owner(next), index: i, data: dataBytes(i + 1, len) });
  }
  return out;
}

const NON_ASCII = ["日本", "키", "ü", "é", "🦀", "ñ", "ß", "д", "中文", "🙂", "e\u0301"];

/** Keys with non-ASCII characters (CJK, emoji, combining marks) mixed in, deterministic. */
export function nonAsciiKeys(n: number, seed = 7): string[] {
  const next = rng(seed);
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const base = accountId(next).slice(0, 20);
    out.push(`${NON_ASCII[i % NON_ASCII.length]}${base}${NON_ASCII[(i * 7) % NON_ASCII.length]}`);
  }
  return out;
}

/**
 * Keys as an application holds them: new string objects with the same
 * contents as `keys` (flat, never hashed when made), so a `Map` cannot compare
 * them by pointer. Reused across lookups they are not keys from I/O: V8 caches
 * a string's hash inside it on first use, so from the second pass on a `Map`
 * skips hashing them. Keys that arrive from I/O are decoded per lookup (see
 * the "decoded per lookup" cases).
 */
export function keysHeldByApp(keys: readonly string[]): string[] {
  // Round-tripping through UTF-8 bytes yields flat, un-hashed strings.
  const enc = new TextEncoder();
  const dec = new TextDecoder();
  return keys.map((k) => dec.decode(enc.encode(k)));
}

/**
 * The former name of {@link keysHeldByApp}: the copies are fresh only until
 * their first lookup.
 * @deprecated use keysHeldByApp
 */
export const freshCopies: (keys: readonly string[]) => string[] = keysHeldByApp;

/**
 * `count` keys drawn at random (seeded) from `keys`: `"held"` (or `true`)
 * gives new string objects as the application holds them (see
 * {@link keysHeldByApp}: hashed once, then cached by V8); `"stored"` (or
 * `false`) gives the stored objects themselves, a `Map`'s best case.
 */
export function lookupKeys(keys: readonly string[], count: number, kind: "held" | "stored" | boolean, seed: number): string[] {
  const next = rng(seed);
  const picked = Array.from({ length: count }, () => keys[Math.floor(next() * keys.length)]!);
  return kind === true || kind === "held" ? keysHeldByApp(picked) : picked;
}
