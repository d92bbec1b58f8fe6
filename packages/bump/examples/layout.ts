// Record layouts: one schema gives the owned type, the input type and a
// zero-copy view type. Used by "The bump arena" chapter.

// #region schema
import { Bump, struct, t, type Owned, type View } from "@arenakit/bump";

export const Account = struct({ owner: t.str, data: t.bytes, index: t.u64 });

// Both types are derived from the one declaration above; nothing is written twice.
// { owner: string; data: Uint8Array; index: bigint }
export type Account = Owned<typeof Account.schema>;
// read-only, decoded on access, data zero-copy
export type AccountView = View<typeof Account.schema>;
// #endregion schema

// #region write-read
export function roundTrip(): { owned: Account; size: number } {
  const bump = new Bump();
  const data = new Uint8Array([0, 3, 6]);
  const p = Account.write(bump, { owner: "Sparky-11", data, index: 11 });
  // a plain object: strings decoded, bytes copied out
  const owned = Account.read(bump, p);
  // 24 bytes: two 8-byte pointers and a u64
  return { owned, size: Account.size };
  // → { owned: { owner: "Sparky-11", data: new Uint8Array([0, 3, 6]), index: 11n },
  //     size: 24 }
}
// #endregion write-read

// #region view
export function viewIsZeroCopy(): { owner: string; first: number; index: bigint } {
  const bump = new Bump();
  const data = new Uint8Array([1, 2, 3, 4]);
  const p = Account.write(bump, { owner: "Rusty-03", data, index: 7n });
  const view: AccountView = Account.view(bump, p);
  view.data[0] = 42; // the Uint8Array aliases the arena
  const first = Account.get(bump, p, "data")[0]!;
  return { owner: view.owner, first, index: view.index };
  // → { owner: "Rusty-03", first: 42, index: 7n }
}
// #endregion view

// #region stale
export function staleView(): string {
  const bump = new Bump();
  const p = Account.write(bump, { owner: "a", data: new Uint8Array(1), index: 1 });
  const view = Account.view(bump, p);
  bump.reset();
  try {
    return view.owner;
  } catch (err) {
    return (err as Error).name; // → "StalePointerError"
  }
}
// #endregion stale
