// The rolling cache's directory: which slots are in the window, published to reader Workers as a seqlock.

/**
 * The directory readers consult: an Int32Array [seq, count, entryNo × window]
 * and a BigInt64Array of slots (newest first), in one SharedArrayBuffer. The
 * owner updates it as a seqlock: seq is odd while it writes. Every cell is
 * read and written with Atomics, so a reader never sees a torn value and a
 * stable even seq proves it read one consistent state.
 */
export class Directory {
  readonly sab: SharedArrayBuffer;
  readonly hdr: Int32Array;
  readonly slots: BigInt64Array;

  constructor(window: number, sab?: SharedArrayBuffer) {
    const hdrBytes = Math.ceil(((2 + window) * 4) / 8) * 8;
    this.sab = sab ?? new SharedArrayBuffer(hdrBytes + window * 8);
    this.hdr = new Int32Array(this.sab, 0, 2 + window);
    this.slots = new BigInt64Array(this.sab, hdrBytes, window);
  }

  write(items: readonly { entryNo: number; slot: bigint }[]): void {
    Atomics.add(this.hdr, 0, 1); // odd: writing
    Atomics.store(this.hdr, 1, items.length);
    items.forEach((it, i) => {
      Atomics.store(this.hdr, 2 + i, it.entryNo);
      Atomics.store(this.slots, i, BigInt.asIntN(64, it.slot));
    });
    Atomics.add(this.hdr, 0, 1); // even: a consistent state, published
    Atomics.notify(this.hdr, 0);
  }
}
