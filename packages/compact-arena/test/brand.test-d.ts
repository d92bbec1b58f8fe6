// Compile-time guarantees of the brand, proved with the compiler itself: every
// `@ts-expect-error` line must fail to type-check, or this file fails.
import { describe, expectTypeOf, it } from "vitest";
import {
  ArenaPool,
  inArena,
  inRecycledArena,
  inSharedArena,
  type Arena,
  type ArenaView,
  type ColumnArray,
  type FieldValue,
  type Idx,
  type RecordOf,
} from "../src/index.ts";

const Tree = { left: "idx", right: "idx", value: "f64" } as const;
type Tree = typeof Tree;

function build<B extends symbol>(arena: Arena<B, Tree>, depth: number): Idx<B> {
  if (depth === 0) return arena.add({ left: null, right: null, value: 1 });
  const left = build(arena, depth - 1);
  const right = build(arena, depth - 1);
  return arena.add({ left, right, value: depth });
}

function sum<B extends symbol>(arena: ArenaView<B, Tree>, i: Idx<B>): number {
  const l = arena.get(i, "left");
  const r = arena.get(i, "right");
  return arena.get(i, "value") + (l === null ? 0 : sum(arena, l)) + (r === null ? 0 : sum(arena, r));
}

describe("brands", () => {
  it("indices of two arenas cannot be mixed, even with the same kind and schema", () => {
    inArena("small", Tree, (a) =>
      inArena("small", Tree, (b) => {
        const ia = a.add({ left: null, right: null, value: 1 });
        const ib = b.add({ left: null, right: null, value: 2 });
        a.get(ia, "value");
        b.get(ib, "value");
        // @ts-expect-error an index of `a` is not an index of `b`
        b.get(ia, "value");
        // @ts-expect-error nor the other way round
        a.set(ib, "value", 3);
        // @ts-expect-error an idx field of `b` cannot hold an index of `a`
        b.add({ left: ia, right: null, value: 0 });
        // @ts-expect-error nor can set() store one
        b.set(ib, "left", ia);
        // @ts-expect-error a cursor of `b` cannot move to an index of `a`
        b.cursor(ib).at(ia);
        // @ts-expect-error a generic helper unifies the brands of its arena and index
        sum(b, ia);
        // @ts-expect-error an arena is not assignable to another arena's type
        const other: typeof a = b;
        expectTypeOf(ia).not.toEqualTypeOf(ib);
        return other === undefined ? 0 : 1;
      }),
    );
  });

  it("a plain number is not an index", () => {
    inArena("nano", Tree, (arena) => {
      const i = arena.add({ left: null, right: null, value: 1 });
      // @ts-expect-error 0 is a number, not an Idx
      arena.get(0, "value");
      // @ts-expect-error idx fields take indices, not numbers
      arena.add({ left: 0, right: null, value: 1 });
      // @ts-expect-error a number cannot be annotated as an index
      const n: Idx<typeof arena.brand> = 1;
      // @ts-expect-error arithmetic on an index gives a number, not an index
      arena.get(i + 1, "value");
      // The checked way back from a number:
      arena.get(arena.idx(1), "value");
      const m: number = 1;
      if (arena.isIdx(m)) expectTypeOf(m).toEqualTypeOf<Idx<typeof arena.brand>>();
      return n === i ? 1 : 0;
    });
  });

  it("an index is a number (so it can index a column directly), never the reverse", () => {
    inArena("small", Tree, (arena) => {
      const i = arena.add({ left: null, right: null, value: 1 });
      expectTypeOf(i).toExtend<number>();
      expectTypeOf<number>().not.toExtend<Idx<typeof arena.brand>>();
      const value: Float64Array = arena.column("value");
      return value[i];
    });
  });

  it("brands are invariant: no index widens to Idx<symbol> or to another arena's brand", () => {
    expectTypeOf<Idx<symbol>>().not.toExtend<Idx<typeof uniqueA>>();
    expectTypeOf<Idx<typeof uniqueA>>().not.toExtend<Idx<symbol>>();
    expectTypeOf<Idx<typeof uniqueA>>().not.toExtend<Idx<typeof uniqueB>>();
    inArena("tiny", Tree, (arena) => {
      const i = arena.add({ left: null, right: null, value: 1 });
      // @ts-expect-error Idx<B> is not an Idx<symbol>, so "any arena" helpers cannot mix brands
      const wide: Idx<symbol> = i;
      // @ts-expect-error nor is the arena an Arena<symbol, …>
      const anyArena: Arena<symbol, Tree> = arena;
      return [wide, anyArena].length;
    });
  });

  it("neither the arena nor anything holding its brand can leave the scope", () => {
    // @ts-expect-error the arena itself
    inArena("nano", Tree, (arena) => arena);
    // @ts-expect-error an index
    inArena("nano", Tree, (arena) => arena.add({ left: null, right: null, value: 1 }));
    // @ts-expect-error an index inside an object
    inArena("nano", Tree, (arena) => ({ root: arena.add({ left: null, right: null, value: 1 }) }));
    // @ts-expect-error indices in an array
    inArena("nano", Tree, (arena) => [arena.add({ left: null, right: null, value: 1 })]);
    // @ts-expect-error a cursor
    inArena("nano", Tree, (arena) => arena.cursor(arena.add({ left: null, right: null, value: 1 })));
    // @ts-expect-error a closure whose type mentions the brand
    inArena("nano", Tree, (arena) => (i: Idx<typeof arena.brand>) => arena.get(i, "value"));
    // @ts-expect-error an `unknown` annotation on the result does not widen the callback's return
    const leaked: unknown = inArena("nano", Tree, (arena) => arena);
    // @ts-expect-error a promise of an index
    inArena("nano", Tree, async (arena) => arena.add({ left: null, right: null, value: 1 }));
    // @ts-expect-error an index or null
    inArena("nano", Tree, (arena) => arena.get(arena.add({ left: null, right: null, value: 1 }), "left"));
    let outer: Arena<symbol, Tree> | undefined;
    inArena("nano", Tree, (arena) => {
      // @ts-expect-error nor can it be stored in a typed variable outside
      outer = arena;
    });
    const pool = new ArenaPool("nano", Tree);
    // @ts-expect-error the recycled variant gives the same guarantee
    inRecycledArena(pool, (arena) => arena.add({ left: null, right: null, value: 1 }));
    const fine = inArena("small", Tree, (arena) => sum(arena, build(arena, 3)));
    expectTypeOf(fine).toEqualTypeOf<number>();
    const copied = inArena("small", Tree, (arena) => arena.column("value").slice());
    expectTypeOf(copied).toEqualTypeOf<Float64Array<ArrayBuffer>>();
    return [outer, leaked];
  });

  it("an inner scope may return the outer arena's index (its brand is in scope there)", () => {
    inArena("small", Tree, (outer) => {
      const child = inArena("nano", { scratch: "u8" }, () => outer.add({ left: null, right: null, value: 1 }));
      expectTypeOf(child).toEqualTypeOf<Idx<typeof outer.brand>>();
      return outer.get(child, "value");
    });
  });

  it("what TypeScript cannot stop: casts, explicit type arguments, brand-free closures, unknown", () => {
    // These compile. The runtime still refuses a released arena and out-of-range
    // indices (see arena.test.ts); the Branding chapter lists these holes.
    inArena("nano", Tree, (arena) => {
      arena.get(5 as Idx<typeof arena.brand>, "value");
      return 0;
    });
    const asUnknown = inArena<Tree, "nano", unknown>("nano", Tree, (arena) => arena);
    expectTypeOf(asUnknown).toBeUnknown();
    const closure = inArena("nano", Tree, (arena) => () => arena.length);
    expectTypeOf(closure).toEqualTypeOf<() => number>();
    let kept: unknown;
    inArena("nano", Tree, (arena) => {
      kept = arena; // an outer variable typed unknown accepts anything
    });
    expectTypeOf(kept).toBeUnknown();
  });

  it("a shared view gets its own brand: the owner's indices must be re-checked", () => {
    inArena({ kind: "tiny", shared: true }, Tree, (arena) => {
      const root = build(arena, 2);
      return inSharedArena(arena.share(), "tiny", Tree, (view) => {
        // @ts-expect-error the owner's index is not an index of the view
        view.get(root, "value");
        return view.get(view.idx(root), "value");
      });
    });
  });
});

describe("records and columns", () => {
  it("derives field, record and column types from the schema and kind", () => {
    inArena("tiny", { a: "u8", b: "u16", c: "u32", d: "i32", e: "f64", link: "idx" }, (arena) => {
      type B = typeof arena.brand;
      const i = arena.add({ a: 1, b: 2, c: 3, d: -4, e: 0.5, link: null });
      expectTypeOf(arena.get(i, "a")).toEqualTypeOf<number>();
      expectTypeOf(arena.get(i, "link")).toEqualTypeOf<Idx<B> | null>();
      expectTypeOf(arena.column("a")).toEqualTypeOf<Uint8Array>();
      expectTypeOf(arena.column("b")).toEqualTypeOf<Uint16Array>();
      expectTypeOf(arena.column("c")).toEqualTypeOf<Uint32Array>();
      expectTypeOf(arena.column("d")).toEqualTypeOf<Int32Array>();
      expectTypeOf(arena.column("e")).toEqualTypeOf<Float64Array>();
      expectTypeOf(arena.column("link")).toEqualTypeOf<Uint16Array>(); // tiny: u16 indices
      expectTypeOf(arena.segments("e")).toEqualTypeOf<readonly Float64Array[]>();
      // @ts-expect-error unknown field
      arena.get(i, "z");
      // @ts-expect-error missing field
      arena.add({ a: 1, b: 2, c: 3, d: -4, e: 0.5 });
      // @ts-expect-error wrong value type
      arena.add({ a: "1", b: 2, c: 3, d: -4, e: 0.5, link: null });
      // @ts-expect-error a value field does not take null
      arena.set(i, "a", null);
      const c = arena.cursor(i);
      c.a = 5;
      c.link = i;
      // @ts-expect-error cursor fields keep their types
      c.link = 5;
      return 0;
    });
    expectTypeOf<ColumnArray<"idx", "nano">>().toEqualTypeOf<Uint8Array>();
    expectTypeOf<ColumnArray<"idx", "small">>().toEqualTypeOf<Uint32Array>();
    expectTypeOf<FieldValue<typeof uniqueA, "idx">>().toEqualTypeOf<Idx<typeof uniqueA> | null>();
    expectTypeOf<RecordOf<typeof uniqueA, { x: "f64"; p: "idx" }>>().toEqualTypeOf<{
      readonly x: number;
      readonly p: Idx<typeof uniqueA> | null;
    }>();
  });

  it("column() exists only where a column is one array", () => {
    inArena({ kind: "small", layout: "segmented" }, Tree, (arena) => {
      // @ts-expect-error a segmented column is a list of segments
      arena.column("value");
      arena.segments("value");
      return 0;
    });
    inArena({ kind: "small", layout: "resizable" }, Tree, (arena) => arena.column("value").length);
    inArena("small", Tree, (arena) => arena.column("value").length); // the default layout is flat
    function layoutAgnostic<B extends symbol>(arena: Arena<B, Tree>): number {
      // @ts-expect-error a helper that accepts any layout cannot assume a flat one
      return arena.column("value").length;
    }
    return layoutAgnostic;
  });

  it("views are read-only", () => {
    inArena({ kind: "nano", shared: true }, Tree, (arena) => {
      arena.add({ left: null, right: null, value: 1 });
      return inSharedArena(arena.share(), "nano", Tree, (view) => {
        const i = view.idx(0);
        // @ts-expect-error a view has no add
        view.add({ left: null, right: null, value: 1 });
        // @ts-expect-error a view has no set
        view.set(i, "value", 2);
        const c = view.cursor(i);
        // @ts-expect-error a view's cursor is read-only
        c.value = 2;
        return c.value;
      });
    });
  });
});

declare const uniqueA: unique symbol;
declare const uniqueB: unique symbol;
