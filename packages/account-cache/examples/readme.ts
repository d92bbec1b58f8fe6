// The first example of the package README (README.md shows the region below
// verbatim; test/readme.test.ts runs this file and checks what it prints).
// #region example
import { AccountsBuilder, projectAccount } from "@arenakit/account-cache";

const builder = new AccountsBuilder(42n); // one arena for the whole slot
builder.insertAccount("acct-rusty", "Rusty-03", 7, new Uint8Array([1, 2, 3, 4]));
builder.insertAccount("acct-sparky", "Sparky-11", 11n, new Uint8Array([0, 3, 6, 9]));
const accounts = builder.finish(); // read-only and reference-counted from now on

// A zero-copy view, valid while `accounts` is:
const sparky = accounts.get("acct-sparky")!;
console.log(sparky.owner, sparky.index, sparky.data.length); // → Sparky-11 11n 4

const selected = projectAccount(accounts, "acct-rusty")!; // holds its own reference
accounts.release(); // the arena stays alive: `selected` still holds it
console.log(selected.account.owner, selected.slot); // → Rusty-03 42n
selected.release(); // the last reference: the arena's memory goes back now
// #endregion example
