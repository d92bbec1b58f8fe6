// The seeded key hash. Keys are hashed as their UTF-8 bytes, so a JS string
// being looked up and the same key stored in the arena hash identically,
// and a table can be rebuilt from stored bytes without decoding them.
//
// Construction (after foldhash / wyhash, in 32-bit lanes): the byte stream
// is cut into 8-byte blocks (two little-endian 32-bit words a, b) and folded
// into an accumulator with acc = fold(a ^ acc, b ^ k1), where fold(x, y) is
// the high half xor the low half of the full 64-bit product x·y. Both factors
// depend on secret keys, so an input difference changes the product by an
// amount that depends on the keys: there is no seed-independent way to make
// two keys collide (the top-bit differentials that defeat seeded murmur-style
// `h = imul(h ^ w, C)` chains do not pass through a keyed multiply). It is not
// a cryptographic MAC, as foldhash is not.

/** Longest key (in bytes) whose words are kept in {@link WORDS} for word-wise comparison. */
export const MAX_WORD_BYTES = 1024;

/**
 * Little-endian words of the key hashed last (when {@link HASH_STATE}[0] is
 * 1), zero-padded after the key. Lets a lookup compare a key with a stored one
 * four bytes at a time without reading the JS string twice. Module state is
 * safe: JavaScript is single-threaded and nothing runs between a hash and its
 * comparisons.
 */
export const WORDS: Int32Array = new Int32Array(MAX_WORD_BYTES / 4 + 2);

/** [0]: 1 when {@link WORDS} holds the last key (ASCII string or byte key within {@link MAX_WORD_BYTES}). */
export const HASH_STATE: Int32Array = new Int32Array(1);

/** Whether typed arrays use little-endian byte order (every mainstream platform). */
export const LITTLE_ENDIAN: boolean = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

const TWO_POW_M16 = 1 / 65536;

/** High 32 bits xor low 32 bits of the 64-bit product of `x` and `y` (as unsigned). Never allocates. */
export function fold(x: number, y: number): number {
  const yu = y >>> 0;
  // SAFETY: each partial product is below 2^48, exact in a double; the sum stays below 2^49.
  const p = (x & 0xffff) * yu;
  const q = (x >>> 16) * yu;
  const hi = Math.floor((q + Math.floor(p * TWO_POW_M16)) * TWO_POW_M16);
  return hi ^ Math.imul(x, y);
}

function finish(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  return h ^ (h >>> 13);
}

/** Four secret 32-bit keys derived from a seed. */
export interface HashKeys {
  readonly k0: number;
  readonly k1: number;
  readonly k2: number;
  readonly k3: number;
}

/** A fresh random seed (a safe integer), from the platform's cryptographic random source. */
export function randomSeed(): number {
  const r = new Uint32Array(2);
  globalThis.crypto.getRandomValues(r);
  return (r[0]! & 0x1fffff) * 4294967296 + r[1]!;
}

/** Expands a seed (any safe integer) into the four hash keys with a splitmix-style mixer. */
export function keysFromSeed(seed: number): HashKeys {
  let s = (seed >>> 0) ^ Math.imul(Math.floor(seed / 4294967296) | 0, 0x9e3779b9);
  const next = (): number => {
    s = (s + 0x9e3779b9) | 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
    z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
    return z ^ (z >>> 15);
  };
  return { k0: next(), k1: next() | 1, k2: next(), k3: next() | 1 };
}

/**
 * Hashes a JS string as its UTF-8 bytes. ASCII strings up to
 * {@link MAX_WORD_BYTES} take a fast path that also leaves their words in
 * {@link WORDS}; anything else is encoded on the fly in small blocks. Lone
 * surrogates are hashed as their 3-byte generalized UTF-8 form (they can never
 * be stored, so such a lookup simply misses). Never allocates.
 */
export function hashString(s: string, k0: number, k1: number, k2: number, k3: number): number {
  const n = s.length;
  if (n > MAX_WORD_BYTES) return hashStringSlow(s, k0, k1, k2, k3);
  const w = WORDS;
  let acc = k0;
  let or = 0;
  let i = 0;
  let j = 0;
  for (const end = n - 8; i <= end; i += 8) {
    const c0 = s.charCodeAt(i);
    const c1 = s.charCodeAt(i + 1);
    const c2 = s.charCodeAt(i + 2);
    const c3 = s.charCodeAt(i + 3);
    const c4 = s.charCodeAt(i + 4);
    const c5 = s.charCodeAt(i + 5);
    const c6 = s.charCodeAt(i + 6);
    const c7 = s.charCodeAt(i + 7);
    or |= c0 | c1 | c2 | c3 | c4 | c5 | c6 | c7;
    const a = c0 | (c1 << 8) | (c2 << 16) | (c3 << 24);
    const b = c4 | (c5 << 8) | (c6 << 16) | (c7 << 24);
    w[j] = a;
    w[j + 1] = b;
    j += 2;
    acc = fold(a ^ acc, b ^ k1);
  }
  // The last 0-7 units, without a loop (keys of fixed length make this branch predictable).
  let a = 0;
  let b = 0;
  const r = n - i;
  if (r >= 4) {
    const c0 = s.charCodeAt(i);
    const c1 = s.charCodeAt(i + 1);
    const c2 = s.charCodeAt(i + 2);
    const c3 = s.charCodeAt(i + 3);
    or |= c0 | c1 | c2 | c3;
    a = c0 | (c1 << 8) | (c2 << 16) | (c3 << 24);
    if (r > 4) {
      const c4 = s.charCodeAt(i + 4);
      or |= c4;
      b = c4;
      if (r > 5) {
        const c5 = s.charCodeAt(i + 5);
        or |= c5;
        b |= c5 << 8;
        if (r > 6) {
          const c6 = s.charCodeAt(i + 6);
          or |= c6;
          b |= c6 << 16;
        }
      }
    }
  } else if (r > 0) {
    const c0 = s.charCodeAt(i);
    or |= c0;
    a = c0;
    if (r > 1) {
      const c1 = s.charCodeAt(i + 1);
      or |= c1;
      a |= c1 << 8;
      if (r > 2) {
        const c2 = s.charCodeAt(i + 2);
        or |= c2;
        a |= c2 << 16;
      }
    }
  }
  if (or >= 0x80) return hashStringSlow(s, k0, k1, k2, k3);
  w[j] = a;
  w[j + 1] = b;
  HASH_STATE[0] = 1;
  return finish(fold(a ^ acc ^ k2, b ^ n ^ k3));
}

const SCRATCH = 4096;
const scratch = new Uint8Array(SCRATCH + 8);

/** Streams the UTF-8 encoding of `s` through a fixed scratch buffer. */
function hashStringSlow(s: string, k0: number, k1: number, k2: number, k3: number): number {
  HASH_STATE[0] = 0;
  const buf = scratch;
  let acc = k0;
  let fill = 0;
  let total = 0;
  const n = s.length;
  for (let i = 0; i < n; i++) {
    let c = s.charCodeAt(i);
    if (c < 0x80) {
      buf[fill++] = c;
    } else if (c < 0x800) {
      buf[fill++] = 0xc0 | (c >> 6);
      buf[fill++] = 0x80 | (c & 63);
    } else {
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
        const d = s.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) {
          i++;
          c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
          buf[fill++] = 0xf0 | (c >> 18);
          buf[fill++] = 0x80 | ((c >> 12) & 63);
          buf[fill++] = 0x80 | ((c >> 6) & 63);
          buf[fill++] = 0x80 | (c & 63);
          if (fill >= SCRATCH) {
            const q = drain(acc, fill, k1);
            acc = drained;
            fill -= q;
            total += q;
          }
          continue;
        }
      }
      buf[fill++] = 0xe0 | (c >> 12);
      buf[fill++] = 0x80 | ((c >> 6) & 63);
      buf[fill++] = 0x80 | (c & 63);
    }
    if (fill >= SCRATCH) {
      const q = drain(acc, fill, k1);
      acc = drained;
      fill -= q;
      total += q;
    }
  }
  let q = 0;
  for (; q + 8 <= fill; q += 8) acc = fold(le32(buf, q) ^ acc, le32(buf, q + 4) ^ k1);
  const r = fill - q;
  let a = 0;
  let b = 0;
  for (let t = 0; t < r; t++) {
    if (t < 4) a |= buf[q + t]! << (t * 8);
    else b |= buf[q + t]! << ((t - 4) * 8);
  }
  return finish(fold(a ^ acc ^ k2, b ^ (total + fill) ^ k3));
}

/** Accumulator left by {@link drain} (a module slot, so draining allocates nothing). */
let drained = 0;

/**
 * Folds the complete blocks of the scratch buffer into `acc` (result in
 * {@link drained}), moves the leftover bytes to its front and returns how many
 * bytes were consumed. Only keys over 4 KiB get here.
 */
function drain(acc: number, fill: number, k1: number): number {
  const buf = scratch;
  let q = 0;
  for (; q + 8 <= fill; q += 8) acc = fold(le32(buf, q) ^ acc, le32(buf, q + 4) ^ k1);
  buf.copyWithin(0, q, fill);
  drained = acc;
  return q;
}

function le32(u8: Uint8Array, o: number): number {
  return u8[o]! | (u8[o + 1]! << 8) | (u8[o + 2]! << 16) | (u8[o + 3]! << 24);
}

/**
 * Hashes `len` bytes of `u8` from `at`: the same function as
 * {@link hashString} over a string's UTF-8 bytes. Keys up to
 * {@link MAX_WORD_BYTES} also leave their words in {@link WORDS}. Never allocates.
 */
export function hashBytes(u8: Uint8Array, at: number, len: number, k0: number, k1: number, k2: number, k3: number): number {
  const w = WORDS;
  const keep = len <= MAX_WORD_BYTES;
  let acc = k0;
  let i = 0;
  let j = 0;
  for (const end = len - 8; i <= end; i += 8) {
    const o = at + i;
    const a = u8[o]! | (u8[o + 1]! << 8) | (u8[o + 2]! << 16) | (u8[o + 3]! << 24);
    const b = u8[o + 4]! | (u8[o + 5]! << 8) | (u8[o + 6]! << 16) | (u8[o + 7]! << 24);
    if (keep) {
      w[j] = a;
      w[j + 1] = b;
      j += 2;
    }
    acc = fold(a ^ acc, b ^ k1);
  }
  let a = 0;
  let b = 0;
  for (let shift = 0; i < len; i++, shift += 8) {
    const c = u8[at + i]!;
    if (shift < 32) a |= c << shift;
    else b |= c << (shift - 32);
  }
  if (keep) {
    w[j] = a;
    w[j + 1] = b;
  }
  HASH_STATE[0] = keep ? 1 : 0;
  return finish(fold(a ^ acc ^ k2, b ^ len ^ k3));
}
