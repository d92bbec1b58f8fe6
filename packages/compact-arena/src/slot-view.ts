// A Worker's read-only view of a shared slot arena: the reads that must be ordered against
// the owner's writes (a seqlock on each slot's generation), and refusals of every write.

import { InvalidArgumentError, ReadOnlyError } from "./errors.js";
import { describe } from "./schema.js";
import { H_EPOCH, SlotCore, type SlotAdopt, type SlotResolved } from "./slot-arena.js";

/** A read-only view of another thread's shared slot arena. */
export class SlotArenaViewImpl extends SlotCore {
  constructor(r: SlotResolved, adopt: SlotAdopt) {
    super(r, true, adopt.base, adopt);
    this._header = new Uint32Array(adopt.header, 0, 3);
    this._epoch = Atomics.load(this._header, H_EPOCH);
    this._refresh();
  }

  override get(h: number, field: string): number {
    const col = this._col(field);
    if (typeof h !== "number") this._refuse(h);
    const i = ((h >>> 0) << this._shift) >>> this._shift;
    const gens = this._gen.data as Uint32Array;
    const g = i < gens.length ? Atomics.load(gens, i) : NaN;
    if (g * this._span + i !== h || (g & 1) === 0) this._refuse(h);
    const v = col.data[i]!;
    // SAFETY (seqlock): the owner makes the generation even before it reuses a slot's fields
    // and odd again after writing them; equal loads around the read mean it read one record.
    if (Atomics.load(gens, i) !== g) this._refuse(h);
    return v;
  }

  override has(h: number): boolean {
    this._live();
    if (typeof h !== "number") return false;
    const i = ((h >>> 0) << this._shift) >>> this._shift;
    const gens = this._gen.data as Uint32Array;
    if (i >= gens.length) return false;
    const g = Atomics.load(gens, i);
    return g * this._span + i === h && (g & 1) === 1;
  }

  override slotOf(h: number): number {
    if (typeof h !== "number") this._refuse(h);
    const i = ((h >>> 0) << this._shift) >>> this._shift;
    const gens = this._gen.data as Uint32Array;
    const g = i < gens.length ? Atomics.load(gens, i) : NaN;
    if (g * this._span + i !== h || (g & 1) === 0) this._refuse(h);
    return i;
  }

  override forEach(fn: (h: number, slot: number) => void): void {
    this._live();
    if (typeof fn !== "function") throw new InvalidArgumentError(`forEach needs a callback, got ${describe(fn)}`);
    this._refresh();
    const n = this._slots;
    const gens = this._gen.data as Uint32Array;
    for (let i = 0; i < n; i++) {
      const g = Atomics.load(gens, i);
      if (g & 1) fn(g * this._span + i, i);
    }
  }

  /** @internal */
  _release(reason: string): void {
    if (this._released !== undefined) return;
    this._released = reason;
    this._slots = 0;
    for (const col of [...this._cols, this._gen]) col.data = new col.ctor(new ArrayBuffer(0));
  }

  insert(): never {
    return this._readOnly();
  }
  tryInsert(): never {
    return this._readOnly();
  }
  remove(): never {
    return this._readOnly();
  }
  set(): never {
    return this._readOnly();
  }
  clear(): never {
    return this._readOnly();
  }

  /** @internal */
  _readOnly(): never {
    this._live();
    throw new ReadOnlyError("this is a read-only view of another thread's slot arena: only its owner can insert, remove or set records");
  }
}
