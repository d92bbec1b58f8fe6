import {
  Bump,
  EncodingError,
  FreeListAllocator,
  InvalidArgumentError,
  StalePointerError,
  struct,
  t,
  type Allocator,
} from "@arenakit/bump";
import { describe, expect, it } from "vitest";
import {
  ArenaHashMap,
  CapacityOverflowError,
  ConcurrentModificationError,
  HashMapError,
  MapReleasedError,
  type EntryPtr,
} from "../src/index.ts";

const allocators: [string, () => Allocator][] = [
  ["Bump", () => new Bump({ initialChunkSize: 1024 })],
  ["FreeListAllocator", () => new FreeListAllocator({ size: 8 << 20 })],
];

const Account = struct({ owner: t.str, data: t.bytes, index: t.u64 });
const Point = struct({ x: t.f64, y: t.f64 });

describe.each(allocators)("ArenaHashMap over %s", (_, make) => {
  it("behaves like a Map for set / get / has / delete / size", () => {
    const map = new ArenaHashMap(make(), { value: t.u32 });
    expect(map.size).toBe(0);
    expect(map.get("a")).toBeUndefined();
    expect(map.set("a", 1)).toBe(map);
    map.set("b", 2).set("", 3);
    expect(map.size).toBe(3);
    expect(map.get("a")).toBe(1);
    expect(map.get("")).toBe(3);
    expect(map.has("b")).toBe(true);
    expect(map.has("c")).toBe(false);
    map.set("a", 10);
    expect(map.get("a")).toBe(10);
    expect(map.size).toBe(3);
    expect(map.delete("a")).toBe(true);
    expect(map.delete("a")).toBe(false);
    expect(map.get("a")).toBeUndefined();
    expect(map.size).toBe(2);
  });

  it("returns each value kind as documented; getOwned copies where it matters", () => {
    const a = make();
    const nums = new ArenaHashMap(a, { value: t.i16 });
    nums.set("n", -1234);
    expect(nums.get("n")).toBe(-1234);
    const big = new ArenaHashMap(a, { value: t.u64 });
    big.set("b", 2n ** 64n - 1n).set("s", 5);
    expect(big.get("b")).toBe(2n ** 64n - 1n);
    expect(big.get("s")).toBe(5n);
    const flags = new ArenaHashMap(a, { value: t.bool });
    flags.set("yes", true).set("no", false);
    expect([flags.get("yes"), flags.get("no")]).toEqual([true, false]);
    const f = new ArenaHashMap(a, { value: t.f64 });
    f.set("pi", Math.PI).set("nan", Number.NaN);
    expect(f.get("pi")).toBe(Math.PI);
    expect(f.get("nan")).toBeNaN();

    const strs = new ArenaHashMap(a, { value: t.str });
    strs.set("k", "größe 🦀");
    expect(strs.get("k")).toBe("größe 🦀");

    const bytes = new ArenaHashMap(a, { value: t.bytes });
    bytes.set("k", new Uint8Array([1, 2, 3]));
    const view = bytes.get("k")!;
    const copy = bytes.getOwned("k")!;
    view[0] = 9; // zero-copy: writes reach the arena
    expect(Array.from(bytes.get("k")!)).toEqual([9, 2, 3]);
    expect(Array.from(copy)).toEqual([1, 2, 3]);

    const accounts = new ArenaHashMap(a, { value: Account });
    accounts.set("acct-sparky", { owner: "Sparky-11", data: new Uint8Array([0, 3, 6]), index: 11 });
    const v = accounts.get("acct-sparky")!;
    expect(v.owner).toBe("Sparky-11");
    expect(v.index).toBe(11n);
    expect(accounts.getOwned("acct-sparky")).toEqual({ owner: "Sparky-11", data: new Uint8Array([0, 3, 6]), index: 11n });
  });

  it("replaces fixed-size values in place and moves entries whose value changes size", () => {
    const a = make();
    const points = new ArenaHashMap(a, { value: Point });
    points.set("p", { x: 1, y: 2 });
    const e1 = points.find("p");
    const view = points.get("p")!;
    points.set("p", { x: 3, y: 4 });
    expect(points.find("p")).toBe(e1);
    expect(view.x).toBe(3); // same memory

    const strs = new ArenaHashMap(a, { value: t.str });
    strs.set("k", "abc");
    const s1 = strs.find("k");
    strs.set("k", "xyz");
    expect(strs.find("k")).toBe(s1);
    strs.set("k", "a longer value");
    expect(strs.find("k")).not.toBe(s1);
    expect(strs.get("k")).toBe("a longer value");
    expect(strs.size).toBe(1);

    const accounts = new ArenaHashMap(a, { value: Account });
    accounts.set("k", { owner: "o1", data: new Uint8Array(1), index: 1 });
    accounts.set("k", { owner: "o2", data: new Uint8Array(2), index: 2 });
    expect(accounts.getOwned("k")).toEqual({ owner: "o2", data: new Uint8Array(2), index: 2n });
  });

  it("getOrInsert / getOrInsertWith insert only when absent", () => {
    const map = new ArenaHashMap(make(), { value: t.u32 });
    expect(map.getOrInsert("a", 1)).toBe(1);
    expect(map.getOrInsert("a", 2)).toBe(1);
    let calls = 0;
    const make3 = (): number => {
      calls++;
      return 3;
    };
    expect(map.getOrInsertWith("b", make3)).toBe(3);
    expect(map.getOrInsertWith("b", make3)).toBe(3);
    expect(calls).toBe(1);
    expect(map.size).toBe(2);
  });

  it("getKeyValue returns the key stored in the arena, readable through the allocator", () => {
    const a = make();
    const map = new ArenaHashMap(a, { value: Account });
    map.set("acct-rusty", { owner: "Rusty-03", data: new Uint8Array([1, 2, 3, 4]), index: 7 });
    const [key, value] = map.getKeyValue("acct-rusty")!;
    expect(a.readStr(key)).toBe("acct-rusty");
    expect(a.strEquals(key, "acct-rusty")).toBe(true);
    expect(value.owner).toBe("Rusty-03");
    expect(map.getKeyValue("nope")).toBeUndefined();
  });

  it("find returns an entry pointer usable with keyAt / valueAt / valuePtr / keyPtr, or 0", () => {
    const a = make();
    const map = new ArenaHashMap(a, { value: Account });
    map.set("k", { owner: "Zed", data: new Uint8Array([5]), index: 99 });
    expect(map.find("missing")).toBe(0);
    const e = map.find("k");
    expect(e).not.toBe(0);
    const entry = e as EntryPtr;
    expect(map.keyAt(entry)).toBe("k");
    expect(a.readStr(map.keyPtr(entry))).toBe("k");
    expect(map.valueAt(entry).owner).toBe("Zed");
    expect(map.ownedValueAt(entry).index).toBe(99n);
    expect(Account.get(a, map.valuePtr(entry), "index")).toBe(99n);
    const counters = new ArenaHashMap(a, { value: t.u32 });
    counters.set("hits", 1);
    const c = counters.find("hits") as EntryPtr;
    a.writeU32(counters.valuePtr(c), 2); // update in place, no lookup, no allocation
    expect(counters.get("hits")).toBe(2);
  });

  it("clear keeps the capacity and the map stays usable", () => {
    const map = new ArenaHashMap(make(), { value: t.u32 });
    for (let i = 0; i < 1000; i++) map.set(`k${i}`, i);
    const cap = map.capacity;
    map.clear();
    expect(map.size).toBe(0);
    expect(map.stats().entryBytes).toBe(0);
    expect(map.capacity).toBe(cap);
    expect(map.get("k1")).toBeUndefined();
    expect([...map.keys()]).toEqual([]);
    for (let i = 0; i < 1000; i++) map.set(`k${i}`, i + 1);
    expect(map.get("k999")).toBe(1000);
    expect(map.capacity).toBe(cap);
  });

  it("retain removes while walking", () => {
    const map = new ArenaHashMap(make(), { value: t.u32 });
    for (let i = 0; i < 500; i++) map.set(`k${i}`, i);
    map.retain((_, v) => v % 3 === 0);
    expect(map.size).toBe(167);
    for (let i = 0; i < 500; i++) expect(map.has(`k${i}`)).toBe(i % 3 === 0);
    expect(() => map.retain(() => (map.set("new", 1), true))).toThrow(ConcurrentModificationError);
  });

  it("iterates keys, values, entries, forEach and entryPtrs consistently", () => {
    const map = new ArenaHashMap(make(), { value: t.u32 });
    const expected = new Map<string, number>();
    for (let i = 0; i < 300; i++) {
      map.set(`key-${i}-日本`, i);
      expected.set(`key-${i}-日本`, i);
    }
    const sort = (xs: [string, number][]): [string, number][] => xs.sort((x, y) => (x[0] < y[0] ? -1 : 1));
    expect(sort([...map])).toEqual(sort([...expected]));
    expect(sort([...map.entries()])).toEqual(sort([...expected]));
    expect([...map.keys()].sort()).toEqual([...expected.keys()].sort());
    expect([...map.values()].sort((x, y) => x - y)).toEqual([...expected.values()]);
    const fe: [string, number][] = [];
    map.forEach((v, k, m) => {
      expect(m).toBe(map);
      fe.push([k, v]);
    });
    expect(sort(fe)).toEqual(sort([...expected]));
    expect([...map.entryPtrs()].map((e) => map.keyAt(e)).sort()).toEqual([...expected.keys()].sort());
    expect(Object.prototype.toString.call(map)).toBe("[object ArenaHashMap]");
  });
});

describe("sizing helpers", () => {
  it("tableBytes and entryBytes predict what a map allocates", () => {
    const bump = new Bump();
    const map = new ArenaHashMap(bump, { value: t.bytes, capacity: 10_000 });
    expect(ArenaHashMap.tableBytes(10_000)).toBe(map.stats().tableBytes);
    expect(ArenaHashMap.tableBytes(0)).toBe(0);
    const before = bump.usedBytes;
    for (let i = 0; i < 1000; i++) map.set(`key-${String(i).padStart(6, "0")}`, new Uint8Array(21));
    const each = ArenaHashMap.entryBytes(10, 4 + 21);
    expect(each).toBe(40);
    expect(map.stats().entryBytes).toBe(1000 * each);
    expect(bump.usedBytes - before).toBe(1000 * each);
    expect(() => ArenaHashMap.tableBytes(-1)).toThrow(InvalidArgumentError);
  });
});

describe("mutation during iteration", () => {
  it("inserting or deleting throws ConcurrentModificationError at the next step; replacing values is allowed", () => {
    const map = new ArenaHashMap(new Bump(), { value: t.u32 });
    for (let i = 0; i < 20; i++) map.set(`k${i}`, i);
    const it1 = map.keys();
    const first = it1.next().value!;
    map.set(first, 100); // replacing a value is not structural
    expect(it1.next().done).toBe(false);
    map.set("new-key", 1);
    expect(() => it1.next()).toThrow(ConcurrentModificationError);

    const it2 = map.entries();
    it2.next();
    map.delete("k3");
    expect(() => it2.next()).toThrow(/modified during iteration/);

    expect(() => map.forEach((_, k) => map.delete(k))).toThrow(ConcurrentModificationError);
    const it3 = map.values();
    it3.next();
    map.clear();
    expect(() => it3.next()).toThrow(ConcurrentModificationError);
  });

  it("growth during iteration is reported too (a rehash reorders every key)", () => {
    const map = new ArenaHashMap(new Bump(), { value: t.u32 });
    map.set("a", 1);
    const it = map[Symbol.iterator]();
    it.next();
    map.reserve(10_000);
    let err: unknown;
    try {
      it.next();
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(HashMapError);
    expect((err as HashMapError).code).toBe("ERR_HASHMAP_CONCURRENT_MODIFICATION");
  });

  it("a finished iteration does not care about later changes", () => {
    const map = new ArenaHashMap(new Bump(), { value: t.u32 });
    map.set("a", 1);
    const keys = [...map.keys()];
    map.set("b", 2);
    expect(keys).toEqual(["a"]);
  });
});

describe("bad input: typed errors, nothing stored is lost", () => {
  it("rejects keys with lone surrogates (EncodingError) and never finds them", () => {
    const map = new ArenaHashMap(new Bump(), { value: t.u32 });
    map.set("\ufffd", 1).set("", 2).set("\ud83e\udd80", 3);
    for (const bad of ["\ud800", "\udc00", "a\ud83e", "\udd80\ud83e", "x".repeat(2000) + "\ud800"]) {
      expect(() => map.set(bad, 9)).toThrow(EncodingError);
      expect(() => map.getOrInsert(bad, 9)).toThrow(EncodingError);
      expect(map.get(bad)).toBeUndefined();
      expect(map.has(bad)).toBe(false);
      expect(map.delete(bad)).toBe(false);
    }
    expect(map.size).toBe(3);
    expect([map.get("\ufffd"), map.get(""), map.get("\ud83e\udd80")]).toEqual([1, 2, 3]);
  });

  it("rejects bad values before touching the map", () => {
    const map = new ArenaHashMap(new Bump(), { value: t.u8 });
    map.set("k", 1);
    for (const bad of [256, -1, 1.5, Number.NaN, "1", null]) {
      expect(() => map.set("k", bad as number)).toThrow(InvalidArgumentError);
      expect(() => map.set("new", bad as number)).toThrow(/integer from 0 to 255/);
    }
    expect(map.get("k")).toBe(1);
    expect(map.has("new")).toBe(false);
    expect(map.size).toBe(1);
    const strs = new ArenaHashMap(new Bump(), { value: t.str });
    expect(() => strs.set("k", "bad \udc00")).toThrow(EncodingError);
    const recs = new ArenaHashMap(new Bump(), { value: Account });
    expect(() => recs.set("k", { owner: "o", data: new Uint8Array(), index: -1 })).toThrow(/out of range/);
    expect(recs.size).toBe(0);
  });

  it("rejects keys of the wrong type and bad options", () => {
    const map = new ArenaHashMap(new Bump(), { value: t.u32 });
    expect(() => map.get(42 as unknown as string)).toThrow(/keys are strings/);
    expect(() => new ArenaHashMap(new Bump(), { value: {} as typeof t.u8 })).toThrow(InvalidArgumentError);
    expect(() => new ArenaHashMap(new Bump(), { value: t.u8, capacity: -1 })).toThrow(/capacity/);
    expect(() => new ArenaHashMap(new Bump(), { value: t.u8, seed: 0.5 })).toThrow(/seed/);
    expect(() => new ArenaHashMap({} as Allocator, { value: t.u8 })).toThrow(/allocator must be an Allocator/);
    expect(() => map.reserve(-3)).toThrow(InvalidArgumentError);
    expect(() => new ArenaHashMap(new Bump(), { value: t.u8, capacity: 2 ** 30 })).toThrow(CapacityOverflowError);
  });

  it("an allocation failure while inserting leaves the map as it was", () => {
    const bump = new Bump({ initialChunkSize: 4096, allocationLimit: 64 * 1024 });
    const map = new ArenaHashMap(bump, { value: t.bytes });
    const stored = new Map<string, number>();
    let failed = 0;
    for (let i = 0; i < 2000 && failed < 3; i++) {
      try {
        map.set(`key-${i}`, new Uint8Array(100).fill(i & 0xff));
        stored.set(`key-${i}`, i & 0xff);
      } catch (err) {
        expect((err as { code?: string }).code).toBe("ERR_ARENA_ALLOCATION_LIMIT");
        failed++;
      }
    }
    expect(failed).toBeGreaterThan(0);
    expect(map.size).toBe(stored.size);
    for (const [k, v] of stored) expect(map.get(k)![0]).toBe(v);
  });
});

describe("memory lifetime", () => {
  it("throws StalePointerError when its arena was reset under it", () => {
    const bump = new Bump();
    const map = new ArenaHashMap(bump, { value: t.u32 });
    map.set("a", 1);
    bump.reset();
    expect(() => map.get("a")).toThrow(StalePointerError);
    expect(() => map.set("b", 1)).toThrow(StalePointerError);
    expect(() => [...map.keys()]).toThrow(StalePointerError);
  });

  it("detects a rewind of a shared arena past the map (no detach there: the generation check does it)", () => {
    const bump = new Bump({ shared: true });
    const cp = bump.checkpoint();
    const map = new ArenaHashMap(bump, { value: t.u32 });
    map.set("a", 1);
    bump.resetTo(cp);
    expect(() => map.get("a")).toThrow(StalePointerError);
  });

  it("release gives everything back to a freeing allocator; the map then refuses use", () => {
    const heap = new FreeListAllocator({ size: 1 << 20 });
    const map = new ArenaHashMap(heap, { value: Account });
    for (let i = 0; i < 200; i++) map.set(`k${i}`, { owner: `owner-${i}`, data: new Uint8Array(i), index: i });
    expect(heap.usedBytes).toBeGreaterThan(0);
    map.release();
    expect(heap.usedBytes).toBe(0);
    expect(() => map.get("k1")).toThrow(MapReleasedError);
    map.release();
  });

  it("`using` releases the map at scope exit", () => {
    const heap = new FreeListAllocator({ size: 1 << 16 });
    {
      using map = new ArenaHashMap(heap, { value: t.u32 });
      map.set("x", 1);
    }
    expect(heap.usedBytes).toBe(0);
  });

  it("deleting with a freeing allocator returns entries and their record fields", () => {
    const heap = new FreeListAllocator({ size: 1 << 20 });
    const map = new ArenaHashMap(heap, { value: Account, capacity: 100 });
    const base = heap.usedBytes;
    for (let i = 0; i < 100; i++) map.set(`k${i}`, { owner: "x".repeat(i), data: new Uint8Array(i), index: i });
    for (let i = 0; i < 100; i++) map.delete(`k${i}`);
    expect(heap.usedBytes).toBe(base);
    expect(map.stats().entryBytes).toBe(0);
  });

  it("with a bump arena, deleted entries are reused by inserts of the same size", () => {
    const bump = new Bump();
    const map = new ArenaHashMap(bump, { value: t.u32, capacity: 2000 });
    for (let i = 0; i < 1000; i++) map.set(`key-${String(i).padStart(4, "0")}`, i);
    const used = bump.usedBytes;
    for (let round = 0; round < 5; round++) {
      for (let i = 0; i < 1000; i++) map.delete(`key-${String(i).padStart(4, "0")}`);
      expect(map.stats().holeBytes).toBeGreaterThan(0);
      for (let i = 0; i < 1000; i++) map.set(`key-${String(i).padStart(4, "0")}`, i + round);
    }
    expect(bump.usedBytes).toBe(used);
    expect(map.get("key-0999")).toBe(999 + 4);
  });

  it("old tables stay in a bump arena after growth (counted in stats) and are returned by a freeing allocator", () => {
    const bump = new Bump();
    const grown = new ArenaHashMap(bump, { value: t.u32 });
    for (let i = 0; i < 10_000; i++) grown.set(`k${i}`, i);
    const s = grown.stats();
    // The outgrown tables (16 + 32 + ... + 8192 slots: 81,900 bytes) hold the entries inserted after each growth.
    expect(s.retiredTableBytes).toBeGreaterThan(0);
    expect(s.retiredTableBytes).toBeLessThan(s.tableBytes / 4);
    expect(bump.usedBytes).toBe(s.tableBytes + s.entryBytes + s.retiredTableBytes);
    for (let i = 0; i < 10_000; i++) expect(grown.get(`k${i}`)).toBe(i);
    const sized = new ArenaHashMap(new Bump(), { value: t.u32, capacity: 10_000 });
    for (let i = 0; i < 10_000; i++) sized.set(`k${i}`, i);
    expect(sized.stats().retiredTableBytes).toBe(0);
    expect(sized.stats().tableBytes).toBe(ArenaHashMap.tableBytes(10_000));
    expect(sized.stats().tableBytes).toBeLessThan(s.tableBytes); // sized exactly, not to a power of two

    const heap = new FreeListAllocator({ size: 8 << 20 });
    const freed = new ArenaHashMap(heap, { value: t.u32 });
    for (let i = 0; i < 10_000; i++) freed.set(`k${i}`, i);
    expect(freed.stats().retiredTableBytes).toBe(0);
    expect(heap.usedBytes).toBeLessThanOrEqual(freed.stats().tableBytes + freed.stats().entryBytes + 16 * freed.size + 64);
  });
});
