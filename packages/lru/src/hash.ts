// Key hashing shared by the owner and by Worker readers: both must compute
// the same hash for the same key, so this file is the single definition.
//
// String keys are hashed over the UTF-8 bytes they would be stored as,
// produced on the fly from the UTF-16 units (no encoding buffer), so the hash
// of a stored key can be recomputed from its bytes alone.

/** UTF-8 byte length of the last key hashed by {@link hashString}. */
export let lastUtf8Length = 0;
/** Whether the last key hashed by {@link hashString} held a surrogate (only then can it be ill-formed). */
export let lastHadSurrogate = false;

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** murmur3's finaliser: spreads FNV's weak low bits over the whole word (the table indexes with the low bits). */
function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * Hash of the UTF-8 encoding of a well-formed string `s`; also sets
 * {@link lastUtf8Length} and {@link lastHadSurrogate}. For an ill-formed
 * string the result is meaningless: check `s.isWellFormed()` when
 * {@link lastHadSurrogate} is set.
 */
export function hashString(s: string): number {
  let h = FNV_OFFSET;
  const n = s.length;
  let len = n;
  let surrogate = false;
  for (let i = 0; i < n; i++) {
    let c = s.charCodeAt(i);
    if (c < 0x80) {
      h = Math.imul(h ^ c, FNV_PRIME);
    } else if (c < 0x800) {
      h = Math.imul(h ^ (0xc0 | (c >> 6)), FNV_PRIME);
      h = Math.imul(h ^ (0x80 | (c & 63)), FNV_PRIME);
      len += 1;
    } else if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
      surrogate = true;
      const d = s.charCodeAt(++i);
      c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
      h = Math.imul(h ^ (0xf0 | (c >> 18)), FNV_PRIME);
      h = Math.imul(h ^ (0x80 | ((c >> 12) & 63)), FNV_PRIME);
      h = Math.imul(h ^ (0x80 | ((c >> 6) & 63)), FNV_PRIME);
      h = Math.imul(h ^ (0x80 | (c & 63)), FNV_PRIME);
      len += 2; // two UTF-16 units, four bytes
    } else {
      if (c >= 0xd800 && c <= 0xdfff) surrogate = true;
      h = Math.imul(h ^ (0xe0 | (c >> 12)), FNV_PRIME);
      h = Math.imul(h ^ (0x80 | ((c >> 6) & 63)), FNV_PRIME);
      h = Math.imul(h ^ (0x80 | (c & 63)), FNV_PRIME);
      len += 2;
    }
  }
  lastUtf8Length = len;
  lastHadSurrogate = surrogate;
  return fmix(h);
}

/** Hash of `len` bytes of `src` from `at`: equal to {@link hashString} of the string those bytes encode. */
export function hashBytes(src: Uint8Array, at: number, len: number): number {
  let h = FNV_OFFSET;
  const end = at + len;
  for (let i = at; i < end; i++) h = Math.imul(h ^ src[i]!, FNV_PRIME);
  return fmix(h);
}

/** Compares `len` stored bytes at `at` with the byte key `key`. */
export function bytesEqual(src: Uint8Array, at: number, len: number, key: Uint8Array): boolean {
  if (len !== key.length) return false;
  for (let i = 0; i < len; i++) if (src[at + i] !== key[i]) return false;
  return true;
}

/** Exact UTF-8 length of a well-formed string. */
export function utf8Length(s: string): number {
  const n = s.length;
  let len = n;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80) {
      if (c < 0x800) len += 1;
      else if (c >= 0xd800 && c <= 0xdbff) {
        len += 2;
        i++;
      } else len += 2;
    }
  }
  return len;
}

/** Compares the stored UTF-8 key at `at` (already known to be `len` bytes, the UTF-8 length of `s`) with `s`. */
export function stringKeyEqual(src: Uint8Array, at: number, len: number, s: string, utf8Equals: (src: Uint8Array, at: number, len: number, s: string) => boolean): boolean {
  const n = s.length;
  for (let j = 0; j < n; j++) {
    const c = s.charCodeAt(j);
    if (c >= 0x80) return utf8Equals(src, at, len, s);
    if (src[at + j] !== c) return false;
  }
  return true;
}
