// keepHashes: the table grows from hashes kept beside it instead of hashing the stored keys again. Every way the
// table changes must leave the kept hashes matching the slots, or drop them.
import { describe, expect, it } from "vitest";
import { Bump, t } from "@arenakit/bump";
import { ArenaHashMap } from "../src/index.ts";

function check(map: ArenaHashMap<typeof t.u32>, live: Map<string, number>): void {
  expect(map.size).toBe(live.size);
  for (const [k, v] of live) expect(map.get(k)).toBe(v);
  expect(new Set(map.keys())).toEqual(new Set(live.keys()));
}

describe("ArenaHashMap keepHashes", () => {
  it("grows many times from the kept hashes: every key found, and the same table as without them", () => {
    const kept = new ArenaHashMap(new Bump(), { value: t.u32, keepHashes: true, seed: 7 });
    const plain = new ArenaHashMap(new Bump(), { value: t.u32, seed: 7 });
    const live = new Map<string, number>();
    for (let i = 0; i < 20_000; i++) {
      kept.set(`account-${i}-é`, i);
      plain.set(`account-${i}-é`, i);
      live.set(`account-${i}-é`, i);
    }
    check(kept, live);
    // Same seed, same inserts: the placement is the same, so the probe lengths are too.
    expect(kept.probeStats()).toEqual(plain.probeStats());
    expect(kept.stats().buckets).toBe(plain.stats().buckets);
  });

  it("an in-place rehash (which moves entries between slots) and growth after it keep every key findable", () => {
    // The map rehashes in place when an insert finds the table full of tombstones; called directly here, on a
    // table with many, so that entries move. The growth that follows must not place them from stale hashes.
    class Rehashable extends ArenaHashMap<typeof t.u32> {
      rehashInPlace(): void {
        this._rehashInPlace();
      }
    }
    const map = new Rehashable(new Bump(), { value: t.u32, keepHashes: true, seed: 1 });
    const live = new Map<string, number>();
    for (let i = 0; i < 3000; i++) {
      map.set(`k${i}`, i);
      live.set(`k${i}`, i);
    }
    for (let i = 0; i < 3000; i += 3) {
      for (const k of [`k${i}`, `k${i + 1}`]) {
        map.delete(k);
        live.delete(k);
      }
    }
    expect(map.stats().tombstones).toBeGreaterThan(0);
    map.rehashInPlace();
    expect(map.stats().tombstones).toBe(0);
    check(map, live);
    for (let i = 0; i < 6000; i++) {
      map.set(`g${i}`, i);
      live.set(`g${i}`, i);
    }
    check(map, live);
  });

  it("reserve, shrinkTo, clear, dropHashes and later growth keep every key findable", () => {
    const map = new ArenaHashMap(new Bump(), { value: t.u32, keepHashes: true });
    const live = new Map<string, number>();
    const add = (from: number, to: number): void => {
      for (let i = from; i < to; i++) {
        map.set(`key-${i}`, i);
        live.set(`key-${i}`, i);
      }
    };
    add(0, 500);
    map.reserve(5000);
    add(500, 1000);
    for (let i = 0; i < 900; i++) {
      map.delete(`key-${i}`);
      live.delete(`key-${i}`);
    }
    map.shrinkTo(0);
    check(map, live);
    add(1000, 4000);
    check(map, live);
    map.dropHashes();
    add(4000, 9000);
    check(map, live);
    map.clear();
    live.clear();
    add(0, 3000);
    check(map, live);
  });

  it("refuses a keepHashes option that is not a boolean", () => {
    expect(() => new ArenaHashMap(new Bump(), { value: t.u32, keepHashes: 1 as unknown as boolean })).toThrow(/keepHashes must be true or false/);
  });
});
