// SharedArc across real worker_threads Workers: references held by Workers,
// onDrop on the home thread, Workers that exit or crash, and a bounded stress
// test of concurrent clone/release on one shared cart.
import { threadId, type Worker } from "node:worker_threads";
import { afterAll, describe, expect, it } from "vitest";
import { startTsWorker } from "../../../test/support/workers.ts";
import { SharedArc, type SharedWeakArc } from "../src/index.ts";
import type { Job } from "./fixtures/stress.ts";

type Msg = Record<string, unknown>;

/** Queues a Worker's messages so none is missed between two awaits. */
class Inbox {
  private readonly queue: Msg[] = [];
  private readonly waiters: ((m: Msg) => void)[] = [];
  readonly exited: Promise<number>;
  readonly errors: Error[] = [];

  constructor(readonly worker: Worker) {
    worker.on("message", (m: Msg) => {
      const w = this.waiters.shift();
      if (w !== undefined) w(m);
      else this.queue.push(m);
    });
    worker.on("error", (e) => this.errors.push(e));
    this.exited = new Promise((resolve) => worker.once("exit", resolve));
  }

  next(): Promise<Msg> {
    const m = this.queue.shift();
    if (m !== undefined) return Promise.resolve(m);
    return new Promise((resolve, reject) => {
      this.waiters.push(resolve);
      void this.exited.then((code) =>
        reject(new Error(`worker exited (${code}) while a reply was awaited${this.errors.map((e) => `: ${e.stack ?? e.message}`).join("")}`)),
      );
    });
  }

  async ask(cmd: Msg): Promise<Msg> {
    this.worker.postMessage(cmd);
    return this.next();
  }
}

const holderUrl = new URL("./fixtures/holder.ts", import.meta.url);
const stressUrl = new URL("./fixtures/stress.ts", import.meta.url);
const started: Worker[] = [];
/**
 * Upper bound per test. Starting a TypeScript Worker takes ~0.3 s on an idle machine and over 15 s on two cores shared
 * with a dozen busy processes; every test waits for messages and conditions, never for time, so this only bounds a hang.
 */
const WORKER_TEST_MS = 180_000;

async function holder(): Promise<Inbox> {
  const w = startTsWorker(holderUrl);
  started.push(w);
  const inbox = new Inbox(w);
  expect(await inbox.next()).toMatchObject({ ok: true, main: false });
  return inbox;
}

afterAll(async () => {
  await Promise.all(started.map((w) => w.terminate()));
});

/** A shared cart: an Int32Array over shared memory, word 0 = 1 while alive. */
function cart(name: string): {
  arc: SharedArc<Int32Array, SharedArrayBuffer>;
  weak: SharedWeakArc<Int32Array, SharedArrayBuffer>;
  dropped: Promise<{ thread: number; holders: number }>;
  drops: () => number;
} {
  const data = new Int32Array(new SharedArrayBuffer(16));
  data[0] = 1;
  let drops = 0;
  let resolve!: (v: { thread: number; holders: number }) => void;
  const dropped = new Promise<{ thread: number; holders: number }>((r) => (resolve = r));
  const arc = SharedArc.new(data, {
    name,
    describe: (c) => c.buffer as SharedArrayBuffer,
    onDrop: (c) => {
      drops++;
      Atomics.store(c, 0, 0);
      resolve({ thread: threadId, holders: weak.holderCount });
    },
  });
  const weak = arc.downgrade();
  return { arc, weak, dropped, drops: () => drops };
}

describe("SharedArc with real Workers", { timeout: WORKER_TEST_MS }, () => {
  it("a Worker holds a real reference; the last release there drops the value on the home thread", async () => {
    const w = await holder();
    const { arc, weak, dropped, drops } = cart("handoff");
    Atomics.store(arc.get(), 0, 42);
    const r = await w.ask({ op: "attach", desc: arc.share(w.worker) });
    expect(r).toMatchObject({ ok: true, value: 42, strong: 1, holders: 2 });
    Atomics.store(arc.get(), 0, 1); // the same memory, no copy: the Worker sees this write
    expect(await w.ask({ op: "read" })).toMatchObject({ value: 1 });
    arc.release(); // the home thread lets go first
    expect(weak.holderCount).toBe(1);
    expect(drops()).toBe(0);
    expect(await w.ask({ op: "clone", n: 2 })).toMatchObject({ strong: 3 });
    expect(weak.holderCount).toBe(1); // clones inside the Worker count locally
    const rel = await w.ask({ op: "releaseAll" });
    expect(rel).toMatchObject({ released: 3, detached: [4] });
    // The Worker released the last reference: onDrop runs here, on the home thread, once.
    expect(await dropped).toEqual({ thread: threadId, holders: 0 });
    expect(drops()).toBe(1);
    expect(weak.leaseSlotsInUse).toBe(0);
    expect(weak.tryAcquire()).toBeUndefined();
  });

  it("several descriptors to one Worker merge into one lease; a Worker can share back", async () => {
    const w = await holder();
    const { arc, weak, dropped } = cart("merge");
    expect(await w.ask({ op: "attach", desc: arc.share(w.worker) })).toMatchObject({ strong: 1, holders: 2 });
    expect(await w.ask({ op: "attach", desc: arc.share(w.worker) })).toMatchObject({ strong: 2, holders: 2 });
    const back = await w.ask({ op: "share", to: threadId });
    const mine = SharedArc.attach(back.desc as never, (sab: SharedArrayBuffer) => new Int32Array(sab));
    expect(mine.ptrEq(arc)).toBe(true); // merged into the home box on the home thread
    expect(arc.strongCount).toBe(2);
    expect(weak.holderCount).toBe(2);
    mine.release();
    arc.release();
    await w.ask({ op: "releaseAll" });
    await dropped;
    expect(weak.leaseSlotsInUse).toBe(0);
  });

  it("a materialize that throws in the Worker gives its lease back", async () => {
    const w = await holder();
    const { arc, weak, dropped, drops } = cart("bad payload");
    const r = await w.ask({ op: "attach", desc: arc.share(w.worker), failMaterialize: true });
    expect(r).toMatchObject({ ok: false, error: "cannot map this payload" });
    expect(weak.holderCount).toBe(1);
    expect(weak.leaseSlotsInUse).toBe(1);
    arc.release();
    expect(drops()).toBe(1);
    await dropped;
  });

  it("tryAcquire in a Worker works while alive and never resurrects", async () => {
    const w = await holder();
    const { arc, weak, dropped } = cart("weak");
    await w.ask({ op: "attachWeak", desc: arc.shareWeak() });
    expect(await w.ask({ op: "tryAcquire" })).toMatchObject({ acquired: true, dropped: false });
    expect(weak.holderCount).toBe(2);
    await w.ask({ op: "releaseAll" });
    arc.release();
    await dropped;
    expect(await w.ask({ op: "tryAcquire" })).toMatchObject({ acquired: false, dropped: true });
    expect(await w.ask({ op: "tryAcquire" })).toMatchObject({ acquired: false });
  });
});

describe("Workers that exit or crash while holding references", { timeout: WORKER_TEST_MS }, () => {
  it("terminate(): the Worker's leases are reclaimed on exit and the value drops once", async () => {
    const w = await holder();
    const { arc, weak, dropped, drops } = cart("terminated");
    await w.ask({ op: "attach", desc: arc.share(w.worker) });
    await w.ask({ op: "clone", n: 5 });
    arc.release();
    expect(weak.holderCount).toBe(1); // only the Worker holds it now
    await w.worker.terminate();
    await w.exited;
    expect(await dropped).toEqual({ thread: threadId, holders: 0 });
    expect(drops()).toBe(1);
    expect(weak.leaseSlotsInUse).toBe(0);
  });

  it("a Worker that throws: reclaimed on exit, while the home thread still holds its own", async () => {
    const w = await holder();
    const { arc, weak, dropped, drops } = cart("crashed");
    await w.ask({ op: "attach", desc: arc.share(w.worker) });
    await w.ask({ op: "clone", n: 2 });
    await w.ask({ op: "crash" });
    expect(await w.exited).toBe(1);
    expect(w.errors.map((e) => e.message)).toEqual([expect.stringMatching(/crashed while holding 3 references/)]);
    expect(weak.holderCount).toBe(1);
    expect(drops()).toBe(0);
    arc.release();
    await dropped;
    expect(drops()).toBe(1);
  });

  it("a descriptor sent to a Worker that exits before attaching it is reclaimed too", async () => {
    const w = await holder();
    const { arc, weak, dropped } = cart("never attached");
    arc.share(w.worker); // in flight, never attached
    w.worker.postMessage({ op: "exit" });
    await w.exited;
    expect(weak.holderCount).toBe(1);
    expect(weak.leaseSlotsInUse).toBe(1);
    arc.release();
    await dropped;
  });

  it("leases shared by thread id are reclaimed by hand, after the thread has exited", async () => {
    const w = await holder();
    const { arc, weak, dropped } = cart("by id");
    const id = w.worker.threadId;
    await w.ask({ op: "attach", desc: arc.share(id) });
    arc.release();
    await w.worker.terminate();
    expect(weak.holderCount).toBe(1); // nobody watched this Worker: its lease still pins the value
    expect(weak.reclaimThread(id)).toBe(1);
    await dropped;
    expect(weak.leaseSlotsInUse).toBe(0);
  });

  it("Workers terminated at arbitrary points of a clone/release loop never leave the count off", async () => {
    // Each round: 4 Workers churn leases (take, clone, release) in a long loop, and are all
    // terminated after a varying delay, wherever they are. Reclaiming must leave exactly the
    // home thread's reference.
    for (const delay of [40, 90, 160]) {
      const { arc, weak, dropped, drops } = cart(`terminated mid-loop after ${delay} ms`);
      const inboxes = await Promise.all(
        Array.from({ length: 4 }, async (_, i) => {
          const w = startTsWorker(stressUrl);
          started.push(w);
          arc.reclaimOnExit(w);
          const inbox = new Inbox(w);
          expect(await inbox.next()).toEqual({ type: "ready" });
          const job: Job = { mode: "churn", weak: arc.shareWeak(), iterations: 50_000_000, seed: i + delay };
          w.postMessage(job);
          expect(await inbox.next()).toEqual({ type: "attached" });
          return inbox;
        }),
      );
      await new Promise((r) => setTimeout(r, delay));
      await Promise.all(inboxes.map((b) => b.worker.terminate()));
      expect(weak.holderCount).toBe(1);
      expect(weak.leaseSlotsInUse).toBe(1);
      expect(drops()).toBe(0);
      arc.release();
      await dropped;
      expect(drops()).toBe(1);
      expect(weak.leaseSlotsInUse).toBe(0);
    }
  });
});

describe("stress: Workers and the main thread clone and release one shared cart", { timeout: WORKER_TEST_MS }, () => {
  const WORKERS = 4;
  const ITERATIONS = 40_000;

  async function stressWorkers(): Promise<Inbox[]> {
    return Promise.all(
      Array.from({ length: WORKERS }, async () => {
        const w = startTsWorker(stressUrl);
        started.push(w);
        const inbox = new Inbox(w);
        expect(await inbox.next()).toEqual({ type: "ready" });
        return inbox;
      }),
    );
  }

  /** The main thread's share of the work: clone/release bursts, yielding now and then. */
  async function mainChurn(weak: SharedWeakArc<Int32Array, SharedArrayBuffer>, iterations: number): Promise<number> {
    let violations = 0;
    for (let i = 0; i < iterations; i++) {
      const h = weak.tryAcquire();
      if (h === undefined) return -1;
      const c = h.clone();
      if (Atomics.load(c.get(), 0) !== 1) violations++;
      h.release();
      c.release();
      if (i % 2000 === 0) await new Promise((r) => setImmediate(r));
    }
    return violations;
  }

  it("churn: leases are taken and given back concurrently; the count ends at exactly the home reference", async () => {
    const inboxes = await stressWorkers();
    for (let round = 0; round < 2; round++) {
      const { arc, weak, dropped, drops } = cart(`churn round ${round}`);
      for (const b of inboxes) arc.reclaimOnExit(b.worker);
      const done = inboxes.map(async (b, i) => {
        const job: Job = { mode: "churn", weak: arc.shareWeak(), iterations: ITERATIONS, seed: 100 * round + i };
        b.worker.postMessage(job);
        expect(await b.next()).toEqual({ type: "attached" });
        return b.next();
      });
      const mainViolations = await mainChurn(weak, ITERATIONS / 4);
      const results = await Promise.all(done);
      expect(mainViolations).toBe(0);
      for (const r of results) expect(r).toMatchObject({ type: "done", violations: 0, failures: 0 });
      const taken = results.reduce((n, r) => n + (r.taken as number), 0);
      expect(taken).toBeGreaterThanOrEqual(WORKERS * ITERATIONS);
      expect(Atomics.load(arc.get(), 1)).toBe(taken); // every Worker counted the same references it reported
      // Every Worker gave all its leases back: only the home thread's remains.
      expect(weak.holderCount).toBe(1);
      expect(weak.leaseSlotsInUse).toBe(1);
      expect(arc.strongCount).toBe(1);
      expect(drops()).toBe(0);
      arc.release(); // the last reference is on the home thread: onDrop runs synchronously
      expect(drops()).toBe(1);
      expect(await dropped).toEqual({ thread: threadId, holders: 0 });
      for (const b of inboxes) b.worker.postMessage("probe");
      for (const b of inboxes) expect(await b.next()).toEqual({ type: "probe", acquired: false, dropped: true });
      expect(weak.tryAcquire()).toBeUndefined();
      expect(weak.leaseSlotsInUse).toBe(0);
      expect(drops()).toBe(1);
    }
  });

  it("hold: the home thread lets go first; the last Worker to release triggers one onDrop on the home thread", async () => {
    const inboxes = await stressWorkers();
    for (let round = 0; round < 3; round++) {
      const { arc, weak, dropped, drops } = cart(`hold round ${round}`);
      const attached = inboxes.map(async (b, i) => {
        const job: Job = {
          mode: "hold",
          weak: arc.shareWeak(),
          strong: arc.share(b.worker),
          // Uneven lengths, so a different Worker tends to finish last each round.
          iterations: ITERATIONS / 2 + ((i + round) % WORKERS) * 5_000,
          seed: 1000 * round + i,
          waitForGo: true,
        };
        b.worker.postMessage(job);
        expect(await b.next()).toEqual({ type: "attached" });
      });
      await Promise.all(attached);
      expect(weak.holderCount).toBe(WORKERS + 1);
      const mainViolations = await mainChurn(weak, 2_000);
      for (const b of inboxes) b.worker.postMessage("go");
      arc.release(); // from here on only Workers hold the cart (none has even received "go" yet)
      const results = await Promise.all(inboxes.map((b) => b.next()));
      expect(mainViolations).toBe(0);
      for (const r of results) expect(r).toMatchObject({ type: "done", violations: 0, failures: 0 });
      const drop = await dropped;
      expect(drop).toEqual({ thread: threadId, holders: 0 });
      expect(drops()).toBe(1);
      expect(weak.leaseSlotsInUse).toBe(0);
      for (const b of inboxes) b.worker.postMessage("probe");
      for (const b of inboxes) expect(await b.next()).toEqual({ type: "probe", acquired: false, dropped: true });
      await new Promise((r) => setTimeout(r, 20));
      expect(drops()).toBe(1);
    }
  });
});
