// The entry heap (blocks whose first word is the entry's own header) under random churn:
// after every batch the blocks below the high-water mark add up, free blocks carry their
// footers, no two free blocks are neighbours, and every entry reads back exactly.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ArenaLru } from "../src/index.ts";
import { entryBlockBytes } from "../src/meta.ts";

type Internals = {
  _entries: { check(sizeOf: (b: number) => number): number; usedBytes: number };
  _u32: Uint32Array;
};

function checkHeap(cache: ArenaLru<"string", "bytes">): void {
  const c = cache as unknown as Internals;
  const used = c._entries.check((b) => entryBlockBytes(c._u32[b >>> 2]!, c._u32, b));
  expect(used).toBe(cache.stats().blockBytes);
}

const fill = (n: number, seed: number) => {
  const v = new Uint8Array(n);
  for (let i = 0; i < n; i++) v[i] = (seed * 31 + i) & 0xff;
  return v;
};

describe("entry heap", () => {
  it.each(["coalescing", "size-classes"] as const)("%s: keeps its block invariants and every value under random sets, replaces and deletes of mixed sizes", (allocator) => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(40), fc.oneof(fc.nat(24), fc.nat(300), fc.nat(3000)), fc.boolean()), { minLength: 1, maxLength: 400 }),
        fc.constantFrom(6000, 20_000, 70_000),
        (ops, maxBytes) => {
          const model = new Map<string, number>();
          const seeds = new Map<string, number>();
          using cache = new ArenaLru({ maxBytes, max: 32, allocator, onEvict: (_v, k, r) => r !== "set" && model.delete(k) });
          ops.forEach(([k, size, del], step) => {
            const key = `k${k}`;
            if (del) {
              cache.delete(key);
              model.delete(key);
            } else {
              cache.set(key, fill(size, step));
              model.set(key, size);
              seeds.set(key, step);
            }
            if (step % 16 === 0) checkHeap(cache);
          });
          checkHeap(cache);
          expect(cache.size).toBe(model.size);
          for (const [key, size] of model) expect(Array.from(cache.peek(key)!)).toEqual(Array.from(fill(size, seeds.get(key)!)));
        },
      ),
      { numRuns: 60 },
    );
  });

  it("gives an emptied arena back whole: after deleting everything the largest entry fits without eviction", () => {
    using cache = new ArenaLru({ maxBytes: 1 << 16, max: 200 });
    for (let i = 0; i < 200; i++) cache.set(`k${i}`, fill(8 + (i % 50), i));
    for (let i = 0; i < 200; i += 2) cache.delete(`k${i}`);
    for (let i = 1; i < 200; i += 2) cache.delete(`k${i}`);
    checkHeap(cache);
    expect(cache.stats().blockBytes).toBe(0);
    const before = cache.stats().evictions;
    const room = (cache as unknown as { _maxNeed: number })._maxNeed - 4 - 4; // short header, 4-byte key
    cache.set("huge", fill(room > 0x1fffff ? 0x1fffff : room, 1));
    expect(cache.stats().evictions).toBe(before);
    checkHeap(cache);
  });
});
