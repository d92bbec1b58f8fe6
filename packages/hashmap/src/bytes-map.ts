import type { AnyField, Allocator, BytesPtr, Memory, ViewOf } from "@arenakit/bump";
import { InvalidKeyError } from "./errors.js";
import type { EntryPtr, HashMapHandle, HashMapOptions } from "./api.js";
import { HI, LITTLE_ENDIAN, LO, MapCore, STRIDE } from "./core.js";
import { HASH_STATE, WORDS, hashBytes } from "./hash.js";
import { readOnlyAllocator } from "./readonly.js";
import { describe } from "./values.js";

/**
 * The byte-key variant of {@link ArenaHashMap}: keys are `Uint8Array`s (for
 * example 32-byte account ids as they arrive from the network), stored and
 * compared as bytes. Everything else (values, growth, iteration, allocators)
 * is the same as in {@link ArenaHashMap}.
 *
 * When to use: ids that are bytes to begin with. Converting them to strings
 * (base58, hex) first costs time and makes the stored keys longer.
 *
 * Cost: hashing reads the key bytes once; the comparison of a candidate is four
 * bytes at a time. `keys()` and `keyAt` return copies (a key must not change
 * while it is in the table); `getKeyValue` and `keyPtr` give the stored key
 * without copying, as a `BytesPtr`.
 *
 * Gotchas: the same as {@link ArenaHashMap}; a key's bytes are copied on
 * insert, so changing the caller's array afterwards does not affect the map.
 *
 * @example
 * ```ts
 * import { Bump, t } from "@arenakit/bump";
 * import { ArenaBytesMap } from "@arenakit/hashmap";
 * const balances = new ArenaBytesMap(new Bump(), { value: t.f64, capacity: 1024 });
 * const id = new Uint8Array(32).fill(7);
 * balances.set(id, 1.5);
 * console.log(balances.get(new Uint8Array(32).fill(7))); // 1.5
 * ```
 */
export class ArenaBytesMap<V extends AnyField> extends MapCore<Uint8Array, V, BytesPtr> {
  constructor(allocator: Allocator, options: HashMapOptions<V>) {
    super(allocator, options, "ArenaBytesMap");
  }
  /**
   * A read-only view of the byte-keyed map whose `handle()` is given, reading
   * through `memory` (see `ArenaHashMap.attach`). Every mutation throws `ReadOnlyError`.
   */
  static attach<V extends AnyField>(memory: Memory, handle: HashMapHandle, options: { readonly value: V }): ArenaBytesMap<V> {
    const map = new ArenaBytesMap(readOnlyAllocator(memory), { value: options.value, seed: handle.seed });
    map._attach(handle);
    return map;
  }


  /** "ArenaBytesMap". */
  get [Symbol.toStringTag](): string {
    return "ArenaBytesMap";
  }

  /** The value of `key` (see {@link ArenaHashMap} for what each value type returns), or `undefined`. */
  get(key: Uint8Array): ViewOf<V> | undefined {
    const slot = this._findSlot(key);
    return slot < 0 ? undefined : (this._valueAtSlot(slot, false) as ViewOf<V>);
  }

  /** Whether `key` is present. */
  has(key: Uint8Array): boolean {
    return this._findSlot(key) >= 0;
  }

  /** The entry of `key` as a pointer, or 0, without allocating (see {@link ArenaHashMap.find}). */
  find(key: Uint8Array): EntryPtr | 0 {
    const slot = this._findSlot(key);
    return slot < 0 ? 0 : this._entryAtSlot(slot);
  }

  /** The stored key of an entry as a `BytesPtr` (the entry's address; checked like {@link ArenaHashMap.keyPtr}). */
  keyPtr(entry: EntryPtr): BytesPtr {
    this._check();
    return this._entryAddress(entry) as unknown as BytesPtr;
  }

  /** @internal */
  protected _findSlot(key: Uint8Array): number {
    if (!(key instanceof Uint8Array)) throw new InvalidKeyError(`ArenaBytesMap keys are Uint8Arrays, got ${describe(key)}`);
    this._check();
    const n = key.length;
    const h = hashBytes(key, 0, n, this._k0, this._k1, this._k2, this._k3);
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
      let m = (x - LO) & ~x & HI;
      while (m !== 0) {
        const i = (31 - Math.clz32(m & -m)) >> 3;
        const ref = t[base + 1 + i]!;
        if (words ? this._eqWords(ref, n) : this._eqBytes(ref, key)) return (g << 2) | i;
        m &= m - 1;
      }
      if ((w & (w << 1) & HI) !== 0) return -1;
      // Triangular steps modulo the next power of two, skipping positions past the last group.
      g = (g + step) & mask;
      while (g >= groups) g = (g + ++step) & mask;
    }
  }

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

  private _eqBytes(ref: number, key: Uint8Array): boolean {
    const wi = ref >>> 20;
    const o = this._offOf(ref);
    const u8 = this._winU8[wi]!;
    const n = key.length;
    if (this._winDv[wi]!.getUint32(o, true) !== n) return false;
    for (let i = 0; i < n; i++) if (u8[o + 4 + i] !== key[i]) return false;
    return true;
  }

  /** @internal */
  protected _keyLength(key: Uint8Array): number {
    return key.length;
  }

  /** @internal */
  protected _writeKey(wi: number, at: number, key: Uint8Array): void {
    this._winU8[wi]!.set(key, at);
  }

  /** @internal */
  protected _readKey(u8: Uint8Array, at: number, len: number): Uint8Array {
    return u8.slice(at, at + len);
  }
}
