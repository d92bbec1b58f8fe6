// Examples shown in the "Projections that keep their source alive: yoke"
// chapter (reference counting). Each function is run by test/examples.test.ts.

// #region arc
import { Arc, DoubleReleaseError } from "@arenakit/yoke";

export function countedCart(): string[] {
  const log: string[] = [];
  const entry = Arc.new(new Uint8Array(1024), {
    name: "slot 42",
    // runs once, at the last release
    onDrop: (bytes) => log.push(`dropped ${bytes.byteLength} bytes`),
  });
  const reader = entry.clone(); // count 2: a second owner of the same bytes
  log.push(`count ${entry.strongCount}`);
  entry.release(); // count 1: the bytes stay alive for the reader
  log.push(`reader still sees ${reader.get().byteLength} bytes`);
  reader.release(); // count 0: onDrop
  return log;
  // → ["count 2", "reader still sees 1024 bytes", "dropped 1024 bytes"]
}
// #endregion arc

// #region double-release
export function releaseTwice(): string {
  const a = Arc.new("cart");
  const b = a.clone();
  a.release();
  try {
    a.release(); // the same handle again: an error, and the count is not touched
  } catch (err) {
    if (err instanceof DoubleReleaseError) {
      return `${err.code}; b still reads "${b.get()}"`;
    }
  } finally {
    b.release();
  }
  return "no error";
  // → 'ERR_YOKE_DOUBLE_RELEASE; b still reads "cart"'
}
// #endregion double-release

// #region using
export function scoped(): string[] {
  const log: string[] = [];
  const root = Arc.new("frozen entry", { onDrop: () => log.push("dropped") });
  {
    using view = root.clone(); // released at the end of the block, even on a throw
    log.push(`in block: ${view.strongCount} references`);
  }
  log.push(`after block: ${root.strongCount} reference`);
  root[Symbol.dispose]();
  return log; // → ["in block: 2 references", "after block: 1 reference", "dropped"]
}
// #endregion using

// #region weak
export function weakLookup(): (string | undefined)[] {
  const entry = Arc.new("accounts of slot 42");
  const index = entry.downgrade(); // does not keep the entry alive
  const hit = index.tryAcquire(); // a strong handle while the entry lives
  const seen = [hit?.get()];
  hit?.release();
  entry.release(); // the count reaches zero
  seen.push(index.tryAcquire()?.get()); // undefined: a dropped entry never comes back
  return seen; // → ["accounts of slot 42", undefined]
}
// #endregion weak
