// The first example of the package README (README.md shows the region below
// verbatim; test/readme.test.ts runs this file and checks what it prints).
// #region example
import { BorrowError, SelfCell } from "@arenakit/self-cell";

// The owner holds the bytes; the dependent (an index of words) only makes
// sense next to them.
const text = new TextEncoder().encode("arena bump yoke arena");
const cell = SelfCell.new(text, (bytes) => new TextDecoder().decode(bytes).split(" "));

console.log(cell.withDependent((_bytes, words) => words.length)); // → 4
console.log(cell.borrowOwner().length); // → 21

try {
  cell.withDependentMut((_bytes, words) => {
    words.push("self-cell");
    cell.withDependent(() => 0); // a shared borrow inside an exclusive one
  });
} catch (err) {
  console.log(err instanceof BorrowError); // → true
}

cell[Symbol.dispose](); // the dependent first, then the owner
// #endregion example
