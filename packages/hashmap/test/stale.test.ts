import { describe, expect, it } from "vitest";
import {
  ArenaReader,
  Bump,
  FreeListAllocator,
  InvalidArgumentError,
  StalePointerError,
  struct,
  t,
  type Allocator,
} from "@arenakit/bump";
import { ArenaBytesMap, ArenaHashMap, InvalidKeyError, type EntryPtr, type HashMapHandle } from "../src/index.ts";

const Account = struct({ owner: t.str, data: t.bytes, index: t.u64 });
const allocators: [string, () => Allocator][] = [
  ["Bump", () => new Bump()],
  ["FreeListAllocator", () => new FreeListAllocator({ size: 1 << 20 })],
];

describe.each(allocators)("stale views and entry pointers (%s)", (_name, make) => {
  it("a view of a deleted key throws instead of reading the key that reused its space", () => {
    const map = new ArenaHashMap(make(), { value: Account });
    map.set("alice", { owner: "A", data: new Uint8Array([1]), index: 1 });
    const view = map.get("alice")!;
    expect(view.owner).toBe("A");
    map.delete("alice");
    map.set("bobby", { owner: "B", data: new Uint8Array([2]), index: 2 }); // same entry size: reuses the space
    expect(() => view.index).toThrow(StalePointerError);
    expect(() => view.owner).toThrow(/stale: the map removed entries/);
    expect(map.get("bobby")!.index).toBe(2n);
  });

  it("views made after the last removal keep working; inserts and in-place replaces do not invalidate them", () => {
    const map = new ArenaHashMap(make(), { value: Account });
    map.set("a", { owner: "A", data: new Uint8Array(), index: 1 });
    map.delete("a");
    map.set("b", { owner: "B", data: new Uint8Array(), index: 2 });
    const view = map.get("b")!;
    for (let i = 0; i < 100; i++) map.set(`k${i}`, { owner: "x", data: new Uint8Array(), index: i }); // grows the table
    expect(view.index).toBe(2n);
    map.clear();
    expect(() => view.index).toThrow(StalePointerError);
  });

  it("valueAt, keyAt and valuePtr of a deleted entry throw StalePointerError, not a RangeError", () => {
    const map = new ArenaHashMap(make(), { value: t.u32 });
    map.set("gone", 7);
    map.set("kept", 8);
    const e = map.find("gone") as EntryPtr;
    map.delete("gone");
    // Refused on both allocators: the removal advanced the stamp of the entry's address, which the pointer carries.
    expect(() => map.valueAt(e)).toThrow(StalePointerError);
    expect(() => map.keyAt(e)).toThrow(StalePointerError);
    expect(() => map.valuePtr(e)).toThrow(StalePointerError);
    expect(() => map.ownedValueAt(e)).toThrow(StalePointerError);
    expect(map.get("kept")).toBe(8);
  });
});

describe("typed errors for bad arguments", () => {
  it("a key of the wrong type is an InvalidKeyError (an InvalidArgumentError) on reads and writes", () => {
    const map = new ArenaHashMap(new Bump(), { value: t.u32 });
    map.set("a", 1);
    for (const call of [
      () => map.get(123 as unknown as string),
      () => map.has(null as unknown as string),
      () => map.delete(10n as unknown as string),
      () => map.set({} as unknown as string, 1),
    ]) {
      expect(call).toThrow(InvalidKeyError);
      expect(call).toThrow(InvalidArgumentError);
    }
    const bytes = new ArenaBytesMap(new Bump(), { value: t.u32 });
    expect(() => bytes.get("a" as unknown as Uint8Array)).toThrow(InvalidKeyError);
    expect(map.get("a")).toBe(1);
  });

  it("shrinkTo, reserve and callbacks refuse arguments of the wrong type", () => {
    const map = new ArenaHashMap(new Bump(), { value: t.u32 });
    map.set("a", 1);
    expect(() => map.shrinkTo("x" as unknown as number)).toThrow(InvalidArgumentError);
    expect(() => map.shrinkTo(-1)).toThrow(/shrinkTo expects a whole number/);
    expect(() => map.retain(5 as never)).toThrow(InvalidArgumentError);
    expect(() => map.forEach(null as never)).toThrow(InvalidArgumentError);
    expect([...map]).toEqual([["a", 1]]);
  });

  it("an f32 value too large for 32 bits is refused instead of stored as Infinity", () => {
    const map = new ArenaHashMap(new Bump(), { value: t.f32 });
    expect(() => map.set("x", 1e40)).toThrow(/too large for a 32-bit float/);
    expect(map.has("x")).toBe(false);
  });

  it("attach refuses a forged or damaged handle with InvalidArgumentError", () => {
    const bump = new Bump({ shared: true });
    const map = new ArenaHashMap(bump, { value: t.u32 });
    for (let i = 0; i < 50; i++) map.set(`k${i}`, i);
    const good = map.handle();
    const reader = ArenaReader.attach(bump.share());
    const forged: Partial<Record<keyof HashMapHandle, unknown>>[] = [
      { groups: 3 },
      { groups: 2.5 },
      { groups: "16" },
      { size: -1 },
      { size: 1e9 },
      { tombstones: Number.NaN },
      { table: 123 },
      { table: good.table + 2 },
      { windows: [42] },
      { windows: ["x"] },
    ];
    for (const patch of forged) {
      const handle = { ...good, ...patch } as HashMapHandle;
      expect(() => ArenaHashMap.attach(reader, handle, { value: t.u32 }), JSON.stringify(patch)).toThrow(InvalidArgumentError);
    }
    expect(ArenaHashMap.attach(reader, good, { value: t.u32 }).get("k7")).toBe(7);
  });
});

describe("iterators", () => {
  it("have Symbol.dispose, so they are the MapIterators ReadonlyMap promises", () => {
    const map = new ArenaHashMap(new Bump(), { value: t.u32 });
    map.set("a", 1).set("b", 2);
    const it = map.keys();
    expect(typeof it[Symbol.dispose]).toBe("function");
    it.next();
    it[Symbol.dispose]();
    expect(it.next().done).toBe(true);
  });
});
