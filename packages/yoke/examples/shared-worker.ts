// The Worker side of examples/shared.ts.
import { parentPort } from "node:worker_threads";
import { SharedArc, type SharedArcDescriptor } from "@arenakit/yoke";

type Msg = { cart: SharedArcDescriptor<SharedArrayBuffer>; crash?: boolean };
const kept: unknown[] = [];

parentPort!.once("message", (msg: Msg) => {
  if (msg.crash === true) {
    // Keep the reference past this callback, then die with it (a `using` would release
    // it while unwinding).
    kept.push(SharedArc.attach(msg.cart, (sab) => new Int32Array(sab)));
    setTimeout(() => {
      throw new Error("the Worker crashed while holding a reference");
    });
    return;
  }
  sum(msg.cart);
});

// #region attach
function sum(desc: SharedArcDescriptor<SharedArrayBuffer>): void {
  // the same memory, no copy
  using records = SharedArc.attach(desc, (sab) => new Int32Array(sab));
  let total = 0;
  for (const v of records.get()) total += v;
  parentPort!.postMessage(total);
// `using` released the Worker's reference here: if it was the last one, the main
// thread's onDrop runs
}
// #endregion attach
