import type { ArenaKind, FieldType, Schema } from "./api.js";
import { InvalidArgumentError, SchemaError } from "./errors.js";

/** Field type codes used internally (a small integer switch is cheaper than string compares). */
export const U8 = 0;
export const U16 = 1;
export const U32 = 2;
export const I32 = 3;
export const F64 = 4;
export const IDX = 5;

const CODES: { readonly [T in FieldType]: number } = { u8: U8, u16: U16, u32: U32, i32: I32, f64: F64, idx: IDX };

/**
 * The field types a schema may use, for validating schemas that come from data.
 *
 * @example
 * ```ts
 * import { FIELD_TYPES } from "@arenakit/compact-arena";
 * FIELD_TYPES.includes("u16"); // true
 * ```
 */
export const FIELD_TYPES: readonly FieldType[] = ["u8", "u16", "u32", "i32", "f64", "idx"];

/** Index width in bits of each kind. */
export const INDEX_BITS: { readonly [K in ArenaKind]: number } = { nano: 8, tiny: 16, small: 32 };

/**
 * The raw value that means "no index" in `idx` columns of each kind: the
 * width's maximum value. Compare raw column values with it (or with `arena.none`).
 *
 * @example
 * ```ts
 * import { NONE, inArena } from "@arenakit/compact-arena";
 * inArena("nano", { next: "idx" }, (arena) => {
 *   arena.add({ next: null });
 *   return arena.column("next")[0] === NONE.nano; // true: 255 spells null
 * });
 * ```
 */
export const NONE: { readonly nano: 255; readonly tiny: 65535; readonly small: 4294967295 } = {
  nano: 255,
  tiny: 65535,
  small: 4294967295,
};

const MAX_FIELDS = 64;
const RESERVED = new Set(["at", "idx", "arena"]);
const IDENT = /^[A-Za-z_$][\w$]*$/;

/** One validated field. */
export interface FieldSpec {
  readonly name: string;
  readonly type: FieldType;
  readonly code: number;
}

/** Checks a kind name. */
export function checkKind(kind: unknown): ArenaKind {
  if (kind !== "nano" && kind !== "tiny" && kind !== "small") {
    throw new InvalidArgumentError(`kind must be "nano", "tiny" or "small", got ${describe(kind)}`);
  }
  return kind;
}

/** Validates a schema and returns its fields in key order. */
export function checkSchema(schema: unknown): FieldSpec[] {
  if (schema === null || typeof schema !== "object" || Array.isArray(schema)) {
    throw new SchemaError(`a schema must be a plain object of field name → field type, got ${describe(schema)}`);
  }
  const names = Object.keys(schema);
  if (names.length === 0) throw new SchemaError("a schema needs at least one field");
  if (names.length > MAX_FIELDS) {
    throw new SchemaError(`a schema has at most ${MAX_FIELDS} fields, this one has ${names.length}`);
  }
  const fields: FieldSpec[] = [];
  for (const name of names) {
    if (!IDENT.test(name)) throw new SchemaError(`field name ${JSON.stringify(name)} is not an identifier`);
    if (RESERVED.has(name) || name in Object.prototype) {
      throw new SchemaError(`field name "${name}" is reserved (cursor members and Object.prototype names cannot be fields)`);
    }
    const type = (schema as Record<string, unknown>)[name];
    const code = typeof type === "string" && Object.hasOwn(CODES, type) ? CODES[type as FieldType] : undefined;
    if (code === undefined) {
      throw new SchemaError(`field "${name}" has type ${describe(type)}; expected one of ${FIELD_TYPES.join(", ")}`);
    }
    fields.push({ name, type: type as FieldType, code });
  }
  return fields;
}

/**
 * Checks a schema at runtime and returns it with its literal types kept, so it
 * can be declared once and shared by arenas, helpers and Workers.
 *
 * When to use: schemas declared apart from the `inArena` call (a `const` with
 * `as const` works too; this also validates early and gives a clear error).
 *
 * @example
 * ```ts
 * import { defineSchema, inArena } from "@arenakit/compact-arena";
 * const Node = defineSchema({ parent: "idx", weight: "f64" });
 * inArena("tiny", Node, (arena) => arena.add({ parent: null, weight: 0.5 }) + 0);
 * ```
 * @throws {@link SchemaError} for an empty schema, a bad field name or an unknown field type.
 */
export function defineSchema<const S extends Schema>(schema: S): S {
  checkSchema(schema);
  return schema;
}

/**
 * Most records an arena of `kind` with `schema` can hold: 256 / 65 536 / 2^32 − 1
 * for `nano` / `tiny` / `small`, one less for `nano` and `tiny` when the schema has
 * an `idx` field (the width's largest value is kept to spell `null`).
 *
 * @example
 * ```ts
 * import { capacityOf } from "@arenakit/compact-arena";
 * capacityOf("nano", { v: "u8" });             // 256
 * capacityOf("nano", { next: "idx", v: "u8" }); // 255
 * ```
 */
export function capacityOf(kind: ArenaKind, schema: Schema): number {
  const fields = checkSchema(schema);
  return kindCapacity(checkKind(kind), fields.some((f) => f.code === IDX));
}

/** Capacity of a kind, with or without `idx` fields (internal, no validation). */
export function kindCapacity(kind: ArenaKind, hasIdx: boolean): number {
  if (kind === "small") return 4294967295;
  const all = kind === "nano" ? 256 : 65536;
  return hasIdx ? all - 1 : all;
}

/** Bytes per element of a field type in an arena of `kind`. */
export function bytesOf(code: number, kind: ArenaKind): number {
  switch (code) {
    case U8:
      return 1;
    case U16:
      return 2;
    case U32:
    case I32:
      return 4;
    case F64:
      return 8;
    default:
      return INDEX_BITS[kind] / 8;
  }
}

/** A short description of an unexpected value for error messages. */
export function describe(v: unknown): string {
  if (typeof v === "string") return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  if (typeof v === "number" || typeof v === "boolean" || typeof v === "bigint" || v == null) return String(v) + (typeof v === "bigint" ? "n" : "");
  if (Array.isArray(v)) return "an array";
  return typeof v === "function" ? "a function" : `a ${typeof v}`;
}
