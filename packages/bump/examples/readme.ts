// The first example of the package README (README.md shows the region below
// verbatim; test/readme.test.ts runs this file and checks what it prints).
// #region example
import { Bump, StalePointerError, struct, t } from "@arenakit/bump";

const Account = struct({ owner: t.str, balance: t.u64 });

const arena = new Bump(); // memory is taken in chunks, on first use
const name = arena.allocStr("acct-sparky"); // a pointer: a plain number, no object
// A record, laid out by the schema; `account` is its pointer.
const account = Account.write(arena, { owner: "Sparky-11", balance: 42n });

const view = Account.view(arena, account); // reads fields in place, on access
console.log(arena.readStr(name), view.owner); // → acct-sparky Sparky-11
console.log(arena.usedBytes > 0); // → true

arena.reset(); // frees everything at once: O(chunks), not O(records)
try {
  arena.readStr(name); // the pointer belongs to the previous generation
} catch (err) {
  console.log(err instanceof StalePointerError); // → true
}
// #endregion example
