// Isolated workload of the account-cache memory / GC case: one slot of N
// accounts of the seeded workload held as a Map<string, {owner, data, index}>,
// in an lru-cache, or as a FrozenAccounts. Runs alone in a child process
// started with --expose-gc (see src/isolated.ts).
import { AccountsBuilder, FrozenAccounts } from "@arenakit/account-cache";
import { ArenaHashMap } from "@arenakit/hashmap";
import { LRUCache } from "lru-cache";
import type { Built } from "../api.ts";
import { InputReader, arenaBytesFor, makeInput, type AccountInput, type AccountObject } from "../suites/support/account-cache-input.ts";

/** Largest chunk a Bump accepts (offsets are 32-bit). */
const MAX_CHUNK = 2 ** 32 - 65536;
const VARIANTS = ["Map", "lru-cache", "FrozenAccounts (no options)", "FrozenAccounts", "FrozenAccounts, sized"];

// The input for this process, made at load time: the runner passes
// `<variant> <records>`, and loading happens before the measured build, so
// generating the ids is neither timed nor counted (the input stays alive).
const records = Number(process.argv[3]);
const prepared = Number.isSafeInteger(records) && records > 0 ? makeInput(records) : undefined;
// Run every variant once on a small input first, so compiled code and type
// feedback (which the heap figure would otherwise count) exist beforehand.
if (prepared !== undefined) {
  const warm = makeInput(2000, 7);
  for (const v of VARIANTS) {
    const { hold } = buildFrom(v, warm);
    if (hold instanceof FrozenAccounts) hold.release();
  }
  AccountsBuilder.defaultPool.clear(); // the warm-up's chunks: not part of any figure
}

export function build(variant: string, n: number): Built {
  const input = prepared?.n === n ? prepared : makeInput(n);
  return buildFrom(variant, input);
}

function buildFrom(variant: string, input: AccountInput): Built {
  const n = input.n;
  const r = new InputReader(input);
  if (variant === "Map") {
    const map = new Map<string, AccountObject>();
    for (let i = 0; i < n; i++) map.set(r.id(i), { owner: r.owner(i), data: r.data(i).slice(), index: BigInt(i) });
    return { hold: map, payloadBytes: input.payloadBytes };
  }
  if (variant === "lru-cache") {
    const lru = new LRUCache<string, AccountObject>({ max: n });
    for (let i = 0; i < n; i++) lru.set(r.id(i), { owner: r.owner(i), data: r.data(i).slice(), index: BigInt(i) });
    return { hold: lru, payloadBytes: input.payloadBytes };
  }
  if (variant === "FrozenAccounts (no options)") {
    // What a newcomer writes: no capacity, no pool (the default pool, empty in this fresh process).
    const b = new AccountsBuilder(1n);
    for (let i = 0; i < n; i++) b.insertAccount(r.id(i), r.owner(i), i, r.data(i));
    const frozen = b.finish();
    return { hold: frozen, arenaBytes: frozen.byteLength, payloadBytes: input.payloadBytes };
  }
  if (variant === "FrozenAccounts" || variant === "FrozenAccounts, sized") {
    // Sized: the first chunk is taken at the entry's size (an upper bound
    // computed from the input), so no chunk is left half empty.
    const sized = variant === "FrozenAccounts, sized";
    const chunk = Math.min(MAX_CHUNK, arenaBytesFor(input, ArenaHashMap.tableBytes(n)));
    const b = new AccountsBuilder(1n, { capacity: n, ...(sized ? { initialChunkSize: chunk } : {}) });
    for (let i = 0; i < n; i++) b.insertAccount(r.id(i), r.owner(i), i, r.data(i));
    const frozen = b.finish();
    return { hold: frozen, arenaBytes: frozen.byteLength, payloadBytes: input.payloadBytes };
  }
  throw new Error(`unknown variant ${variant}`);
}
