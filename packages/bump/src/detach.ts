// Moving an ArrayBuffer's memory into a new ArrayBuffer object detaches the
// old one: every Uint8Array/DataView over it reads as length 0 from then on.
// That is how a reset arena makes stale raw views harmless. Node 24 and
// modern browsers have ArrayBuffer.prototype.transfer; Node 20 only has the
// structuredClone transfer list, which moves the backing store without copying.

type Transferable = ArrayBuffer & { transfer?: () => ArrayBuffer };

/** Moves `buf`'s memory into a new ArrayBuffer (zero-copy) and detaches `buf`. */
export function detach(buf: ArrayBuffer): ArrayBuffer {
  const t = buf as Transferable;
  if (typeof t.transfer === "function") return t.transfer();
  return structuredClone(buf, { transfer: [buf] });
}
