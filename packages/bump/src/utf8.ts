import { EncodingError, InvalidArgumentError } from "./errors.js";
import { describeValue } from "./memory.js";

function notString(fn: string, v: unknown): InvalidArgumentError {
  return new InvalidArgumentError(`${fn}: s must be a string, got ${describeValue(v)}`, "s");
}

function notBytes(fn: string, v: unknown): InvalidArgumentError {
  return new InvalidArgumentError(`${fn}: src must be a Uint8Array, got ${describeValue(v)}`, "src");
}

// Strings shorter than this are encoded with a plain JS loop: for short keys
// the call overhead of TextEncoder.encodeInto dominates.
const SHORT_STRING = 48;
// Decoding: TextDecoder beats a fromCharCode loop from about 16 bytes on
// (44-char ids: ~70 ns vs ~200 ns per string on Node 20).
const SHORT_DECODE = 16;

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: false, ignoreBOM: true });

/**
 * Upper bound of the UTF-8 length of `s`: 3 bytes per UTF-16 code unit (a
 * surrogate pair is 2 units and 4 bytes, so the bound holds).
 */
export function maxUtf8Length(s: string): number {
  if (typeof s !== "string") throw notString("maxUtf8Length", s);
  return s.length * 3;
}

/**
 * Throws {@link EncodingError} if `s` holds a lone surrogate. Stored strings
 * must read back identical, and UTF-8 cannot represent lone surrogates.
 */
export function assertWellFormed(s: string, what = "string"): void {
  if (typeof s !== "string") throw notString("assertWellFormed", s);
  if (!s.isWellFormed()) {
    throw new EncodingError(
      `${what} is not well-formed UTF-16 (it contains a lone surrogate at index ${loneSurrogateIndex(s)}); ` +
        "it cannot be stored as UTF-8 without changing it",
    );
  }
}

function loneSurrogateIndex(s: string): number {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        i++;
        continue;
      }
      return i;
    }
    if (c >= 0xdc00 && c <= 0xdfff) return i;
  }
  return -1;
}

/**
 * Encodes `s` as UTF-8 into `dst` at `at`; `dst` must have room for
 * {@link maxUtf8Length}(s) bytes. Returns the number of bytes written.
 * Rejects lone surrogates with {@link EncodingError} before writing anything.
 */
export function encodeUtf8Into(s: string, dst: Uint8Array, at: number): number {
  if (typeof s !== "string") throw notString("encodeUtf8Into", s);
  if (!(dst instanceof Uint8Array)) {
    throw new InvalidArgumentError(`encodeUtf8Into: dst must be a Uint8Array, got ${describeValue(dst)}`, "dst");
  }
  const n = s.length;
  if (n < SHORT_STRING) {
    // ASCII fast path: one pass that bails out at the first non-ASCII unit.
    let i = 0;
    for (; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) break;
      dst[at + i] = c;
    }
    if (i === n) return n;
    assertWellFormed(s);
    let o = at + i;
    for (; i < n; i++) {
      let c = s.charCodeAt(i);
      if (c < 0x80) {
        dst[o++] = c;
      } else if (c < 0x800) {
        dst[o++] = 0xc0 | (c >> 6);
        dst[o++] = 0x80 | (c & 63);
      } else if (c >= 0xd800 && c <= 0xdbff) {
        // SAFETY: well-formedness was checked above, so a high surrogate is followed by a low one.
        c = 0x10000 + ((c - 0xd800) << 10) + (s.charCodeAt(++i) - 0xdc00);
        dst[o++] = 0xf0 | (c >> 18);
        dst[o++] = 0x80 | ((c >> 12) & 63);
        dst[o++] = 0x80 | ((c >> 6) & 63);
        dst[o++] = 0x80 | (c & 63);
      } else {
        dst[o++] = 0xe0 | (c >> 12);
        dst[o++] = 0x80 | ((c >> 6) & 63);
        dst[o++] = 0x80 | (c & 63);
      }
    }
    return o - at;
  }
  assertWellFormed(s);
  // encodeInto takes shared views too ([AllowShared] in the Encoding spec).
  return encoder.encodeInto(s, dst.subarray(at, at + maxUtf8Length(s))).written;
}

/** UTF-8 encodes a string into a new array (rejecting lone surrogates). */
export function encodeUtf8(s: string): Uint8Array {
  assertWellFormed(s);
  return encoder.encode(s);
}

let decoderAcceptsShared: boolean | undefined;

/** Decodes `len` UTF-8 bytes of `src` starting at `at`. */
export function decodeUtf8(src: Uint8Array, at: number, len: number): string {
  if (!(src instanceof Uint8Array)) throw notBytes("decodeUtf8", src);
  if (len < SHORT_DECODE) {
    let out = "";
    let i = at;
    const end = at + len;
    while (i < end) {
      const b = src[i]!;
      if (b < 0x80) {
        out += String.fromCharCode(b);
        i++;
      } else {
        return out + decodeSlow(src, i, end - i);
      }
    }
    return out;
  }
  return decodeSlow(src, at, len);
}

function decodeSlow(src: Uint8Array, at: number, len: number): string {
  const view = src.subarray(at, at + len);
  if (src.buffer instanceof ArrayBuffer) return decoder.decode(view);
  // Browsers' TextDecoder rejects views of SharedArrayBuffer; copy once there.
  if (decoderAcceptsShared === undefined) {
    try {
      decoder.decode(view);
      decoderAcceptsShared = true;
    } catch {
      decoderAcceptsShared = false;
    }
  }
  return decoderAcceptsShared ? decoder.decode(view) : decoder.decode(view.slice());
}

/**
 * Compares the UTF-8 bytes `src[at .. at+len)` with the string `s` without
 * allocating. Used by hash maps to compare a lookup key with a stored key.
 */
export function utf8Equals(src: Uint8Array, at: number, len: number, s: string): boolean {
  if (!(src instanceof Uint8Array)) throw notBytes("utf8Equals", src);
  if (typeof s !== "string") throw notString("utf8Equals", s);
  const n = s.length;
  if (len < n) return false; // every UTF-16 unit takes at least one UTF-8 byte
  let o = at;
  const end = at + len;
  for (let i = 0; i < n; i++) {
    let c = s.charCodeAt(i);
    if (c < 0x80) {
      if (o >= end || src[o++] !== c) return false;
    } else if (c < 0x800) {
      if (o + 2 > end || src[o] !== (0xc0 | (c >> 6)) || src[o + 1] !== (0x80 | (c & 63))) return false;
      o += 2;
    } else if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (!(d >= 0xdc00 && d <= 0xdfff)) return false; // lone surrogate: never stored, never equal
      i++;
      c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
      if (
        o + 4 > end ||
        src[o] !== (0xf0 | (c >> 18)) ||
        src[o + 1] !== (0x80 | ((c >> 12) & 63)) ||
        src[o + 2] !== (0x80 | ((c >> 6) & 63)) ||
        src[o + 3] !== (0x80 | (c & 63))
      )
        return false;
      o += 4;
    } else if (c >= 0xdc00 && c <= 0xdfff) {
      return false; // lone low surrogate
    } else {
      if (
        o + 3 > end ||
        src[o] !== (0xe0 | (c >> 12)) ||
        src[o + 1] !== (0x80 | ((c >> 6) & 63)) ||
        src[o + 2] !== (0x80 | (c & 63))
      )
        return false;
      o += 3;
    }
  }
  return o === end;
}
