import {
  decodeUtf8,
  encodeUtf8Into,
  utf8Equals,
  type AnyField,
  type Allocator,
  type Memory,
  type StrPtr,
  type ViewOf,
} from "@arenakit/bump";
import type { EntryPtr, HashMapHandle, HashMapOptions } from "./api.js";
import { HI, LITTLE_ENDIAN, LO, MapCore, STRIDE } from "./core.js";
import { InvalidKeyError } from "./errors.js";
import { HASH_STATE, WORDS, hashString } from "./hash.js";
import { readOnlyAllocator } from "./readonly.js";
import { describe, utf8Length } from "./values.js";

/**
 * A hash map from string keys to values of a layout type, whose table and
 * entries live in an {@link Allocator} of `@arenakit/bump`: the counterpart of
 * hashbrown's `HashMap::new_in(&bump)` and Zig's `StringHashMapUnmanaged`.
 * A million entries are a few buffers to the garbage collector, not a million
 * objects.
 *
 * When to use: many entries with one lifetime (a cache slot, a snapshot, a
 * request), or a hot map whose full GCs hurt. Keys are stored as UTF-8; values
 * as the `value` option says.
 *
 * What `get` returns, by value type (`getOwned` returns a copy where it differs):
 *
 * | value type | `get` | `getOwned` |
 * | --- | --- | --- |
 * | `t.u8` … `t.f64` | `number` | same |
 * | `t.u64`, `t.i64` | `bigint` | same |
 * | `t.bool` | `boolean` | same |
 * | `t.str` | `string` (decoded, a new JS string) | same |
 * | `t.bytes` | `Uint8Array` aliasing arena memory (zero-copy) | a copy |
 * | `struct(...)` | a zero-copy view (fields read on access) | a plain object |
 *
 * Cost: lookups hash the key (a seeded multiply-fold over its UTF-8 bytes,
 * computed from the JS string without allocating), read one 20-byte table
 * group and compare the stored key four bytes at a time. `find` returns the
 * entry's pointer without allocating anything. Inserts allocate one entry;
 * growth allocates a new table and moves only 32-bit references, never
 * entries.
 *
 * Gotchas: views and entry pointers stay valid until their key is deleted,
 * its value is replaced by one of another size, or the map or its allocator is
 * cleared, reset or released (reads then throw `StalePointerError` where they
 * can be checked; see {@link EntryPtr} for the one case its check misses). A record view made before any removal from the map
 * (`delete`, `clear`, `retain`, a moving `set`) throws `StalePointerError` on
 * its next field read, since the removed entry's memory may hold another key by
 * then. A key of the wrong type throws {@link InvalidKeyError}. A growing
 * table doubles (a power of two); give a `capacity` or call `reserve` when the
 * size is known to get one table just big enough (with a `Bump`, the space of
 * outgrown tables is reused for later entries). Inserting
 * or deleting while iterating throws {@link ConcurrentModificationError}. Keys
 * with lone surrogates cannot be stored (`EncodingError`) and are never found.
 *
 * @example
 * ```ts
 * import { Bump, struct, t } from "@arenakit/bump";
 * import { ArenaHashMap } from "@arenakit/hashmap";
 * const Account = struct({ owner: t.str, data: t.bytes, index: t.u64 });
 * using arena = new Bump();
 * const map = new ArenaHashMap(arena, { value: Account });
 * map.set("acct-sparky", { owner: "Sparky-11", data: new Uint8Array([0, 3, 6]), index: 11 });
 * const account = map.get("acct-sparky"); // a zero-copy view
 * console.log(account?.owner, account?.index); // "Sparky-11" 11n
 * ```
 */
export class ArenaHashMap<V extends AnyField> extends MapCore<string, V, StrPtr> {
  constructor(allocator: Allocator, options: HashMapOptions<V>) {
    super(allocator, options, "ArenaHashMap");
  }

  /**
   * A read-only view, on this thread, of the map whose `handle()` is given,
   * reading through `memory` (normally an `ArenaReader` attached to the shared
   * arena the map lives in). Lookups and iteration work as on the original,
   * with no copy; every mutation throws `ReadOnlyError`. `value` must be the
   * value type the map was made with.
   *
   * @example
   * ```ts
   * import { ArenaReader, Bump, t } from "@arenakit/bump";
   * import { ArenaHashMap } from "@arenakit/hashmap";
   * const bump = new Bump({ shared: true });
   * const map = new ArenaHashMap(bump, { value: t.u32 }).set("a", 1);
   * // in a Worker, after receiving bump.share() and map.handle():
   * const view = ArenaHashMap.attach(ArenaReader.attach(bump.share()), map.handle(), { value: t.u32 });
   * view.get("a"); // 1
   * ```
   */
  static attach<V extends AnyField>(memory: Memory, handle: HashMapHandle, options: { readonly value: V }): ArenaHashMap<V> {
    const map = new ArenaHashMap(readOnlyAllocator(memory), { value: options.value, seed: handle.seed });
    map._attach(handle);
    return map;
  }

  /** "ArenaHashMap". */
  get [Symbol.toStringTag](): string {
    return "ArenaHashMap";
  }

  /** The value of `key` (see the table in the class docs), or `undefined`. */
  get(key: string): ViewOf<V> | undefined {
    const slot = this._findSlot(key);
    if (slot < 0) return undefined;
    // SAFETY: when WORDS holds the key (ASCII), the matched entry's key length is key.length. Passing it
    // lets the CPU fetch the value without waiting for the entry's first cache line (measured at 1M entries).
    return this._valueAtSlot(slot, false, HASH_STATE[0] === 1 ? key.length : -1) as ViewOf<V>;
  }

  /** Whether `key` is present. */
  has(key: string): boolean {
    return this._findSlot(key) >= 0;
  }

  /**
   * The entry of `key` as an {@link EntryPtr}, or 0: the lookup for hot
   * paths. Nothing is allocated; read the entry with `valueAt`, `valuePtr` or
   * `keyAt` (checked: a pointer kept past its entry's removal throws
   * `StalePointerError`), or get the key's `StrPtr` with `keyPtr`.
   */
  find(key: string): EntryPtr | 0 {
    const slot = this._findSlot(key);
    return slot < 0 ? 0 : this._entryAtSlot(slot);
  }

  /**
   * The stored key of an entry as a `StrPtr`, readable with the allocator
   * (`readStr`) or from a Worker: the entry's address, since an entry starts
   * with its key. Checks the pointer like `keyAt` (`StalePointerError` after
   * the entry's removal).
   */
  keyPtr(entry: EntryPtr): StrPtr {
    this._check();
    return this._entryAddress(entry) as unknown as StrPtr;
  }

  /** @internal */
  protected _findSlot(key: string): number {
    if (typeof key !== "string") throw new InvalidKeyError(`ArenaHashMap keys are strings, got ${describe(key)}`);
    this._check();
    const h = hashString(key, this._k0, this._k1, this._k2, this._k3);
    this._h = h;
    const mask = this._gmask;
    if (mask < 0) return -1;
    const groups = this._groups;
    const t = this._t;
    const rep = Math.imul(h >>> 25, LO);
    const words = HASH_STATE[0] === 1 && LITTLE_ENDIAN;
    let g = (h & 0x7fffffff) % groups;
    for (let step = 1; ; step++) {
      const base = g * STRIDE;
      const w = t[base]!;
      const x = w ^ rep;
      // SWAR: top bit set in each byte of x that is zero, i.e. each slot whose tag matches
      // (false positives only in FULL slots above a true match; the key compare rejects them).
      let m = (x - LO) & ~x & HI;
      while (m !== 0) {
        const i = (31 - Math.clz32(m & -m)) >> 3;
        const ref = t[base + 1 + i]!;
        if (words ? this._eqWords(ref, key.length) : this._eqString(ref, key)) return (g << 2) | i;
        m &= m - 1;
      }
      // A group with an EMPTY slot ends every probe sequence that reaches it.
      if ((w & (w << 1) & HI) !== 0) return -1;
      // Triangular steps modulo the next power of two, skipping positions past the last group.
      g = (g + step) & mask;
      while (g >= groups) g = (g + ++step) & mask;
    }
  }

  /** Compares the entry's key with the ASCII key whose words are in WORDS, four bytes at a time. */
  private _eqWords(ref: number, n: number): boolean {
    const wi = ref >>> 20;
    const e = (this._winBase[wi]! >>> 2) + (ref & 0xfffff);
    const u = this._winU32[wi]!;
    if (u[e] !== n) return false;
    const w = WORDS;
    const full = n >>> 2;
    for (let j = 0; j < full; j++) if ((u[e + 1 + j]! | 0) !== w[j]) return false;
    const r = n & 3;
    return r === 0 || ((u[e + 1 + full]! ^ w[full]!) & ((1 << (r << 3)) - 1)) === 0;
  }

  private _eqString(ref: number, key: string): boolean {
    const wi = ref >>> 20;
    const o = this._offOf(ref);
    return utf8Equals(this._winU8[wi]!, o + 4, this._winDv[wi]!.getUint32(o, true), key);
  }

  /** @internal */
  protected _keyLength(key: string, words: boolean): number {
    // SAFETY: WORDS holds a string key only when every unit is ASCII, whose UTF-8 length is its length.
    return words ? key.length : utf8Length(key, "the key");
  }

  /** @internal */
  protected _writeKey(wi: number, at: number, key: string, len: number, words: boolean): void {
    if (words && LITTLE_ENDIAN) {
      // SAFETY: entries are 4-aligned, so the key starts on a word; the last word's zero padding
      // lands inside the entry (its size is rounded up to 4) and is overwritten by the value.
      const u = this._winU32[wi]!;
      const e = at >>> 2;
      const w = WORDS;
      for (let j = 0, n = (len + 3) >>> 2; j < n; j++) u[e + j] = w[j]!;
      return;
    }
    encodeUtf8Into(key, this._winU8[wi]!, at);
  }

  /** @internal */
  protected _readKey(u8: Uint8Array, at: number, len: number): string {
    return decodeUtf8(u8, at, len);
  }
}
