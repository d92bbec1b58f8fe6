// The flat layouts: one typed array per column. "contiguous" copies a column
// into one twice as large when it is full; "resizable" reserves maxByteLength
// up front and grows its buffer in place, so its length-tracking arrays never move.

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
import { AllocationError, CapacityError } from "./errors.js";
import { IDX, type FieldSpec } from "./schema.js";
import { flatWriter, type FlatWriter } from "./writer.js";

type AnyCtor = new (buffer: AnyBuffer) => ColumnData;

/** One column of a flat arena. */
export class FlatColumn {
  readonly spec: FieldSpec;
  readonly name: string;
  /** Raw value meaning null (`idx` fields), NaN for other fields (never equal). */
  readonly none: number;
  readonly bpe: number;
  readonly ctor: AnyCtor;
  data: ColumnData;
  buffer: AnyBuffer;

  constructor(spec: FieldSpec, none: number, ctor: AnyCtor, bpe: number, buffer: AnyBuffer) {
    this.spec = spec;
    this.name = spec.name;
    this.none = none;
    this.ctor = ctor;
    this.bpe = bpe;
    this.buffer = buffer;
    this.data = new ctor(buffer);
  }
}

/** Storage handed from a released flat arena to the next one (recycling). */
export interface FlatStorage {
  readonly records: number;
  readonly buffers: readonly AnyBuffer[];
}

/** An arena whose columns are one typed array each. */
export class FlatArena extends ArenaCore {
  /** @internal */
  readonly _cols: FlatColumn[] = [];
  /** @internal field name → column (no prototype, so names like "toString" miss) */
  readonly _byName: Record<string, FlatColumn | undefined> = Object.create(null) as Record<string, FlatColumn | undefined>;
  /** @internal records the storage holds; 0 for views and released arenas (the write gate) */
  _cap = 0;
  /** @internal */
  readonly _resizable: boolean;
  /** @internal checks and writes record n (generated per schema, see writer.ts) */
  readonly _w: FlatWriter;

  /**
   * @param buffers for a view: the column buffers from a descriptor; for an owner
   *   taking recycled storage: the buffers and how many records they hold.
   */
  constructor(r: Resolved, reader: boolean, adopt?: FlatStorage) {
    super(r, reader);
    this._resizable = r.layout === "resizable";
    const first = Math.min(2 ** r.initialBits, r.capacity);
    const fields = r.fields;
    const buffers: AnyBuffer[] = [];
    if (adopt !== undefined) {
      buffers.push(...adopt.buffers);
    } else {
      for (const f of fields) {
        const bpe = this._bytesOf(f);
        buffers.push(allocBuffer(first * bpe, r.shared, this._resizable ? r.reserve * bpe : undefined));
      }
    }
    for (let c = 0; c < fields.length; c++) {
      const f = fields[c]!;
      const col = new FlatColumn(f, f.code === IDX ? this.none : NaN, ctorOf(f.code, r.kind) as AnyCtor, this._bytesOf(f), buffers[c]!);
      this._cols.push(col);
      this._byName[f.name] = col;
    }
    this._w = flatWriter(this._cols, fields, r.kind, r.layout);
    if (!reader) this._cap = adopt !== undefined ? adopt.records : first;
    if (r.shared && !reader) this._header = new Uint32Array(new SharedArrayBuffer(4));
  }

  get byteLength(): number {
    let n = 0;
    for (const c of this._cols) n += c.buffer.byteLength;
    return n;
  }

  get(i: number, field: string): number | null {
    const col = this._byName[field];
    if (col === undefined) return this._noField(field);
    if ((i >>> 0) !== i || i >= this._length) this._checkSlow(i);
    const v = col.data[i]!;
    return v === col.none ? null : v;
  }

  set(i: number, field: string, value: unknown): void {
    const col = this._byName[field];
    if (col === undefined) return this._noField(field);
    if ((i >>> 0) !== i || i >= this._length) this._checkSlow(i);
    if (this._reader) this._throwReadOnly();
    col.data[i] = fit(col.spec, value, this._length, this.none);
  }

  add(record: Record<string, unknown>): number {
    const n = this._length;
    if (n >= this._cap) {
      const full = this._grow(n);
      if (full !== undefined) throw full;
    }
    this._w(n, record);
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
    this._w(n, record);
    this._length = n + 1;
    if (this._header !== null) this._publish(n + 1);
    return n;
  }

  /** @internal makes room for record `n`; returns the capacity error when full */
  _grow(n: number): CapacityError | undefined {
    this._writable();
    if (n >= this._capacity) return this._full();
    const next = Math.min(Math.max(this._cap * 2, n + 1), this._capacity);
    const cols = this._cols;
    if (this._resizable) {
      try {
        for (const col of cols) {
          const bytes = next * col.bpe;
          if (this.shared) (col.buffer as SharedArrayBuffer).grow(bytes);
          else (col.buffer as ArrayBuffer).resize(bytes);
        }
      } catch (err) {
        throw new AllocationError(`could not grow the columns to ${next} records: ${(err as Error).message}`, { cause: err });
      }
    } else {
      // Allocate every new column before touching any, so a refused allocation leaves the arena intact.
      const fresh = cols.map((col) => allocBuffer(next * col.bpe, this.shared));
      const len = this._length;
      for (let c = 0; c < cols.length; c++) {
        const col = cols[c]!;
        const data = new col.ctor(fresh[c]!);
        data.set(col.data.subarray(0, len) as never);
        const old = col.buffer;
        col.buffer = fresh[c]!;
        col.data = data;
        // Old column() arrays must not silently miss later writes: detach them.
        if (!this.shared) detach(old as ArrayBuffer);
      }
    }
    this._cap = next;
    return undefined;
  }

  column(field: string): ColumnData {
    const col = this._byName[field];
    if (col === undefined) return this._noField(field);
    if (this._released !== undefined) this._throwReleased();
    if (this._reader) this._refresh();
    return col.data.subarray(0, this._length);
  }

  segments(field: string): ColumnData[] {
    return [this.column(field)];
  }

  _storageRecords(): number {
    return this._cols[0]!.data.length;
  }

  _sharedColumns(): SharedArrayBuffer[][] {
    return this._cols.map((c) => [c.buffer as SharedArrayBuffer]);
  }

  _segmentBits(): number {
    return 0;
  }

  _getterOf(f: FieldSpec): (this: CursorState) => number | null {
    const col = this._byName[f.name]!;
    return function (this: CursorState): number | null {
      const a = this._a;
      const i = this._i;
      if (i >= a._length) a._checkSlow(i);
      const v = col.data[i]!;
      return v === col.none ? null : v;
    };
  }

  _dropStorage(): void {
    this._cap = 0;
    for (const col of this._cols) {
      if (!this.shared) detach(col.buffer as ArrayBuffer);
      col.data = new col.ctor(new ArrayBuffer(0));
    }
  }

  /** @internal releases the arena and hands its memory (moved, so old arrays are detached) to the next one */
  _recycle(reason: string): FlatStorage {
    const records = this._cap;
    const buffers = this._cols.map((c) => detach(c.buffer as ArrayBuffer));
    this._released = reason;
    this._length = 0;
    this._cap = 0;
    for (const col of this._cols) col.data = new col.ctor(new ArrayBuffer(0));
    return { records, buffers };
  }
}

/**
 * The resizable layout: the same storage code as {@link FlatArena}, with its own
 * copies of the per-record read and write paths. V8 keeps type feedback per
 * function, and typed arrays over resizable buffers are a different element
 * kind from ordinary ones; sharing these methods with contiguous arenas would
 * make both polymorphic in any program (or benchmark) that uses both layouts.
 */
export class ResizableArena extends FlatArena {
  override get(i: number, field: string): number | null {
    const col = this._byName[field];
    if (col === undefined) return this._noField(field);
    if ((i >>> 0) !== i || i >= this._length) this._checkSlow(i);
    const v = col.data[i]!;
    return v === col.none ? null : v;
  }

  override set(i: number, field: string, value: unknown): void {
    const col = this._byName[field];
    if (col === undefined) return this._noField(field);
    if ((i >>> 0) !== i || i >= this._length) this._checkSlow(i);
    if (this._reader) this._throwReadOnly();
    col.data[i] = fit(col.spec, value, this._length, this.none);
  }

  override _getterOf(f: FieldSpec): (this: CursorState) => number | null {
    const col = this._byName[f.name]!;
    return function (this: CursorState): number | null {
      const a = this._a;
      const i = this._i;
      if (i >= a._length) a._checkSlow(i);
      const v = col.data[i]!;
      return v === col.none ? null : v;
    };
  }
}
