// Recipe: sharing a frozen map with Workers.
//
// A lookup table built once (a price list, a routing table, an allow-list of
// a million ids) and then read by every Worker of a service. Posting it as a
// Map would structured-clone every entry into every Worker. Built in a shared
// arena, it is handed over as two small objects: the arena's descriptor and
// the map's handle. Each Worker attaches a read-only view of the same memory.
//
// Run it from the repository root:
//   npx tsx --conditions=@arenakit/source \
//     packages/hashmap/examples/recipes/shared-map.ts
// #region setup
import { pathToFileURL } from "node:url";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import { ArenaReader, Bump, struct, t, type ArenaDescriptor } from "@arenakit/bump";
import { ArenaHashMap, type HashMapHandle } from "@arenakit/hashmap";

const ROLE = "shared-map-reader";
export const Price = struct({ cents: t.u32, currency: t.str });

/** What the owner posts: everything a reader needs, nothing copied. */
interface Shared {
  readonly arena: ArenaDescriptor;
  readonly map: HashMapHandle;
}
// #endregion setup

// #region reader
function readerMain(): void {
  const { arena, map } = (workerData as { shared: Shared }).shared;
  const prices = ArenaHashMap.attach(ArenaReader.attach(arena), map, { value: Price });
  parentPort!.on("message", (skus: string[]) => {
    let total = 0;
    // a zero-copy view per hit
    for (const sku of skus) total += prices.get(sku)?.cents ?? 0;
    parentPort!.postMessage(total);
  });
}

function startReader(shared: Shared): Worker {
  const url = import.meta.url;
  const data = { role: ROLE, shared };
  if (url.endsWith(".ts")) {
    // Run from TypeScript source: the Worker registers tsx before importing this file.
    const boot =
      `import("tsx/esm/api").then((m) => { m.register(); ` +
      `return import(${JSON.stringify(url)}); });`;
    return new Worker(boot, { eval: true, workerData: data });
  }
  // Built to JavaScript, the file is its own Worker entry.
  return new Worker(new URL(url), { workerData: data });
}
// #endregion reader

// #region owner
export async function main(
  entries = 200_000,
  workers = 2,
): Promise<{ totals: number[]; expected: number }> {
  // Build once, in shared memory, sized up front so that no outgrown table
  // is left behind in the arena.
  const arena = new Bump({ shared: true });
  const prices = new ArenaHashMap(arena, { value: Price, capacity: entries });
  for (let i = 0; i < entries; i++) {
    prices.set(`sku-${i}`, { cents: i % 1000, currency: "EUR" });
  }
  // Freeze: from here on nobody writes, so readers need no locks.
  const shared: Shared = { arena: arena.share(), map: prices.handle() };
  const pool = Array.from({ length: workers }, () => startReader(shared));
  const basket = Array.from({ length: 1000 }, (_, k) => `sku-${(k * 7919) % entries}`);
  const expected = basket.reduce((sum, sku) => sum + (prices.get(sku)?.cents ?? 0), 0);
  try {
    const totals = await Promise.all(
      pool.map(
        (w) =>
          new Promise<number>((resolve, reject) => {
            w.once("message", resolve);
            w.once("error", reject);
            w.postMessage(basket);
          }),
      ),
    );
    return { totals, expected };
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
    // The readers are gone: only now may the owner free the memory.
    prices.release();
    arena.release();
  }
}
// #endregion owner

// #region main
if (!isMainThread && (workerData as { role?: string } | null)?.role === ROLE) {
  readerMain();
} else if (
  isMainThread &&
  process.argv[1] !== undefined &&
  import.meta.url === pathToFileURL(process.argv[1]).href
) {
  const { totals, expected } = await main();
  // Each Worker read the owner's map in place and got the owner's answer.
  console.log(`the Workers' totals: ${totals.join(", ")} cents`);
  // → the Workers' totals: 499500, 499500 cents
  console.log(`the owner's total: ${expected} cents`);
  // → the owner's total: 499500 cents
}
// #endregion main
