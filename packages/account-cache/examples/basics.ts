// The account cache, step by step: the code shown in the "Putting it
// together" chapter. Every function is run by test/examples.test.ts.

// #region build
import {
  AccountsBuilder,
  InvalidAccountError,
  SlotOrderError,
  projectAccount,
  type FrozenAccounts,
} from "@arenakit/account-cache";
// The rolling window uses node:worker_threads, so it has its own entry point.
import { RollingAccountCache } from "@arenakit/account-cache/node";

export function buildSlot(): FrozenAccounts {
  const builder = new AccountsBuilder(42n); // one arena for the whole slot
  builder.insertAccount("acct-rusty", "Rusty-03", 7, new Uint8Array([1, 2, 3, 4]));
  const data = new Uint8Array([0, 3, 6, 9, 12]);
  builder.insertAccount("acct-sparky", "Sparky-11", 11n, data);
  return builder.finish(); // read-only from now on, and reference-counted
}
// #endregion build

// #region read
type Read = {
  owner: string;
  data: number[];
  index: bigint;
  size: number;
  ids: string[];
};

export function readSlot(): Read {
  using accounts = buildSlot(); // released at the end of the block
  // a zero-copy view, valid while `accounts` is
  const sparky = accounts.get("acct-sparky")!;
  return {
    owner: sparky.owner,
    data: Array.from(sparky.data),
    index: sparky.index,
    size: accounts.size,
    ids: [...accounts.keys()].sort(),
  };
  // → { owner: "Sparky-11", data: [0, 3, 6, 9, 12], index: 11n, size: 2,
  //     ids: ["acct-rusty", "acct-sparky"] }
}
// #endregion read

// #region project
export function projectOutlivesTheEntry(): { id: string; owner: string; slot: bigint } {
  const accounts = buildSlot();
  const selected = projectAccount(accounts, "acct-rusty")!; // takes its own reference
  accounts.release(); // the entry stays alive: the selection still holds it
  try {
    return { id: selected.id, owner: selected.account.owner, slot: selected.slot };
  } finally {
    selected.release(); // the last reference: the arena goes back now
  }
  // → { id: "acct-rusty", owner: "Rusty-03", slot: 42n }
}
// #endregion project

// #region rolling
type RollingResult = {
  slots: bigint[];
  latest: bigint | undefined;
  owner: string | undefined;
};

export function rollingWindow(): RollingResult {
  using cache = new RollingAccountCache({ window: 3 });
  for (let slot = 100n; slot < 105n; slot++) {
    const b = cache.builder(slot); // its arena takes chunks from the cache's pool
    b.insertAccount(`acct-${slot % 2n}`, `owner-${slot}`, slot, new Uint8Array(8));
    // the cache takes over the reference; the oldest slot beyond 3 is released
    cache.push(b.finish());
  }
  using selected = cache.project("acct-0"); // newest slot that has it
  return {
    slots: cache.slots(),
    latest: cache.latest("acct-1"),
    owner: selected?.account.owner,
  };
  // → { slots: [104n, 103n, 102n], latest: 103n, owner: "owner-104" }
}
// #endregion rolling

// #region errors
export function badInput(): string[] {
  const codes: string[] = [];
  const builder = new AccountsBuilder(1n);
  try {
    // a lone surrogate
    builder.insertAccount("id-\ud800", "owner", 1, new Uint8Array());
  } catch (err) {
    if (err instanceof InvalidAccountError) codes.push(err.code);
  }
  using cache = new RollingAccountCache({ window: 2 });
  cache.push(builder.finish());
  const old = new AccountsBuilder(0n).finish();
  try {
    cache.push(old); // slots must arrive in order
  } catch (err) {
    if (err instanceof SlotOrderError) codes.push(err.code);
  } finally {
    old.release();
  }
  return codes; // → ["ERR_ACCOUNTS_INVALID_ARGUMENT", "ERR_ACCOUNTS_SLOT_ORDER"]
}
// #endregion errors
