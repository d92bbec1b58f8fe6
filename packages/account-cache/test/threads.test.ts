import { describe, expect, it } from "vitest";
import { firstMessage, startTsWorker } from "../../../test/support/workers.ts";
import { ChunkPool } from "@arenakit/bump";
import { AccountsBuilder, RollingAccountCache, type FrozenAccounts } from "../src/node.ts";
import { expected, idOf } from "./fixtures/gen.ts";

function buildSlot(cache: RollingAccountCache, slot: bigint, n: number): FrozenAccounts {
  const b = cache.builder(slot, { capacity: n });
  for (let i = 0; i < n; i++) {
    const e = expected(slot, i);
    b.insertAccount(idOf(slot, i), e.owner, e.index, e.data);
  }
  return b.finish();
}

/**
 * Upper bound per test: starting a TypeScript Worker takes well under a second on an idle machine and over 15 s on
 * two cores shared with a dozen busy processes. Every test waits for messages and conditions, so this only bounds a hang.
 */
const WORKER_TEST_MS = 180_000;

async function until(cond: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error("condition not reached in time");
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe("FrozenAccounts in a real Worker", { timeout: WORKER_TEST_MS }, () => {
  it("a Worker reads every account of a shared entry without copying, and its release lets the entry go", async () => {
    const b = new AccountsBuilder(77n);
    for (let i = 0; i < 2000; i++) {
      const e = expected(77n, i);
      b.insertAccount(idOf(77n, i), e.owner, e.index, e.data);
    }
    const frozen = b.finish();
    let dropped = false;
    frozen._arc.get().home!.dropped.add(() => (dropped = true));
    const worker = startTsWorker(new URL("./fixtures/frozen-reader.ts", import.meta.url), { count: 2000 });
    const reply = firstMessage<{ ok: number; size: number }>(worker);
    worker.postMessage(frozen.share(worker)); // a reference addressed to that Worker
    const res = await reply;
    await worker.terminate();
    expect(res).toEqual({ ok: 2000, size: 2000 });
    frozen.release();
    await until(() => dropped);
  });
});

describe("RollingAccountCache shared with Workers", { timeout: WORKER_TEST_MS }, () => {
  it("a Worker terminated while it holds an evicted entry does not pin it: its references are reclaimed", async () => {
    const cache = new RollingAccountCache({ window: 2 });
    cache.push(buildSlot(cache, 1n, 200));
    const worker = startTsWorker(new URL("./fixtures/hold-forever.ts", import.meta.url));
    const holding = firstMessage<{ holding: boolean; slot: string }>(worker);
    const desc = cache.share(worker);
    worker.postMessage({ desc, id: idOf(1n, 5) }, [desc.port]);
    expect(await holding).toEqual({ holding: true, slot: "1" });
    cache.push(buildSlot(cache, 2n, 200));
    cache.push(buildSlot(cache, 3n, 200)); // evicts slot 1, which the Worker still holds
    expect(cache.slots()).toEqual([3n, 2n]);
    const pinned = cache.stats();
    expect(pinned.pinnedEntries).toBe(1);
    expect(pinned.bytesPinned).toBeGreaterThan(0);
    const pooled = cache.pool.stats().buffers;
    await worker.terminate(); // mid-read: it never releases
    await until(() => cache.stats().pinnedEntries === 0);
    expect(cache.pool.stats().buffers).toBeGreaterThan(pooled); // slot 1's chunks went back to the pool
    cache.release();
    expect(() => cache.push(buildSlot(new RollingAccountCache({ window: 1 }), 9n, 1))).toThrow(/released/);
  });

  it("soak: 4 Workers verify random accounts of a rolling window while the owner pushes; nothing leaks", async () => {
    const window = 4;
    const perSlot = 3000;
    const last = 30n;
    // A pool of our own: the cache would empty its default pool at release, and the end checks what came back.
    const pool = new ChunkPool({ shared: true, maxBytes: 1024 * 1024 * 1024 });
    const cache = new RollingAccountCache({ window, pool });
    cache.push(buildSlot(cache, 1n, perSlot));
    const workers = Array.from({ length: 4 }, () => startTsWorker(new URL("./fixtures/rolling-reader.ts", import.meta.url)));
    const ready = workers.map((w) => firstMessage<string>(w));
    workers.forEach((w, k) => {
      const desc = cache.share(w);
      w.postMessage({ desc, perSlot, until: last, seed: 1000 + k }, [desc.port]);
    });
    expect(await Promise.all(ready)).toEqual(["ready", "ready", "ready", "ready"]);
    const results = workers.map((w) => firstMessage<{ reads: number; bad: number; missing: number; slotsSeen: number }>(w));
    // New buffers taken while building each slot, for the builds that started with no evicted entry still
    // pinned by a reader (a reader holding an evicted slot legitimately keeps its chunks out of the pool).
    const unpinnedMisses: number[] = [];
    for (let s = 2n; s <= last; s++) {
      const pinned = cache.stats().pinnedEntries;
      const before = cache.pool.stats();
      const frozen = buildSlot(cache, s, perSlot);
      const after = cache.pool.stats();
      if (s > BigInt(2 * window) && pinned === 0) unpinnedMisses.push(after.misses - before.misses);
      cache.push(frozen);
      await new Promise((r) => setTimeout(r, 10)); // let readers interleave with pushes
    }
    const out = await Promise.all(results);
    await Promise.all(workers.map((w) => w.terminate()));
    for (const r of out) {
      expect(r.bad).toBe(0);
      expect(r.reads).toBeGreaterThan(50);
      expect(r.slotsSeen).toBeGreaterThan(window);
    }
    // Once warm, a build takes every chunk from the pool: no new buffers.
    expect(unpinnedMisses.length).toBeGreaterThanOrEqual(3);
    expect(unpinnedMisses).toEqual(new Array(unpinnedMisses.length).fill(0));
    // No reader wrote into the shared entries: every byte still matches its checksum from finish().
    for (const slot of cache.slots()) {
      using f = cache.get(slot)!;
      f.verify();
    }
    cache.release();
    await until(() => cache.stats().pinnedEntries === 0); // zero outstanding references, on any thread
    const back = pool.stats();
    // Every buffer any entry ever took is back: pooled, or dropped by the pool's bound.
    expect(back.buffers + back.dropped).toBe(back.misses);
  });
});
