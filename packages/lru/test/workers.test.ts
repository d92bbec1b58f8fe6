import { once } from "node:events";
import { InvalidArgumentError } from "@arenakit/bump";
import { describe, expect, it } from "vitest";
import { startTsWorker } from "../../../test/support/workers.ts";
import { ArenaLru, CacheReleasedError, LruReader } from "../src/index.ts";
import { makeValue } from "./fixtures/pattern.ts";

describe("LruReader", () => {
  it("reads copies of values, misses what is absent, and sees changes", () => {
    using cache = new ArenaLru({ maxBytes: 1 << 16, shared: true, value: "string" });
    cache.set("a", "1").set("é", "deux");
    const reader = LruReader.attach<"string", "string">(cache.share());
    expect(reader.get("a")).toBe("1");
    expect(reader.peek("é")).toBe("deux");
    expect(reader.has("zz")).toBe(false);
    expect(reader.get("\ud800")).toBeUndefined();
    cache.set("a", "one");
    expect(reader.get("a")).toBe("one");
    cache.delete("a");
    expect(reader.get("a")).toBeUndefined();
    cache.clear();
    expect(reader.get("é")).toBeUndefined();
    reader.release();
    expect(() => reader.get("a")).toThrow(CacheReleasedError);
  });

  it("a reader's get gives the entry a second chance before eviction (CLOCK bit); peek does not", () => {
    using cache = new ArenaLru({ maxBytes: 1 << 16, shared: true, max: 3, value: "string" });
    cache.set("a", "1").set("b", "2").set("c", "3");
    const reader = LruReader.attach<"string", "string">(cache.share());
    reader.get("a");
    reader.peek("b");
    cache.set("d", "4"); // a is least recent but referenced: moves to the front; b goes
    expect([...cache.keys()]).toEqual(["d", "a", "c"]);
    cache.set("e", "5"); // the bit was cleared: c, then a, are evicted in order
    expect([...cache.keys()]).toEqual(["e", "d", "a"]);
  });

  it("reads records and expiring entries", () => {
    let now = 0;
    using cache = new ArenaLru({ maxBytes: 1 << 16, shared: true, key: "bytes", ttl: 10, now: () => now });
    cache.set(new Uint8Array([1]), new Uint8Array([9, 9]));
    const reader = LruReader.attach<"bytes", "bytes">(cache.share(), { now: () => now });
    expect(Array.from(reader.get(new Uint8Array([1]))!)).toEqual([9, 9]);
    now = 10;
    expect(reader.get(new Uint8Array([1]))).toBeUndefined();
  });

  it("refuses descriptors that are not a shared cache", () => {
    expect(() => LruReader.attach({} as never)).toThrow(InvalidArgumentError);
    using plain = new ArenaLru({ maxBytes: 1 << 16 });
    expect(() => plain.share()).toThrow(InvalidArgumentError);
    using cache = new ArenaLru({ maxBytes: 1 << 16, shared: true });
    const d = cache.share();
    expect(() => LruReader.attach({ ...d, meta: new SharedArrayBuffer(64) })).toThrow(InvalidArgumentError);
    const damaged = new SharedArrayBuffer(d.meta.byteLength);
    new Uint8Array(damaged).set(new Uint8Array(d.meta));
    new Int32Array(damaged)[1] = 1 << 30; // table size far beyond the buffer
    expect(() => LruReader.attach({ ...d, meta: damaged })).toThrow(/damaged|smaller/);
    expect(() => LruReader.attach({ ...d, heap: new SharedArrayBuffer(8) })).toThrow(/smaller/);
  });
});

describe("Workers read while the owner churns", () => {
  it("every value a Worker gets is exactly a value that was stored; nothing is left pinned", async () => {
    const KEYS = 3000;
    // a small budget so the owner evicts, reallocates and reuses blocks constantly
    const cache = new ArenaLru({ maxBytes: 256 * 1024, shared: true, averageEntryBytes: 100 });
    const control = new SharedArrayBuffer(4);
    const flags = new Int32Array(control);
    const workers = [0, 1].map((id) =>
      startTsWorker(new URL("./fixtures/stress-reader.ts", import.meta.url), { descriptor: cache.share(), control, keys: KEYS, id }),
    );
    const results = workers.map((w) => {
      const r = new Promise<{ hits: number; misses: number; reads: number; failures: string[]; retries: number }>((resolve, reject) => {
        w.on("message", (m: { ready?: boolean }) => {
          if (!m.ready) resolve(m as never);
        });
        w.once("error", reject);
      });
      return r;
    });
    await Promise.all(workers.map((w) => once(w, "message")));
    const versions = new Uint16Array(KEYS);
    let x = 99;
    let ops = 0;
    const end = Date.now() + 2500;
    while (Date.now() < end) {
      for (let k = 0; k < 500; k++) {
        x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
        const n = x % KEYS;
        const r = (x >>> 16) % 100;
        if (r < 70) cache.set(`k${n}`, makeValue(n, ++versions[n]!));
        else if (r < 90) cache.get(`k${n}`);
        else if (r < 99) cache.delete(`k${n}`);
        else if ((x >>> 8) % 50 === 0) cache.clear();
        ops++;
      }
      // let the Workers' messages and the test runner breathe on 2 busy cores
      if (ops % 20_000 === 0) await new Promise((r) => setImmediate(r));
    }
    Atomics.store(flags, 0, 1);
    const stats = await Promise.all(results);
    await Promise.all(workers.map((w) => w.terminate()));
    for (const s of stats) {
      expect(s.failures).toEqual([]);
      expect(s.reads).toBeGreaterThan(100);
      expect(s.hits).toBeGreaterThan(0);
    }
    const st = cache.stats();
    expect(st.evictions).toBeGreaterThan(0);
    expect(st.bytesUsed).toBeLessThanOrEqual(cache.maxBytes);
    // Nothing pinned: the owner never waited for a reader, and everything can be freed and reused at once.
    cache.clear();
    expect(cache.stats().blockBytes).toBe(0);
    expect(cache.size).toBe(0);
    cache.release();
    console.log(`owner ops ${ops}; readers`, stats.map(({ failures: _f, ...s }) => s));
  }, 90_000); // starting two TypeScript Workers can take most of a minute on 2 busy cores
});
