import { fc, test as fcTest } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import { ArenaLru, type EvictReason } from "../src/index.ts";

// The reference is the obvious LRU: a Map whose insertion order is the recency
// order (oldest first). The arena cache decides *when* to evict (that depends
// on its byte budget and on fragmentation); the reference checks *what* it
// evicts: always the least recently used entry, with the value it last had.

type Op =
  | { op: "set"; key: string; len: number; fill: number }
  | { op: "get" | "peek" | "has" | "delete"; key: string }
  | { op: "clear" };

const keyArb = fc.oneof(
  fc.constantFrom("", "a", "b", "é", "😀", "k1", "k2", "k3", "k4", "k5", "k6", "k7"),
  fc.string({ unit: "grapheme", maxLength: 6 }),
);
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ op: fc.constant("set" as const), key: keyArb, len: fc.oneof(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 900 })), fill: fc.integer({ min: 0, max: 255 }) }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constantFrom("get" as const, "peek" as const, "has" as const, "delete" as const), key: keyArb }) },
  { weight: 1, arbitrary: fc.constant({ op: "clear" as const }) },
);

function value(len: number, fill: number): Uint8Array {
  const v = new Uint8Array(len);
  for (let i = 0; i < len; i++) v[i] = (fill + i) & 0xff;
  return v;
}

describe("differential: ArenaLru against a reference LRU", () => {
  fcTest.prop([fc.array(opArb, { maxLength: 300 }), fc.integer({ min: 1, max: 12 }), fc.constantFrom(2048, 4096, 16384)], { numRuns: 150 })(
    "same answers, same recency order, evicts only the least recently used",
    (ops, max, maxBytes) => {
      const model = new Map<string, Uint8Array>();
      const problems: string[] = [];
      let setting: string | undefined;
      const cache = new ArenaLru({
        maxBytes,
        max,
        averageEntryBytes: 64,
        onEvict: (v: Uint8Array, k: string, reason: EvictReason) => {
          const expected = model.get(k);
          if (expected === undefined) problems.push(`onEvict(${reason}) for unknown key ${JSON.stringify(k)}`);
          else if (!Buffer.from(v).equals(expected)) problems.push(`onEvict(${reason}) saw a wrong value for ${JSON.stringify(k)}`);
          if (reason === "evict") {
            const lru = model.keys().next().value;
            if (k !== lru) problems.push(`evicted ${JSON.stringify(k)} but the LRU is ${JSON.stringify(lru)}`);
            if (k === setting) problems.push("evicted the key being set");
            model.delete(k);
          } else if (reason === "set") {
            if (k !== setting) problems.push(`onEvict(set) for ${JSON.stringify(k)} while setting ${JSON.stringify(setting)}`);
          } else if (reason === "delete") {
            model.delete(k);
          } else problems.push(`unexpected reason ${reason}`);
        },
      });
      try {
        for (const o of ops) {
          switch (o.op) {
            case "set": {
              const v = value(o.len, o.fill);
              setting = o.key;
              if (model.has(o.key)) {
                // set refreshes recency first; the old value is reported with reason "set"
                const old = model.get(o.key)!;
                model.delete(o.key);
                model.set(o.key, old);
              }
              try {
                cache.set(o.key, v);
                model.delete(o.key);
                model.set(o.key, v);
              } catch (e) {
                // only an entry that can never fit may be refused
                expect((e as Error).name).toBe("EntryTooLargeError");
              }
              setting = undefined;
              break;
            }
            case "get": {
              const got = cache.get(o.key);
              const want = model.get(o.key);
              if (want === undefined) expect(got).toBeUndefined();
              else {
                expect(got && Buffer.from(got).equals(want)).toBe(true);
                model.delete(o.key);
                model.set(o.key, want);
              }
              break;
            }
            case "peek": {
              const got = cache.peek(o.key);
              const want = model.get(o.key);
              expect(got === undefined ? undefined : Buffer.from(got).equals(want ?? new Uint8Array(1))).toBe(want === undefined ? undefined : true);
              break;
            }
            case "has":
              expect(cache.has(o.key)).toBe(model.has(o.key));
              break;
            case "delete": {
              const want = model.has(o.key); // the onEvict callback updates the model
              expect(cache.delete(o.key)).toBe(want);
              break;
            }
            case "clear":
              cache.clear();
              expect(model.size).toBe(0); // every entry was reported with reason "delete"
              break;
          }
          expect(problems).toEqual([]);
          expect(cache.size).toBe(model.size);
          expect(cache.size).toBeLessThanOrEqual(max);
          const s = cache.stats();
          expect(s.bytesUsed).toBeLessThanOrEqual(maxBytes);
          let payload = 0;
          for (const [k, v] of model) payload += Buffer.byteLength(k) + v.length;
          expect(cache.calculatedSize).toBe(payload);
        }
        expect([...cache.rkeys()]).toEqual([...model.keys()]);
        const entries = [...cache.entries()].map(([k, v]) => [k, Array.from(v)]);
        expect(entries).toEqual([...model].reverse().map(([k, v]) => [k, Array.from(v)]));
      } finally {
        cache.release();
      }
    },
  );

  fcTest.prop([fc.array(fc.tuple(fc.integer({ min: 0, max: 50 }), fc.boolean()), { maxLength: 400 }), fc.integer({ min: 1, max: 20 })], { numRuns: 100 })(
    "with a roomy budget, evictions follow max exactly like the reference",
    (ops, max) => {
      const model = new Map<number, number>();
      const cache = new ArenaLru({ maxBytes: 1 << 16, max, key: "bytes" });
      const k = (n: number): Uint8Array => new Uint8Array([n, n >> 8, 1, 2]);
      try {
        for (const [n, isSet] of ops) {
          if (isSet) {
            cache.set(k(n), new Uint8Array([n]));
            model.delete(n);
            model.set(n, n);
            if (model.size > max) model.delete(model.keys().next().value!);
          } else {
            const got = cache.get(k(n));
            expect(got?.[0]).toBe(model.get(n));
            if (model.has(n)) {
              model.delete(n);
              model.set(n, n);
            }
          }
        }
        expect([...cache.rkeys()].map((b) => b[0])).toEqual([...model.keys()]);
      } finally {
        cache.release();
      }
    },
  );
});
