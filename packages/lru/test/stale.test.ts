import { struct, t } from "@arenakit/bump";
import { describe, expect, it } from "vitest";
import { ArenaLru, LruError, StaleViewError } from "../src/index.ts";

const Point = struct({ x: t.f64, y: t.f64, id: t.u32 });
const point = (n: number) => ({ x: n, y: -n, id: n });

// Every way an entry can leave or change; each must make an older record view throw instead of
// reading the slot's next tenant (with uniform sizes the freed block and slot are reused at once).
const changes: [string, (c: ArenaLru<"string", typeof Point>) => void][] = [
  ["delete", (c) => c.delete("a")],
  ["replace with a set", (c) => c.set("a", point(99))],
  ["evict (max reached)", (c) => c.set("c", point(3))],
  ["clear", (c) => c.clear()],
];

describe("record views of changed entries are detected", () => {
  for (const shared of [false, true]) {
    for (const [what, change] of changes) {
      it(`${what} (${shared ? "shared" : "private"} memory): reads throw StaleViewError, the next tenant is untouched`, () => {
        using cache = new ArenaLru({ maxBytes: 1 << 16, max: 2, value: Point, shared });
        cache.set("a", point(1)).set("b", point(2));
        cache.get("b"); // "a" stays least recently used
        const view = cache.peek("a")!;
        expect(view.x).toBe(1);
        change(cache);
        cache.set("d", point(4)); // a new entry reuses the freed slot and block when there is one
        expect(() => view.x).toThrow(StaleViewError);
        expect(() => view.id).toThrow(/stale/);
        try {
          view.y;
        } catch (err) {
          expect(err).toBeInstanceOf(LruError);
          expect((err as LruError).code).toBe("ERR_LRU_STALE_VIEW");
        }
        expect(cache.getCopy("d")).toEqual(point(4));
      });
    }
  }

  it("expiry: a view of an entry that expired and was removed throws", () => {
    let now = 0;
    using cache = new ArenaLru({ maxBytes: 1 << 16, value: Point, now: () => now });
    cache.set("a", point(1), { ttl: 10 });
    const view = cache.get("a")!;
    now = 10;
    expect(cache.get("a")).toBeUndefined(); // removed as expired
    cache.set("b", point(2));
    expect(() => view.x).toThrow(StaleViewError);
  });

  it("release: every view throws", () => {
    const cache = new ArenaLru({ maxBytes: 1 << 16, value: Point });
    cache.set("a", point(1));
    const view = cache.get("a")!;
    cache.release();
    expect(() => view.x).toThrow(StaleViewError);
  });

  it("a view passed to onEvict is valid during the call and stale after it", () => {
    let kept: { x: number } | undefined;
    let seen = NaN;
    using cache = new ArenaLru({
      maxBytes: 1 << 16,
      max: 1,
      value: Point,
      onEvict: (v) => {
        seen = v.x;
        kept = v;
      },
    });
    cache.set("a", point(7));
    cache.set("b", point(8));
    expect(seen).toBe(7);
    expect(() => kept!.x).toThrow(StaleViewError);
  });

  it("views stay valid while their own entry stays: other entries' evictions, gets and peeks do not matter", () => {
    using cache = new ArenaLru({ maxBytes: 1 << 16, max: 3, value: Point });
    cache.set("keep", point(5));
    const view = cache.get("keep")!;
    for (let i = 0; i < 100; i++) {
      cache.set(`k${i}`, point(i)); // evicts older k entries, never "keep" (refreshed below)
      cache.get("keep");
      cache.peek("keep");
    }
    expect(view.x).toBe(5);
    expect(view.id).toBe(5);
    expect([...cache.values()].map((v) => v.id)).toEqual([5, 99, 98]);
  });

  it("iterator views go stale like get's", () => {
    using cache = new ArenaLru({ maxBytes: 1 << 16, value: Point });
    cache.set("a", point(1));
    const view = [...cache.entries()][0]![1];
    cache.set("a", point(2));
    expect(() => view.x).toThrow(StaleViewError);
  });
});
