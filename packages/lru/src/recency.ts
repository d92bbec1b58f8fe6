// The recency order: a doubly linked list threaded through the `prev`/`next`
// slot arrays of the meta buffer (slot indices, -1 for none), most recently
// used at `_head`. No node objects: moving an entry to the front rewrites four
// integers. Free slots reuse `next` as their own list (core.ts).
import type { KeyKind, ValueSpec } from "./api.js";
import { CacheBusyError } from "./errors.js";
import { HashTable } from "./table.js";

/**
 * The recency list's operations over the state of `EntryStore`:
 * unlinking a slot, pushing it to the front, walking the list in either
 * direction. A layer of `LruCore`; its members are internal.
 */
export abstract class RecencyList<K extends KeyKind = "string", V extends ValueSpec = "bytes"> extends HashTable<K, V> {
  /** @internal */
  protected _unlink(i: number): void {
    const p = this._prev[i]!;
    const n = this._next[i]!;
    if (p >= 0) this._next[p] = n;
    else this._head = n;
    if (n >= 0) this._prev[n] = p;
    else this._tail = p;
  }

  /** @internal */
  protected _pushFront(i: number): void {
    const h = this._head;
    this._prev[i] = -1;
    this._next[i] = h;
    if (h >= 0) this._prev[h] = i;
    else this._tail = i;
    this._head = i;
  }

  /** @internal */
  protected _touch(i: number): void {
    this._unlink(i);
    this._pushFront(i);
    this._mods++;
  }

  /** @internal */
  protected *_walk(forward: boolean): Generator<number, void, undefined> {
    this._checkLive();
    const mods = this._mods;
    let i = forward ? this._head : this._tail;
    while (i >= 0) {
      const n = forward ? this._next[i]! : this._prev[i]!;
      if (!(this._ttlCount !== 0 && this._expired(i))) {
        yield i;
        if (this._mods !== mods || this._released) {
          throw new CacheBusyError("the cache changed while it was being iterated (use peek() inside the loop, not get())");
        }
      }
      i = n;
    }
  }
}
