import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SnapshotError, struct, t, writeSnapshotFileSync, type SnapshotParts } from "@arenakit/bump";
import { afterAll, describe, expect, it } from "vitest";
import { ArenaLru } from "../src/index.ts";

const dir = mkdtempSync(join(tmpdir(), "arenakit-lru-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const file = () => join(dir, `c${n++}.arenakit`);

const fill = (len: number, seed: number) => Uint8Array.from({ length: len }, (_, i) => (seed * 7 + i) & 0xff);

function filled(): ArenaLru {
  const cache = new ArenaLru({ maxBytes: 1 << 16, max: 300 });
  for (let i = 0; i < 400; i++) cache.set(`key-${i}-é`, fill(i % 90, i)); // evicts by count and by bytes
  for (let i = 399; i > 350; i -= 7) cache.get(`key-${i}-é`); // reorder
  cache.get("absent");
  cache.delete("key-399-é");
  return cache;
}

describe("save and load", () => {
  it("keeps entries, recency order and counters; the loaded cache keeps working", async () => {
    using cache = filled();
    const path = file();
    expect(cache.saveSync(path)).toBe(readFileSync(path).length);
    for (const loaded of [ArenaLru.loadSync(path), await ArenaLru.load(path)]) {
      using again = loaded;
      expect([...again.keys()]).toEqual([...cache.keys()]);
      for (const [k, v] of cache.entries()) expect(Array.from(again.peek(k)!)).toEqual(Array.from(v));
      const { hits, misses, evictions, size, payloadBytes, blockBytes, maxBytes, capacity } = cache.stats();
      expect(again.stats()).toMatchObject({ hits, misses, evictions, size, payloadBytes, blockBytes, maxBytes, capacity });
      again.set("new", fill(10, 1));
      expect([...again.keys()][0]).toBe("new");
      expect(again.stats().bytesUsed).toBeLessThanOrEqual(again.maxBytes);
    }
  });

  it("async save copies the buffers: changes made while it writes are not in the file", async () => {
    using cache = filled();
    const path = file();
    const before = [...cache.keys()];
    const writing = cache.save(path);
    cache.clear();
    await writing;
    using again = ArenaLru.loadSync(path);
    expect([...again.keys()]).toEqual(before);
  });

  it("records need their layout again, and the same one", () => {
    const Quote = struct({ price: t.f64, qty: t.u32 });
    using cache = new ArenaLru({ maxBytes: 1 << 16, value: Quote, key: "bytes" });
    cache.set(new Uint8Array([1]), { price: 1.5, qty: 2 });
    cache.set(new Uint8Array([2]), { price: 2.5, qty: 3 });
    const path = file();
    cache.saveSync(path);
    using again = ArenaLru.loadSync<"bytes", typeof Quote>(path, { value: Quote });
    expect([...again.keys()].map((k) => k[0])).toEqual([2, 1]);
    expect(again.getCopy(new Uint8Array([1]))).toEqual({ price: 1.5, qty: 2 });
    const schema = (f: () => unknown) => {
      expect(f).toThrow(SnapshotError);
      try {
        f();
      } catch (err) {
        expect((err as SnapshotError).problem).toBe("schema");
      }
    };
    schema(() => ArenaLru.loadSync(path));
    schema(() => ArenaLru.loadSync(path, { value: struct({ price: t.f64, qtx: t.u32 }) }));
    schema(() => ArenaLru.loadSync(path, { value: struct({ price: t.f64, qty: t.i32 }) }));
    schema(() => ArenaLru.loadSync(path, { value: Quote, key: "string" } as never));
  });

  it("TTLs keep the time they had left, measured on each cache's own clock; expired entries stay out", () => {
    let now = 1000;
    using cache = new ArenaLru({ maxBytes: 1 << 16, value: "string", now: () => now });
    cache.set("short", "a", { ttl: 100 });
    cache.set("long", "b", { ttl: 10_000 });
    cache.set("forever", "c");
    now = 1050;
    cache.set("gone", "d", { ttl: 10 });
    now = 1070;
    const path = file();
    cache.saveSync(path);
    let later = 5_000_000;
    using again = ArenaLru.loadSync<"string", "string">(path, { now: () => later });
    expect(again.getRemainingTTL("short")).toBe(30);
    expect(again.getRemainingTTL("long")).toBe(9930);
    expect(again.getRemainingTTL("forever")).toBe(Infinity);
    expect(again.has("gone")).toBe(false);
    expect(again.size).toBe(3);
    later += 30;
    expect(again.get("short")).toBeUndefined();
    expect(again.get("long")).toBe("b");
  });

  it("a smaller budget keeps the most recently used entries that fit; onEvict is not called while loading", () => {
    using cache = filled();
    const path = file();
    cache.saveSync(path);
    const evicted: string[] = [];
    using small = ArenaLru.loadSync(path, { maxBytes: 8192, max: 40, onEvict: (_v, k) => evicted.push(k) });
    const keys = [...small.keys()];
    expect(keys.length).toBeGreaterThan(10);
    expect(keys).toEqual([...cache.keys()].slice(0, keys.length));
    expect(evicted).toEqual([]);
    small.set("x", fill(1, 1));
    small.set("y", fill(1, 1));
    expect(evicted.length).toBeGreaterThan(0);
  });

  it("a shared cache saves, and loads as shared or private", () => {
    using cache = new ArenaLru({ maxBytes: 1 << 16, shared: true, value: "string" });
    cache.set("a", "1").set("b", "2");
    const path = file();
    cache.saveSync(path);
    using priv = ArenaLru.loadSync<"string", "string">(path, { shared: false });
    using shared = ArenaLru.loadSync<"string", "string">(path);
    expect(priv.shared).toBe(false);
    expect(shared.shared).toBe(true);
    expect([...priv.entries()]).toEqual([["b", "2"], ["a", "1"]]);
    expect([...shared.entries()]).toEqual([["b", "2"], ["a", "1"]]);
  });

  it("an empty cache round-trips", () => {
    using cache = new ArenaLru({ maxBytes: 4096 });
    const path = file();
    cache.saveSync(path);
    using again = ArenaLru.loadSync(path);
    expect(again.size).toBe(0);
    again.set("a", fill(3, 3));
    expect(again.size).toBe(1);
  });
});

describe("damaged files are refused with SnapshotError and nothing loaded", () => {
  const refused = (path: string, problems?: string[]) => {
    let err: unknown;
    try {
      ArenaLru.loadSync(path).release();
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SnapshotError);
    if (problems !== undefined) expect(problems).toContain((err as SnapshotError).problem);
  };

  it("every flipped bit of a sample and every truncation point", () => {
    using cache = filled();
    const path = file();
    cache.saveSync(path);
    const good = readFileSync(path);
    const bad = file();
    // header, table, section and both chunks: a spread of positions, each bit of the byte in turn
    for (let at = 0; at < good.length; at += Math.max(1, Math.floor(good.length / 97))) {
      const copy = Buffer.from(good);
      copy[at]! ^= 1 << (at % 8);
      writeFileSync(bad, copy);
      refused(bad);
    }
    for (const len of [0, 1, 8, 63, 64, 100, Math.floor(good.length / 2), good.length - 1]) {
      writeFileSync(bad, good.subarray(0, len));
      refused(bad, ["empty", "truncated", "magic"]);
    }
    writeFileSync(bad, Buffer.concat([good, Buffer.from([0])]));
    refused(bad, ["trailing-bytes"]);
  });

  it("files with valid checksums but impossible contents", () => {
    using cache = filled();
    const parts = (cache as unknown as { _parts(copy: boolean): SnapshotParts })._parts(true);
    const section = parts.section as Record<string, number>;
    const variants: [string, SnapshotParts][] = [
      ["tail out of range", { ...parts, section: { ...section, tail: 1 << 20 } }],
      ["count longer than the list", { ...parts, section: { ...section, count: section.count! + 1 } }],
      ["count shorter than the list", { ...parts, section: { ...section, count: section.count! - 1 } }],
      ["max differs from the table", { ...parts, section: { ...section, max: section.max! + 1 } }],
      ["NaN clock", { ...parts, section: { ...section, savedAt: "x" as unknown as number } }],
      ["no section", { ...parts, section: null }],
      ["one chunk", { ...parts, chunks: [parts.chunks[0]!] }],
      ["heap cut short", { ...parts, chunks: [parts.chunks[0]!, parts.chunks[1]!.subarray(0, 64)] }],
      ["another kind", { ...parts, kind: "hashmap" }],
    ];
    // a slot offset pointing past the heap: patch the meta chunk's off array for the tail slot
    const meta = new Uint8Array(parts.chunks[0]!);
    const h = new Int32Array(meta.buffer, 0, 16);
    const offAt = 64 + h[1]! * 4 + h[2]! * 12 + section.tail! * 4;
    new DataView(meta.buffer).setUint32(offAt, 0x7ffffff8, true);
    variants.push(["offset past the heap", { ...parts, chunks: [meta, parts.chunks[1]!] }]);
    for (const [what, p] of variants) {
      const path = file();
      writeSnapshotFileSync(path, p);
      expect(() => ArenaLru.loadSync(path).release(), what).toThrow(SnapshotError);
    }
  });

  it("missing files and bad options", () => {
    refused(join(dir, "none.arenakit"), ["io"]);
    expect(() => ArenaLru.loadSync(file(), null as never)).toThrow(/options/);
  });
});
