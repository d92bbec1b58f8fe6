// Recipe: warm restart of a rolling cache.
//
// A service keeps the last few slots of accounts in a RollingAccountCache.
// Rebuilding them after a restart means re-reading every account from
// upstream; persisting the window on shutdown and reopening it on start takes
// one read per chunk instead, with every chunk checked.
//
// Run it from the repository root:
//   npx tsx --conditions=@arenakit/source \
//     packages/account-cache/examples/recipes/warm-restart.ts
// #region ingest
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { SnapshotError } from "@arenakit/bump";
import { RollingAccountCache } from "@arenakit/account-cache/node";

const WINDOW = 4;

/** The accounts of one slot, as they would arrive from upstream. */
function ingest(cache: RollingAccountCache, slot: bigint, accounts: number): void {
  const builder = cache.builder(slot, { capacity: accounts });
  for (let i = 0; i < accounts; i++) {
    builder.insertAccount(
      `acct-${i}`,
      `owner-${i % 5}`,
      slot * 1_000_000n + BigInt(i),
      new Uint8Array([Number(slot % 256n), i & 0xff]),
    );
  }
  // push() makes the slot the newest; the oldest beyond WINDOW is released.
  cache.push(builder.finish());
}
// #endregion ingest

// #region life
/** A service's life: run, stop (persisting the window), reopen it, run on. */
export async function main(
  dir: string,
  accounts = 20_000,
): Promise<{ before: bigint[]; after: bigint[]; index: bigint; reopenMs: number }> {
  // First run: ingest slots as they come; the cache keeps the newest WINDOW.
  const cache = new RollingAccountCache({ window: WINDOW });
  for (let slot = 100n; slot < 106n; slot++) ingest(cache, slot, accounts);
  const before = cache.slots();

  // Shutdown: one file per slot, written safely (temporary file, then rename).
  await cache.persist(dir);
  cache.release();

  // Start: the window comes back from disk, checked, with no per-account work.
  const t0 = performance.now();
  let restarted: RollingAccountCache;
  try {
    restarted = await RollingAccountCache.reopen(dir, { window: WINDOW });
  } catch (err) {
    // A damaged or foreign file: start cold rather than serve wrong data.
    if (!(err instanceof SnapshotError)) throw err;
    console.warn(`starting cold: ${err.message}`);
    restarted = new RollingAccountCache({ window: WINDOW });
  }
  const reopenMs = performance.now() - t0;
  ingest(restarted, 106n, accounts); // and the service rolls on
  // project() pins the newest slot holding the account until release().
  const selected = restarted.project("acct-7")!;
  const index = selected.account.index;
  selected.release();
  const after = restarted.slots();
  await restarted.persist(dir);
  restarted.release();
  return { before, after, index, reopenMs };
}
// #endregion life

// #region main
if (
  process.argv[1] !== undefined &&
  import.meta.url === pathToFileURL(process.argv[1]).href
) {
  const dir = mkdtempSync(join(tmpdir(), "warm-restart-"));
  try {
    const { before, after, index, reopenMs } = await main(dir);
    console.log(`window before the restart: ${before.join(", ")}`);
    // → window before the restart: 105, 104, 103, 102
    console.log(`reopened in ${reopenMs.toFixed(1)} ms`); // → reopened in … ms
    console.log(`after slot 106 arrived: ${after.join(", ")}`);
    // → after slot 106 arrived: 106, 105, 104, 103
    console.log(`acct-7 in the newest slot has index ${index}`);
    // → acct-7 in the newest slot has index 106000007
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
// #endregion main
