import { EncodingError, InvalidArgumentError, struct, t } from "@arenakit/bump";
import { describe, expect, it } from "vitest";
import { ArenaLru, CacheBusyError, CacheReleasedError, EntryTooLargeError, StaleViewError, type EvictReason } from "../src/index.ts";

const bytes = (...xs: number[]): Uint8Array => new Uint8Array(xs);

describe("ArenaLru basics", () => {
  it("stores, finds, replaces and deletes byte values under string keys", () => {
    using cache = new ArenaLru({ maxBytes: 1 << 16 });
    expect(cache.get("a")).toBeUndefined();
    cache.set("a", bytes(1, 2, 3)).set("b", bytes());
    expect(Array.from(cache.get("a")!)).toEqual([1, 2, 3]);
    expect(cache.get("b")!.length).toBe(0);
    expect(cache.size).toBe(2);
    expect(cache.calculatedSize).toBe(1 + 3 + 1 + 0);
    cache.set("a", new Uint8Array(100).fill(9));
    expect(cache.get("a")!.every((x) => x === 9)).toBe(true);
    expect(cache.get("a")!.length).toBe(100);
    expect(cache.size).toBe(2);
    expect(cache.delete("a")).toBe(true);
    expect(cache.delete("a")).toBe(false);
    expect(cache.has("a")).toBe(false);
    expect(cache.has("b")).toBe(true);
    expect(cache.size).toBe(1);
  });

  it("copies keys and values in: later changes to the caller's arrays do not show", () => {
    using cache = new ArenaLru({ maxBytes: 1 << 16, key: "bytes" });
    const k = bytes(1, 2);
    const v = bytes(7);
    cache.set(k, v);
    k[0] = 9;
    v[0] = 0;
    expect(cache.get(bytes(1, 2))![0]).toBe(7);
    expect(cache.get(k)).toBeUndefined();
    const copy = cache.getCopy(bytes(1, 2))!;
    copy[0] = 5;
    expect(cache.get(bytes(1, 2))![0]).toBe(7);
  });

  it("keeps the empty string, non-ASCII and astral keys apart", () => {
    using cache = new ArenaLru({ maxBytes: 1 << 16, value: "string" });
    const keys = ["", "a", "é", "e\u0301", "日本", "😀", "a😀b", "\u0000"];
    keys.forEach((k, i) => cache.set(k, `v${i}:${k}`));
    keys.forEach((k, i) => expect(cache.get(k)).toBe(`v${i}:${k}`));
    expect(new Set(cache.keys())).toEqual(new Set(keys));
  });

  it("evicts the least recently used entry when max is reached; get and set refresh, peek and has do not", () => {
    const evicted: string[] = [];
    using cache = new ArenaLru({ maxBytes: 1 << 16, max: 3, value: "string", onEvict: (_v, k, r) => evicted.push(`${k}:${r}`) });
    cache.set("a", "1").set("b", "2").set("c", "3");
    cache.get("a"); // order now a, c, b
    cache.peek("b");
    cache.has("b");
    cache.set("d", "4"); // evicts b
    expect(evicted).toEqual(["b:evict"]);
    expect([...cache.keys()]).toEqual(["d", "a", "c"]);
    expect([...cache.rkeys()]).toEqual(["c", "a", "d"]);
    cache.set("c", "33"); // refresh c by set
    cache.set("e", "5"); // evicts a
    expect(evicted).toEqual(["b:evict", "c:set", "a:evict"]);
    expect([...cache.entries()]).toEqual([
      ["e", "5"],
      ["c", "33"],
      ["d", "4"],
    ]);
    expect([...cache.rentries()].map(([k]) => k)).toEqual(["d", "c", "e"]);
    expect(cache.stats().evictions).toBe(2);
  });

  it("never uses more than maxBytes, and evicts by bytes when values are large", () => {
    using cache = new ArenaLru({ maxBytes: 64 * 1024, max: 1000 });
    const value = new Uint8Array(1000);
    for (let i = 0; i < 500; i++) {
      value.fill(i & 0xff);
      cache.set(`k${i}`, value);
      const s = cache.stats();
      expect(s.bytesUsed).toBeLessThanOrEqual(cache.maxBytes);
    }
    // each entry is one 1008-byte block (1000 + 2..4 key bytes + 4-byte header, rounded to 8)
    const fit = Math.floor((cache.maxBytes - cache.stats().tableBytes) / 1008);
    expect(cache.size).toBeLessThanOrEqual(fit);
    expect(cache.size).toBeGreaterThanOrEqual(fit - 1);
    // the newest survive, each with its own bytes
    for (let i = 499; i > 499 - cache.size; i--) expect(cache.get(`k${i}`)!.every((x) => x === (i & 0xff))).toBe(true);
    expect(cache.get("k0")).toBeUndefined();
    expect(cache.stats().evictions).toBe(500 - cache.size);
  });

  it("reports hits, misses and memory figures", () => {
    using cache = new ArenaLru({ maxBytes: 1 << 16 });
    cache.set("x", bytes(1));
    cache.get("x");
    cache.get("y");
    cache.peek("y");
    const s = cache.stats();
    expect(s).toMatchObject({ hits: 1, misses: 1, evictions: 0, size: 1, payloadBytes: 2, maxBytes: 1 << 16 });
    expect(s.blockBytes).toBe(16); // 8-byte header + 2 bytes, in a 16-byte block
    expect(s.bytesUsed).toBe(s.tableBytes + s.blockBytes);
    expect(s.fragmentation).toBe(0);
  });

  it("clear() removes everything and the space is reusable", () => {
    const reasons: EvictReason[] = [];
    using cache = new ArenaLru({ maxBytes: 1 << 16, onEvict: (_v, _k, r) => reasons.push(r) });
    for (let i = 0; i < 100; i++) cache.set(`k${i}`, new Uint8Array(100));
    cache.clear();
    expect(reasons.length).toBeGreaterThan(0);
    expect(reasons.every((r) => r === "delete")).toBe(true);
    expect(cache.size).toBe(0);
    expect(cache.stats().blockBytes).toBe(0);
    expect(cache.get("k99")).toBeUndefined();
    cache.set("again", bytes(4));
    expect(cache.get("again")![0]).toBe(4);
  });

  it("holds fixed-size records: zero-copy views and owned copies", () => {
    const Quote = struct({ price: t.f64, qty: t.u32, live: t.bool, id: t.u64 });
    using cache = new ArenaLru({ maxBytes: 1 << 16, value: Quote });
    cache.set("q", { price: 1.5, qty: 7, live: true, id: 42n });
    const view = cache.get("q")!;
    expect(view.price).toBe(1.5);
    expect(view.id).toBe(42n);
    const owned = cache.getCopy("q")!;
    expect(owned).toEqual({ price: 1.5, qty: 7, live: true, id: 42n });
    cache.set("q", { price: 2, qty: 8, live: false, id: 1n });
    expect(owned.price).toBe(1.5);
    expect(() => view.price).toThrow(StaleViewError); // the entry changed under the view
    expect(cache.get("q")!.price).toBe(2);
  });

  it("rejects record layouts with variable-length fields", () => {
    expect(() => new ArenaLru({ maxBytes: 1 << 16, value: struct({ name: t.str }) })).toThrow(InvalidArgumentError);
    expect(() => new ArenaLru({ maxBytes: 1 << 16, value: struct({ inner: struct({ b: t.bytes }) }) })).toThrow(/inner/);
  });
});

describe("TTL with an injected clock", () => {
  it("expires entries: get misses and removes, peek/has skip, size counts until removed", () => {
    let now = 1000;
    const reasons: string[] = [];
    using cache = new ArenaLru({ maxBytes: 1 << 16, ttl: 100, now: () => now, value: "string", onEvict: (_v, k, r) => reasons.push(`${k}:${r}`) });
    cache.set("a", "1");
    cache.set("b", "2", { ttl: 0 }); // never expires
    cache.set("c", "3", { ttl: 500 });
    expect(cache.getRemainingTTL("a")).toBe(100);
    expect(cache.getRemainingTTL("b")).toBe(Infinity);
    expect(cache.getRemainingTTL("zz")).toBeUndefined();
    now += 100;
    expect(cache.has("a")).toBe(false);
    expect(cache.peek("a")).toBeUndefined();
    expect(cache.size).toBe(3);
    expect([...cache.keys()]).toEqual(["c", "b"]);
    expect(cache.get("a")).toBeUndefined();
    expect(reasons).toEqual(["a:expire"]);
    expect(cache.size).toBe(2);
    now += 1000;
    expect(cache.purgeStale()).toBe(1);
    expect(reasons).toEqual(["a:expire", "c:expire"]);
    expect(cache.get("b")).toBe("2");
    expect(cache.stats().expirations).toBe(2);
  });

  it("an expired entry at the LRU end is removed as expired, not evicted", () => {
    let now = 0;
    const reasons: string[] = [];
    using cache = new ArenaLru({ maxBytes: 1 << 16, max: 2, now: () => now, onEvict: (_v, k, r) => reasons.push(`${k}:${r}`) });
    cache.set("a", bytes(1), { ttl: 10 });
    cache.set("b", bytes(2));
    now = 20;
    cache.set("c", bytes(3));
    expect(reasons).toEqual(["a:expire"]);
  });

  it("ttlAutopurge removes expired entries on a timer", async () => {
    using cache = new ArenaLru({ maxBytes: 1 << 16, ttl: 50, ttlAutopurge: true });
    cache.set("a", bytes(1));
    expect(cache.size).toBe(1);
    // nothing looks the entry up: only the timer can remove it (within a few timer periods, even on a busy machine)
    for (let waited = 0; cache.size > 0 && waited < 5000; waited += 50) await new Promise((r) => setTimeout(r, 50));
    expect(cache.size).toBe(0);
    expect(cache.stats().expirations).toBe(1);
  });
});

describe("bad input gets a typed error and loses nothing", () => {
  const filled = () => {
    const cache = new ArenaLru({ maxBytes: 8192, value: "string" });
    cache.set("keep", "safe");
    return cache;
  };
  const intact = (cache: ArenaLru<"string", "string">) => {
    expect(cache.get("keep")).toBe("safe");
    expect(cache.size).toBe(1);
  };

  it("lone surrogates in keys and values", () => {
    using cache = filled();
    expect(() => cache.set("a\ud800", "x")).toThrow(EncodingError);
    expect(() => cache.set("x", "\udc00")).toThrow(EncodingError);
    expect(() => cache.get("\ud800")).toThrow(EncodingError);
    expect(() => cache.set("keep", "bad\ud800")).toThrow(EncodingError);
    intact(cache);
  });

  it("wrong types", () => {
    using cache = filled();
    expect(() => cache.set(1 as never, "x")).toThrow(InvalidArgumentError);
    expect(() => cache.set("x", new Uint8Array(1) as never)).toThrow(InvalidArgumentError);
    expect(() => cache.get(null as never)).toThrow(InvalidArgumentError);
    intact(cache);
  });

  it("an entry larger than the budget is refused before anything is evicted", () => {
    using cache = filled();
    let err: unknown;
    try {
      cache.set("keep", "x".repeat(10_000));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(EntryTooLargeError);
    expect((err as EntryTooLargeError).code).toBe("ERR_LRU_ENTRY_TOO_LARGE");
    expect((err as EntryTooLargeError).limit).toBeLessThan(8192);
    intact(cache);
  });

  it("the largest entry the arena can hold fits, and evicts everything else", () => {
    using cache = new ArenaLru({ maxBytes: 8192, max: 4 });
    cache.set("a", bytes(1));
    let n = 8192;
    while (n > 0) {
      try {
        cache.set("big", new Uint8Array(n));
        break;
      } catch (e) {
        expect(e).toBeInstanceOf(EntryTooLargeError);
        n -= 1;
      }
    }
    expect(n).toBeGreaterThan(7000);
    expect([...cache.keys()]).toEqual(["big"]);
    expect(() => cache.set("big2", new Uint8Array(n + 8))).toThrow(EntryTooLargeError);
    expect(cache.get("big")!.length).toBe(n);
  });

  it("NaN, negative and infinite TTLs", () => {
    using cache = filled();
    for (const ttl of [NaN, -1, Infinity, "5"]) {
      expect(() => cache.set("keep", "other", { ttl: ttl as number })).toThrow(InvalidArgumentError);
      expect(() => new ArenaLru({ maxBytes: 8192, ttl: ttl as number })).toThrow(InvalidArgumentError);
    }
    intact(cache);
  });

  it("budgets and limits that are too small or not numbers", () => {
    for (const maxBytes of [0, -1, NaN, 1.5, "1" as unknown as number, 100]) {
      expect(() => new ArenaLru({ maxBytes })).toThrow(InvalidArgumentError);
    }
    expect(() => new ArenaLru({ maxBytes: 4096, max: 1000 })).toThrow(/too small/);
    for (const max of [0, -1, 1.5, NaN, 2 ** 24]) expect(() => new ArenaLru({ maxBytes: 1 << 20, max })).toThrow(InvalidArgumentError);
  });

  it("use after release", () => {
    const cache = filled();
    cache.release();
    cache.release();
    for (const op of [
      () => cache.get("keep"),
      () => cache.set("a", "b"),
      () => cache.has("keep"),
      () => cache.peek("keep"),
      () => cache.delete("keep"),
      () => cache.clear(),
      () => cache.stats(),
      () => [...cache.keys()],
    ]) {
      expect(op).toThrow(CacheReleasedError);
    }
  });

  it("changes from inside onEvict and during iteration are refused", () => {
    let inner: unknown;
    const cache: ArenaLru<"string", "string"> = new ArenaLru({
      maxBytes: 8192,
      max: 1,
      value: "string",
      onEvict: () => {
        try {
          cache.set("z", "z");
        } catch (e) {
          inner = e;
        }
      },
    });
    cache.set("a", "1");
    cache.set("b", "2");
    expect(inner).toBeInstanceOf(CacheBusyError);
    expect(cache.get("b")).toBe("2");
    cache.release();

    using c2 = new ArenaLru({ maxBytes: 8192, value: "string" });
    c2.set("a", "1").set("b", "2");
    expect(() => {
      for (const k of c2.keys()) c2.get(k);
    }).toThrow(CacheBusyError);
    for (const k of c2.keys()) c2.peek(k); // fine
  });
});

describe("ArenaLru.budgetFor", () => {
  it("gives the budget that holds exactly that many entries of that size", () => {
    for (const [n, bytesPer] of [
      [1, 0],
      [10, 80],
      [1000, 84],
      [4097, 13],
    ] as const) {
      using cache = new ArenaLru({ maxBytes: ArenaLru.budgetFor(n, bytesPer), max: n, key: "bytes" });
      const key = (i: number) => {
        const k = new Uint8Array(Math.min(4, bytesPer));
        for (let j = 0; j < k.length; j++) k[j] = (i >>> (8 * j)) & 0xff;
        return k;
      };
      const v = new Uint8Array(bytesPer - Math.min(4, bytesPer));
      for (let i = 0; i < n; i++) cache.set(key(i), v);
      expect(cache.stats().evictions).toBe(0);
      expect(cache.size).toBe(n);
      expect(cache.stats().bytesUsed).toBeLessThanOrEqual(cache.maxBytes);
      expect(cache.maxBytes - cache.stats().bytesUsed).toBeLessThan(64);
    }
  });
});

describe("entry headers", () => {
  it("keys and values on both sides of the short-header limits read back exactly, across replacements", () => {
    let now = 0;
    using cache = new ArenaLru({ maxBytes: 24 << 20, max: 64, key: "bytes", now: () => now });
    const key = (n: number, fill: number) => new Uint8Array(n).fill(fill);
    const val = (n: number, fill: number) => {
      const v = new Uint8Array(n);
      for (let i = 0; i < n; i += 4093) v[i] = (fill + i) & 0xff;
      v[n - 1] = fill;
      return v;
    };
    const cases: [number, number][] = [
      [255, 10],
      [256, 10],
      [1, 0x3fffff],
      [1, 0x400000],
      [255, 0x3fffff],
      [300, 0],
    ];
    cases.forEach(([k, v], i) => cache.set(key(k, i), val(Math.max(v, 1), i)));
    cases.forEach(([k, v], i) => expect(Buffer.from(cache.get(key(k, i))!).equals(Buffer.from(val(Math.max(v, 1), i)))).toBe(true));
    // short → long (TTL) → short again, same key
    const k = key(10, 99);
    cache.set(k, val(5, 1));
    cache.set(k, val(5, 2), { ttl: 100 });
    expect(cache.getRemainingTTL(k)).toBe(100);
    expect(cache.get(k)![4]).toBe(2);
    cache.set(k, val(5, 3));
    expect(cache.getRemainingTTL(k)).toBe(Infinity);
    expect(cache.get(k)![4]).toBe(3);
    expect([...cache.keys()].map((x) => x.length)).toEqual([10, 300, 255, 1, 1, 256, 255]);
    let payload = 10 + 5;
    for (const [kk, v] of cases) payload += kk + Math.max(v, 1);
    expect(cache.calculatedSize).toBe(payload);
    now = 1;
  });
});

describe("space reuse", () => {
  it("after the entry sizes shift from small to large, freed space serves the large entries (little is stranded)", () => {
    let x = 1;
    const rand = () => ((x = (Math.imul(x, 1103515245) + 12345) >>> 0) / 2 ** 32);
    using cache = new ArenaLru({ maxBytes: 1 << 20, averageEntryBytes: 48 });
    for (let i = 0; i < 20_000; i++) cache.set(`s${i}`, new Uint8Array(16 + Math.floor(48 * rand())));
    for (let i = 0; i < 6_000; i++) cache.set(`L${i}`, new Uint8Array(512 + Math.floor(512 * rand())));
    const s = cache.stats();
    expect(s.fragmentation).toBeLessThan(0.05);
    expect(s.payloadBytes / (s.maxBytes - s.tableBytes)).toBeGreaterThan(0.9);
    expect(s.bytesUsed).toBeLessThanOrEqual(s.maxBytes);
  });
});
