import { describe, expect, it } from "vitest";
import { ArenaReader, Bump, FreeListAllocator, InvalidArgumentError, StalePointerError, t } from "@arenakit/bump";
import { ArenaHashMap } from "../src/index.ts";

describe("a table grown in a scratch allocator and moved into the arena once", () => {
  it("leaves exactly one table of the smallest size in the arena, and every entry readable", () => {
    const arena = new Bump({ shared: true });
    const scratch = new FreeListAllocator({ size: 4 << 20 });
    const map = new ArenaHashMap(arena, { value: t.u32, tableAllocator: scratch });
    const n = 5000;
    for (let i = 0; i < n; i++) map.set(`key-${i}`, i);
    const entries = map.stats().entryBytes;
    expect(arena.usedBytes).toBeLessThanOrEqual(entries + 64); // no table in the arena yet
    map.moveTable(arena);
    scratch.release(); // the old tables are gone with it
    expect(map.stats().retiredTableBytes).toBe(0);
    expect(map.stats().tableBytes).toBe(ArenaHashMap.tableBytes(n));
    expect(arena.usedBytes).toBeLessThanOrEqual(entries + ArenaHashMap.tableBytes(n) + 64);
    for (let i = 0; i < n; i++) expect(map.get(`key-${i}`)).toBe(i);
    // The handle now names memory of the arena only: a reader attaches to it.
    const view = ArenaHashMap.attach(ArenaReader.attach(arena.share()), map.handle(), { value: t.u32 });
    expect(view.get("key-4999")).toBe(4999);
    // Growing again after the move happens in the arena.
    map.set("one-more", 1);
    expect(map.get("one-more")).toBe(1);
  });

  it("with a scratch Bump, a reset of the scratch under the map is caught, not read", () => {
    const arena = new Bump();
    const scratch = new Bump();
    const map = new ArenaHashMap(arena, { value: t.u32, tableAllocator: scratch });
    map.set("a", 1);
    scratch.reset();
    expect(() => map.get("a")).toThrow(StalePointerError);
  });

  it("sizes for minCapacity and refuses bad arguments without changing the map", () => {
    const arena = new Bump();
    const map = new ArenaHashMap(arena, { value: t.u32 });
    map.set("a", 1);
    map.moveTable(arena, 100);
    expect(map.capacity).toBeGreaterThanOrEqual(100);
    expect(() => map.moveTable({} as never)).toThrow(InvalidArgumentError);
    expect(() => map.moveTable(arena, -1)).toThrow(InvalidArgumentError);
    expect(() => new ArenaHashMap(arena, { value: t.u32, tableAllocator: 5 as never })).toThrow(InvalidArgumentError);
    expect(map.get("a")).toBe(1);
  });
});
