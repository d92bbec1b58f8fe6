// Differential property tests: random operation sequences run against a JS
// Map and an ArenaHashMap / ArenaBytesMap, over both allocators, with keys
// drawn from ASCII, non-ASCII (CJK, emoji, combining marks), empty and very
// long strings.
import { fc, test as fcTest } from "@fast-check/vitest";
import { Bump, FreeListAllocator, t, type Allocator } from "@arenakit/bump";
import { describe, expect } from "vitest";
import { ArenaBytesMap, ArenaHashMap } from "../src/index.ts";

const nonAscii = fc.constantFrom("日本", "키", "ü", "é", "🦀", "e\u0301", "中文字", "🙂🙃", "\u00a0", "ß");
const keyArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.string({ maxLength: 12 }) },
  { weight: 3, arbitrary: fc.tuple(fc.string({ maxLength: 6 }), nonAscii, fc.string({ maxLength: 6 })).map(([a, b, c]) => a + b + c) },
  { weight: 1, arbitrary: fc.constant("") },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 10 }) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom("x", "é", "🦀"), fc.integer({ min: 300, max: 3000 })).map(([c, n]) => c.repeat(n)) },
);

type Op =
  | { readonly op: "set"; readonly key: string; readonly value: number }
  | { readonly op: "get"; readonly key: string }
  | { readonly op: "delete"; readonly key: string }
  | { readonly op: "clear" }
  | { readonly op: "iterate" };

const opsArb = (keys: fc.Arbitrary<string>): fc.Arbitrary<Op[]> =>
  fc.array(
    fc.oneof(
      { weight: 6, arbitrary: fc.record({ op: fc.constant("set" as const), key: keys, value: fc.nat({ max: 0xffffffff }) }) },
      { weight: 3, arbitrary: fc.record({ op: fc.constant("get" as const), key: keys }) },
      { weight: 3, arbitrary: fc.record({ op: fc.constant("delete" as const), key: keys }) },
      { weight: 1, arbitrary: fc.record({ op: fc.constant("iterate" as const) }) },
      { weight: 1, arbitrary: fc.constant({ op: "clear" as const }) },
    ),
    { maxLength: 200 },
  );

const allocatorArb = fc.constantFrom<[string, () => Allocator]>(
  ["bump", () => new Bump({ initialChunkSize: 512 })],
  ["freelist", () => new FreeListAllocator({ size: 4 << 20 })],
);

function sortedEntries<K>(it: Iterable<[K, number]>, keyOf: (k: K) => string): [string, number][] {
  return [...it].map(([k, v]): [string, number] => [keyOf(k), v]).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

describe("ArenaHashMap against Map", () => {
  fcTest.prop([opsArb(keyArb), allocatorArb, fc.integer({ min: 0, max: 40 })], { numRuns: 200 })(
    "random set/get/delete/clear/iterate sequences agree with a JS Map",
    (ops, [, make], capacity) => {
      const map = new ArenaHashMap(make(), { value: t.u32, capacity });
      const ref = new Map<string, number>();
      for (const o of ops) {
        switch (o.op) {
          case "set":
            map.set(o.key, o.value);
            ref.set(o.key, o.value);
            break;
          case "get":
            expect(map.get(o.key)).toBe(ref.get(o.key));
            expect(map.has(o.key)).toBe(ref.has(o.key));
            break;
          case "delete":
            expect(map.delete(o.key)).toBe(ref.delete(o.key));
            break;
          case "clear":
            map.clear();
            ref.clear();
            break;
          case "iterate":
            expect(sortedEntries(map, String)).toEqual(sortedEntries(ref, String));
            break;
        }
        expect(map.size).toBe(ref.size);
      }
      expect(sortedEntries(map.entries(), String)).toEqual(sortedEntries(ref, String));
      for (const [k, v] of ref) expect(map.get(k)).toBe(v);
    },
  );

  fcTest.prop([fc.array(fc.string({ maxLength: 8 }), { minLength: 1, maxLength: 60 }), allocatorArb], { numRuns: 60 })(
    "growth across many resizes keeps every key (thousands of inserts from an empty map)",
    (prefixes, [, make]) => {
      const map = new ArenaHashMap(make(), { value: t.u32 });
      const ref = new Map<string, number>();
      let resizes = 0;
      let buckets = 0;
      for (let i = 0; i < 3000; i++) {
        const k = `${prefixes[i % prefixes.length]!}#${i}`;
        map.set(k, i);
        ref.set(k, i);
        if (map.stats().buckets !== buckets) {
          buckets = map.stats().buckets;
          resizes++;
        }
      }
      expect(resizes).toBeGreaterThanOrEqual(8);
      expect(map.size).toBe(ref.size);
      for (const [k, v] of ref) expect(map.get(k)).toBe(v);
    },
  );

  fcTest.prop([fc.integer({ min: 50, max: 400 }), fc.integer({ min: 3, max: 12 }), allocatorArb], { numRuns: 40 })(
    "tombstone-heavy churn (insert/delete waves) stays correct and never grows a half-full table",
    (live, waves, [, make]) => {
      // At most half full, hashbrown's policy cleans tombstones by rehashing in place instead of growing.
      const map = new ArenaHashMap(make(), { value: t.u32, capacity: 2 * live });
      const ref = new Map<string, number>();
      const buckets = map.stats().buckets;
      let next = 0;
      for (let w = 0; w < waves; w++) {
        while (ref.size < live) {
          const k = `w${next}:${"é".repeat(next % 5)}`;
          map.set(k, next);
          ref.set(k, next++);
        }
        // delete a scattered half
        let i = 0;
        for (const k of [...ref.keys()]) if (i++ % 2 === 0) expect(map.delete(k)).toBe(ref.delete(k));
      }
      expect(map.stats().buckets).toBe(buckets); // churn is absorbed by rehashing in place
      expect(map.size).toBe(ref.size);
      for (const [k, v] of ref) expect(map.get(k)).toBe(v);
      expect(sortedEntries(map, String)).toEqual(sortedEntries(ref, String));
    },
  );
});

describe("ArenaBytesMap against Map", () => {
  const bytesKey = fc.uint8Array({ maxLength: 40 });
  fcTest.prop(
    [
      fc.array(
        fc.oneof(
          fc.record({ op: fc.constant("set" as const), key: bytesKey, value: fc.nat({ max: 0xffffffff }) }),
          fc.record({ op: fc.constant("get" as const), key: bytesKey }),
          fc.record({ op: fc.constant("delete" as const), key: bytesKey }),
        ),
        { maxLength: 200 },
      ),
      allocatorArb,
    ],
    { numRuns: 150 },
  )("random sequences over byte keys agree with a Map keyed by hex", (ops, [, make]) => {
    const map = new ArenaBytesMap(make(), { value: t.u32 });
    const ref = new Map<string, number>();
    const hex = (k: Uint8Array): string => Buffer.from(k).toString("hex");
    for (const o of ops) {
      if (o.op === "set") {
        map.set(o.key, o.value);
        ref.set(hex(o.key), o.value);
      } else if (o.op === "get") {
        expect(map.get(o.key)).toBe(ref.get(hex(o.key)));
      } else {
        expect(map.delete(o.key)).toBe(ref.delete(hex(o.key)));
      }
      expect(map.size).toBe(ref.size);
    }
    expect(sortedEntries(map, hex)).toEqual(sortedEntries(ref, String));
  });
});
