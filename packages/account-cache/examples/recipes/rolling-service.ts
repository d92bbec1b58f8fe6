// Recipe: a rolling slot cache served by a pool of Worker threads.
//
// The main thread receives a stream of slots (simulated here: a new slot of
// 5,000 accounts every 20 ms), builds each one into its own arena and pushes
// it into a RollingAccountCache that keeps the newest 8. A small pool of
// Workers answers lookups ("which owner and how much data does account X
// have, in the newest slot that has it?") straight out of the shared arenas:
// nothing is copied to them, ever. Each Worker attaches once; it sees every
// push and eviction, and an evicted slot is freed only when no Worker is
// still reading it.
//
// Pool libraries (piscina, tinypool) hide their Worker objects, but the cache
// must know each reader's Worker: its port, and reclaiming its references if
// it dies. So the pool here is twenty lines of our own.
//
// Run it from the repository root:
//   npx tsx --conditions=@arenakit/source \
//     packages/account-cache/examples/recipes/rolling-service.ts
// #region accounts
import { pathToFileURL } from "node:url";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import {
  RollingAccountCache,
  type RollingCacheDescriptor,
} from "@arenakit/account-cache/node";

const ROLE = "rolling-service-reader";

/** A lookup answer: plain data, cheap to post back. */
export interface Answer {
  readonly id: string;
  readonly slot: string;
  readonly owner: string;
  readonly index: string;
  readonly dataLength: number;
  readonly checksum: number;
}

/** Deterministic accounts, so the answers can be checked. */
export function accountOf(
  slot: bigint,
  i: number,
): { id: string; owner: string; index: bigint; data: Uint8Array } {
  const data = new Uint8Array((i * 13) % 200);
  for (let k = 0; k < data.length; k++) data[k] = (i + k + Number(slot)) & 0xff;
  return {
    id: `acct-${i}`,
    owner: `program-${i % 5}`,
    index: slot * 10_000n + BigInt(i),
    data,
  };
}

export function checksum(bytes: Uint8Array): number {
  let h = 0;
  for (const b of bytes) h = (h * 31 + b) >>> 0;
  return h;
}
// #endregion accounts

// #region reader
function readerMain(): void {
  let cache: RollingAccountCache | undefined;
  parentPort!.on(
    "message",
    (msg: { desc?: RollingCacheDescriptor; req?: number; id?: string }) => {
      if (msg.desc !== undefined) {
        cache = RollingAccountCache.attach(msg.desc); // read-only, zero-copy
        return;
      }
      // The selection holds a reference to its slot while we read it; `using`
      // gives it back when this handler returns, so eviction can free it.
      using hit = cache!.project(msg.id!);
      const answer: Answer | null =
        hit === undefined
          ? null
          : {
              id: hit.id,
              slot: String(hit.slot),
              owner: hit.account.owner,
              index: String(hit.account.index),
              dataLength: hit.account.data.length,
              checksum: checksum(hit.account.data),
            };
      parentPort!.postMessage({ req: msg.req, answer });
    },
  );
}
// #endregion reader

// #region pool
/** Round-robin requests over a few Workers, each attached to the cache once. */
class ReaderPool {
  private readonly workers: Worker[];
  private readonly pending = new Map<number, (a: Answer | null) => void>();
  private next = 0;
  private seq = 0;

  constructor(cache: RollingAccountCache, size: number) {
    this.workers = Array.from({ length: size }, () => startSelf());
    for (const w of this.workers) {
      // the cache learns this Worker: its port, and its exit
      const desc = cache.share(w);
      w.postMessage({ desc }, [desc.port]);
      w.on("message", (m: { req: number; answer: Answer | null }) => {
        this.pending.get(m.req)?.(m.answer);
        this.pending.delete(m.req);
      });
    }
  }

  lookup(id: string): Promise<Answer | null> {
    const req = this.seq++;
    const w = this.workers[this.next++ % this.workers.length]!;
    return new Promise((resolve) => {
      this.pending.set(req, resolve);
      w.postMessage({ req, id });
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/** Starts this file as a Worker (under tsx, the Worker registers tsx first). */
function startSelf(): Worker {
  const url = import.meta.url;
  const data = { role: ROLE };
  if (url.endsWith(".ts")) {
    const boot =
      `import("tsx/esm/api").then((m) => { m.register(); ` +
      `return import(${JSON.stringify(url)}); });`;
    return new Worker(boot, { eval: true, workerData: data });
  }
  return new Worker(new URL(url), { workerData: data });
}

// #endregion pool

// #region service
/**
 * Runs the service for `slots` slots, answering `lookupsPerSlot` lookups per slot;
 * returns what it saw.
 */
export async function main(slots = 24, lookupsPerSlot = 50, accountsPerSlot = 5000) {
  const cache = new RollingAccountCache({ window: 8 });
  const pool = new ReaderPool(cache, 2);
  let answered = 0;
  let wrong = 0;
  try {
    for (let s = 1n; s <= BigInt(slots); s++) {
      const builder = cache.builder(s, { capacity: accountsPerSlot });
      // Each slot carries a subset of the accounts (slot s skips every s-th),
      // so "the newest slot that has it" varies.
      for (let i = 0; i < accountsPerSlot; i++) {
        if (i % Number(s) === 0 && s > 1n) continue;
        const a = accountOf(s, i);
        builder.insertAccount(a.id, a.owner, a.index, a.data);
      }
      cache.push(builder.finish());
      const asks = Array.from(
        { length: lookupsPerSlot },
        (_, k) => (k * 7919 + Number(s)) % accountsPerSlot,
      );
      const answers = await Promise.all(asks.map((i) => pool.lookup(`acct-${i}`)));
      for (const [k, answer] of answers.entries()) {
        // absent from every slot in the window: possible, never wrong
        if (answer === null) continue;
        const slot = BigInt(answer.slot);
        const want = accountOf(slot, asks[k]!);
        answered++;
        if (
          answer.owner !== want.owner ||
          answer.index !== String(want.index) ||
          answer.checksum !== checksum(want.data)
        ) {
          wrong++;
        }
      }
      await new Promise((r) => setTimeout(r, 20)); // the next slot arrives
    }
  } finally {
    // terminated readers lose their references: nothing stays pinned
    await pool.close();
    cache.release();
  }
  const deadline = Date.now() + 5000;
  // Terminated Workers' references are reclaimed asynchronously: wait (bounded).
  while (cache.stats().pinnedEntries > 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 5));
  }
  return { answered, wrong, stats: cache.stats() };
}
// #endregion service

// #region entry
if (!isMainThread && (workerData as { role?: string } | null)?.role === ROLE) {
  readerMain();
} else if (
  isMainThread &&
  process.argv[1] !== undefined &&
  import.meta.url === pathToFileURL(process.argv[1]).href
) {
  const { answered, wrong, stats } = await main();
  console.log(`${answered} lookups answered by the Worker pool, ${wrong} wrong`);
  // → 1200 lookups answered by the Worker pool, 0 wrong
  console.log(`after shutdown: ${stats.pinnedEntries} entries pinned`);
  // → after shutdown: 0 entries pinned
  const { buffers, reused } = stats.pool;
  console.log(`the chunk pool holds ${buffers} buffers; it was reused ${reused} times`);
  // → the chunk pool holds 0 buffers; it was reused … times
}
// #endregion entry
