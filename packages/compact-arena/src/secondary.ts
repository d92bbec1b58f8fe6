// Secondary columns: side data of another schema in the slot space of a slot arena
// (slotmap's SecondaryMap). Each slot remembers the generation of the record its value
// belongs to, so a value is visible only while that very record lives.

import { allocBuffer, detach, type AnyBuffer, type ColumnData } from "./core.js";
import { InvalidArgumentError, ReleasedError } from "./errors.js";
import { FlatColumn } from "./flat.js";
import { U16, U32, bytesOf, describe } from "./schema.js";
import type { SlotArenaImpl } from "./slot-arena.js";
import { slotFields } from "./slot-schema.js";
import { flatWriter, type FlatWriter } from "./writer.js";

type AnyCtor = new (buffer: AnyBuffer) => ColumnData;
const CTORS: Record<number, AnyCtor> = { 0: Uint8Array, 1: Uint16Array, 2: Uint32Array, 3: Int32Array, 4: Float64Array };
const FIRST = 64;

/** Secondary columns of one slot arena. */
export class SecondaryImpl {
  readonly schema: Record<string, string>;
  /** @internal */ readonly _arena: SlotArenaImpl;
  /** @internal */ readonly _cols: FlatColumn[] = [];
  /** @internal generation of the record each slot's value belongs to; 0 (never a live generation) for none */
  readonly _owner: FlatColumn;
  /** @internal */ readonly _w: FlatWriter;
  /** @internal */ _released: string | undefined = undefined;

  constructor(arena: SlotArenaImpl, schema: unknown) {
    this._arena = arena;
    const fields = slotFields(schema);
    const first = Math.min(FIRST, arena.capacity);
    const s: Record<string, string> = {};
    for (const f of fields) {
      s[f.name] = f.type;
      const bpe = bytesOf(f.code, arena.kind);
      const col = new FlatColumn(f, NaN, CTORS[f.code]!, bpe, allocBuffer(first * bpe, false));
      this._cols.push(col);
    }
    this.schema = s;
    const code = arena.kind === "tiny" ? U16 : U32;
    const bpe = code === U16 ? 2 : 4;
    this._owner = new FlatColumn({ name: "owner", type: code === U16 ? "u16" : "u32", code }, NaN, CTORS[code]!, bpe, allocBuffer(first * bpe, false));
    this._w = flatWriter(this._cols, fields, arena.kind, "contiguous");
  }

  get size(): number {
    this._live();
    const gens = this._arena._gen.data;
    const owner = this._owner.data;
    const n = Math.min(owner.length, this._arena._slots);
    let count = 0;
    for (let i = 0; i < n; i++) if (owner[i] !== 0 && owner[i] === gens[i]) count++;
    return count;
  }

  set(h: number, record: Record<string, unknown>): void {
    this._live();
    const i = this._arena.slotOf(h);
    if (i >= this._owner.data.length) this._grow(i);
    this._w(i, record);
    this._owner.data[i] = this._arena._gen.data[i]!;
  }

  get(h: number, field: string): number | undefined {
    let col: FlatColumn | undefined;
    for (const c of this._cols) if (c.name === field) col = c;
    if (col === undefined) return this._noField(field);
    const i = this._arena.slotOf(h);
    // SAFETY: slotOf passed, so the slot's generation is the handle's (odd, never 0).
    if (this._owner.data[i] !== this._arena._gen.data[i]) return undefined;
    return col.data[i];
  }

  has(h: number): boolean {
    this._live();
    if (!this._arena.has(h)) return false;
    const i = this._arena._slot(h);
    return this._owner.data[i] === this._arena._gen.data[i];
  }

  delete(h: number): boolean {
    this._live();
    const i = this._arena.slotOf(h);
    const owner = this._owner.data;
    if (owner[i] !== this._arena._gen.data[i]) return false;
    owner[i] = 0;
    return true;
  }

  /** @internal grows every column to hold slot `i` */
  _grow(i: number): void {
    const next = Math.min(Math.max(this._owner.data.length * 2, i + 1), this._arena.capacity);
    const cols = [...this._cols, this._owner];
    const fresh = cols.map((c) => allocBuffer(next * c.bpe, false));
    cols.forEach((col, c) => {
      const data = new col.ctor(fresh[c]!);
      data.set(col.data as never);
      const old = col.buffer;
      col.buffer = fresh[c]!;
      col.data = data;
      detach(old as ArrayBuffer);
    });
  }

  /** @internal */
  _live(): void {
    if (this._released !== undefined) throw new ReleasedError(`the secondary columns were used after ${this._released}`);
  }

  /** @internal */
  _noField(field: unknown): never {
    this._live();
    throw new InvalidArgumentError(
      `${describe(field)} is not a field of these secondary columns (fields: ${Object.keys(this.schema).join(", ")})`,
    );
  }

  /** @internal */
  _release(reason: string): void {
    if (this._released !== undefined) return;
    this._released = `their arena ended (${reason})`;
    for (const col of [...this._cols, this._owner]) {
      detach(col.buffer as ArrayBuffer);
      col.data = new col.ctor(new ArrayBuffer(0));
    }
  }
}

