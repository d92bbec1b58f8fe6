import { describe, expectTypeOf, it } from "vitest";
import { Bump, struct, t, type Input, type Owned, type Ptr, type StrPtr, type View } from "../src/index.ts";

const Account = struct({ owner: t.str, data: t.bytes, index: t.u64 });
type S = typeof Account.schema;

describe("layout types", () => {
  it("derives the owned, input and view types from one schema", () => {
    expectTypeOf<Owned<S>>().toEqualTypeOf<{ owner: string; data: Uint8Array; index: bigint }>();
    expectTypeOf<Input<S>>().toEqualTypeOf<{ readonly owner: string; readonly data: Uint8Array; readonly index: bigint | number }>();
    expectTypeOf<View<S>>().toEqualTypeOf<{ readonly owner: string; readonly data: Uint8Array; readonly index: bigint }>();
  });

  it("checks writes and field names", () => {
    const bump = new Bump();
    const p = Account.write(bump, { owner: "o", data: new Uint8Array(), index: 1 });
    expectTypeOf(p).toEqualTypeOf<Ptr>();
    expectTypeOf(Account.get(bump, p, "index")).toEqualTypeOf<bigint>();
    // @ts-expect-error missing field
    Account.write(bump, { owner: "o", index: 1 });
    // @ts-expect-error wrong field type
    Account.write(bump, { owner: 1, data: new Uint8Array(), index: 1 });
    // @ts-expect-error unknown field name
    Account.get(bump, p, "nope");
    const v = Account.view(bump, p);
    // @ts-expect-error views are read-only
    v.owner = "x";
  });

  it("keeps pointers apart from numbers", () => {
    const bump = new Bump();
    const s = bump.allocStr("x");
    expectTypeOf(s).toExtend<Ptr>();
    // @ts-expect-error a plain number is not a pointer
    bump.readStr(42);
    // @ts-expect-error a raw Ptr is not known to hold a string
    bump.readStr(bump.alloc(4));
    expectTypeOf(bump.readStr(s as StrPtr)).toEqualTypeOf<string>();
  });

  it("nests layouts", () => {
    const Seg = struct({ from: struct({ x: t.f64 }), n: t.u32 });
    expectTypeOf<Owned<typeof Seg.schema>>().toEqualTypeOf<{ from: { x: number }; n: number }>();
  });
});
