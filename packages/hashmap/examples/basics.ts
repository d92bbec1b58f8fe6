// Examples shown in the "An allocator-aware hash map" chapter. Each region is
// imported by the docs and each function is run by test/examples.test.ts.

// #region new-in
import { Bump, EncodingError, struct, t } from "@arenakit/bump";
import { ArenaHashMap, ConcurrentModificationError } from "@arenakit/hashmap";

const Account = struct({ owner: t.str, data: t.bytes, index: t.u64 });

type NewIn = { owner: string; index: bigint; key: string; entries: number };

export function newIn(): NewIn {
  // the allocator: released (with the whole map) at scope exit
  using arena = new Bump();
  // hashbrown's HashMap::new_in(&bump)
  const accounts = new ArenaHashMap(arena, { value: Account });

  const bytes = (...b: number[]): Uint8Array => new Uint8Array(b);
  accounts.set("acct-rusty", { owner: "Rusty-03", data: bytes(1, 2, 3, 4), index: 7 });
  accounts.set("acct-sparky", {
    owner: "Sparky-11",
    data: bytes(0, 3, 6, 9, 12),
    index: 11,
  });

  // a zero-copy view: fields are read from the arena
  const sparky = accounts.get("acct-sparky")!;
  // get_key_value: the key as stored in the arena (a StrPtr), not a copy of the
  // argument
  const [key] = accounts.getKeyValue("acct-sparky")!;
  return {
    owner: sparky.owner,
    index: sparky.index,
    key: arena.readStr(key),
    entries: accounts.size,
  };
  // → { owner: "Sparky-11", index: 11n, key: "acct-sparky", entries: 2 }
}
// #endregion new-in

// #region values
type Returns = { hits: number; view: number[]; copy: number[]; record: object };

export function whatGetReturns(): Returns {
  const arena = new Bump();
  // numbers come back as numbers
  const hits = new ArenaHashMap(arena, { value: t.u32 });
  hits.set("/index.html", 1);
  hits.set("/index.html", (hits.get("/index.html") ?? 0) + 1);

  const blobs = new ArenaHashMap(arena, { value: t.bytes });
  blobs.set("k", new Uint8Array([1, 2, 3]));
  // aliases arena memory: no copy, valid while the entry lives
  const view = blobs.get("k")!;
  const copy = blobs.getOwned("k")!; // an owned copy that outlives the arena
  view[0] = 42; // writes through the view change the stored value

  const accounts = new ArenaHashMap(arena, { value: Account });
  accounts.set("acct", { owner: "Zed", data: new Uint8Array([5]), index: 1 });
  // a plain object, strings decoded and bytes copied
  const record = accounts.getOwned("acct")!;
  return {
    hits: hits.get("/index.html")!,
    view: Array.from(blobs.get("k")!),
    copy: Array.from(copy),
    record,
  };
  // → { hits: 2, view: [42, 2, 3], copy: [1, 2, 3],
  //     record: { owner: "Zed", data: new Uint8Array([5]), index: 1n } }
}
// #endregion values

// #region find
export function hotPath(ids: readonly string[]): number {
  const arena = new Bump();
  const balances = new ArenaHashMap(arena, { value: t.f64, capacity: ids.length });
  ids.forEach((id, i) => balances.set(id, i * 1.5));

  let total = 0;
  for (const id of ids) {
    // a number: the entry's address, or 0 (nothing allocated)
    const entry = balances.find(id);
    if (entry === 0) continue;
    const p = balances.valuePtr(entry); // where the value sits inside the entry
    // read-modify-write without a second lookup
    arena.writeF64(p, arena.readF64(p) + 1);
    total += arena.readF64(p);
  }
  return total;
}
// #endregion find

// #region iteration
export function iterationRules(): { error: string; kept: string[] } {
  const map = new ArenaHashMap(new Bump(), { value: t.u32 });
  for (const [k, v] of [["a", 1], ["b", 2], ["c", 3], ["d", 4]] as const) map.set(k, v);
  let error = "none";
  try {
    // under a live iterator
    for (const key of map.keys()) if (map.get(key)! % 2 === 0) map.delete(key);
  } catch (err) {
    // thrown at the next step
    if (err instanceof ConcurrentModificationError) error = err.code;
  }
  map.retain((_, v) => v % 2 === 1); // the way to remove while walking
  return { error, kept: [...map.keys()].sort() };
  // → { error: "ERR_HASHMAP_CONCURRENT_MODIFICATION", kept: ["a", "c"] }
}
// #endregion iteration

// #region surrogates
export function loneSurrogates(): { stored: number; rejected: string; found: boolean } {
  const map = new ArenaHashMap(new Bump(), { value: t.u32 });
  map.set("\ufffd", 1); // U+FFFD, what a lossy encoder would turn a lone surrogate into
  let rejected = "none";
  try {
    // a lone surrogate has no UTF-8 form: rejected, nothing stored
    map.set("\ud800", 2);
  } catch (err) {
    if (err instanceof EncodingError) rejected = err.code;
  }
  return { stored: map.size, rejected, found: map.has("\ud800") };
  // → { stored: 1, rejected: "ERR_ARENA_ENCODING", found: false }
}
// #endregion surrogates
