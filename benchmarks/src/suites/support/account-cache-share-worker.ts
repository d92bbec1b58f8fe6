// Worker of the account-cache "share" case: receives one slot's accounts in
// the form under test, reads one account, and replies with a number. Each
// message is one timed round trip (see suites/account-cache.ts).
import { parentPort } from "node:worker_threads";
import { FrozenAccounts, type FrozenAccountsDescriptor } from "@arenakit/account-cache";
import { setLeakReporting } from "@arenakit/yoke";
import { LRUCache } from "lru-cache";
import type { AccountObject } from "./account-cache-input.ts";

export type ShareMsg =
  /** The slot's Map, structured-cloned by postMessage. */
  | { readonly kind: "map"; readonly accounts: Map<string, AccountObject>; readonly id: string }
  /** An lru-cache's `dump()`, loaded into a new cache here. */
  | { readonly kind: "lru"; readonly dump: [string, LRUCache.Entry<AccountObject>][]; readonly max: number; readonly id: string }
  /** A FrozenAccounts reference made by `share(worker)`. */
  | { readonly kind: "frozen"; readonly desc: FrozenAccountsDescriptor; readonly id: string };

setLeakReporting(false);
const port = parentPort!;

function read(a: { readonly data: Uint8Array } | undefined): number {
  if (a === undefined) return -1;
  const d = a.data;
  return d.length + (d[0] ?? 0);
}

port.on("message", (m: ShareMsg) => {
  if (m.kind === "map") {
    port.postMessage(read(m.accounts.get(m.id)));
  } else if (m.kind === "lru") {
    const lru = new LRUCache<string, AccountObject>({ max: m.max });
    lru.load(m.dump);
    port.postMessage(read(lru.get(m.id)));
  } else {
    using frozen = FrozenAccounts.fromShared(m.desc);
    port.postMessage(read(frozen.get(m.id)));
  }
});
port.postMessage("ready");
