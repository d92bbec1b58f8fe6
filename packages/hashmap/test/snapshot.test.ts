import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { ArenaReader, Bump, ReadOnlyError, SnapshotError, struct, t } from "@arenakit/bump";
import { ArenaHashMap, loadMap, loadMapSync, saveMap, saveMapSync } from "../src/index.ts";

const dir = mkdtempSync(join(tmpdir(), "arenakit-map-snap-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const file = (): string => join(dir, `m${n++}.arenakit`);

const Account = struct({ owner: t.str, data: t.bytes, index: t.u64 });

function problemOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof SnapshotError) return err.problem;
    throw err;
  }
  throw new Error("expected a SnapshotError");
}

describe("hash map snapshots", () => {
  it("a loaded map answers like a Map built from the same inserts and deletes (read-only and writable)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.string({ maxLength: 12 }), fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.boolean()), { maxLength: 300 }),
        (ops) => {
          const model = new Map<string, number>();
          const map = new ArenaHashMap(new Bump({ initialChunkSize: 512 }), { value: t.u32 });
          for (const [k, v, del] of ops) {
            if (!k.isWellFormed()) continue;
            if (del) {
              model.delete(k);
              map.delete(k);
            } else {
              model.set(k, v);
              map.set(k, v);
            }
          }
          const path = file();
          saveMapSync(map, path);
          for (const loaded of [loadMapSync(path, { value: t.u32 }), loadMapSync(path, { value: t.u32, writable: true })]) {
            expect(loaded.size).toBe(model.size);
            for (const [k, v] of model) expect(loaded.get(k)).toBe(v);
            expect(new Map(loaded.entries())).toEqual(model);
          }
        },
      ),
      { numRuns: 40 },
    );
  });

  it("records with strings and bytes survive; the read-only map refuses writes", async () => {
    const map = new ArenaHashMap(new Bump(), { value: Account, seed: 99 });
    for (let i = 0; i < 1000; i++) map.set(`acct-${i}`, { owner: `owner-${i % 7}`, data: new Uint8Array([i & 0xff, 1, 2]), index: BigInt(i) * 1000n });
    const path = file();
    await saveMap(map, path);
    const loaded = await loadMap(path, { value: Account, seed: 99 });
    expect(loaded.readOnly).toBe(true);
    expect(loaded.allocator.shared).toBe(true);
    const v = loaded.get("acct-777")!;
    expect([v.owner, [...v.data], v.index]).toEqual(["owner-0", [777 & 0xff, 1, 2], 777000n]);
    expect(() => loaded.set("x", { owner: "o", data: new Uint8Array(0), index: 0 })).toThrow(ReadOnlyError);
  });

  it("a writable load keeps inserting, growing the table as the original would", () => {
    const map = new ArenaHashMap(new Bump(), { value: t.u32 });
    for (let i = 0; i < 100; i++) map.set(`k${i}`, i);
    const path = file();
    saveMapSync(map, path);
    const loaded = loadMapSync(path, { value: t.u32, writable: true });
    expect(loaded.allocator).toBeInstanceOf(Bump);
    expect(loaded.stats().capacity).toBe(map.stats().capacity);
    for (let i = 100; i < 5000; i++) loaded.set(`k${i}`, i);
    loaded.delete("k3");
    for (let i = 0; i < 5000; i++) expect(loaded.get(`k${i}`)).toBe(i === 3 ? undefined : i);
    // the file is untouched by writes to the loaded copy
    expect(loadMapSync(path, { value: t.u32 }).get("k3")).toBe(3);
  });

  it("a read-only map lives in SharedArrayBuffers, so its handle and arena can go to Workers", () => {
    const map = new ArenaHashMap(new Bump(), { value: t.str }).set("a", "alpha");
    const path = file();
    saveMapSync(map, path);
    const loaded = loadMapSync(path, { value: t.str });
    expect(loaded.get("a")).toBe("alpha");
    expect(loaded.allocator.memoryOf(loaded.find("a") as never).buffer).toBeInstanceOf(SharedArrayBuffer);
  });

  it("another value type, another seed or another kind is refused", () => {
    const map = new ArenaHashMap(new Bump(), { value: Account, seed: 5 }).set("a", { owner: "o", data: new Uint8Array(1), index: 1 });
    const path = file();
    saveMapSync(map, path);
    expect(problemOf(() => loadMapSync(path, { value: t.u32 }))).toBe("schema");
    expect(problemOf(() => loadMapSync(path, { value: struct({ owner: t.str, data: t.bytes, index: t.i64 }) }))).toBe("schema");
    expect(problemOf(() => loadMapSync(path, { value: Account, seed: 6 }))).toBe("seed");
    const notAMap = file();
    writeFileSync(notAMap, readFileSync(path).subarray(0, 10));
    expect(problemOf(() => loadMapSync(notAMap, { value: Account }))).toBe("truncated");
  });

  it("only a map in a Bump can be saved", () => {
    const bump = new Bump({ shared: true });
    const map = new ArenaHashMap(bump, { value: t.u32 }).set("a", 1);
    const attached = ArenaHashMap.attach(ArenaReader.attach(bump.share()), map.handle(), { value: t.u32 });
    expect(problemOf(() => saveMapSync(attached, file()))).toBe("unsupported");
  });
});
