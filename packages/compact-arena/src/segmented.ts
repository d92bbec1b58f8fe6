// The segmented layout: per column, segments of 2^b, 2^b, 2^(b+1), 2^(b+2)…
// records, allocated when needed and never moved. Index i lives in segment
// s = 32 - clz32(i >>> b) at offset i & (((2^(b-1) << s) - 1) | (2^b - 1)):
// one leading-zeros count, two shifts and two masks (see segments.ts).

import {
  ArenaCore,
  allocBuffer,
  ctorOf,
  detach,
  fit,
  type AnyBuffer,
  type ColumnData,
  type CursorState,
  type Resolved,
} from "./core.js";
import { CapacityError, InvalidArgumentError } from "./errors.js";
import { IDX, type FieldSpec } from "./schema.js";
import { segmentedWriter, type SegmentedWriter } from "./writer.js";

type AnyCtor = new (buffer: AnyBuffer) => ColumnData;

/** One column of a segmented arena. */
export class SegmentedColumn {
  readonly spec: FieldSpec;
  readonly name: string;
  readonly none: number;
  readonly bpe: number;
  readonly ctor: AnyCtor;
  readonly segs: ColumnData[] = [];
  readonly buffers: AnyBuffer[] = [];

  constructor(spec: FieldSpec, none: number, ctor: AnyCtor, bpe: number) {
    this.spec = spec;
    this.name = spec.name;
    this.none = none;
    this.ctor = ctor;
    this.bpe = bpe;
  }

  push(buffer: AnyBuffer): void {
    this.buffers.push(buffer);
    this.segs.push(new this.ctor(buffer));
  }
}

/** Storage handed from a released segmented arena to the next one (recycling). */
export interface SegmentedStorage {
  readonly records: number;
  /** Per column, its segment buffers. */
  readonly buffers: readonly (readonly AnyBuffer[])[];
}

/** An arena whose columns are lists of doubling segments. */
export class SegmentedArena extends ArenaCore {
  /** @internal */
  readonly _cols: SegmentedColumn[] = [];
  /** @internal */
  readonly _byName: Record<string, SegmentedColumn | undefined> = Object.create(null) as Record<
    string,
    SegmentedColumn | undefined
  >;
  /** @internal records the allocated segments hold; 0 for views and released arenas (the write gate) */
  _cap = 0;
  /** @internal records in allocated segments (views: what the descriptor gave) */
  _held = 0;
  /** @internal log2 of the first segment's length */
  readonly _bits: number;
  /** @internal 2^(bits-1) */
  readonly _half: number;
  /** @internal 2^bits - 1 */
  readonly _lowMask: number;
  /** @internal checks and writes record n (generated per schema, see writer.ts) */
  readonly _w: SegmentedWriter;

  constructor(r: Resolved, reader: boolean, adopt?: SegmentedStorage) {
    super(r, reader);
    const bits = r.initialBits;
    this._bits = bits;
    this._half = 2 ** (bits - 1);
    this._lowMask = 2 ** bits - 1;
    for (const f of r.fields) {
      const col = new SegmentedColumn(f, f.code === IDX ? this.none : NaN, ctorOf(f.code, r.kind) as AnyCtor, this._bytesOf(f));
      this._cols.push(col);
      this._byName[f.name] = col;
    }
    this._w = segmentedWriter(this._cols, r.fields, r.kind);
    if (adopt !== undefined) {
      for (let c = 0; c < this._cols.length; c++) {
        for (const b of adopt.buffers[c]!) this._cols[c]!.push(b);
      }
      this._held = adopt.records;
    } else {
      this._addSegment();
    }
    // The write gate never opens past the capacity, even when the segments could hold more.
    if (!reader) this._cap = Math.min(this._held, this._capacity);
    if (r.shared && !reader) this._header = new Uint32Array(new SharedArrayBuffer(4));
  }

  /** @internal records in segment s */
  _segLength(s: number): number {
    return s === 0 ? 2 ** this._bits : 2 ** (this._bits + s - 1);
  }

  /** @internal allocates the next segment of every column (all or nothing) */
  _addSegment(): void {
    const s = this._cols[0]!.segs.length;
    const len = this._segLength(s);
    const fresh = this._cols.map((col) => allocBuffer(len * col.bpe, this.shared));
    for (let c = 0; c < this._cols.length; c++) this._cols[c]!.push(fresh[c]!);
    this._held += len;
  }

  get byteLength(): number {
    let n = 0;
    for (const c of this._cols) for (const b of c.buffers) n += b.byteLength;
    return n;
  }

  get(i: number, field: string): number | null {
    const col = this._byName[field];
    if (col === undefined) return this._noField(field);
    if ((i >>> 0) !== i || i >= this._length) this._checkSlow(i);
    const s = 32 - Math.clz32(i >>> this._bits);
    const v = col.segs[s]![i & (((this._half << s) - 1) | this._lowMask)]!;
    return v === col.none ? null : v;
  }

  set(i: number, field: string, value: unknown): void {
    const col = this._byName[field];
    if (col === undefined) return this._noField(field);
    if ((i >>> 0) !== i || i >= this._length) this._checkSlow(i);
    if (this._reader) this._throwReadOnly();
    const s = 32 - Math.clz32(i >>> this._bits);
    col.segs[s]![i & (((this._half << s) - 1) | this._lowMask)] = fit(col.spec, value, this._length, this.none);
  }

  add(record: Record<string, unknown>): number {
    const n = this._length;
    if (n >= this._cap) {
      const full = this._grow(n);
      if (full !== undefined) throw full;
    }
    const s = 32 - Math.clz32(n >>> this._bits);
    this._w(s, n & (((this._half << s) - 1) | this._lowMask), n, record);
    this._length = n + 1;
    if (this._header !== null) this._publish(n + 1);
    return n;
  }

  tryAdd(record: Record<string, unknown>): number | CapacityError {
    const n = this._length;
    if (n >= this._cap) {
      const full = this._grow(n);
      if (full !== undefined) return full;
    }
    const s = 32 - Math.clz32(n >>> this._bits);
    this._w(s, n & (((this._half << s) - 1) | this._lowMask), n, record);
    this._length = n + 1;
    if (this._header !== null) this._publish(n + 1);
    return n;
  }

  /** @internal */
  _grow(n: number): CapacityError | undefined {
    this._writable();
    if (n >= this._capacity) return this._full();
    this._addSegment();
    this._cap = Math.min(this._held, this._capacity);
    return undefined;
  }

  column(_field: string): ColumnData {
    throw new InvalidArgumentError(
      "column() needs a flat layout (contiguous or resizable); a segmented arena's column is a list of segments: use segments()",
    );
  }

  segments(field: string): ColumnData[] {
    const col = this._byName[field];
    if (col === undefined) return this._noField(field);
    if (this._released !== undefined) this._throwReleased();
    if (this._reader) this._refresh();
    const out: ColumnData[] = [];
    let left = this._length;
    for (let s = 0; left > 0; s++) {
      const seg = col.segs[s]!;
      const take = left < seg.length ? left : seg.length;
      out.push(seg.subarray(0, take));
      left -= take;
    }
    return out;
  }

  _storageRecords(): number {
    return this._held;
  }

  _sharedColumns(): SharedArrayBuffer[][] {
    return this._cols.map((c) => c.buffers.slice() as SharedArrayBuffer[]);
  }

  _segmentBits(): number {
    return this._bits;
  }

  _getterOf(f: FieldSpec): (this: CursorState) => number | null {
    const col = this._byName[f.name]!;
    const bits = this._bits;
    const half = this._half;
    const low = this._lowMask;
    return function (this: CursorState): number | null {
      const a = this._a;
      const i = this._i;
      if (i >= a._length) a._checkSlow(i);
      const s = 32 - Math.clz32(i >>> bits);
      const v = col.segs[s]![i & (((half << s) - 1) | low)]!;
      return v === col.none ? null : v;
    };
  }

  _dropStorage(): void {
    this._cap = 0;
    for (const col of this._cols) {
      if (!this.shared) for (const b of col.buffers) detach(b as ArrayBuffer);
      col.buffers.length = 0;
      col.segs.length = 0;
    }
  }

  /** @internal releases the arena and hands its memory (moved) to the next one */
  _recycle(reason: string): SegmentedStorage {
    const records = this._held;
    const buffers = this._cols.map((c) => c.buffers.map((b) => detach(b as ArrayBuffer)));
    this._released = reason;
    this._length = 0;
    this._cap = 0;
    for (const col of this._cols) {
      col.buffers.length = 0;
      col.segs.length = 0;
    }
    return { records, buffers };
  }
}
