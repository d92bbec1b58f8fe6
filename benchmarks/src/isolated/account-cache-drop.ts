// Measuring script of the account-cache "drop" case, run alone in a child
// process started with --expose-gc (see src/child-process.ts):
// `node account-cache-drop.mjs <variant> <records> <reps>`.
//
// Each repetition builds one slot of N accounts (not timed), collects the
// heap three times, then times the drop itself (the statement a user writes)
// and the drop followed by one full GC, which is when the memory really
// comes back. Prints one JSON line with the medians.
import { AccountsBuilder, type FrozenAccounts } from "@arenakit/account-cache";
import { ChunkPool } from "@arenakit/bump";
import { LRUCache } from "lru-cache";
import { InputReader, makeInput, type AccountObject } from "../suites/support/account-cache-input.ts";

/** What a repetition holds, and how it is dropped. */
interface Held {
  drop(): void;
}

const [variant = "", recordsArg = "0", repsArg = "5"] = process.argv.slice(2);
const records = Number(recordsArg);
const reps = Number(repsArg);
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error("the drop case needs --expose-gc");

const input = makeInput(records);
const r = new InputReader(input);
const pool = new ChunkPool({ shared: true, maxBytes: 4 * 1024 * 1024 * 1024 });

function objects(): AccountObject[] {
  const out: AccountObject[] = [];
  for (let i = 0; i < records; i++) out.push({ owner: r.owner(i), data: r.data(i).slice(), index: BigInt(i) });
  return out;
}

function frozen(pooled: boolean): FrozenAccounts {
  const b = new AccountsBuilder(1n, { capacity: records, ...(pooled ? { pool } : {}) });
  for (let i = 0; i < records; i++) b.insertAccount(r.id(i), r.owner(i), i, r.data(i));
  return b.finish();
}

function make(): Held {
  switch (variant) {
    case "Map": {
      const values = objects();
      const holder: { map?: Map<string, AccountObject> } = { map: new Map() };
      for (let i = 0; i < records; i++) holder.map!.set(r.id(i), values[i]!);
      // Dropping a Map is forgetting it: the cost comes with the next full GC.
      return { drop: () => delete holder.map };
    }
    case "lru-cache": {
      const values = objects();
      const lru = new LRUCache<string, AccountObject>({ max: records });
      for (let i = 0; i < records; i++) lru.set(r.id(i), values[i]!);
      return { drop: () => lru.clear() };
    }
    case "FrozenAccounts.release()": {
      const f = frozen(false);
      return { drop: () => f.release() };
    }
    case "FrozenAccounts.release(), pooled": {
      const f = frozen(true);
      return { drop: () => f.release() };
    }
    default:
      throw new Error(`unknown variant ${variant}`);
  }
}

function settle(): void {
  for (let i = 0; i < 3; i++) gc!();
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

// One unmeasured round first, so compiled code exists and a pool is warm.
make().drop();
settle();
const dropMs: number[] = [];
const reclaimMs: number[] = [];
for (let k = 0; k < reps; k++) {
  const held = make();
  settle();
  const t0 = performance.now();
  held.drop();
  const t1 = performance.now();
  gc();
  const t2 = performance.now();
  dropMs.push(t1 - t0);
  reclaimMs.push(t2 - t0);
}
process.stdout.write(
  `${JSON.stringify({ dropMs: median(dropMs), reclaimMs: median(reclaimMs) })}\n`,
);
