import type { Allocator, Memory } from "./api.js";
import { InvalidArgumentError } from "./errors.js";
import { describeValue } from "./memory.js";

/** `m` must be readable memory (a Bump, FreeListAllocator, ArenaReader…): checked before any field is read. */
function checkMemory(method: string, m: unknown): void {
  if (typeof (m as Memory | null | undefined)?.readU8 !== "function") {
    throw new InvalidArgumentError(`Layout.${method}: m must be arena memory (a Bump, FreeListAllocator or ArenaReader), got ${describeValue(m)}`, "m");
  }
}
import type { BytesPtr, Ptr, StrPtr } from "./ptr.js";

/** The scalar and variable-size field kinds a record layout can hold. */
export type FieldKind =
  | "u8"
  | "i8"
  | "u16"
  | "i16"
  | "u32"
  | "i32"
  | "f32"
  | "f64"
  | "u64"
  | "i64"
  | "bool"
  | "str"
  | "bytes"
  | "struct";

/**
 * One field type of a record layout. `Owned` is what reading a copy returns,
 * `In` what writing accepts, `View` what a zero-copy view returns.
 */
export interface FieldType<Owned, In = Owned, View = Owned> {
  /** The kind of field. */
  readonly kind: FieldKind;
  /** Bytes the field takes inside its record. */
  readonly size: number;
  /** Alignment of the field inside its record. */
  readonly align: number;
  /** Phantom member carrying the TypeScript types; never present at runtime. */
  readonly "~types"?: { owned: Owned; input: In; view: View };
}

/** Any field type. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyField = FieldType<any, any, any>;
/** A record schema: field names to field types. */
export type Fields = { readonly [name: string]: AnyField };

/** The owned (copied) value type of a field. */
export type OwnedOf<F> = F extends FieldType<infer O, infer _I, infer _V> ? O : never;
/** The value type a field accepts when written. */
export type InputOf<F> = F extends FieldType<infer _O, infer I, infer _V> ? I : never;
/** The zero-copy view type of a field. */
export type ViewOf<F> = F extends FieldType<infer _O, infer _I, infer V> ? V : never;

/** The owned record type of a schema: `{ owner: string; data: Uint8Array; index: bigint }`. */
export type Owned<S extends Fields> = { -readonly [K in keyof S]: OwnedOf<S[K]> };
/** The record type accepted by `write` (u64 fields accept `bigint` or a safe-integer `number`). */
export type Input<S extends Fields> = { readonly [K in keyof S]: InputOf<S[K]> };
/**
 * The zero-copy view type of a schema: read-only fields, decoded on access;
 * byte fields are `Uint8Array`s aliasing arena memory.
 */
export type View<S extends Fields> = { readonly [K in keyof S]: ViewOf<S[K]> };

function scalar<T, I = T>(kind: FieldKind, size: number): FieldType<T, I, T> {
  return Object.freeze({ kind, size, align: size }) as FieldType<T, I, T>;
}

/**
 * The field types of record layouts.
 *
 * | type | stored as | owned / view type |
 * | --- | --- | --- |
 * | `u8` `i8` `u16` `i16` `u32` `i32` `f32` `f64` | little-endian number | `number` |
 * | `u64` `i64` | 8 bytes | `bigint` (writes accept safe-integer numbers) |
 * | `bool` | 1 byte | `boolean` |
 * | `str` | 8-byte pointer to length-prefixed UTF-8 | `string` |
 * | `bytes` | 8-byte pointer to a length-prefixed slice | `Uint8Array` (views are zero-copy) |
 */
export const t: {
  readonly u8: FieldType<number>;
  readonly i8: FieldType<number>;
  readonly u16: FieldType<number>;
  readonly i16: FieldType<number>;
  readonly u32: FieldType<number>;
  readonly i32: FieldType<number>;
  readonly f32: FieldType<number>;
  readonly f64: FieldType<number>;
  readonly u64: FieldType<bigint, bigint | number>;
  readonly i64: FieldType<bigint, bigint | number>;
  readonly bool: FieldType<boolean>;
  readonly str: FieldType<string>;
  readonly bytes: FieldType<Uint8Array, Uint8Array, Uint8Array>;
} = Object.freeze({
  u8: scalar<number>("u8", 1),
  i8: scalar<number>("i8", 1),
  u16: scalar<number>("u16", 2),
  i16: scalar<number>("i16", 2),
  u32: scalar<number>("u32", 4),
  i32: scalar<number>("i32", 4),
  f32: scalar<number>("f32", 4),
  f64: scalar<number>("f64", 8),
  u64: scalar<bigint, bigint | number>("u64", 8),
  i64: scalar<bigint, bigint | number>("i64", 8),
  bool: scalar<boolean>("bool", 1),
  str: scalar<string>("str", 8),
  bytes: scalar<Uint8Array>("bytes", 8),
});

/** Where one field sits inside a record. */
export interface FieldInfo {
  /** Field name. */
  readonly name: string;
  /** Field type. */
  readonly type: AnyField;
  /** Byte offset inside the record. */
  readonly offset: number;
}

interface ViewBase {
  readonly m: Memory;
  readonly p: number;
}

const U64_MAX = (1n << 64n) - 1n;
const I64_MIN = -(1n << 63n);
const I64_MAX = (1n << 63n) - 1n;

/**
 * A record layout: one schema from which TypeScript derives the owned type,
 * the input type and a zero-copy view type, and which writes records into any
 * {@link Allocator} and reads them back. Fields are laid out by descending
 * alignment (like Rust's default representation) so records carry no padding
 * beyond the tail.
 *
 * Nested layouts can be fields: they are stored inline.
 *
 * @example
 * ```ts
 * import { Bump, struct, t } from "@arenakit/bump";
 * const Account = struct({ owner: t.str, data: t.bytes, index: t.u64 });
 * using bump = new Bump();
 * const p = Account.write(bump, { owner: "Sparky-11", data: new Uint8Array([1, 2]), index: 11 });
 * const view = Account.view(bump, p);
 * view.owner; // "Sparky-11", decoded on access
 * view.data;  // Uint8Array [1, 2], zero-copy
 * Account.read(bump, p); // { owner: "Sparky-11", data: Uint8Array [1, 2], index: 11n }, copied
 * ```
 */
export class Layout<S extends Fields> implements FieldType<Owned<S>, Input<S>, View<S>> {
  readonly kind: "struct" = "struct";
  /** Phantom member carrying the TypeScript types; never present at runtime. */
  declare readonly "~types"?: { owned: Owned<S>; input: Input<S>; view: View<S> };
  /** Size of one record in bytes (a multiple of its alignment). */
  readonly size: number;
  /** Alignment of the record (the largest field alignment). */
  readonly align: number;
  /** The fields in storage order. */
  readonly fields: readonly FieldInfo[];
  /** The schema this layout was made from. */
  readonly schema: S;
  private readonly _byName: Map<string, FieldInfo>;
  private readonly _View: new (m: Memory, p: number) => View<S>;

  constructor(schema: S) {
    if (schema === null || typeof schema !== "object") {
      throw new InvalidArgumentError(`struct() expects a schema (an object of field types), got ${describeValue(schema)}`, "schema");
    }
    const entries = Object.entries(schema);
    if (entries.length === 0) throw new InvalidArgumentError("struct(): the schema needs at least one field", "schema");
    for (const [name, type] of entries) {
      if (type === null || typeof type !== "object" || typeof type.size !== "number" || typeof type.kind !== "string") {
        throw new InvalidArgumentError(`field "${name}" is not a field type (use t.u32, t.str, struct(...), ...)`);
      }
    }
    const sorted = entries
      .map(([name, type], i) => ({ name, type, i }))
      .sort((a, b) => b.type.align - a.type.align || a.i - b.i);
    let offset = 0;
    let align = 1;
    const fields: FieldInfo[] = [];
    for (const { name, type } of sorted) {
      offset = Math.ceil(offset / type.align) * type.align;
      fields.push(Object.freeze({ name, type, offset }));
      offset += type.size;
      align = Math.max(align, type.align);
    }
    this.size = Math.max(Math.ceil(offset / align) * align, align);
    this.align = align;
    this.fields = Object.freeze(fields);
    this.schema = schema;
    this._byName = new Map(fields.map((f) => [f.name, f]));
    this._View = makeViewClass<S>(fields);
  }

  /** Byte offset of a field inside the record. */
  offsetOf(name: keyof S & string): number {
    return this._field(name).offset;
  }

  /**
   * Checks that `value` can be written (types, integer ranges, well-formed
   * strings) without touching memory. `write` calls it first, so a bad record
   * never leaves a half-written one behind.
   * @throws {@link InvalidArgumentError} or {@link EncodingError} naming the field.
   */
  validate(value: Input<S>, path = ""): void {
    if (value === null || typeof value !== "object") {
      throw new InvalidArgumentError(`${path || "value"} must be a record (an object), got ${describeValue(value)}`, "value");
    }
    // Indexed loops: for…of allocates an iterator per record on this hot path.
    const fields = this.fields;
    for (let i = 0; i < fields.length; i++) {
      const f = fields[i]!;
      validateField(f.type, (value as Record<string, unknown>)[f.name], path ? `${path}.${f.name}` : f.name);
    }
  }

  /** Allocates a record in `a`, writes `value` into it and returns its pointer. */
  write(a: Allocator, value: Input<S>): Ptr {
    this.validate(value);
    const p = a.alloc(this.size, this.align);
    this._writeFields(a, p, value);
    return p;
  }

  /** Writes `value` into the record at `p` (allocating its strings and byte slices in `a`). */
  writeAt(a: Allocator, p: Ptr, value: Input<S>): void {
    this.validate(value);
    this._writeFields(a, p, value);
  }

  /** @internal writes validated fields */
  _writeFields(a: Allocator, p: Ptr, value: Input<S>): void {
    const fields = this.fields;
    for (let i = 0; i < fields.length; i++) {
      const f = fields[i]!;
      writeField(f.type, a, (p + f.offset) as Ptr, (value as Record<string, unknown>)[f.name]);
    }
  }

  /** Reads the record at `p` as a plain object, copying strings and bytes out of the arena. */
  read(m: Memory, p: Ptr): Owned<S> {
    checkMemory("read", m);
    const out: Record<string, unknown> = {};
    const fields = this.fields;
    for (let i = 0; i < fields.length; i++) {
      const f = fields[i]!;
      out[f.name] = readField(f.type, m, (p + f.offset) as Ptr, true);
    }
    return out as Owned<S>;
  }

  /**
   * A zero-copy view of the record at `p`: an object whose fields are read
   * from arena memory on each access. Using it after the arena was reset or
   * released throws {@link StalePointerError}.
   */
  view(m: Memory, p: Ptr): View<S> {
    checkMemory("view", m);
    m.readU8(p); // validates the pointer now, not at the first field access
    return new this._View(m, p);
  }

  /** Reads one field of the record at `p` without creating a view object. */
  get<K extends keyof S & string>(m: Memory, p: Ptr, name: K): ViewOf<S[K]> {
    checkMemory("get", m);
    const f = this._field(name);
    return readField(f.type, m, (p + f.offset) as Ptr, false) as ViewOf<S[K]>;
  }

  /** Writes one field of the record at `p`. */
  set<K extends keyof S & string>(a: Allocator, p: Ptr, name: K, value: InputOf<S[K]>): void {
    const f = this._field(name);
    validateField(f.type, value, name);
    writeField(f.type, a, (p + f.offset) as Ptr, value);
  }

  private _field(name: string): FieldInfo {
    const f = this._byName.get(name);
    if (f === undefined) throw new InvalidArgumentError(`the layout has no field ${typeof name === "string" ? JSON.stringify(name) : describeValue(name)} (name must be one of ${this.fields.map((x) => x.name).join(", ")})`, "name");
    return f;
  }
}

/**
 * Declares a record layout from a schema of field types (see {@link t}).
 *
 * @example
 * ```ts
 * import { struct, t, type Owned } from "@arenakit/bump";
 * const Point = struct({ x: t.f64, y: t.f64 });
 * type Point = Owned<typeof Point.schema>; // { x: number; y: number }
 * ```
 */
export function struct<const S extends Fields>(schema: S): Layout<S> {
  return new Layout(schema);
}

function validateField(type: AnyField, v: unknown, name: string): void {
  switch (type.kind) {
    case "u8":
      return checkInt(v, name, 0, 0xff);
    case "i8":
      return checkInt(v, name, -0x80, 0x7f);
    case "u16":
      return checkInt(v, name, 0, 0xffff);
    case "i16":
      return checkInt(v, name, -0x8000, 0x7fff);
    case "u32":
      return checkInt(v, name, 0, 0xffffffff);
    case "i32":
      return checkInt(v, name, -0x80000000, 0x7fffffff);
    case "f32":
      if (typeof v !== "number") throw new InvalidArgumentError(`field "${name}" must be a number, got ${typeof v}`);
      // A finite value past the 32-bit range would be stored as Infinity: refuse it rather than change it.
      if (Number.isFinite(v) && !Number.isFinite(Math.fround(v))) {
        throw new InvalidArgumentError(`field "${name}" is too large for a 32-bit float: ${v} would be stored as Infinity`);
      }
      return;
    case "f64":
      if (typeof v !== "number") throw new InvalidArgumentError(`field "${name}" must be a number, got ${typeof v}`);
      return;
    case "u64":
      return checkBig(v, name, 0n, U64_MAX);
    case "i64":
      return checkBig(v, name, I64_MIN, I64_MAX);
    case "bool":
      if (typeof v !== "boolean") throw new InvalidArgumentError(`field "${name}" must be a boolean, got ${typeof v}`);
      return;
    case "str":
      if (typeof v !== "string") throw new InvalidArgumentError(`field "${name}" must be a string, got ${typeof v}`);
      if (!v.isWellFormed()) {
        throw new InvalidArgumentError(`field "${name}" is not well-formed UTF-16 (lone surrogate); it cannot be stored unchanged`);
      }
      return;
    case "bytes":
      if (!(v instanceof Uint8Array)) throw new InvalidArgumentError(`field "${name}" must be a Uint8Array`);
      return;
    case "struct":
      (type as Layout<Fields>).validate(v as Input<Fields>, name);
      return;
  }
}

function checkInt(v: unknown, name: string, min: number, max: number): void {
  if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max) {
    throw new InvalidArgumentError(`field "${name}" must be an integer from ${min} to ${max}, got ${String(v)}`);
  }
}

function checkBig(v: unknown, name: string, min: bigint, max: bigint): void {
  let b: bigint;
  if (typeof v === "bigint") b = v;
  else if (typeof v === "number" && Number.isSafeInteger(v)) b = BigInt(v);
  else {
    throw new InvalidArgumentError(`field "${name}" must be a bigint or a safe-integer number, got ${typeof v === "number" ? v : typeof v}`);
  }
  if (b < min || b > max) throw new InvalidArgumentError(`field "${name}" is out of range: ${b} is not in [${min}, ${max}]`);
}

function writeField(type: AnyField, a: Allocator, p: Ptr, v: unknown): void {
  switch (type.kind) {
    case "u8":
    case "i8":
      return a.writeU8(p, (v as number) & 0xff);
    case "u16":
    case "i16":
      return a.writeU16(p, (v as number) & 0xffff);
    case "u32":
      return a.writeU32(p, v as number);
    case "i32":
      return a.writeI32(p, v as number);
    case "f32":
      return a.writeF32(p, v as number);
    case "f64":
      return a.writeF64(p, v as number);
    case "u64":
      return a.writeU64(p, BigInt(v as bigint | number));
    case "i64":
      return a.writeI64(p, BigInt(v as bigint | number));
    case "bool":
      return a.writeU8(p, v ? 1 : 0);
    case "str":
      return a.writeF64(p, a.allocStr(v as string));
    case "bytes":
      return a.writeF64(p, a.allocBytes(v as Uint8Array));
    case "struct":
      return (type as Layout<Fields>)._writeFields(a, p, v as Input<Fields>);
  }
}

function readField(type: AnyField, m: Memory, p: Ptr, copy: boolean): unknown {
  switch (type.kind) {
    case "u8":
      return m.readU8(p);
    case "i8":
      return (m.readU8(p) << 24) >> 24;
    case "u16":
      return m.readU16(p);
    case "i16":
      return (m.readU16(p) << 16) >> 16;
    case "u32":
      return m.readU32(p);
    case "i32":
      return m.readI32(p);
    case "f32":
      return m.readF32(p);
    case "f64":
      return m.readF64(p);
    case "u64":
      return m.readU64(p);
    case "i64":
      return m.readI64(p);
    case "bool":
      return m.readU8(p) !== 0;
    case "str":
      return m.readStr(m.readF64(p) as StrPtr);
    case "bytes": {
      const b = m.bytes(m.readF64(p) as BytesPtr);
      return copy ? b.slice() : b;
    }
    case "struct":
      return copy ? (type as Layout<Fields>).read(m, p) : (type as Layout<Fields>).view(m, p);
  }
}

// One getter per field, specialised by kind so each call site stays monomorphic.
function getterFor(f: FieldInfo): (this: ViewBase) => unknown {
  const off = f.offset;
  switch (f.type.kind) {
    case "u32":
      return function (this: ViewBase) {
        return this.m.readU32((this.p + off) as Ptr);
      };
    case "f64":
      return function (this: ViewBase) {
        return this.m.readF64((this.p + off) as Ptr);
      };
    case "u64":
      return function (this: ViewBase) {
        return this.m.readU64((this.p + off) as Ptr);
      };
    case "str":
      return function (this: ViewBase) {
        return this.m.readStr(this.m.readF64((this.p + off) as Ptr) as StrPtr);
      };
    case "bytes":
      return function (this: ViewBase) {
        return this.m.bytes(this.m.readF64((this.p + off) as Ptr) as BytesPtr);
      };
    default: {
      const type = f.type;
      return function (this: ViewBase) {
        return readField(type, this.m, (this.p + off) as Ptr, false);
      };
    }
  }
}

function makeViewClass<S extends Fields>(fields: readonly FieldInfo[]): new (m: Memory, p: number) => View<S> {
  class RecordView implements ViewBase {
    readonly m: Memory;
    readonly p: number;
    constructor(m: Memory, p: number) {
      this.m = m;
      this.p = p;
    }
    toJSON(): Record<string, unknown> {
      const out: Record<string, unknown> = {};
      for (const f of fields) {
        const v = readField(f.type, this.m, (this.p + f.offset) as Ptr, false);
        out[f.name] = typeof v === "bigint" ? v.toString() : v instanceof Uint8Array ? Array.from(v) : v;
      }
      return out;
    }
  }
  for (const f of fields) {
    Object.defineProperty(RecordView.prototype, f.name, { get: getterFor(f), enumerable: true, configurable: false });
  }
  // The `m`/`p` slots are implementation details; hide them from enumeration.
  return RecordView as unknown as new (m: Memory, p: number) => View<S>;
}
