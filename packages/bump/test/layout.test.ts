import { fc, test as fcTest } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { Bump, EncodingError, InvalidArgumentError, StalePointerError, struct, t } from "../src/index.ts";

const Account = struct({ owner: t.str, data: t.bytes, index: t.u64 });

describe("struct layouts", () => {
  it("lays fields out by alignment without interior padding", () => {
    const L = struct({ a: t.u8, b: t.f64, c: t.u16, d: t.u32 });
    expect(L.size).toBe(16);
    expect(L.align).toBe(8);
    expect(L.offsetOf("b")).toBe(0);
    expect(L.offsetOf("d")).toBe(8);
    expect(L.offsetOf("c")).toBe(12);
    expect(L.offsetOf("a")).toBe(14);
  });

  it("writes a record and reads it back as an owned copy", () => {
    const bump = new Bump();
    const p = Account.write(bump, { owner: "Sparky-11", data: new Uint8Array([0, 3, 6, 9, 12]), index: 11 });
    const owned = Account.read(bump, p);
    expect(owned).toEqual({ owner: "Sparky-11", data: new Uint8Array([0, 3, 6, 9, 12]), index: 11n });
    owned.data[0] = 99;
    expect(Account.get(bump, p, "data")[0]).toBe(0);
  });

  it("views are zero-copy and read the arena on each access", () => {
    const bump = new Bump();
    const p = Account.write(bump, { owner: "Rusty-03", data: new Uint8Array([1, 2, 3, 4]), index: 7n });
    const v = Account.view(bump, p);
    expect(v.owner).toBe("Rusty-03");
    expect(v.index).toBe(7n);
    v.data[0] = 42;
    expect(Account.get(bump, p, "data")[0]).toBe(42);
    Account.set(bump, p, "index", 8);
    expect(v.index).toBe(8n);
    expect(JSON.parse(JSON.stringify(v))).toEqual({ owner: "Rusty-03", data: [42, 2, 3, 4], index: "8" });
  });

  it("a view used after reset throws instead of reading recycled memory", () => {
    const bump = new Bump();
    const v = Account.view(bump, Account.write(bump, { owner: "a", data: new Uint8Array(1), index: 1 }));
    bump.reset();
    Account.write(bump, { owner: "b", data: new Uint8Array(1), index: 2 });
    expect(() => v.owner).toThrow(StalePointerError);
    expect(() => v.index).toThrow(StalePointerError);
  });

  it("nested layouts are stored inline", () => {
    const Point = struct({ x: t.f64, y: t.f64 });
    const Seg = struct({ from: Point, to: Point, label: t.str, ok: t.bool });
    expect(Seg.size).toBe(16 + 16 + 8 + 8);
    const bump = new Bump();
    const p = Seg.write(bump, { from: { x: 1, y: 2 }, to: { x: 3, y: 4 }, label: "s", ok: true });
    expect(Seg.read(bump, p)).toEqual({ from: { x: 1, y: 2 }, to: { x: 3, y: 4 }, label: "s", ok: true });
    expect(Seg.view(bump, p).to.y).toBe(4);
  });

  fcTest.prop([
    fc.record({
      a: fc.integer({ min: 0, max: 255 }),
      b: fc.integer({ min: -128, max: 127 }),
      c: fc.integer({ min: 0, max: 65535 }),
      d: fc.integer({ min: -32768, max: 32767 }),
      e: fc.integer({ min: 0, max: 0xffffffff }),
      f: fc.integer({ min: -0x80000000, max: 0x7fffffff }),
      g: fc.double({ noNaN: true }),
      h: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
      i: fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
      j: fc.boolean(),
      k: fc.string({ unit: "binary", maxLength: 30 }),
      l: fc.uint8Array({ maxLength: 30 }),
    }),
  ])("every field type round-trips", (rec) => {
    const L = struct({
      a: t.u8, b: t.i8, c: t.u16, d: t.i16, e: t.u32, f: t.i32,
      g: t.f64, h: t.u64, i: t.i64, j: t.bool, k: t.str, l: t.bytes,
    });
    const bump = new Bump();
    const p = L.write(bump, rec);
    expect(L.read(bump, p)).toEqual(rec);
    const v = L.view(bump, p);
    for (const key of Object.keys(rec) as (keyof typeof rec)[]) expect(v[key]).toEqual(rec[key]);
  });

  it("rejects bad records before allocating anything", () => {
    const bump = new Bump();
    const cases: [unknown, RegExp][] = [
      [{ owner: 1, data: new Uint8Array(), index: 1 }, /"owner" must be a string/],
      [{ owner: "x", data: [1], index: 1 }, /"data" must be a Uint8Array/],
      [{ owner: "x", data: new Uint8Array(), index: -1 }, /"index" is out of range/],
      [{ owner: "x", data: new Uint8Array(), index: 1.5 }, /"index" must be a bigint or a safe-integer/],
      [{ owner: "x", data: new Uint8Array(), index: 2n ** 64n }, /out of range/],
      [{ owner: "\ud800", data: new Uint8Array(), index: 1 }, /not well-formed/],
      [null, /value must be a record/],
    ];
    for (const [value, msg] of cases) {
      expect(() => Account.write(bump, value as never)).toThrow(msg);
      expect(() => Account.write(bump, value as never)).toThrow(InvalidArgumentError);
    }
    expect(bump.usedBytes).toBe(0);
    expect(() => struct({ u: t.u8 }).write(bump, { u: 256 })).toThrow(/from 0 to 255/);
    expect(() => Account.get(bump, 0 as never, "nope" as never)).toThrow(/no field "nope"/);
    expect(() => struct({})).toThrow(/at least one field/);
    expect(() => struct({ x: 5 as never })).toThrow(/"x" is not a field type/);
    expect(EncodingError).toBeDefined();
  });
});
