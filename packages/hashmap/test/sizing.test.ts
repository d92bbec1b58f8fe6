import { fc, test as fcTest } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { Bump, FreeListAllocator, t } from "@arenakit/bump";
import { ArenaHashMap } from "../src/index.ts";

// A map given its capacity gets the smallest table that holds it at most 7/8
// full (any number of 4-slot groups, not a power of two), so a sized table is
// never half empty; probing must still reach every group.

describe("tables sized to the requested capacity", () => {
  it("capacity n gives the smallest table of 4-slot groups at most 7/8 full", () => {
    for (const n of [15, 16, 100, 1000, 1001, 3584, 3585, 10_000, 100_000, 1_000_000]) {
      const slots = ArenaHashMap.tableBytes(n) / 5;
      expect(slots % 4).toBe(0);
      expect(slots - Math.floor(slots / 8)).toBeGreaterThanOrEqual(n); // holds n
      const smaller = slots - 4;
      expect(smaller - Math.floor(smaller / 8)).toBeLessThan(n); // one group less would not
    }
    // 1M entries: 1,142,860 slots (5.7 bytes per entry), where a power of two would be 2,097,152.
    expect(ArenaHashMap.tableBytes(1_000_000)).toBe(1_142_860 * 5);
  });

  it("a sized map holds its capacity without growing, and grows past it", () => {
    const bump = new Bump();
    const map = new ArenaHashMap(bump, { value: t.u32, capacity: 1000 });
    const buckets = map.stats().buckets;
    expect(buckets).toBe(1144); // 286 groups, not 2048 slots
    expect(map.capacity).toBe(1001);
    for (let i = 0; i < 1001; i++) map.set(`k${i}`, i);
    expect(map.stats().buckets).toBe(buckets);
    map.set("one more", 1);
    expect(map.stats().buckets).toBeGreaterThanOrEqual(2 * buckets);
    for (let i = 0; i < 1001; i++) expect(map.get(`k${i}`)).toBe(i);
    expect(map.get("one more")).toBe(1);
  });

  it("a full table of an odd number of groups finds every key and misses absent ones", () => {
    const map = new ArenaHashMap(new FreeListAllocator({ size: 1 << 20 }), { value: t.u32, capacity: 101, seed: 7 });
    expect((map.stats().buckets / 4) % 2).toBe(1);
    for (let i = 0; i < map.capacity; i++) map.set(`key-${i}`, i);
    expect(map.stats().buckets / 4).toBe(29);
    for (let i = 0; i < map.size; i++) expect(map.get(`key-${i}`)).toBe(i);
    for (let i = 0; i < 500; i++) expect(map.has(`absent-${i}`)).toBe(false);
    const probes = map.probeStats();
    expect(probes.maxGroups).toBeLessThanOrEqual(29);
  });
});

// Differential: random capacities (mostly not powers of two), then inserts, deletes, reserve and shrinkTo,
// compared with a Map after every step.
const op = fc.oneof(
  fc.record({ op: fc.constant("set" as const), k: fc.integer({ min: 0, max: 400 }), v: fc.nat() }),
  fc.record({ op: fc.constant("del" as const), k: fc.integer({ min: 0, max: 400 }) }),
  fc.record({ op: fc.constant("reserve" as const), n: fc.integer({ min: 0, max: 300 }) }),
  fc.record({ op: fc.constant("shrink" as const), n: fc.integer({ min: 0, max: 300 }) }),
);

describe("property: maps of any table size behave like a Map", () => {
  fcTest.prop([fc.integer({ min: 0, max: 500 }), fc.array(op, { maxLength: 300 })], { numRuns: 60 })(
    "after any sequence of operations",
    (capacity, ops) => {
      const map = new ArenaHashMap(new Bump({ initialChunkSize: 4096 }), { value: t.u32, capacity });
      const model = new Map<string, number>();
      for (const o of ops) {
        if (o.op === "set") {
          map.set(`k${o.k}`, o.v);
          model.set(`k${o.k}`, o.v);
        } else if (o.op === "del") {
          expect(map.delete(`k${o.k}`)).toBe(model.delete(`k${o.k}`));
        } else if (o.op === "reserve") {
          map.reserve(o.n);
          expect(map.capacity).toBeGreaterThanOrEqual(model.size + o.n);
        } else {
          map.shrinkTo(o.n);
        }
        expect(map.size).toBe(model.size);
      }
      for (const [k, v] of model) expect(map.get(k)).toBe(v);
      for (let k = 0; k <= 400; k++) expect(map.has(`k${k}`)).toBe(model.has(`k${k}`));
      expect(new Map(map.entries())).toEqual(model);
    },
  );
});
