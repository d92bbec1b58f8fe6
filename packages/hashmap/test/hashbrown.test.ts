// Ports of the themes of hashbrown's own test suite (src/map.rs tests):
// zero capacities, insert conflicts, conflict removal, lots of insertions,
// the resize policy, reserve / shrink_to, and rehashing in place.
import { Bump, FreeListAllocator, t } from "@arenakit/bump";
import { describe, expect, it } from "vitest";
import { hashString, keysFromSeed } from "../src/hash.ts";
import { ArenaHashMap, CapacityOverflowError } from "../src/index.ts";

/** Keys whose hashes (under `seed`) all start probing at group 0 of a table of `groups` groups. */
function collidingKeys(seed: number, groups: number, count: number): string[] {
  const { k0, k1, k2, k3 } = keysFromSeed(seed);
  const out: string[] = [];
  for (let i = 0; out.length < count; i++) {
    const k = `c${i}`;
    if ((hashString(k, k0, k1, k2, k3) & (groups - 1)) === 0) out.push(k);
  }
  return out;
}

describe("zero capacities (test_zero_capacities, test_create_capacity_zero)", () => {
  it("an empty map allocates nothing and answers every query", () => {
    const bump = new Bump();
    const map = new ArenaHashMap(bump, { value: t.u32 });
    expect(map.capacity).toBe(0);
    expect(map.stats().buckets).toBe(0);
    expect(map.get("a")).toBeUndefined();
    expect(map.has("")).toBe(false);
    expect(map.delete("a")).toBe(false);
    expect(map.find("a")).toBe(0);
    expect([...map]).toEqual([]);
    map.clear();
    map.shrinkTo(0);
    map.reserve(0);
    map.retain(() => false);
    expect(bump.usedBytes).toBe(0);
    map.set("a", 1);
    expect(map.get("a")).toBe(1);
    expect(map.capacity).toBeGreaterThanOrEqual(1);
  });

  it("shrinking an emptied map to zero gives its table back", () => {
    const heap = new FreeListAllocator({ size: 1 << 20 });
    const map = new ArenaHashMap(heap, { value: t.u32, capacity: 1000 });
    expect(heap.usedBytes).toBeGreaterThan(0);
    map.shrinkTo(0);
    expect(map.capacity).toBe(0);
    expect(heap.usedBytes).toBe(0);
    map.set("x", 1);
    expect(map.get("x")).toBe(1);
  });
});

describe("insert conflicts (test_insert_conflicts, test_conflict_remove)", () => {
  const seed = 12345;
  it("keys that share a first group all stay reachable, across overflowing groups", () => {
    const keys = collidingKeys(seed, 16, 40); // 40 keys aimed at 1 group of 4 slots
    const map = new ArenaHashMap(new Bump(), { value: t.u32, seed, capacity: 56 }); // 7/8 of 64 slots
    expect(map.stats().buckets).toBe(64);
    keys.forEach((k, i) => {
      map.set(k, i);
      for (let j = 0; j <= i; j++) expect(map.get(keys[j]!)).toBe(j);
    });
    expect(map.probeStats().maxGroups).toBeGreaterThanOrEqual(10);
  });

  it("removing a key in the middle of a collision chain keeps the keys after it reachable", () => {
    const keys = collidingKeys(seed, 16, 20);
    const map = new ArenaHashMap(new Bump(), { value: t.u32, seed, capacity: 48 });
    keys.forEach((k, i) => map.set(k, i));
    for (const i of [0, 5, 9, 10, 19]) expect(map.delete(keys[i]!)).toBe(true);
    keys.forEach((k, i) => expect(map.get(k)).toBe([0, 5, 9, 10, 19].includes(i) ? undefined : i));
    expect(map.stats().tombstones).toBeGreaterThan(0); // full groups keep DELETED markers
    map.set(keys[5]!, 55); // reinsertion reuses a tombstone
    expect(map.get(keys[5]!)).toBe(55);
    expect(map.size).toBe(16);
  });
});

describe("lots of insertions (test_lots_of_insertions)", () => {
  it("repeated fill/verify/remove cycles keep exact membership", () => {
    const map = new ArenaHashMap(new Bump(), { value: t.u32 });
    for (let round = 0; round < 5; round++) {
      expect(map.size).toBe(0);
      for (let i = 1; i <= 1000; i++) {
        map.set(`${i}`, i);
        for (let j = 1; j <= i; j += 97) expect(map.get(`${j}`)).toBe(j);
        expect(map.get(`${i + 1}`)).toBeUndefined();
      }
      for (let i = 1001; i <= 2000; i++) expect(map.has(`${i}`)).toBe(false);
      for (let i = 1; i <= 1000; i++) {
        expect(map.delete(`${i}`)).toBe(true);
        expect(map.has(`${i}`)).toBe(false);
        if (i < 1000) expect(map.get(`${i + 1}`)).toBe(i + 1);
      }
      for (let i = 1; i <= 1000; i++) expect(map.has(`${i}`)).toBe(false);
    }
  });
});

describe("resize policy (test_resize_policy, capacity_not_less_than_len)", () => {
  it("buckets are powers of two; capacity is 7/8 of them (one less below 16); capacity never falls below size", () => {
    const map = new ArenaHashMap(new Bump(), { value: t.u32 });
    const seen = new Map<number, number>();
    for (let i = 0; i < 5000; i++) {
      map.set(`k${i}`, i);
      const { buckets, capacity } = map.stats();
      expect(capacity).toBeGreaterThanOrEqual(map.size);
      expect(Math.log2(buckets) % 1).toBe(0);
      seen.set(buckets, capacity);
    }
    expect(seen.get(4)).toBe(3);
    expect(seen.get(8)).toBe(7);
    expect(seen.get(16)).toBe(14);
    expect(seen.get(8192)).toBe(7168);
    const sizes = [...seen.keys()];
    for (let i = 1; i < sizes.length; i++) expect(sizes[i]).toBe(sizes[i - 1]! * 2);
  });

  it("removing does not shrink; shrinkTo does, keeping every entry", () => {
    const map = new ArenaHashMap(new Bump(), { value: t.u32 });
    for (let i = 0; i < 2000; i++) map.set(`k${i}`, i);
    const buckets = map.stats().buckets;
    for (let i = 0; i < 1990; i++) map.delete(`k${i}`);
    expect(map.stats().buckets).toBe(buckets);
    map.shrinkTo();
    expect(map.stats().buckets).toBe(16);
    for (let i = 1990; i < 2000; i++) expect(map.get(`k${i}`)).toBe(i);
    map.shrinkTo(500);
    expect(map.stats().buckets).toBe(16); // shrinkTo never grows
    map.reserve(500);
    map.shrinkTo(100);
    expect(map.stats().buckets).toBe(116); // the smallest table holding 100 at most 7/8 full: 29 groups
    for (let i = 1990; i < 2000; i++) expect(map.get(`k${i}`)).toBe(i);
    expect(map.capacity).toBeGreaterThanOrEqual(100);
  });
});

describe("reserve (test_reserve_shrink_to_fit, test_try_reserve)", () => {
  it("after reserve(n), n inserts never grow the table", () => {
    const bump = new Bump();
    const map = new ArenaHashMap(bump, { value: t.u32 });
    map.set("first", 0);
    map.reserve(10_000);
    const buckets = map.stats().buckets;
    expect(map.capacity).toBeGreaterThanOrEqual(10_001);
    for (let i = 0; i < 10_000; i++) map.set(`k${i}`, i);
    expect(map.stats().buckets).toBe(buckets);
    // Only the 1-group table from before the reserve was outgrown, and the first entry took 12 of its 20 bytes.
    expect(map.stats().retiredTableBytes).toBe(4 * 5 - ArenaHashMap.entryBytes(2, 4));
    map.reserve(0);
    map.reserve(map.capacity - map.size);
    expect(map.stats().buckets).toBe(buckets);
  });

  it("an impossible reserve throws CapacityOverflowError and changes nothing", () => {
    const map = new ArenaHashMap(new Bump(), { value: t.u32 });
    map.set("a", 1);
    expect(() => map.reserve(2 ** 40)).toThrow(CapacityOverflowError);
    expect(() => map.reserve(Number.MAX_SAFE_INTEGER)).toThrow(CapacityOverflowError);
    expect(map.get("a")).toBe(1);
    expect(map.size).toBe(1);
  });
});

describe("rehash in place (RawTable::rehash_in_place)", () => {
  it("clears tombstones without growing when the table is at most half full", () => {
    const map = new ArenaHashMap(new Bump(), { value: t.u32, seed: 7, capacity: 1000 });
    for (let i = 0; map.size < map.capacity; i++) map.set(`fill${i}`, i);
    const buckets = map.stats().buckets;
    let next = 0;
    const live = new Set<string>([...map.keys()]);
    for (const k of [...live].slice(0, Math.floor(live.size * 0.7))) {
      map.delete(k);
      live.delete(k);
    }
    expect(map.stats().tombstones).toBeGreaterThan(1);
    let sawRehash = false;
    for (let i = 0; i < 5000 && !sawRehash; i++) {
      const before = map.stats().tombstones;
      const k = `new${next++}`;
      map.set(k, i);
      live.add(k);
      const after = map.stats();
      if (before > 1 && after.tombstones === 0) sawRehash = true;
      expect(after.buckets).toBe(buckets);
      // keep the table at most half full so that the policy rehashes in place
      if (map.size > after.capacity / 2 - 2) {
        const victim = live.values().next().value!;
        map.delete(victim);
        live.delete(victim);
      }
    }
    expect(sawRehash).toBe(true);
    for (const k of live) expect(map.has(k)).toBe(true);
    expect(map.size).toBe(live.size);
  });
});
