import { describe, expect, it } from "vitest";
import { firstMessage, startTsWorker } from "../../../test/support/workers.ts";
import { ArenaReader, Bump, ReadOnlyError, struct, t } from "@arenakit/bump";
import { ArenaBytesMap, ArenaHashMap } from "../src/index.ts";

const Account = struct({ owner: t.str, data: t.bytes, index: t.u64 });

function build(n: number): { bump: Bump; map: ArenaHashMap<typeof Account> } {
  const bump = new Bump({ shared: true, initialChunkSize: 4096 });
  const map = new ArenaHashMap(bump, { value: Account });
  for (let i = 0; i < n; i++) {
    map.set(`key-${i}-é`, { owner: `owner-${i % 5}`, data: new Uint8Array(i % 20).fill(i & 0xff), index: i });
  }
  return { bump, map };
}

describe("read-only views attached from a handle", () => {
  it("see every entry of the original, zero-copy, through an ArenaReader", () => {
    const { bump, map } = build(3000);
    map.delete("key-7-é"); // tombstones travel too
    const view = ArenaHashMap.attach(ArenaReader.attach(bump.share()), map.handle(), { value: Account });
    expect(view.readOnly).toBe(true);
    expect(view.size).toBe(map.size);
    for (let i = 0; i < 3000; i++) {
      const k = `key-${i}-é`;
      expect(view.getOwned(k)).toEqual(map.getOwned(k));
    }
    expect(view.has("key-7-é")).toBe(false);
    expect(new Set(view.keys())).toEqual(new Set(map.keys()));
  });

  it("refuse every mutation and leave the shared table untouched", () => {
    const { bump, map } = build(100);
    const view = ArenaHashMap.attach(ArenaReader.attach(bump.share()), map.handle(), { value: Account });
    const tries: (() => unknown)[] = [
      () => view.set("x", { owner: "o", data: new Uint8Array(), index: 1 }),
      () => view.delete("key-1-é"),
      () => view.clear(),
      () => view.reserve(10),
      () => view.shrinkTo(0),
      () => view.retain(() => false),
      () => view.getOrInsert("y", { owner: "o", data: new Uint8Array(), index: 1 }),
    ];
    for (const f of tries) expect(f).toThrow(ReadOnlyError);
    expect(map.size).toBe(100);
    expect(map.has("key-1-é")).toBe(true);
    view.release(); // frees nothing of the owner's
    expect(map.get("key-1-é")?.owner).toBe("owner-1");
  });

  it("check the handle and the value type", () => {
    const { bump, map } = build(10);
    const reader = ArenaReader.attach(bump.share());
    expect(() => ArenaHashMap.attach(reader, map.handle(), { value: t.u32 })).toThrow(/value type does not match/);
    expect(() => ArenaHashMap.attach(reader, { kind: "nope" } as never, { value: Account })).toThrow(/expects the handle/);
    const bytes = new ArenaBytesMap(bump, { value: t.u32 });
    expect(() => ArenaHashMap.attach(reader, bytes.handle(), { value: t.u32 })).toThrow(/expects the handle/);
  });

  it("a real Worker looks keys up in a map built on the main thread", async () => {
    const { bump, map } = build(2000);
    const worker = startTsWorker(new URL("./fixtures/attach-reader.ts", import.meta.url), {
      arena: bump.share(),
      handle: map.handle(),
      n: 2000,
    });
    const res = await firstMessage(worker);
    await worker.terminate();
    expect(res).toEqual({ ok: 2000, size: 2000, miss: true });
  });
});

describe("byte-keyed views", () => {
  it("attach the same way", () => {
    const bump = new Bump({ shared: true });
    const map = new ArenaBytesMap(bump, { value: t.u32 });
    const key = (i: number): Uint8Array => {
      const k = new Uint8Array(32).fill(7);
      new DataView(k.buffer).setUint32(0, i, true);
      return k;
    };
    for (let i = 0; i < 500; i++) map.set(key(i), i);
    const view = ArenaBytesMap.attach(ArenaReader.attach(bump.share()), map.handle(), { value: t.u32 });
    for (let i = 0; i < 500; i++) expect(view.get(key(i))).toBe(i);
    expect(() => view.set(new Uint8Array(32), 1)).toThrow(ReadOnlyError);
  });
});
