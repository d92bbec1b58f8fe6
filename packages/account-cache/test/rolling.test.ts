import { describe, expect, it } from "vitest";
import {
  AccountsBuilder,
  AccountsDescriptorError,
  InvalidAccountError,
  ReadOnlyCacheError,
  RollingAccountCache,
  SlotOrderError,
  type FrozenAccounts,
} from "../src/node.ts";
import { attachWeakEntry } from "../src/frozen.ts";

function slot(cache: RollingAccountCache, s: bigint, ids: string[]): FrozenAccounts {
  const b = cache.builder(s);
  for (const id of ids) b.insertAccount(id, `owner-of-${id}`, s, new Uint8Array(64).fill(Number(s % 256n)));
  return b.finish();
}

/** A stand-in for a Worker on this very thread: enough for share()/attach() unit tests. */
function sameThreadReader(): { threadId: number; once: () => void } {
  return { threadId: 0, once: () => undefined };
}

describe("RollingAccountCache (owner side)", () => {
  it("keeps the newest `window` slots and answers latest/project/get", () => {
    using cache = new RollingAccountCache({ window: 3 });
    cache.push(slot(cache, 10n, ["a", "b"]));
    cache.push(slot(cache, 11n, ["b"]));
    cache.push(slot(cache, 12n, ["c"]));
    cache.push(slot(cache, 13n, ["c"]));
    expect(cache.slots()).toEqual([13n, 12n, 11n]);
    expect(cache.latest("b")).toBe(11n);
    expect(cache.latest("a")).toBeUndefined(); // slot 10 was evicted
    expect(cache.latest("zzz")).toBeUndefined();
    using sel = cache.project("c");
    expect(sel?.slot).toBe(13n);
    expect(sel?.account.owner).toBe("owner-of-c");
    expect(cache.get(10n)).toBeUndefined();
    using s12 = cache.get(12n);
    expect(s12?.has("c")).toBe(true);
    const st = cache.stats();
    expect(st).toMatchObject({ entries: 3, accounts: 3, pinnedEntries: 0, readers: 0 });
    expect(st.bytesHeld).toBeGreaterThan(0);
  });

  it("refuses out-of-order slots and stays consistent", () => {
    using cache = new RollingAccountCache({ window: 2 });
    cache.push(slot(cache, 5n, ["x"]));
    const same = slot(cache, 5n, ["y"]);
    const older = slot(cache, 4n, ["y"]);
    expect(() => cache.push(same)).toThrow(SlotOrderError);
    expect(() => cache.push(older)).toThrow(/slot 4 is not newer than the newest slot in the cache \(5\)/);
    expect(cache.slots()).toEqual([5n]);
    expect(same.released).toBe(false); // not consumed: the caller still owns it
    same.release();
    older.release();
    cache.push(slot(cache, 6n, ["y"]));
    expect(cache.slots()).toEqual([6n, 5n]);
  });

  it("an evicted entry stays alive (pinned) while someone holds it, then its chunks return to the pool", () => {
    using cache = new RollingAccountCache({ window: 1 });
    cache.push(slot(cache, 1n, ["keep"]));
    const held = cache.get(1n)!;
    const view = held.get("keep")!;
    const pooled = cache.pool.stats().buffers;
    cache.push(slot(cache, 2n, ["other"]));
    expect(cache.stats().pinnedEntries).toBe(1);
    expect(view.owner).toBe("owner-of-keep"); // still readable through the held reference
    held.release();
    expect(cache.stats()).toMatchObject({ pinnedEntries: 0, bytesPinned: 0 });
    expect(cache.pool.stats().buffers).toBeGreaterThan(pooled);
    expect(() => view.owner).toThrow(/released/);
  });

  it("a reader holding only a weak reference is refused once the entry is freed", () => {
    using cache = new RollingAccountCache({ window: 1 });
    const first = slot(cache, 1n, ["a"]);
    const weak = attachWeakEntry(first.shareWeak());
    cache.push(first);
    const alive = weak.tryAcquire();
    expect(alive?.get().size).toBe(1);
    alive?.release();
    cache.push(slot(cache, 2n, ["b"])); // evicts and frees slot 1
    expect(weak.tryAcquire()).toBeUndefined(); // never handed recycled bytes
  });

  it("validates its options and its input", () => {
    expect(() => new RollingAccountCache({ window: 0 })).toThrow(InvalidAccountError);
    expect(() => new RollingAccountCache({ window: 1.5 })).toThrow(/window must be a whole number/);
    using cache = new RollingAccountCache({ window: 1 });
    expect(() => cache.push({} as FrozenAccounts)).toThrow(/live FrozenAccounts/);
    const released = new AccountsBuilder(3n).finish();
    released.release();
    expect(() => cache.push(released)).toThrow(InvalidAccountError);
    expect(() => cache.get(-1)).toThrow(InvalidAccountError);
    expect(() => RollingAccountCache.attach({} as never)).toThrow(AccountsDescriptorError);
    expect(() => cache.share({} as never)).toThrow(/expects a worker_threads Worker/);
  });
});

describe("RollingAccountCache (read-only view)", () => {
  it("sees the owner's pushes and evictions and refuses writes", () => {
    using cache = new RollingAccountCache({ window: 2 });
    cache.push(slot(cache, 1n, ["a"]));
    const desc = cache.share(sameThreadReader());
    using reader = RollingAccountCache.attach(desc);
    expect(reader.readOnly).toBe(true);
    expect(reader.slots()).toEqual([1n]);
    cache.push(slot(cache, 2n, ["b"]));
    cache.push(slot(cache, 3n, ["a"]));
    expect(reader.slots()).toEqual([3n, 2n]);
    expect(reader.latest("a")).toBe(3n);
    expect(reader.latest("b")).toBe(2n);
    using sel = reader.project("b");
    expect(sel?.account.owner).toBe("owner-of-b");
    using got = reader.get(2n);
    expect(got?.size).toBe(1);
    expect(reader.get(1n)).toBeUndefined();
    const extra = slot(cache, 4n, ["z"]);
    expect(() => reader.push(extra)).toThrow(ReadOnlyCacheError);
    extra.release();
    expect(() => reader.builder(9n)).toThrow(ReadOnlyCacheError);
    expect(() => reader.share(sameThreadReader())).toThrow(ReadOnlyCacheError);
  });
});
