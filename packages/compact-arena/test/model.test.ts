// Differential tests: random operation sequences against the obvious JS model
// (an array of plain objects), for every layout and kind, with small initial
// capacities so that growth happens often. endOnFailure: shrinking 300-step
// sequences takes minutes; the unshrunk counterexample is reported instead.
import { fc, test as fcTest } from "@fast-check/vitest";
import { afterAll, describe, expect } from "vitest";
import { CapacityError, inArena, type ArenaKind, type Layout } from "../src/index.ts";
import { disableCodegenForTests } from "../src/writer.ts";

const Node = { parent: "idx", weight: "f64", tag: "u8", count: "u32", delta: "i32" } as const;
type Model = { parent: number | null; weight: number; tag: number; count: number; delta: number };

const op = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("add" as const), parent: fc.nat(), weight: fc.double(), tag: fc.nat(255), count: fc.nat(), delta: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), hasParent: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("set" as const), at: fc.nat(), field: fc.constantFrom("parent", "weight", "tag", "count", "delta"), value: fc.oneof(fc.nat(), fc.double(), fc.constant(null), fc.integer({ min: -300, max: 300 })) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("badAdd" as const), tag: fc.integer({ min: 256, max: 10_000 }) }) },
);

function valid(field: string, v: unknown, length: number): boolean {
  switch (field) {
    case "parent":
      return v === null || (Number.isInteger(v) && (v as number) >= 0 && (v as number) < length);
    case "weight":
      return typeof v === "number";
    case "tag":
      return Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 255;
    case "count":
      return Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 2 ** 32 - 1;
    default:
      return Number.isInteger(v) && (v as number) >= -(2 ** 31) && (v as number) <= 2 ** 31 - 1;
  }
}

type Op = typeof op extends fc.Arbitrary<infer T> ? T : never;

function run(kind: ArenaKind, layout: Layout, ops: Op[], initialCapacity: number): void {
  inArena({ kind, layout, initialCapacity }, Node, (arena) => {
    const model: Model[] = [];
    const capacity = arena.capacity;
    for (const o of ops) {
      if (o.kind === "add") {
        const rec = { parent: o.hasParent && model.length > 0 ? o.parent % model.length : null, weight: o.weight, tag: o.tag, count: o.count, delta: o.delta };
        const r = arena.tryAdd({ ...rec, parent: rec.parent === null ? null : arena.idx(rec.parent) });
        if (model.length >= capacity) {
          expect(r).toBeInstanceOf(CapacityError);
        } else {
          expect(r).toBe(model.length);
          model.push(rec);
        }
      } else if (o.kind === "set") {
        if (model.length === 0) continue;
        const i = arena.idx(o.at % model.length);
        if (valid(o.field, o.value, model.length)) {
          arena.set(i, o.field, o.value as never);
          // Integer columns hold no negative zero: -0 is stored (and read back) as 0.
          const stored = o.field !== "weight" && Object.is(o.value, -0) ? 0 : o.value;
          (model[i] as Record<string, unknown>)[o.field] = stored;
        } else {
          expect(() => arena.set(i, o.field, o.value as never)).toThrow(/does not fit/);
        }
      } else {
        // The capacity check comes first: a full arena refuses any record.
        const why = model.length >= capacity ? /is full/ : /field "tag"/;
        expect(() => arena.add({ parent: null, weight: 0, tag: o.tag, count: 0, delta: 0 })).toThrow(why);
      }
    }
    expect(arena.length).toBe(model.length);
    const cur = model.length > 0 ? arena.cursor(arena.idx(0)) : undefined;
    for (let i = 0; i < model.length; i++) {
      const m = model[i]!;
      const idx = arena.idx(i);
      const got = { parent: arena.get(idx, "parent"), weight: arena.get(idx, "weight"), tag: arena.get(idx, "tag"), count: arena.get(idx, "count"), delta: arena.get(idx, "delta") };
      expect(got).toEqual(m);
      cur!.at(idx);
      expect({ parent: cur!.parent, weight: cur!.weight, tag: cur!.tag, count: cur!.count, delta: cur!.delta }).toEqual(m);
    }
    for (const field of ["weight", "tag", "count", "delta"] as const) {
      expect(arena.segments(field).flatMap((s) => Array.from(s))).toEqual(model.map((m) => m[field]));
    }
  });
}

const layouts = fc.constantFrom<Layout>("contiguous", "segmented", "resizable");
const kinds = fc.constantFrom<ArenaKind>("nano", "tiny", "small");
const initial = fc.constantFrom(2, 4, 16, 256);

describe("differential: arena vs an array of objects", () => {
  fcTest.prop([kinds, layouts, fc.array(op, { maxLength: 300 }), initial], { numRuns: 150, endOnFailure: true })(
    "every layout and kind agrees with the model",
    (kind, layout, ops, cap) => run(kind, layout, ops, cap),
  );

  fcTest.prop([layouts, fc.array(op, { minLength: 250, maxLength: 400 })], { numRuns: 20, endOnFailure: true })(
    "a nano arena fills to its capacity and then refuses, losing nothing",
    (layout, ops) => run("nano", layout, ops.map((o) => (o.kind === "badAdd" ? o : { ...o, kind: "add" as const, hasParent: true, parent: 0, weight: 1, tag: 1, count: 1, delta: 1 })), 2),
  );
});

describe("differential without code generation (as under a strict CSP)", () => {
  disableCodegenForTests(true);
  afterAll(() => disableCodegenForTests(false));
  fcTest.prop([kinds, layouts, fc.array(op, { maxLength: 200 }), initial], { numRuns: 60, endOnFailure: true })(
    "the generic writers agree with the model too",
    (kind, layout, ops, cap) => run(kind, layout, ops, cap),
  );
});
