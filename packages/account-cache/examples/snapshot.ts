// FrozenAccounts on disk: the code shown in the "Arenas on disk" chapter.
// Every function is run by test/snapshot-examples.test.ts.
import { join } from "node:path";

// #region save-load
import { AccountsBuilder, FrozenAccounts } from "@arenakit/account-cache";

type Loaded = { bytes: number; owner: string; size: number };

export async function saveAndLoad(dir: string): Promise<Loaded> {
  const builder = new AccountsBuilder(42n);
  const data = new Uint8Array([0, 3, 6, 9, 12]);
  builder.insertAccount("acct-sparky", "Sparky-11", 11n, data);
  using built = builder.finish();
  const file = join(dir, "slot-42.arenakit");
  const bytes = await built.save(file); // temporary file, fsync, rename

  // one read per chunk, every chunk checked
  using loaded = await FrozenAccounts.load(file);
  const owner = loaded.get("acct-sparky")!.owner; // → "Sparky-11"
  const size = loaded.size; // → 1
  return { bytes, owner, size };
}
// #endregion save-load

// #region limits
import { SnapshotError } from "@arenakit/bump";

export function refuseLarge(dir: string): string {
  const file = join(dir, "slot-43.arenakit");
  const b = new AccountsBuilder(43n).insertAccount("a", "o", 1, new Uint8Array(4096));
  using built = b.finish();
  built.saveSync(file);
  try {
    // refused before anything is allocated
    FrozenAccounts.loadSync(file, { maxBytes: 1024 });
    return "loaded";
  } catch (err) {
    return err instanceof SnapshotError ? err.problem : "other"; // → "too-large"
  }
}
// #endregion limits
