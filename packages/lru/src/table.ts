// The cache's hash table: open addressing with linear probing over a Uint32Array
// of any size (the home bucket scales the hash's top 24 bits, so the size need
// not be a power of two). A word is 0 (empty) or tag << 24 | slot + 1, the tag
// being the hash's low 8 bits; `hash[slot]` keeps each entry's full hash.
// Keys are compared where they are stored: in their entry's block (meta.ts).
import { InvalidArgumentError, assertWellFormed, utf8Equals } from "@arenakit/bump";
import type { KeyKind, KeyOf, ValueSpec } from "./api.js";
import { CacheReleasedError } from "./errors.js";
import { bytesEqual, hashBytes, hashString, lastHadSurrogate, lastUtf8Length, stringKeyEqual } from "./hash.js";
import { SLOT_MASK, headerBytes, homeOf, keyLength, valueLength } from "./meta.js";
import { describe } from "./options.js";
import { EntryStore } from "./store.js";

/** Puts slot `i` with hash `h` in the first empty word from its home. The table must have one. */
export function tableInsert(table: Uint32Array, size: number, h: number, i: number): void {
  let b = homeOf(h, size);
  while (table[b] !== 0) if (++b === size) b = 0;
  table[b] = (((h & 0xff) << 24) | (i + 1)) >>> 0;
}

/**
 * Removes slot `i` by backward-shift deletion: the entries after it in its
 * cluster move back into the hole when their home allows, so the table never
 * holds tombstones (a cache under constant churn would otherwise fill with them).
 */
export function tableDelete(table: Uint32Array, hash: Uint32Array, size: number, i: number): void {
  let b = homeOf(hash[i]!, size);
  const want = i + 1;
  while ((table[b]! & SLOT_MASK) !== want) if (++b === size) b = 0;
  let j = b;
  for (;;) {
    if (++j === size) j = 0;
    const e = table[j]!;
    if (e === 0) break;
    const home = homeOf(hash[(e & SLOT_MASK) - 1]!, size);
    // The entry at j may move to the hole at b unless its home lies cyclically in (b, j].
    if (b <= j ? home <= b || home > j : home <= b && home > j) {
      table[b] = e;
      b = j;
    }
  }
  table[b] = 0;
}

/**
 * The table's operations over the state of `EntryStore`: validating and
 * hashing a key, finding its slot, adding and removing a slot. A layer of
 * `LruCore`; its members are internal.
 */
export abstract class HashTable<K extends KeyKind = "string", V extends ValueSpec = "bytes"> extends EntryStore<K, V> {
  /** @internal Validates and hashes a key into `_h`/`_klen`. */
  protected _hashKey(key: KeyOf<K>, op: string): void {
    if (this._isString) {
      if (typeof key !== "string") throw new InvalidArgumentError(`${op}: the key must be a string, got ${describe(key)}`);
      this._h = hashString(key);
      this._klen = lastUtf8Length;
      // Only a key with a surrogate can be ill-formed: the common case skips the check.
      if (lastHadSurrogate && !key.isWellFormed()) assertWellFormed(key, `${op}: the key`);
    } else {
      if (!(key instanceof Uint8Array)) throw new InvalidArgumentError(`${op}: the key must be a Uint8Array, got ${describe(key)}`);
      this._h = hashBytes(key, 0, key.length);
      this._klen = key.length;
    }
  }

  /** @internal Slot of `key`, or -1. Validates the key; checks the cache is live. */
  protected _lookup(key: KeyOf<K>): number {
    if (this._released) throw new CacheReleasedError("the cache was released");
    this._hashKey(key, "lookup");
    return this._probe(key, this._h, this._klen);
  }

  /** @internal */
  protected _probe(key: KeyOf<K>, h: number, klen: number): number {
    const table = this._table;
    const size = this._tableSize;
    const tag = h & 0xff;
    const off = this._off;
    const u32 = this._u32;
    const u8 = this._u8;
    let b = homeOf(h, size);
    for (;;) {
      const e = table[b]!;
      if (e === 0) return -1;
      if (e >>> 24 === tag) {
        const i = (e & SLOT_MASK) - 1;
        const o = off[i]!;
        const w = u32[o >>> 2]!;
        if (keyLength(w) === klen) {
          const ko = o + headerBytes(w) + valueLength(w, u32, o);
          if (
            this._isString
              ? stringKeyEqual(u8, ko, klen, key as string, utf8Equals)
              : bytesEqual(u8, ko, klen, key as Uint8Array)
          ) {
            return i;
          }
        }
      }
      if (++b === size) b = 0;
    }
  }

  /** @internal */
  protected _insertTable(h: number, i: number): void {
    tableInsert(this._table, this._tableSize, h, i);
  }

  /** @internal */
  protected _deleteTable(i: number): void {
    tableDelete(this._table, this._hash, this._tableSize, i);
  }
}
