// Slot arenas shared with a real worker_threads Worker: the Worker reads the owner's
// memory without copying, sees removals from the moment they happen, never sees a
// half-written or mixed record while the owner removes and reinserts, and is told
// (typed error) when a contiguous arena grew away from the buffers it was given.
import type { Worker } from "node:worker_threads";
import { afterEach, describe, expect, it } from "vitest";
import { firstMessage, startTsWorker } from "../../../test/support/workers.ts";
import { inSlotArena, type Handle } from "../src/index.ts";

const Rec = { a: "u32", b: "u32", c: "u32" } as const;
const FIXTURE = new URL("./fixtures/slot-reader.ts", import.meta.url);

const workers: Worker[] = [];
afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.terminate()));
});

function ask<T>(worker: Worker, msg: object): Promise<T> {
  const reply = firstMessage<T>(worker);
  worker.postMessage(msg);
  return reply;
}

describe.each(["contiguous", "resizable"] as const)("a shared %s slot arena read by a Worker", (layout) => {
  it("reads live records, refuses removed ones at once, and reports growth it cannot see", async () => {
    await inSlotArena({ kind: "tiny", layout, shared: true, initialCapacity: 64 }, Rec, async (arena) => {
      const hs: Handle<typeof arena.brand>[] = [];
      for (let k = 0; k < 64; k++) hs.push(arena.insert({ a: k, b: k, c: k }));
      const flags = new SharedArrayBuffer(12);
      const worker = startTsWorker(FIXTURE, { desc: arena.share(), flags });
      workers.push(worker);
      expect(await ask(worker, { read: [hs[0], hs[5], hs[63]] })).toEqual([0, 5, 63]);

      arena.remove(hs[5]!);
      const again = arena.insert({ a: 500, b: 500, c: 500 }); // reuses slot 5
      expect(await ask(worker, { read: [hs[5], again, 12345] })).toEqual(["ERR_COMPACT_STALE", 500, "ERR_COMPACT_INDEX"]);

      // Grow past the 64 slots the worker was given.
      for (let k = 0; k < 64; k++) hs.push(arena.insert({ a: 1000 + k, b: 0, c: 0 }));
      const after = await ask<unknown[]>(worker, { read: [hs[0], hs[100]] });
      if (layout === "resizable") {
        expect(after).toEqual([0, 1036]); // grown in place: the worker sees every slot
      } else {
        expect(after).toEqual(["ERR_COMPACT_INDEX", "ERR_COMPACT_INDEX"]); // told to take a new descriptor
      }
      worker.postMessage({ stop: true });
    });
  });
});

describe("concurrent removal and reuse", () => {
  it("never shows the Worker a half-written or mixed record", async () => {
    await inSlotArena({ kind: "tiny", layout: "resizable", shared: true }, Rec, async (arena) => {
      const live: Handle<typeof arena.brand>[] = [];
      for (let k = 0; k < 2000; k++) live.push(arena.insert({ a: k, b: k, c: k }));
      const flags = new SharedArrayBuffer(12);
      const control = new Int32Array(flags);
      const worker = startTsWorker(FIXTURE, { desc: arena.share(), flags });
      workers.push(worker);
      const result = firstMessage<{ reads: number; refused: number; torn: number }>(worker);
      worker.postMessage({ race: true });
      // Wait (bounded) until the worker is reading, then churn until it has read enough.
      const start = Date.now();
      while (Atomics.load(control, 2) === 0 && Date.now() - start < 15_000) await new Promise((r) => setTimeout(r, 5));
      let k = 2000;
      let x = 12345;
      const churnStart = Date.now();
      while (Atomics.load(control, 1) < 200_000 && Date.now() - churnStart < 10_000) {
        for (let j = 0; j < 1000; j++) {
          x = (Math.imul(x, 1103515245) + 12345) >>> 0;
          const at = x % live.length;
          arena.remove(live[at]!);
          k++;
          live[at] = arena.insert({ a: k, b: k, c: k });
        }
      }
      Atomics.store(control, 0, 1);
      const r = await result;
      expect(r.torn).toBe(0);
      expect(r.reads).toBeGreaterThan(0);
      worker.postMessage({ stop: true });
    });
  }, 60_000);
});
