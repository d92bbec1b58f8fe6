/**
 * The naive alternative to an arena that the growth benchmark measures against:
 * one ArrayBuffer that is copied into one twice its size when full. Offsets stay
 * meaningful, but every earlier Uint8Array/DataView over the old buffer goes
 * stale on growth, which is why arenakit does not offer it.
 */
export class CopyOnGrowArena {
  private buf: ArrayBuffer;
  private u8: Uint8Array;
  private dv: DataView;
  private top = 0;

  constructor(initial: number) {
    this.buf = new ArrayBuffer(initial);
    this.u8 = new Uint8Array(this.buf);
    this.dv = new DataView(this.buf);
  }

  alloc(size: number, align: number): number {
    const start = (this.top + align - 1) & ~(align - 1);
    const end = start + size;
    if (end > this.buf.byteLength) this.grow(end);
    this.top = end;
    return start;
  }

  private grow(min: number): void {
    let len = this.buf.byteLength * 2;
    while (len < min) len *= 2;
    const next = new ArrayBuffer(len);
    const u8 = new Uint8Array(next);
    u8.set(this.u8.subarray(0, this.top));
    this.buf = next;
    this.u8 = u8;
    this.dv = new DataView(next);
  }

  writeU32(p: number, v: number): void {
    this.dv.setUint32(p, v, true);
  }

  readU32(p: number): number {
    if (p >= this.top) throw new RangeError("out of bounds");
    return this.dv.getUint32(p, true);
  }
}
