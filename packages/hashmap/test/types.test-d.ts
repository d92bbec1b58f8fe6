import { Bump, struct, t, type BytesPtr, type Ptr, type StrPtr, type View } from "@arenakit/bump";
import { describe, expectTypeOf, it } from "vitest";
import { ArenaBytesMap, ArenaHashMap, type EntryPtr } from "../src/index.ts";

const Account = struct({ owner: t.str, data: t.bytes, index: t.u64 });

describe("ArenaHashMap types", () => {
  it("derives what get, getOwned and set use from the value type", () => {
    const bump = new Bump();
    const nums = new ArenaHashMap(bump, { value: t.u32 });
    expectTypeOf(nums.get("k")).toEqualTypeOf<number | undefined>();
    nums.set("k", 1);
    // @ts-expect-error a u32 map stores numbers
    nums.set("k", "1");
    const bigs = new ArenaHashMap(bump, { value: t.u64 });
    expectTypeOf(bigs.get("k")).toEqualTypeOf<bigint | undefined>();
    bigs.set("k", 1).set("j", 2n);
    const bytes = new ArenaHashMap(bump, { value: t.bytes });
    expectTypeOf(bytes.get("k")).toEqualTypeOf<Uint8Array | undefined>();
    const accounts = new ArenaHashMap(bump, { value: Account });
    expectTypeOf(accounts.get("k")).toEqualTypeOf<View<typeof Account.schema> | undefined>();
    expectTypeOf(accounts.getOwned("k")).toEqualTypeOf<{ owner: string; data: Uint8Array; index: bigint } | undefined>();
    // @ts-expect-error records need every field
    accounts.set("k", { owner: "o", index: 1 });
    // @ts-expect-error keys are strings
    accounts.get(1);
  });

  it("brands entry pointers and stored keys", () => {
    const bump = new Bump();
    const map = new ArenaHashMap(bump, { value: t.u8 });
    const e = map.find("k");
    expectTypeOf(e).toEqualTypeOf<EntryPtr | 0>();
    if (e !== 0) {
      expectTypeOf(map.keyPtr(e)).toEqualTypeOf<StrPtr>();
      expectTypeOf(map.valuePtr(e)).toEqualTypeOf<Ptr>();
      expectTypeOf(map.valueAt(e)).toEqualTypeOf<number>();
    }
    // @ts-expect-error a plain number is not an entry pointer
    map.valueAt(42);
    expectTypeOf(map.getKeyValue("k")).toEqualTypeOf<[StrPtr, number] | undefined>();
    const byKey = new ArenaBytesMap(bump, { value: t.u8 });
    expectTypeOf(byKey.getKeyValue(new Uint8Array())).toEqualTypeOf<[BytesPtr, number] | undefined>();
    // @ts-expect-error byte maps take Uint8Array keys
    byKey.get("k");
  });

  it("iterates typed pairs", () => {
    const map = new ArenaHashMap(new Bump(), { value: t.f64 });
    for (const [k, v] of map) {
      expectTypeOf(k).toEqualTypeOf<string>();
      expectTypeOf(v).toEqualTypeOf<number>();
    }
    expectTypeOf([...new ArenaBytesMap(new Bump(), { value: t.bool }).keys()]).toEqualTypeOf<Uint8Array[]>();
  });
});

describe("ArenaHashMap as a ReadonlyMap", () => {
  it("is assignable to ReadonlyMap<string, value> (with lib ESNext.Disposable, whose iterators are MapIterator)", () => {
    const map = new ArenaHashMap(new Bump(), { value: t.u32 });
    const ro: ReadonlyMap<string, number> = map;
    expectTypeOf(ro.get("k")).toEqualTypeOf<number | undefined>();
    const bytes = new ArenaBytesMap(new Bump(), { value: t.f64 });
    const rb: ReadonlyMap<Uint8Array, number> = bytes;
    expectTypeOf(rb.size).toEqualTypeOf<number>();
  });
});
