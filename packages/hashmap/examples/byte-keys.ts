// Byte-key example for the hash map chapter (run by test/examples.test.ts).

// #region byte-keys
import { Bump, t } from "@arenakit/bump";
import { ArenaBytesMap } from "@arenakit/hashmap";

export function byteKeys(): { lamports: number | undefined; size: number } {
  // keys: 32-byte ids as they arrive
  const ids = new ArenaBytesMap(new Bump(), { value: t.f64 });
  const id = new Uint8Array(32).fill(7);
  ids.set(id, 1_000_000);
  // the map copied the key: changing the caller's array does not move the entry
  id[0] = 1;
  ids.set(id, 5);
  return { lamports: ids.get(new Uint8Array(32).fill(7)), size: ids.size };
  // → { lamports: 1_000_000, size: 2 }
}
// #endregion byte-keys
