// FrozenAccounts on disk: the code shown in the "Arenas on disk" chapter.
// Every function is run by test/snapshot-examples.test.ts.
import { join } from "node:path";

// #region save-load
import { AccountsBuilder, FrozenAccounts } from "@arenakit/account-cache";

export async function saveAndLoad(dir: string): Promise<{ bytes: number; owner: string; size: number }> {
  const builder = new AccountsBuilder(42n);
  builder.insertAccount("acct-sparky", "Sparky-11", 11n, new Uint8Array([0, 3, 6, 9, 12]));
  using built = builder.finish();
  const file = join(dir, "slot-42.arenakit");
  const bytes = await built.save(file); // temporary file, fsync, rename

  using loaded = await FrozenAccounts.load(file); // one read per chunk, every chunk checked
  return { bytes, owner: loaded.get("acct-sparky")!.owner, size: loaded.size };
}
// #endregion save-load

// #region limits
import { SnapshotError } from "@arenakit/bump";

export function refuseLarge(dir: string): string {
  const file = join(dir, "slot-43.arenakit");
  using built = new AccountsBuilder(43n).insertAccount("a", "o", 1, new Uint8Array(4096)).finish();
  built.saveSync(file);
  try {
    FrozenAccounts.loadSync(file, { maxBytes: 1024 }); // refused before anything is allocated
    return "loaded";
  } catch (err) {
    return err instanceof SnapshotError ? err.problem : "other"; // "too-large"
  }
}
// #endregion limits
