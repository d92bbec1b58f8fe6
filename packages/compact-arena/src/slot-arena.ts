// Slot arenas: struct-of-arrays records that can be removed, addressed by handles that
// pack a slot index and the slot's generation (Rust's slotmap / generational-arena,
// over typed-array columns). The owner and a Worker's read-only view share one base;
// the view (slot-view.ts) overrides the reads that must be ordered against the owner's writes.

import type { ArenaKind } from "./api.js";
import { allocBuffer, detach, fit, type AnyBuffer, type ColumnData } from "./core.js";
import {
  AllocationError,
  CapacityError,
  IndexError,
  InvalidArgumentError,
  ReadOnlyError,
  ReleasedError,
  StaleHandleError,
} from "./errors.js";
import { FlatColumn } from "./flat.js";
import { codecOf, nextBase } from "./handle.js";
import { U16, U32, bytesOf, describe, type FieldSpec } from "./schema.js";
import { SecondaryImpl } from "./secondary.js";
import type { SlotArenaDescriptor, SlotReuse } from "./slot-api.js";
import { makeCursorClass } from "./slot-cursor.js";
import { flatWriter, type FlatWriter } from "./writer.js";

/** Fully resolved options of one slot arena. */
export interface SlotResolved {
  readonly kind: ArenaKind;
  readonly layout: "contiguous" | "resizable";
  readonly shared: boolean;
  readonly fields: readonly FieldSpec[];
  readonly capacity: number;
  readonly initial: number;
  readonly reserve: number;
  readonly reuse: SlotReuse;
  readonly limitWhy: string;
}

type AnyCtor = new (buffer: AnyBuffer) => ColumnData;

const VALUE_CTORS: Record<number, AnyCtor> = {
  0: Uint8Array,
  1: Uint16Array,
  2: Uint32Array,
  3: Int32Array,
  4: Float64Array,
};

/** Header words of a shared slot arena. */
const H_SLOTS = 0;
const H_SIZE = 1;
export const H_EPOCH = 2;

/** Storage of an existing shared arena, for a view. */
export interface SlotAdopt {
  readonly base: number;
  readonly header: SharedArrayBuffer;
  readonly generations: SharedArrayBuffer;
  readonly columns: readonly SharedArrayBuffer[];
}

/** State and reads common to an owner and a view. */
export class SlotCore {
  readonly kind: ArenaKind;
  readonly layout: "contiguous" | "resizable";
  readonly shared: boolean;
  readonly schema: Record<string, string>;
  readonly generationBits: number;
  /** @internal */ readonly _fields: readonly FieldSpec[];
  /** @internal */ readonly _cols: FlatColumn[] = [];
  /** @internal generation of each slot (odd: occupied) */
  readonly _gen: FlatColumn;
  /** @internal handle = generation * span + slot */ readonly _span: number;
  /** @internal slot = ((h >>> 0) << shift) >>> shift */ readonly _shift: number;
  /** @internal generation mask */ readonly _mask: number;
  /** @internal first generation of every slot */ readonly _base: number;
  /** @internal */ readonly _maxHandle: number;
  /** @internal slots the kind (or reservation) allows */ readonly _capacity: number;
  /** @internal */ readonly _limitWhy: string;
  /** @internal slots ever used (high-water mark; for views: as last observed) */ _slots = 0;
  /** @internal live records (owner) */ _size = 0;
  /** @internal retired slots (owner) */ _retired = 0;
  /** @internal why the arena can no longer be used, or undefined */ _released: string | undefined = undefined;
  /** @internal `[slots, size, epoch]` (shared arenas and views), else null */ _header: Uint32Array | null = null;
  /** @internal */ readonly _reader: boolean;
  /** @internal cursor class, made on first use */ _Cursor: (new (a: SlotCore, h: number) => object) | undefined = undefined;

  constructor(r: SlotResolved, reader: boolean, base: number, adopt?: SlotAdopt) {
    this.kind = r.kind;
    this.layout = r.layout;
    this.shared = r.shared;
    const codec = codecOf(r.kind);
    this.generationBits = codec.generationBits;
    this._span = codec.span;
    this._shift = codec.shift;
    this._mask = codec.mask;
    this._maxHandle = codec.maxHandle;
    this._base = base;
    this._capacity = r.capacity;
    this._limitWhy = r.limitWhy;
    this._fields = r.fields;
    this._reader = reader;
    const schema: Record<string, string> = {};
    const resizable = r.layout === "resizable";
    const first = Math.min(r.initial, r.capacity);
    const buffer = (c: number, bpe: number): AnyBuffer =>
      adopt !== undefined ? (c < 0 ? adopt.generations : adopt.columns[c]!) : allocBuffer(first * bpe, r.shared, resizable ? r.reserve * bpe : undefined);
    r.fields.forEach((f, c) => {
      schema[f.name] = f.type;
      const bpe = bytesOf(f.code, r.kind);
      const col = new FlatColumn(f, NaN, VALUE_CTORS[f.code]!, bpe, buffer(c, bpe));
      this._cols.push(col);
    });
    this.schema = schema;
    const genCode = r.kind === "tiny" ? U16 : U32;
    const genBpe = genCode === U16 ? 2 : 4;
    this._gen = new FlatColumn({ name: "generation", type: genCode === U16 ? "u16" : "u32", code: genCode }, NaN, VALUE_CTORS[genCode]!, genBpe, buffer(-1, genBpe));
  }

  /** Phantom brand: type-level only. */
  get brand(): undefined {
    return undefined;
  }

  get capacity(): number {
    return this._capacity;
  }

  get slots(): number {
    this._live();
    if (this._reader) this._refresh();
    return this._slots;
  }

  get size(): number {
    this._live();
    if (this._reader) return Atomics.load(this._header!, H_SIZE);
    return this._size;
  }

  get retired(): number {
    this._live();
    return this._retired;
  }

  get byteLength(): number {
    let n = this._gen.buffer.byteLength;
    for (const c of this._cols) n += c.buffer.byteLength;
    return n;
  }

  // ------------------------------------------------------------------ checks

  /** @internal throws after release */
  _live(): void {
    if (this._released !== undefined) throw new ReleasedError(`the slot arena was used after ${this._released}`);
  }

  /** @internal refreshes a view's slot count from the header */
  _refresh(): void {
    const published = Atomics.load(this._header!, H_SLOTS);
    const fits = this._gen.data.length;
    this._slots = published < fits ? published : fits;
  }

  /** @internal the slot of a handle that passed the fast check */
  _slot(h: number): number {
    return ((h >>> 0) << this._shift) >>> this._shift;
  }

  /**
   * @internal The slow path of every handle check: `h` failed the one-compare test (or
   * the arena was released). Throws the error that names the problem. Never returns.
   */
  _refuse(h: unknown): never {
    this._live();
    if (typeof h !== "number" || !Number.isInteger(h) || h < 0 || h > this._maxHandle) {
      throw new IndexError(`${describe(h)} is not a handle: handles are integers from 0 to ${this._maxHandle} that an insert returned`);
    }
    const i = this._slot(h);
    const hg = (h - i) / this._span;
    if (this._reader) {
      this._refresh();
      if (Atomics.load(this._header!, H_EPOCH) !== this._epoch) {
        throw new IndexError(
          `handle ${h} cannot be read through this view: the owner's contiguous arena grew into new buffers since it was shared (share it again, or use the resizable layout)`,
        );
      }
    }
    if (i >= this._slots || (hg & 1) === 0) {
      throw new IndexError(`${h} is not a handle of this arena: it never issued it (a forged number, or a handle of another arena)`);
    }
    const cur = this._reader ? Atomics.load(this._gen.data as Uint32Array, i) : this._gen.data[i]!;
    const last = cur & 1 ? cur : (cur - 1) & this._mask;
    const m = this._mask;
    if (((hg - this._base) & m) > ((last - this._base) & m)) {
      throw new IndexError(
        `${h} is not a handle of this arena: slot ${i} never had generation ${hg} here (a forged number, or a handle of another arena)`,
      );
    }
    if (cur === hg) {
      // Passed now: a view raced with the owner (removal and reinsert between two loads).
      throw new StaleHandleError(h, `the record of handle ${h} was removed while it was being read`);
    }
    const retired = (cur & 1) === 0 && ((cur + 1) & m) === this._base;
    throw new StaleHandleError(
      h,
      `the record of handle ${h} was removed: slot ${i} ${cur & 1 ? `now holds a newer record (generation ${cur})` : retired ? "is retired (its generations ran out)" : "is vacant"}`,
    );
  }

  /** @internal the epoch a view was made at (views only) */
  _epoch = 0;

  /**
   * @internal The column of a field. A scan of the few columns comparing names beats a
   * keyed load: at a call site that passes constant names, `name === field` is a pointer
   * compare of internalized strings, while a keyed load from a name → column object is a
   * megamorphic lookup (measured: get() of two fields cost 10x slotOf() + raw columns).
   */
  _col(field: string): FlatColumn {
    const cols = this._cols;
    for (let c = 0; c < cols.length; c++) if (cols[c]!.name === field) return cols[c]!;
    return this._noField(field);
  }

  /** @internal */
  _noField(field: unknown): never {
    this._live();
    throw new InvalidArgumentError(
      `${describe(field)} is not a field of this arena (fields: ${this._fields.map((f) => f.name).join(", ")})`,
    );
  }

  // ------------------------------------------------------------------- reads

  get(h: number, field: string): number {
    const col = this._col(field);
    if (typeof h !== "number") this._refuse(h);
    const i = ((h >>> 0) << this._shift) >>> this._shift;
    const g = this._gen.data[i]!;
    // SAFETY: g * span + i equals h only if h is this slot's current generation and index
    // (out-of-range slots read undefined, so NaN); odd generations are the occupied ones.
    if (g * this._span + i !== h || (g & 1) === 0) this._refuse(h);
    return col.data[i]!;
  }

  has(h: number): boolean {
    this._live();
    if (typeof h !== "number") return false;
    const i = ((h >>> 0) << this._shift) >>> this._shift;
    const g = this._gen.data[i]!;
    return g * this._span + i === h && (g & 1) === 1;
  }

  slotOf(h: number): number {
    if (typeof h !== "number") this._refuse(h);
    const i = ((h >>> 0) << this._shift) >>> this._shift;
    const g = this._gen.data[i]!;
    if (g * this._span + i !== h || (g & 1) === 0) this._refuse(h);
    return i;
  }

  handle(n: number): number {
    this.slotOf(n);
    return n;
  }

  column(field: string): ColumnData {
    const col = this._col(field);
    this._live();
    if (this._reader) this._refresh();
    return col.data.subarray(0, this._slots);
  }

  forEach(fn: (h: number, slot: number) => void): void {
    this._live();
    if (typeof fn !== "function") throw new InvalidArgumentError(`forEach needs a callback, got ${describe(fn)}`);
    if (this._reader) this._refresh();
    const n = this._slots;
    const span = this._span;
    for (let i = 0; i < n; i++) {
      const g = this._gen.data[i]!;
      if (g & 1) fn(g * span + i, i);
    }
  }

  *[Symbol.iterator](): IterableIterator<number> {
    this._live();
    if (this._reader) this._refresh();
    const n = this._slots;
    for (let i = 0; i < n; i++) {
      this._live();
      const g = this._gen.data[i]!;
      if (g & 1) yield g * this._span + i;
    }
  }

  at(h: number): object {
    this.slotOf(h);
    let C = this._Cursor;
    if (C === undefined) C = this._Cursor = makeCursorClass(this);
    return new C(this, h);
  }
}

/** An owner: inserts, removes, sets, grows, shares. */
export class SlotArenaImpl extends SlotCore {
  readonly reuse: SlotReuse;
  /** @internal slots the storage holds now; 0 once released (the write gate) */ _cap: number;
  /** @internal free slots, a ring: LIFO pops the tail, FIFO the head */ _free: Uint32Array;
  /** @internal */ _freeHead = 0;
  /** @internal */ _freeCount = 0;
  /** @internal */ readonly _lifo: boolean;
  /** @internal */ readonly _resizable: boolean;
  /** @internal checks and writes a record into a slot (see writer.ts) */ readonly _w: FlatWriter;
  /** @internal secondary columns to release with the arena */ readonly _secondaries: { _release(why: string): void }[] = [];

  constructor(r: SlotResolved) {
    super(r, false, nextBase(codecOf(r.kind).generationBits));
    this.reuse = r.reuse;
    this._lifo = r.reuse === "lifo";
    this._resizable = r.layout === "resizable";
    this._cap = this._gen.data.length;
    // The free list holds only vacant slots: it starts small and grows when full (a table
    // that removes and reinserts in turn keeps it tiny; it never costs 4 bytes per slot up front).
    this._free = new Uint32Array(16);
    this._w = flatWriter(this._cols, r.fields, r.kind, r.layout);
    if (r.shared) this._header = new Uint32Array(new SharedArrayBuffer(12));
  }

  override get byteLength(): number {
    return super.byteLength + this._free.byteLength;
  }

  insert(record: Record<string, unknown>): number {
    let i: number;
    const count = this._freeCount;
    if (count > 0) {
      let at = this._freeHead;
      if (this._lifo) {
        at += count - 1;
        if (at >= this._free.length) at -= this._free.length;
      }
      i = this._free[at]!;
    } else {
      i = this._slots;
      if (i >= this._cap) this._grow(i);
    }
    // Throws before any state changes (a vacant slot's fields are invisible while its generation is even).
    this._w(i, record);
    const gens = this._gen.data;
    let g: number;
    if (count > 0) {
      if (!this._lifo) {
        const h = this._freeHead + 1;
        this._freeHead = h === this._free.length ? 0 : h;
      }
      this._freeCount = count - 1;
      g = (gens[i]! + 1) & this._mask;
    } else {
      g = this._base;
      this._slots = i + 1;
    }
    this._size++;
    if (this._header !== null) {
      // SAFETY: the fields were written before this store; a view's Atomics.load of the
      // generation therefore sees them (release/acquire), so no half-written record is visible.
      Atomics.store(gens as Uint32Array, i, g);
      Atomics.store(this._header, H_SIZE, this._size);
      if (count === 0) Atomics.store(this._header, H_SLOTS, i + 1);
    } else {
      gens[i] = g;
    }
    return g * this._span + i;
  }

  tryInsert(record: Record<string, unknown>): number | CapacityError {
    if (this._freeCount === 0 && this._slots >= this._capacity && this._released === undefined) {
      return new CapacityError(
        this.kind,
        this._capacity,
        `${this._limitWhy}${this._retired > 0 ? `; ${this._retired} of them retired after their generations ran out` : ""}`,
      );
    }
    return this.insert(record);
  }

  remove(h: number): void {
    if (typeof h !== "number") this._refuse(h);
    const i = ((h >>> 0) << this._shift) >>> this._shift;
    const gens = this._gen.data;
    const g = gens[i]!;
    if (g * this._span + i !== h || (g & 1) === 0) this._refuse(h);
    const vacant = (g + 1) & this._mask;
    if (this._header !== null) {
      // The removal is visible to views from this store on: their next check (or the
      // second load of a read in progress) sees an even generation and refuses the handle.
      Atomics.store(gens as Uint32Array, i, vacant);
      Atomics.store(this._header, H_SIZE, this._size - 1);
    } else {
      gens[i] = vacant;
    }
    this._size--;
    this._free_(i, vacant);
  }

  /** @internal puts a vacated slot on the free list, or retires it when its generations ran out */
  _free_(i: number, vacant: number): void {
    if (((vacant + 1) & this._mask) === this._base) {
      // The next generation would be the slot's first one again: handles of its first
      // record would become valid. Retire the slot instead (never reused).
      this._retired++;
      return;
    }
    if (this._freeCount === this._free.length) this._growFree();
    let t = this._freeHead + this._freeCount;
    if (t >= this._free.length) t -= this._free.length;
    this._free[t] = i;
    this._freeCount++;
  }

  /** @internal doubles the free list, unrolling the ring */
  _growFree(): void {
    const free = new Uint32Array(this._free.length * 2);
    for (let k = 0; k < this._freeCount; k++) {
      let at = this._freeHead + k;
      if (at >= this._free.length) at -= this._free.length;
      free[k] = this._free[at]!;
    }
    this._free = free;
    this._freeHead = 0;
  }

  set(h: number, field: string, value: unknown): void {
    const col = this._col(field);
    if (typeof h !== "number") this._refuse(h);
    const i = ((h >>> 0) << this._shift) >>> this._shift;
    const g = this._gen.data[i]!;
    if (g * this._span + i !== h || (g & 1) === 0) this._refuse(h);
    col.data[i] = fit(col.spec, value, 0, 0);
  }

  clear(): void {
    this._live();
    const gens = this._gen.data;
    const n = this._slots;
    this._freeHead = 0;
    this._freeCount = 0;
    this._retired = 0;
    for (let i = 0; i < n; i++) {
      let g = gens[i]!;
      if (g & 1) {
        g = (g + 1) & this._mask;
        if (this._header !== null) Atomics.store(gens as Uint32Array, i, g);
        else gens[i] = g;
      }
      this._free_(i, g);
    }
    this._size = 0;
    if (this._header !== null) Atomics.store(this._header, H_SIZE, 0);
  }

  /** @internal makes room for slot `n`, or throws the capacity error */
  _grow(n: number): void {
    this._live();
    if (n >= this._capacity) {
      throw new CapacityError(
        this.kind,
        this._capacity,
        `${this._limitWhy}${this._retired > 0 ? `; ${this._retired} of them retired after their generations ran out` : ""}`,
      );
    }
    const next = Math.min(Math.max(this._cap * 2, n + 1), this._capacity);
    const cols = [...this._cols, this._gen];
    if (this._resizable) {
      try {
        for (const col of cols) {
          const bytes = next * col.bpe;
          if (this.shared) (col.buffer as SharedArrayBuffer).grow(bytes);
          else (col.buffer as ArrayBuffer).resize(bytes);
        }
      } catch (err) {
        throw new AllocationError(`could not grow the slot arena to ${next} slots: ${(err as Error).message}`, { cause: err });
      }
    } else {
      // Allocate everything before touching anything, so a refused allocation leaves the arena intact.
      const fresh = cols.map((col) => allocBuffer(next * col.bpe, this.shared));
      const used = this._slots;
      const oldGens = this._gen.data;
      for (let c = 0; c < cols.length; c++) {
        const col = cols[c]!;
        const data = new col.ctor(fresh[c]!);
        data.set(col.data.subarray(0, used) as never);
        const old = col.buffer;
        col.buffer = fresh[c]!;
        col.data = data;
        if (!this.shared) detach(old as ArrayBuffer);
      }
      if (this._header !== null) {
        // Views read the old buffers, which the owner no longer writes: move the epoch on and
        // make every old generation even, so a view refuses every handle from now on (and a read
        // in progress fails its second load) instead of returning data that may be out of date.
        Atomics.add(this._header, H_EPOCH, 1);
        for (let i = 0; i < used; i++) Atomics.store(oldGens as Uint32Array, i, 0);
      }
    }
    this._cap = next;
  }

  secondary(schema: unknown): object {
    this._live();
    const s = new SecondaryImpl(this, schema);
    this._secondaries.push(s);
    return s;
  }

  share(): SlotArenaDescriptor {
    this._live();
    if (this._header === null) {
      throw new InvalidArgumentError("share() needs a slot arena made with shared: true (its memory must be SharedArrayBuffers)");
    }
    return {
      type: "arenakit.compact-arena.slots",
      kind: this.kind,
      layout: this.layout,
      schema: { ...this.schema } as never,
      capacity: this._capacity,
      generationBits: this.generationBits,
      base: this._base,
      header: this._header.buffer as SharedArrayBuffer,
      generations: this._gen.buffer as SharedArrayBuffer,
      columns: this._cols.map((c) => c.buffer as SharedArrayBuffer),
    };
  }

  /** @internal ends the arena; `reason` appears in later errors */
  _release(reason: string): void {
    if (this._released !== undefined) return;
    this._released = reason;
    for (const s of this._secondaries) s._release(reason);
    this._cap = 0;
    this._size = 0;
    for (const col of [...this._cols, this._gen]) {
      if (!this.shared) detach(col.buffer as ArrayBuffer);
      col.data = new col.ctor(new ArrayBuffer(0));
    }
    this._free = new Uint32Array(0);
    this._freeCount = 0;
    this._slots = 0;
  }

  [Symbol.dispose](): void {
    this._release("it was disposed");
  }
}
