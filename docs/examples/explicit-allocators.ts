// The TypeScript column of the "Explicit allocators" chapter: the same three
// steps as the Zig and Rust snippets next to it (a function that takes its
// allocator, a map that lives in the caller's arena, one call that frees it
// all). test/explicit-allocators.test.ts runs every function and checks the
// results quoted in the comments.

// #region explicit
import { Bump, type Allocator, type StrPtr } from "@arenakit/bump";

/** Allocates through whatever allocator the caller passes. */
export function upperNames(alloc: Allocator, names: readonly string[]): StrPtr[] {
  return names.map((name) => alloc.allocStr(name.toUpperCase()));
}
// #endregion explicit

// #region map-in-arena
import { struct, t } from "@arenakit/bump";
import { ArenaHashMap } from "@arenakit/hashmap";

const Account = struct({ owner: t.str, data: t.bytes, index: t.u64 });

/** The map's table and every key and value live in `arena`. */
export function accountsIn(arena: Allocator): ArenaHashMap<typeof Account> {
  const map = new ArenaHashMap(arena, { value: Account });
  const bytes = (...b: number[]): Uint8Array => new Uint8Array(b);
  map.set("acct-rusty", { owner: "Rusty-03", data: bytes(1, 2, 3, 4), index: 7 });
  map.set("acct-sparky", {
    owner: "Sparky-11",
    data: bytes(0, 3, 6, 9, 12),
    index: 11,
  });
  return map;
}
// #endregion map-in-arena

// #region use
type Result = { names: string; owner: string; index: bigint; accounts: number };

export function run(): Result {
  const arena = new Bump();
  const names = upperNames(arena, ["rusty", "sparky"]).map((p) => arena.readStr(p));
  const map = accountsIn(arena);
  const sparky = map.get("acct-sparky")!; // a view: fields are read from the arena
  const result = {
    names: names.join(","),
    owner: sparky.owner,
    index: sparky.index,
    accounts: map.size,
  };
  arena.release(); // one call frees the names, the map and every account
  return result;
  // → { names: "RUSTY,SPARKY", owner: "Sparky-11", index: 11n, accounts: 2 }
}
// #endregion use

// #region stale
export function afterRelease(): string {
  const arena = new Bump();
  const map = accountsIn(arena);
  const view = map.get("acct-rusty")!;
  arena.release();
  try {
    return view.owner; // never reached: the view checks its arena
  } catch (e) {
    return (e as Error).name; // "StalePointerError" or another ArenaError subclass
  }
}
// #endregion stale
