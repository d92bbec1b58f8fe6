// How values are stored inside a map entry, by field kind. Scalars and
// records (struct layouts) have a fixed size; `t.str` and `t.bytes` values are
// stored inline as bump's length-prefixed format (u32 length, then the bytes),
// so a value pointer of such a map is a real StrPtr/BytesPtr.
import {
  EncodingError,
  InvalidArgumentError,
  assertWellFormed,
  type AnyField,
  type Fields,
  type Layout,
} from "@arenakit/bump";

export const VK_U8 = 0;
export const VK_I8 = 1;
export const VK_U16 = 2;
export const VK_I16 = 3;
export const VK_U32 = 4;
export const VK_I32 = 5;
export const VK_F32 = 6;
export const VK_F64 = 7;
export const VK_U64 = 8;
export const VK_I64 = 9;
export const VK_BOOL = 10;
export const VK_STR = 11;
export const VK_BYTES = 12;
export const VK_STRUCT = 13;

const KINDS: Record<string, number> = {
  u8: VK_U8,
  i8: VK_I8,
  u16: VK_U16,
  i16: VK_I16,
  u32: VK_U32,
  i32: VK_I32,
  f32: VK_F32,
  f64: VK_F64,
  u64: VK_U64,
  i64: VK_I64,
  bool: VK_BOOL,
  str: VK_STR,
  bytes: VK_BYTES,
  struct: VK_STRUCT,
};

/** What the map needs to know about its value type. */
export interface ValueCodec {
  /** One of the VK_* codes. */
  readonly kind: number;
  /** Bytes of a fixed-size value; -1 for inline str/bytes (length-prefixed, variable). */
  readonly size: number;
  /** The record layout when kind is VK_STRUCT. */
  readonly layout: Layout<Fields> | undefined;
  /** Whether a record value owns out-of-line allocations (str/bytes fields, at any depth). */
  readonly hasRefs: boolean;
}

/** Validates the `value` option and describes how values are stored. */
export function codecOf(type: AnyField): ValueCodec {
  if (type === null || typeof type !== "object" || typeof type.kind !== "string" || !(type.kind in KINDS)) {
    throw new InvalidArgumentError("the value option must be a field type of @arenakit/bump (t.u32, t.str, struct(...), ...)");
  }
  const kind = KINDS[type.kind]!;
  if (kind === VK_STRUCT) {
    const layout = type as unknown as Layout<Fields>;
    return { kind, size: layout.size, layout, hasRefs: layoutHasRefs(layout) };
  }
  return { kind, size: kind === VK_STR || kind === VK_BYTES ? -1 : type.size, layout: undefined, hasRefs: false };
}

function layoutHasRefs(layout: Layout<Fields>): boolean {
  return layout.fields.some(
    (f) => f.type.kind === "str" || f.type.kind === "bytes" || (f.type.kind === "struct" && layoutHasRefs(f.type as unknown as Layout<Fields>)),
  );
}

const U64_MAX = (1n << 64n) - 1n;
const I64_MIN = -(1n << 63n);
const I64_MAX = (1n << 63n) - 1n;

/**
 * Checks `v` against the value type before anything is written, so a bad
 * value never leaves a half-written entry. Returns the byte length of an
 * inline str/bytes value (its UTF-8 length for strings), else 0.
 */
export function validateValue(c: ValueCodec, v: unknown): number {
  switch (c.kind) {
    case VK_U8:
      return checkInt(v, 0, 0xff);
    case VK_I8:
      return checkInt(v, -0x80, 0x7f);
    case VK_U16:
      return checkInt(v, 0, 0xffff);
    case VK_I16:
      return checkInt(v, -0x8000, 0x7fff);
    case VK_U32:
      return checkInt(v, 0, 0xffffffff);
    case VK_I32:
      return checkInt(v, -0x80000000, 0x7fffffff);
    case VK_F32:
      if (typeof v !== "number") throw new InvalidArgumentError(`the value must be a number, got ${describe(v)}`);
      if (Number.isFinite(v) && !Number.isFinite(Math.fround(v))) {
        throw new InvalidArgumentError(`the value is too large for a 32-bit float: ${v} would be stored as Infinity`);
      }
      return 0;
    case VK_F64:
      if (typeof v !== "number") throw new InvalidArgumentError(`the value must be a number, got ${describe(v)}`);
      return 0;
    case VK_U64:
      return checkBig(v, 0n, U64_MAX);
    case VK_I64:
      return checkBig(v, I64_MIN, I64_MAX);
    case VK_BOOL:
      if (typeof v !== "boolean") throw new InvalidArgumentError(`the value must be a boolean, got ${describe(v)}`);
      return 0;
    case VK_STR:
      if (typeof v !== "string") throw new InvalidArgumentError(`the value must be a string, got ${describe(v)}`);
      return utf8Length(v, "the value");
    case VK_BYTES:
      if (!(v instanceof Uint8Array)) throw new InvalidArgumentError(`the value must be a Uint8Array, got ${describe(v)}`);
      return v.length;
    default:
      c.layout!.validate(v as never);
      return 0;
  }
}

function checkInt(v: unknown, min: number, max: number): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max) {
    throw new InvalidArgumentError(`the value must be an integer from ${min} to ${max}, got ${describe(v)}`);
  }
  return 0;
}

function checkBig(v: unknown, min: bigint, max: bigint): number {
  let b: bigint;
  if (typeof v === "bigint") b = v;
  else if (typeof v === "number" && Number.isSafeInteger(v)) b = BigInt(v);
  else throw new InvalidArgumentError(`the value must be a bigint or a safe-integer number, got ${describe(v)}`);
  if (b < min || b > max) throw new InvalidArgumentError(`the value is out of range: ${b} is not in [${min}, ${max}]`);
  return 0;
}

/**
 * Exact UTF-8 length of `s`. Throws {@link EncodingError} for a lone
 * surrogate: such a string has no UTF-8 form and is never stored.
 */
export function utf8Length(s: string, what: string): number {
  const n = s.length;
  let len = n;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) len += 1;
    else if (c >= 0xd800 && c <= 0xdfff) {
      const d = c <= 0xdbff ? s.charCodeAt(i + 1) : 0;
      if (!(d >= 0xdc00 && d <= 0xdfff)) {
        assertWellFormed(s, what);
        throw new EncodingError(`${what} is not well-formed UTF-16`);
      }
      len += 2;
      i++;
    } else len += 2;
  }
  return len;
}

export function describe(v: unknown): string {
  if (v === null) return "null";
  if (typeof v === "number") return Number.isNaN(v) ? "NaN" : String(v);
  if (typeof v === "string") return `string "${v.length > 20 ? `${v.slice(0, 20)}…` : v}"`;
  if (typeof v === "object") return (v as object).constructor?.name ?? "object";
  return typeof v;
}
