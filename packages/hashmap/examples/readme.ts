// The first example of the package README (README.md shows the region below
// verbatim; test/readme.test.ts runs this file and checks what it prints).
// #region example
import { Bump, struct, t } from "@arenakit/bump";
import { ArenaHashMap } from "@arenakit/hashmap";

const Account = struct({ owner: t.str, balance: t.u64 });

const arena = new Bump(); // the table and every entry live in this arena
const accounts = new ArenaHashMap(arena, { value: Account });
accounts.set("acct-rusty", { owner: "Rusty-03", balance: 7n });
accounts.set("acct-sparky", { owner: "Sparky-11", balance: 11n });

const sparky = accounts.get("acct-sparky")!; // a zero-copy view of the stored record
console.log(sparky.owner, sparky.balance, accounts.size); // → Sparky-11 11n 2
console.log(accounts.has("acct-zed")); // → false

arena.release(); // frees the map with its arena; views of it must not be used any more
// #endregion example
