// The first example of the package README (README.md shows the region below
// verbatim; test/readme.test.ts runs this file and checks what it prints).
// #region example
import { Arc, UseAfterReleaseError, Yoke } from "@arenakit/yoke";

// The cart: reference-counted bytes. The projection borrows from it without copying.
const cart = Arc.new(new TextEncoder().encode("acct-sparky,Sparky-11"));
const owner = Yoke.attachToCart(cart, (bytes) =>
  bytes.subarray(bytes.indexOf(0x2c) + 1),
);

console.log(new TextDecoder().decode(owner.get())); // → Sparky-11
console.log(owner.backingCart().strongCount); // → 1

owner.release(); // the last reference: the cart is dropped with it
try {
  owner.get();
} catch (err) {
  console.log(err instanceof UseAfterReleaseError); // → true
}
// #endregion example
