import { describe, expect, it } from "vitest";
import {
  CapacityError,
  CompactArenaError,
  IndexError,
  InvalidArgumentError,
  InvalidValueError,
  NONE,
  ReleasedError,
  SchemaError,
  defineSchema,
  inArena,
  type Layout,
} from "../src/index.ts";

const LAYOUTS: readonly Layout[] = ["contiguous", "segmented", "resizable"];
const Tree = defineSchema({ left: "idx", right: "idx", value: "f64" });
const All = defineSchema({ a: "u8", b: "u16", c: "u32", d: "i32", e: "f64", link: "idx" });

describe.each(LAYOUTS)("%s layout", (layout) => {
  it("adds, reads and writes records; idx fields hold indices or null", () => {
    inArena({ kind: "small", layout, initialCapacity: 2 }, Tree, (arena) => {
      const a = arena.add({ left: null, right: null, value: 1.5 });
      const b = arena.add({ left: null, right: null, value: -2 });
      const root = arena.add({ left: a, right: b, value: 0 });
      expect([a, b, root]).toEqual([0, 1, 2]);
      expect(arena.length).toBe(3);
      expect(arena.get(root, "left")).toBe(a);
      expect(arena.get(root, "right")).toBe(b);
      expect(arena.get(a, "left")).toBeNull();
      expect(arena.get(b, "value")).toBe(-2);
      arena.set(a, "left", root); // a cycle is fine: indices are data
      arena.set(root, "right", null);
      arena.set(b, "value", Number.NaN);
      expect(arena.get(a, "left")).toBe(root);
      expect(arena.get(root, "right")).toBeNull();
      expect(arena.get(b, "value")).toBeNaN();
    });
  });

  it("stores every field type at its width and round-trips the extremes", () => {
    for (const kind of ["nano", "tiny", "small"] as const) {
      inArena({ kind, layout }, All, (arena) => {
        const first = arena.add({ a: 0, b: 0, c: 0, d: -2147483648, e: -0, link: null });
        const i = arena.add({ a: 255, b: 65535, c: 4294967295, d: 2147483647, e: Number.MAX_VALUE, link: first });
        expect(arena.get(i, "a")).toBe(255);
        expect(arena.get(i, "b")).toBe(65535);
        expect(arena.get(i, "c")).toBe(4294967295);
        expect(arena.get(i, "d")).toBe(2147483647);
        expect(arena.get(first, "d")).toBe(-2147483648);
        expect(arena.get(i, "e")).toBe(Number.MAX_VALUE);
        expect(Object.is(arena.get(first, "e"), -0)).toBe(true);
        expect(arena.get(i, "link")).toBe(first);
        expect(arena.get(first, "link")).toBeNull();
        const raw = arena.segments("link")[0]!;
        expect(raw.BYTES_PER_ELEMENT).toBe(kind === "nano" ? 1 : kind === "tiny" ? 2 : 4);
        expect(raw[0]).toBe(NONE[kind]);
        expect(arena.none).toBe(NONE[kind]);
      });
    }
  });

  it("rejects values that do not fit, naming the field, and stores nothing", () => {
    inArena({ kind: "tiny", layout }, All, (arena) => {
      const ok = { a: 1, b: 1, c: 1, d: 1, e: 1, link: null };
      arena.add(ok);
      const bad: [string, unknown][] = [
        ["a", 256],
        ["a", -1],
        ["a", 1.5],
        ["a", "1"],
        ["b", 65536],
        ["c", 2 ** 32],
        ["c", -1],
        ["d", 2 ** 31],
        ["d", 0.5],
        ["e", "1"],
        ["e", 1n],
        ["e", undefined],
        ["link", 1], // not below length (1): the record cannot refer to itself or later ones
        ["link", -1],
        ["link", 0.5],
        ["link", undefined],
      ];
      for (const [field, v] of bad) {
        const record = { ...ok, [field]: v } as never;
        expect(() => arena.add(record), `${field} = ${String(v)}`).toThrow(InvalidValueError);
        expect(() => arena.add(record)).toThrow(new RegExp(`field "${field}"`));
        expect(arena.tryAdd.bind(arena, record)).toThrow(InvalidValueError);
      }
      expect(arena.length).toBe(1);
      const i = arena.idx(0);
      expect(() => arena.set(i, "a", 300 as never)).toThrow(/field "a" is u8: 300 does not fit/);
      expect(() => arena.set(i, "link", 1 as never)).toThrow(InvalidValueError);
      expect(arena.get(i, "a")).toBe(1);
      expect(() => arena.add(null as never)).toThrow(/expects a record object/);
      expect(() => arena.add({ a: 1 } as never)).toThrow(/field "b"/);
      expect(arena.length).toBe(1);
      // A record that failed half-way left nothing behind: the next add is clean.
      const j = arena.add({ ...ok, a: 9, link: i });
      expect(j).toBe(1);
      expect(arena.get(j, "a")).toBe(9);
      expect(arena.get(j, "link")).toBe(i);
    });
  });

  it("checks indices at runtime: integers below length only", () => {
    inArena({ kind: "nano", layout }, Tree, (arena) => {
      arena.add({ left: null, right: null, value: 1 });
      for (const bad of [1, -1, 0.5, Number.NaN, 2 ** 32, "0", null]) {
        expect(() => arena.get(bad as never, "value")).toThrow(IndexError);
        expect(() => arena.idx(bad as never)).toThrow(IndexError);
        expect(arena.isIdx(bad as never)).toBe(false);
      }
      expect(() => arena.get(5 as never, "value")).toThrow(/index 5 is out of range: the nano arena holds 1 records/);
      expect(arena.isIdx(0)).toBe(true);
      expect(arena.get(arena.idx(0), "value")).toBe(1);
    });
  });

  it("rejects unknown field names with a typed error", () => {
    inArena({ kind: "nano", layout }, Tree, (arena) => {
      const i = arena.add({ left: null, right: null, value: 1 });
      for (const name of ["nope", "toString", "__proto__", "constructor"]) {
        expect(() => arena.get(i, name as never)).toThrow(InvalidArgumentError);
        expect(() => arena.set(i, name as never, 1 as never)).toThrow(/not a field of this arena \(fields: left, right, value\)/);
        expect(() => arena.segments(name as never)).toThrow(InvalidArgumentError);
      }
    });
  });

  it("cursors read and write fields in place and move without allocating new cursors", () => {
    inArena({ kind: "small", layout, initialCapacity: 2 }, Tree, (arena) => {
      const leaf = arena.add({ left: null, right: null, value: 2 });
      const root = arena.add({ left: leaf, right: null, value: 1 });
      const c = arena.cursor(root);
      expect(c.idx).toBe(root);
      expect(c.value).toBe(1);
      expect(c.left).toBe(leaf);
      expect(c.right).toBeNull();
      expect(c.at(leaf)).toBe(c);
      expect(c.value).toBe(2);
      c.value = 5;
      c.right = root;
      expect(arena.get(leaf, "value")).toBe(5);
      expect(arena.get(leaf, "right")).toBe(root);
      expect(() => {
        c.value = "x" as never;
      }).toThrow(InvalidValueError);
      expect(() => c.at(7 as never)).toThrow(IndexError);
      expect(c.idx).toBe(leaf); // a failed move leaves the cursor where it was
      expect(Object.keys(c).sort()).toEqual(["_a", "_i"]);
      // Growth (a copy in the contiguous layout) does not strand the cursor.
      for (let i = 0; i < 100; i++) arena.add({ left: null, right: null, value: i });
      expect(c.at(root).left).toBe(leaf);
      expect(c.at(arena.idx(101)).value).toBe(99);
    });
  });

  it("iterates indices and exposes columns as typed arrays of exactly length elements", () => {
    inArena({ kind: "tiny", layout, initialCapacity: 4 }, { v: "u16", w: "i32" }, (arena) => {
      for (let i = 0; i < 50; i++) arena.add({ v: i * 3, w: -i });
      expect([...arena]).toEqual(Array.from({ length: 50 }, (_, i) => i));
      const segs = arena.segments("v");
      expect(segs.reduce((n, s) => n + s.length, 0)).toBe(50);
      expect(segs.flatMap((s) => [...s])).toEqual(Array.from({ length: 50 }, (_, i) => i * 3));
      expect(segs.every((s) => s instanceof Uint16Array)).toBe(true);
      if (layout === "segmented") {
        // 4, 4, 8, 16, 32 records: five segments hold 50
        expect(segs.map((s) => s.length)).toEqual([4, 4, 8, 16, 18]);
        expect(() => (arena as never as { column(f: string): unknown }).column("v")).toThrow(/needs a flat layout/);
      } else {
        const flat = arena as unknown as { column(f: string): Int32Array };
        const w = flat.column("w");
        expect(w).toBeInstanceOf(Int32Array);
        expect(w.length).toBe(50);
        expect(w[49]).toBe(-49);
        w[0] = 123; // zero-copy: writes land in the arena
        expect(arena.get(arena.idx(0), "w")).toBe(123);
      }
    });
  });

  it("reports the memory it holds", () => {
    inArena({ kind: "small", layout, initialCapacity: 1024 }, Tree, (arena) => {
      // 2 × u32 + 1 × f64 per record, 1024 records reserved up front
      expect(arena.byteLength).toBe(1024 * 16);
      for (let i = 0; i < 1025; i++) arena.add({ left: null, right: null, value: i });
      expect(arena.byteLength).toBe(2048 * 16);
    });
  });

  it("ends with its scope: the arena, its cursors and its indices stop working", () => {
    let leaked: unknown;
    let cursor: { value: number } | undefined;
    let column: ArrayLike<number> | undefined;
    inArena({ kind: "small", layout }, Tree, (arena) => {
      const i = arena.add({ left: null, right: null, value: 42 });
      leaked = arena;
      cursor = arena.cursor(i);
      column = arena.segments("value")[0];
      expect(column![0]).toBe(42);
    });
    const a = leaked as { get(i: number, f: string): unknown; add(r: unknown): unknown; length: number };
    expect(() => a.get(0, "value")).toThrow(ReleasedError);
    expect(() => a.get(0, "value")).toThrow(/after its callback returned \(the inArena scope ended\)/);
    expect(() => a.add({ left: null, right: null, value: 1 })).toThrow(ReleasedError);
    expect(() => a.length).toThrow(ReleasedError);
    expect(() => cursor!.value).toThrow(ReleasedError);
    // Raw columns of a non-shared arena are detached: they cannot show stale or reused memory.
    expect(column!.length).toBe(0);
  });

  it("ends when the callback throws, and passes the error on", () => {
    let leaked: { length: number } | undefined;
    expect(() =>
      inArena({ kind: "nano", layout }, Tree, (arena) => {
        leaked = arena;
        throw new Error("boom");
      }),
    ).toThrow("boom");
    expect(() => leaked!.length).toThrow(/callback threw/);
  });

  it("lives until an async callback's promise settles", async () => {
    let leaked: { length: number } | undefined;
    const result = inArena({ kind: "tiny", layout }, Tree, async (arena) => {
      leaked = arena;
      arena.add({ left: null, right: null, value: 1 });
      await new Promise((r) => setTimeout(r, 5));
      arena.add({ left: arena.idx(0), right: null, value: 2 });
      return arena.length;
    });
    expect(result).toBeInstanceOf(Promise);
    expect(leaked!.length).toBe(1); // still alive while the promise is pending
    expect(await result).toBe(2);
    expect(() => leaked!.length).toThrow(/promise settled/);
    await expect(
      inArena({ kind: "tiny", layout }, Tree, async () => {
        throw new Error("async boom");
      }),
    ).rejects.toThrow("async boom");
  });

  it("can be disposed early", () => {
    inArena({ kind: "nano", layout }, Tree, (arena) => {
      const i = arena.add({ left: null, right: null, value: 1 });
      arena[Symbol.dispose]();
      expect(() => arena.get(i, "value")).toThrow(/after it was disposed/);
      expect(() => arena.tryAdd({ left: null, right: null, value: 1 })).toThrow(ReleasedError);
    });
  });
});

describe("options and schemas", () => {
  it("validates kinds, layouts and options with typed errors", () => {
    const s = { v: "u8" } as const;
    expect(() => inArena("big" as never, s, () => 0)).toThrow(InvalidArgumentError);
    expect(() => inArena("big" as never, s, () => 0)).toThrow(/kind must be "nano", "tiny" or "small", got "big"/);
    expect(() => inArena({ kind: "nano", layout: "linked" as never }, s, () => 0)).toThrow(/layout must be one of/);
    for (const initialCapacity of [0, 1, 3, 1.5, -2, 2 ** 31]) {
      expect(() => inArena({ kind: "nano", initialCapacity }, s, () => 0)).toThrow(/initialCapacity must be a power of two/);
    }
    expect(() => inArena({ kind: "nano", reserve: 10 }, s, () => 0)).toThrow(/reserve applies to the resizable layout only/);
    expect(() => inArena({ kind: "small", layout: "resizable", reserve: 2 ** 31 }, { v: "f64" }, () => 0)).toThrow(
      /reserve must be an integer from 1 to 536870912/,
    );
    expect(() => inArena({ kind: "nano", shared: "yes" as never }, s, () => 0)).toThrow(/shared must be a boolean/);
    expect(() => inArena(null as never, s, () => 0)).toThrow(InvalidArgumentError);
  });

  it("validates schemas with a SchemaError that names the problem", () => {
    const cases: [unknown, RegExp][] = [
      [{}, /at least one field/],
      [null, /must be a plain object/],
      [["u8"], /must be a plain object/],
      [{ v: "u64" }, /field "v" has type "u64"/],
      [{ v: 1 }, /field "v" has type 1/],
      [{ "bad name": "u8" }, /not an identifier/],
      [{ at: "u8" }, /reserved/],
      [{ idx: "u8" }, /reserved/],
      [{ constructor: "u8" }, /reserved/],
      [{ hasOwnProperty: "u8" }, /reserved/],
      [Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`f${i}`, "u8"])), /at most 64 fields/],
    ];
    for (const [schema, msg] of cases) {
      expect(() => inArena("nano", schema as never, () => 0)).toThrow(SchemaError);
      expect(() => defineSchema(schema as never)).toThrow(msg);
    }
    expect(Object.keys(defineSchema({ z: "u8", a: "idx" }))).toEqual(["z", "a"]);
  });

  it("every error is a CompactArenaError with a code", () => {
    const errors: unknown[] = [];
    inArena("nano", { v: "u8" }, (arena) => {
      for (let i = 0; i < 256; i++) arena.add({ v: 1 });
      errors.push(arena.tryAdd({ v: 1 }));
      try {
        arena.get(999 as never, "v");
      } catch (e) {
        errors.push(e);
      }
      try {
        arena.add({ v: -1 });
      } catch (e) {
        errors.push(e);
      }
    });
    expect(errors.map((e) => (e as CompactArenaError).code)).toEqual([
      "ERR_COMPACT_CAPACITY",
      "ERR_COMPACT_INDEX",
      "ERR_COMPACT_CAPACITY",
    ]);
    expect(errors[0]).toBeInstanceOf(CapacityError);
    expect(errors.every((e) => e instanceof CompactArenaError)).toBe(true);
  });
});
