// Cursors over a slot arena: one object whose field properties read and write the record of
// the handle it is moved to (`at(h)`), made once per arena from its schema.

import type { SlotArenaImpl, SlotCore } from "./slot-arena.js";

interface SlotCursorState {
  readonly _a: SlotCore;
  _h: number;
}

class SlotCursorImpl implements SlotCursorState {
  readonly _a: SlotCore;
  _h: number;
  constructor(a: SlotCore, h: number) {
    this._a = a;
    this._h = h;
  }
  get handle(): number {
    this._a.slotOf(this._h);
    return this._h;
  }
  at(h: number): this {
    this._a.slotOf(h);
    this._h = h;
    return this;
  }
}

/** The cursor class of `arena`: a property per field, checked against the handle on every access. */
export function makeCursorClass(arena: SlotCore): new (a: SlotCore, h: number) => object {
  class SlotCursor extends SlotCursorImpl {}
  for (const f of arena._fields) {
    const name = f.name;
    Object.defineProperty(SlotCursor.prototype, name, {
      enumerable: true,
      configurable: false,
      get(this: SlotCursorState): number {
        return this._a.get(this._h, name);
      },
      set(this: SlotCursorState, v: unknown) {
        (this._a as SlotArenaImpl).set(this._h, name, v);
      },
    });
  }
  return SlotCursor;
}
