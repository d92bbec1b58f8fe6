import { Bump, struct, t } from "@arenakit/bump";
import { Arc, SharedArc, Yoke, setLeakReporting } from "@arenakit/yoke";
import { defineSuite, type TaskFn } from "../api.ts";
import { accounts } from "../workload.ts";
import type { Msg, Payload } from "./support/yoke-handoff-worker.ts";
import { roundTrip, startTsWorker, type NodeWorker } from "./support/ts-worker.ts";

const Account = struct({ owner: t.str, data: t.bytes, index: t.u64 });
const N = 1000;

/** Starts the case's Worker (see support/ts-worker.ts). */
function startHandoffWorker(): Promise<NodeWorker> {
  return startTsWorker(new URL("./support/yoke-handoff-worker.ts", import.meta.url));
}

let workers: NodeWorker[] = [];

export default defineSuite({
  id: "yoke",
  title: "@arenakit/yoke",
  cases: [
    {
      kind: "time",
      id: "clone-release",
      title: "Reference counting: clone + release",
      op: "1,000 clone + release pairs",
      baseline: "Arc (local)",
      requires: ["sharedArrayBuffer"],
      note:
        "Each call clones a held handle and releases the clone, 1,000 times. A SharedArc counts the handles of each " +
        "thread in a plain number and holds one lease (a bit in shared memory) per thread, so while a thread holds it, " +
        "clone/release touch no shared memory. The lease row times the other path: a thread that holds nothing takes a " +
        "reference through a weak handle (claim a lease slot, set its bit with compare-exchange) and releases it (clear " +
        "the bit, free the slot). Leak reporting is off.",
      setup: () => {
        setLeakReporting(false);
        const local = Arc.new({ n: 1 });
        const shared = SharedArc.new({ n: 1 });
        // For the lease path: another holder keeps the Arc alive while this thread holds nothing.
        const lease = SharedArc.new({ n: 1 });
        lease.share(1_000_000); // a lease "in flight" to a thread that never attaches it
        const weak = lease.downgrade();
        lease.release();
        const counter = { count: 1 };
        let sink = 0;
        return {
          "Arc (local)": () => {
            for (let i = 0; i < N; i++) {
              const c = local.clone();
              sink += c.strongCount;
              c.release();
            }
          },
          "SharedArc (this thread holds it)": () => {
            for (let i = 0; i < N; i++) {
              const c = shared.clone();
              sink += c.strongCount;
              c.release();
            }
          },
          "SharedArc lease (first reference on this thread)": () => {
            for (let i = 0; i < N; i++) {
              const c = weak.tryAcquire()!;
              sink += c.strongCount;
              c.release();
            }
          },
          "plain counter (no handle objects, no checks)": () => {
            for (let i = 0; i < N; i++) {
              counter.count++;
              sink += counter.count;
              counter.count--;
            }
          },
        };
      },
      targets: [
        { subject: "SharedArc (this thread holds it)", metric: "speedup", atLeast: 1 / 3, source: "project goal" },
      ],
    },
    {
      kind: "time",
      id: "checked-get",
      title: "Checked read of a projection: Yoke.get() vs an unchecked field read",
      op: "1,000 projections read",
      baseline: "plain field (unchecked)",
      note:
        "Each call reads one numeric field of 1,000 projections. The baseline keeps each projection in a plain object " +
        "and reads it with no check; Yoke.get() first compares the yoke's state with one integer (throwing after " +
        "release), Arc.get() does the same on a cart handle. Leak reporting is off.",
      setup: () => {
        setLeakReporting(false);
        const cart = Arc.new(new Float64Array(N).map((_, i) => i));
        const yokes = Array.from({ length: N }, (_, i) => Yoke.attachToCart(cart.clone(), (c) => ({ index: c[i]! })));
        const plain = Array.from({ length: N }, (_, i) => ({ y: { index: i } }));
        const arcs = Array.from({ length: N }, (_, i) => Arc.new({ index: i }));
        let sink = 0;
        return {
          "plain field (unchecked)": () => {
            for (let i = 0; i < N; i++) sink += plain[i]!.y.index;
          },
          "Yoke.get()": () => {
            for (let i = 0; i < N; i++) sink += yokes[i]!.get().index;
          },
          "Arc.get()": () => {
            for (let i = 0; i < N; i++) sink += arcs[i]!.get().index;
          },
        };
      },
      targets: [{ subject: "Yoke.get()", metric: "speedup", atLeast: 1 / 1.5, source: "project goal" }],
    },
    {
      kind: "time",
      id: "handoff",
      title: "Hand 100,000 account records to a Worker and read one there",
      op: "one Worker round trip",
      baseline: "postMessage(objects)",
      requires: ["node", "sharedArrayBuffer"],
      note:
        "Each call is a full round trip to a real worker_threads Worker: the main thread posts a message, the Worker " +
        "reads one record and posts a number back, the main thread receives it. Objects: the message holds the 100,000 " +
        "records as objects { owner, data: Uint8Array(128), index: bigint }, so postMessage structured-clones them and " +
        "the Worker deserializes them. SharedArc: the records live in a shared arena; the message holds share(worker) — " +
        "the Arc's control block, a lease and the arena descriptor — and the Worker attaches (adopting the lease and " +
        "mapping the arena's SharedArrayBuffers), reads the record, and releases its reference. `--quick` uses 20,000 records.",
      setup: async ({ quick }) => {
        setLeakReporting(false);
        const n = quick ? 20_000 : 100_000;
        const recs = accounts(n, { dataLength: 128 });
        const objects = recs.map((r) => ({ owner: r.owner, data: r.data, index: BigInt(r.index) }));
        const bump = new Bump({ shared: true });
        const ptrs = new Float64Array(new SharedArrayBuffer(n * 8));
        recs.forEach((r, i) => (ptrs[i] = Account.write(bump, r)));
        const arc = SharedArc.new<{ bump: Bump; ptrs: Float64Array }, Payload>(
          { bump, ptrs },
          { describe: (v) => ({ arena: v.bump.share(), ptrs: v.ptrs }), onDrop: (v) => v.bump.release() },
        );
        const [a, b] = await Promise.all([startHandoffWorker(), startHandoffWorker()]);
        workers = [a!, b!];
        let k = 0;
        let sink = 0;
        const tasks: Record<string, TaskFn> = {
          "postMessage(objects)": async () => {
            k = (k + 7919) % n;
            sink += await roundTrip<number>(a!, { kind: "objects", records: objects, k } satisfies Msg);
          },
          "SharedArc descriptor + attach": async () => {
            k = (k + 7919) % n;
            sink += await roundTrip<number>(b!, { kind: "arc", desc: arc.share(b!), k } satisfies Msg);
          },
        };
        return tasks;
      },
      teardown: () => {
        for (const w of workers) void w.terminate();
        workers = [];
      },
      targets: [{ subject: "SharedArc descriptor + attach", metric: "speedup", atLeast: 200, source: "project goal" }],
    },
  ],
});
