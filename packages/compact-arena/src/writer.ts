// Record writers: the code of `add` that checks and stores every field of one
// record. A loop over the fields reads `record[name]` with a different name
// each time (a megamorphic keyed load) and runs a generic switch per field;
// measured on Node 20, that made `add` about 8x slower than straight-line code
// with one named property load per field. So the straight-line code is
// generated once per (layout, kind, field list) with `new Function`, and
// falls back to the loop where code generation is not allowed (a CSP without
// 'unsafe-eval').

import type { ArenaKind, Layout } from "./api.js";
import { badValue, fit, type ColumnData } from "./core.js";
import { InvalidValueError } from "./errors.js";
import { F64, I32, IDX, NONE, U16, U32, U8, type FieldSpec } from "./schema.js";

/** A flat column as the writer sees it (its `data` is replaced when a contiguous column grows). */
export interface FlatTarget {
  readonly data: ColumnData;
}

/** A segmented column as the writer sees it. */
export interface SegmentedTarget {
  readonly segs: ColumnData[];
}

/** Writes record `n` of a flat arena (checks every field; throws before the length changes). */
export type FlatWriter = (n: number, record: Record<string, unknown>) => void;
/** Writes record `n` of a segmented arena at segment `s`, offset `off`. */
export type SegmentedWriter = (s: number, off: number, n: number, record: Record<string, unknown>) => void;

type Factory<W> = (cols: readonly unknown[], fields: readonly FieldSpec[], bad: typeof badValue, notRecord: (r: unknown) => never) => W;

const cache = new Map<string, Factory<unknown>>();
let codegen = true;

function check(code: number, v: string, none: number): string {
  switch (code) {
    case U8:
      return `(${v} & 255) === ${v}`;
    case U16:
      return `(${v} & 65535) === ${v}`;
    case U32:
      return `${v} >>> 0 === ${v}`;
    case I32:
      return `(${v} | 0) === ${v}`;
    case F64:
      return `typeof ${v} === "number"`;
    default:
      return `${v} >>> 0 === ${v} && ${v} < n`;
  }
}

function source(fields: readonly FieldSpec[], kind: ArenaKind, layout: Layout): string {
  const segmented = layout === "segmented";
  const none = NONE[kind];
  const lines: string[] = [];
  fields.forEach((f, c) => {
    // SAFETY: field names were checked against /^[A-Za-z_$][\w$]*$/ and are not
    // reserved words of Object.prototype, so `r.<name>` is a plain property read.
    const target = segmented ? `c${c}.segs[s][off]` : `c${c}.data[n]`;
    lines.push(`v = r.${f.name};`);
    if (f.code === IDX) {
      lines.push(`${target} = v === null ? ${none} : ${check(f.code, "v", none)} ? v : bad(f${c}, v, n);`);
    } else {
      lines.push(`${target} = ${check(f.code, "v", none)} ? v : bad(f${c}, v, n);`);
    }
  });
  const decls = fields.map((_, c) => `const c${c} = cols[${c}], f${c} = fields[${c}];`).join("\n");
  const params = segmented ? "s, off, n, r" : "n, r";
  // The layout comment keeps sources distinct, so V8's compilation cache cannot share them either.
  return `// ${layout} ${kind}\n${decls}\nreturn function write(${params}) {\nif (r === null || typeof r !== "object") notRecord(r);\nlet v;\n${lines.join("\n")}\n};`;
}

function factoryFor<W>(fields: readonly FieldSpec[], kind: ArenaKind, layout: Layout): Factory<W> | undefined {
  if (!codegen) return undefined;
  // The layout is part of the key even where the source is the same (contiguous and
  // resizable): V8 keeps type feedback per function, and arrays over resizable
  // buffers are a different element kind, so sharing one function would make both slower.
  const key = `${layout}:${kind}:${fields.map((f) => `${f.name}:${f.code}`).join(",")}`;
  let factory = cache.get(key) as Factory<W> | undefined;
  if (factory === undefined) {
    try {
      factory = new Function("cols", "fields", "bad", "notRecord", source(fields, kind, layout)) as Factory<W>;
    } catch {
      codegen = false; // code generation is forbidden here: use the generic loops from now on
      return undefined;
    }
    cache.set(key, factory as Factory<unknown>);
  }
  return factory;
}

function notRecordFor(fields: readonly FieldSpec[]): (r: unknown) => never {
  return () => {
    throw new InvalidValueError(`add expects a record object with the fields ${fields.map((f) => f.name).join(", ")}`);
  };
}

/** The writer of a flat arena's records. */
export function flatWriter(cols: readonly FlatTarget[], fields: readonly FieldSpec[], kind: ArenaKind, layout: Layout): FlatWriter {
  const notRecord = notRecordFor(fields);
  const factory = factoryFor<FlatWriter>(fields, kind, layout);
  if (factory !== undefined) return factory(cols, fields, badValue, notRecord);
  const none = NONE[kind];
  return (n, r) => {
    if (r === null || typeof r !== "object") notRecord(r);
    for (let c = 0; c < cols.length; c++) cols[c]!.data[n] = fit(fields[c]!, r[fields[c]!.name], n, none);
  };
}

/** The writer of a segmented arena's records. */
export function segmentedWriter(cols: readonly SegmentedTarget[], fields: readonly FieldSpec[], kind: ArenaKind): SegmentedWriter {
  const notRecord = notRecordFor(fields);
  const factory = factoryFor<SegmentedWriter>(fields, kind, "segmented");
  if (factory !== undefined) return factory(cols, fields, badValue, notRecord);
  const none = NONE[kind];
  return (s, off, n, r) => {
    if (r === null || typeof r !== "object") notRecord(r);
    for (let c = 0; c < cols.length; c++) cols[c]!.segs[s]![off] = fit(fields[c]!, r[fields[c]!.name], n, none);
  };
}

/** Test hook: forces the generic (no code generation) writers, as under a strict CSP. */
export function disableCodegenForTests(disabled: boolean): void {
  codegen = !disabled;
}
