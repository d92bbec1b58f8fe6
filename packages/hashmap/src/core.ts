// The public API shared by ArenaHashMap (string keys) and ArenaBytesMap (byte
// keys): lookups, inserts, removal, iteration, sizing and sharing. The table's
// algorithms are in table.ts, the entry storage in entries.ts; this class adds
// the operations a user calls on top of them.
import {
  InvalidArgumentError,
  type AnyField,
  type Allocator,
  type InputOf,
  type OwnedOf,
  type Ptr,
  type ViewOf,
} from "@arenakit/bump";
import type { EntryPtr, HashMapHandle, HashMapOptions, HashMapStats, ProbeStats } from "./api.js";
import { DEAD, MAX_WINDOWS, checkAllocator } from "./entries.js";
import { ConcurrentModificationError } from "./errors.js";
import { LITTLE_ENDIAN } from "./hash.js";
import { EMPTY_WORD, HI, MAX_GROUPS, STRIDE, TableCore, groupsFor, homeGroup, maxLoad, probeMask } from "./table.js";
import { describe, validateValue } from "./values.js";

export { HI, LO, STRIDE, groupsFor, maxLoad } from "./table.js";

/**
 * The common base of {@link ArenaHashMap} (string keys) and
 * {@link ArenaBytesMap} (byte keys): the table, the entries, growth, values,
 * iteration and the sizing helpers. Use one of the two subclasses; the base is
 * exported so that its members appear in the API reference and so that code can
 * accept either map (`MapCore<K, V, KP>`).
 *
 * @example
 * ```ts
 * import { Bump, t, type Ptr } from "@arenakit/bump";
 * import { ArenaBytesMap, ArenaHashMap, type MapCore } from "@arenakit/hashmap";
 * function fill<K, KP extends Ptr>(m: MapCore<K, typeof t.u32, KP>, keys: K[]): number {
 *   keys.forEach((k, i) => m.set(k, i));
 *   return m.size;
 * }
 * fill(new ArenaHashMap(new Bump(), { value: t.u32 }), ["a", "b"]);
 * fill(new ArenaBytesMap(new Bump(), { value: t.u32 }), [new Uint8Array([1])]);
 * ```
 */
export abstract class MapCore<K, V extends AnyField, KP extends Ptr> extends TableCore<K, V> implements Disposable {

  constructor(allocator: Allocator, options: HashMapOptions<V>, what: string) {
    super(allocator, options, what);
    const capacity = options.capacity ?? 0;
    if (typeof capacity !== "number" || !Number.isSafeInteger(capacity) || capacity < 0) {
      throw new InvalidArgumentError(`capacity must be a whole number >= 0, got ${describe(capacity)}`);
    }
    if (capacity > 0) this._resize(this._groupsChecked(capacity));
  }


  // ------------------------------------------------------------ key hooks

  /**
   * @internal finds the slot of `key` (slot number) or -1 and leaves the hash
   * in `_h`. Checks the key's type and the map's state first (`_check`).
   */
  protected abstract _findSlot(key: K): number;
  /** @internal decodes a stored key into a JS value. */
  protected abstract _readKey(u8: Uint8Array, at: number, len: number): K;

  /**
   * A small, postMessage-able description of the map (numbers only) from which
   * another thread that can read the same memory (an `ArenaReader` over a
   * shared arena) attaches a read-only view with `attach`. The map must not be
   * changed while such views are in use: freeze it first (a frozen cache entry
   * is the intended use).
   */
  handle(): HashMapHandle {
    this._check();
    return {
      kind: "arenakit.hashmap",
      what: this._what,
      seed: this.seed,
      size: this._size,
      tombstones: this._tombs,
      groups: this._groups,
      table: this._tPtr,
      valueKind: this._vk,
      valueSize: this._vsize,
      windows: this._winHigh.map((high, i) => high + this._winBase[i]!),
    };
  }

  /** @internal makes this (fresh, empty) map a read-only view of the map described by `handle` */
  protected _attach(handle: HashMapHandle): void {
    if (
      handle === null ||
      typeof handle !== "object" ||
      handle.kind !== "arenakit.hashmap" ||
      handle.what !== this._what ||
      !Array.isArray(handle.windows)
    ) {
      throw new InvalidArgumentError(`${this._what}.attach expects the handle() of a ${this._what}`);
    }
    if (handle.valueKind !== this._vk || handle.valueSize !== this._vsize) {
      throw new InvalidArgumentError(`${this._what}.attach: the value type does not match the one the map was made with`);
    }
    // A handle comes from another thread or a file: check every number before following a pointer.
    const { groups, size, tombstones, table } = handle;
    const bad = (what: string): never => {
      throw new InvalidArgumentError(`${this._what}.attach: the handle's ${what} is not valid (a damaged or forged handle)`, "handle");
    };
    if (typeof groups !== "number" || !Number.isInteger(groups) || groups < 0 || groups > MAX_GROUPS) {
      bad(`groups (${describe(groups)})`);
    }
    if (typeof size !== "number" || !Number.isInteger(size) || size < 0 || size > (groups === 0 ? 0 : maxLoad(groups))) {
      bad(`size (${describe(size)})`);
    }
    if (typeof tombstones !== "number" || !Number.isInteger(tombstones) || tombstones < 0 || size + tombstones > groups * 4) {
      bad(`tombstones (${describe(tombstones)})`);
    }
    if (handle.windows.length > MAX_WINDOWS || handle.windows.some((w) => typeof w !== "number" || !this.allocator.isLive(w as Ptr))) {
      bad("window list");
    }
    if (groups > 0 && (typeof table !== "number" || !this.allocator.isLive(table as Ptr) || (table >>> 0) % 4 !== 0)) bad("table pointer");
    for (const p of handle.windows) this._window(p);
    if (handle.groups > 0) {
      const u8 = this.allocator.memoryOf(handle.table as Ptr);
      if ((handle.table >>> 0) + groups * STRIDE * 4 > u8.length) bad("table (it runs past its chunk)");
      this._t = new Int32Array(u8.buffer, u8.byteOffset + (handle.table >>> 0), handle.groups * STRIDE);
      this._tPtr = handle.table;
      this._guard = handle.table;
      this._groups = handle.groups;
      this._gmask = probeMask(handle.groups);
    }
    this._size = handle.size;
    this._tombs = handle.tombstones;
    this._growthLeft = 0;
    this._readOnly = true;
  }

  /** Whether the map was attached read-only from a handle. */
  get readOnly(): boolean {
    return this._readOnly;
  }

  // ----------------------------------------------------------- public API

  /**
   * Bytes of the table a map allocates for `capacity` entries (what
   * `capacity` or `reserve` sizes up front): the smallest number of 4-slot
   * groups that holds them at most 7/8 full, 5 bytes per slot. With {@link MapCore.entryBytes}, this sizes
   * an arena for a known number of entries (`Bump.withCapacity`).
   */
  static tableBytes(capacity: number): number {
    if (typeof capacity !== "number" || !Number.isSafeInteger(capacity) || capacity < 0) {
      throw new InvalidArgumentError(`capacity must be a whole number >= 0, got ${describe(capacity)}`);
    }
    return capacity === 0 ? 0 : groupsFor(capacity) * STRIDE * 4;
  }

  /**
   * Bytes one entry takes in the allocator: a 4-byte key length, the key
   * (`keyBytes`: UTF-8 bytes of a string key), the value inline (`valueBytes`:
   * the field or record size, or 4 + length for `t.str`/`t.bytes` values),
   * rounded up to 4. Record fields of type str/bytes are allocated separately.
   */
  static entryBytes(keyBytes: number, valueBytes: number): number {
    for (const [name, v] of [["keyBytes", keyBytes], ["valueBytes", valueBytes]] as const) {
      if (typeof v !== "number" || !Number.isSafeInteger(v) || v < 0) {
        throw new InvalidArgumentError(`entryBytes: ${name} must be a whole number of bytes >= 0, got ${describe(v)}`, name);
      }
    }
    return (4 + keyBytes + valueBytes + 3) & ~3;
  }

  /** Number of entries. */
  get size(): number {
    return this._size;
  }

  /** Entries the map can hold before its table grows. */
  get capacity(): number {
    return this._size + this._growthLeft;
  }

  /**
   * Inserts or replaces the value of `key`. The value is checked first, so a
   * bad value (wrong type, out of range, lone surrogate) throws a typed error
   * and changes nothing; so does a key that cannot be stored.
   *
   * Replacing keeps the entry in place when the new value has a fixed size
   * (numbers, bigints, booleans, records without str/bytes fields) or the same
   * length; otherwise the entry moves and its old {@link EntryPtr} and views
   * must not be used.
   */
  set(key: K, value: InputOf<V>): this {
    this._mutable("set");
    const slot = this._findSlot(key);
    const vlen = validateValue(this._codec, value);
    if (slot >= 0) {
      this._replace(slot, value, vlen);
      return this;
    }
    this._insert(key, value, vlen, this._h);
    return this;
  }

  /**
   * The value of `key`, inserting `value` first if the key is absent (the
   * entry API's `or_insert`). Returns the value as `get` would.
   */
  getOrInsert(key: K, value: InputOf<V>): ViewOf<V> {
    this._mutable("getOrInsert");
    let slot = this._findSlot(key);
    if (slot < 0) {
      const vlen = validateValue(this._codec, value);
      slot = this._insert(key, value, vlen, this._h);
    }
    return this._valueAtSlot(slot, false) as ViewOf<V>;
  }

  /**
   * Like {@link MapCore.getOrInsert}, but computes the value only when the key
   * is absent (the entry API's `or_insert_with`).
   */
  getOrInsertWith(key: K, make: (key: K) => InputOf<V>): ViewOf<V> {
    this._mutable("getOrInsertWith");
    checkFn("getOrInsertWith", make);
    const slot = this._findSlot(key);
    if (slot >= 0) return this._valueAtSlot(slot, false) as ViewOf<V>;
    return this.getOrInsert(key, make(key));
  }

  /** The value of `key` as an owned copy (see the class docs), or `undefined`. */
  getOwned(key: K): OwnedOf<V> | undefined {
    const slot = this._findSlot(key);
    return slot < 0 ? undefined : (this._valueAtSlot(slot, true) as OwnedOf<V>);
  }

  /**
   * The key as stored in the arena and the value, or `undefined` (hashbrown's
   * `get_key_value`). The key comes back as a pointer in bump's
   * length-prefixed format, readable with the allocator (`readStr`/`bytes`) or
   * from a Worker, valid as long as the entry: a projection can keep it instead
   * of a copy of the key.
   */
  getKeyValue(key: K): [KP, ViewOf<V>] | undefined {
    const slot = this._findSlot(key);
    if (slot < 0) return undefined;
    return [this._ptrAtSlot(slot) as unknown as KP, this._valueAtSlot(slot, false) as ViewOf<V>];
  }

  /** Removes `key`; returns whether it was present. With a freeing allocator the entry's memory is returned. */
  delete(key: K): boolean {
    this._mutable("delete");
    const slot = this._findSlot(key);
    if (slot < 0) return false;
    this._eraseSlot(slot);
    this._mods++;
    this._removals++;
    return true;
  }

  /**
   * Removes every entry. The table keeps its capacity (as hashbrown's
   * `clear`). Entries go back to a freeing allocator, or are kept for reuse by
   * later inserts of the same size. O(size).
   */
  clear(): void {
    this._mutable("clear");
    this._check();
    const t = this._t;
    for (let g = 0; g < this._groups; g++) {
      const base = g * STRIDE;
      const w = t[base]!;
      for (let i = 0; i < 4; i++) if (((w >>> (i << 3)) & 0x80) === 0) this._releaseEntry(t[base + 1 + i]!);
      t[base] = EMPTY_WORD;
    }
    this._size = 0;
    this._entryBytes = 0;
    this._tombs = 0;
    this._growthLeft = this._groups === 0 ? 0 : maxLoad(this._groups);
    this._mods++;
    this._removals++;
  }

  /**
   * Makes room for at least `additional` more entries without growing again
   * (hashbrown's `reserve`). Growing allocates a new table and, with a bump
   * arena, leaves the old one behind: reserving up front avoids that.
   * @throws {@link CapacityOverflowError} when the table would be too large.
   */
  reserve(additional: number): void {
    this._mutable("reserve");
    this._check();
    if (typeof additional !== "number" || !Number.isSafeInteger(additional) || additional < 0) {
      throw new InvalidArgumentError(`reserve expects a whole number >= 0, got ${describe(additional)}`, "additional");
    }
    if (additional > this._growthLeft) this._reserveRehash(additional);
  }

  /**
   * Stops keeping entry hashes for growth (see the `keepHashes` option) and
   * gives their array to the GC. Later growth hashes the stored keys again.
   * O(1); the map is otherwise unchanged.
   *
   * @example
   * ```ts
   * import { Bump, t } from "@arenakit/bump";
   * import { ArenaHashMap } from "@arenakit/hashmap";
   * const map = new ArenaHashMap(new Bump(), { value: t.u32, keepHashes: true });
   * for (let i = 0; i < 1000; i++) map.set(`key-${i}`, i); // grows without hashing stored keys again
   * map.dropHashes();
   * map.get("key-999"); // 999
   * ```
   */
  dropHashes(): void {
    this._hs = undefined;
    this._keepHashes = false;
  }

  /**
   * Shrinks the table to the smallest size that holds `max(size, minCapacity)`
   * entries (hashbrown's `shrink_to`). With a bump arena the old table stays
   * behind, so this only pays off with a freeing allocator.
   */
  shrinkTo(minCapacity = 0): void {
    this._mutable("shrinkTo");
    this._check();
    if (typeof minCapacity !== "number" || !Number.isSafeInteger(minCapacity) || minCapacity < 0) {
      throw new InvalidArgumentError(`shrinkTo expects a whole number >= 0, got ${describe(minCapacity)}`, "minCapacity");
    }
    const want = Math.max(this._size, minCapacity);
    if (want === 0) {
      if (this._groups > 0) this._dropTable();
      return;
    }
    const groups = this._groupsChecked(want);
    if (groups < this._groups) this._resize(groups);
  }

  /**
   * Rebuilds the table in `allocator`, sized exactly for
   * `max(size, minCapacity)` entries (the smallest table at most
   * 7/8 full), and retires the old table into the allocator that held it. The
   * entries do not move: entry pointers and views stay valid.
   *
   * When to use: freezing a map whose final size was unknown while it was
   * built. Build with `tableAllocator` set to a scratch allocator (a
   * `FreeListAllocator`, or a `Bump` dropped afterwards) so outgrown tables
   * never land in the arena, then `moveTable(arena)` once at the end: the
   * arena holds one exact table and the entries, nothing else. Cost: O(size)
   * (every key is rehashed) and one table allocation.
   *
   * @example
   * ```ts
   * import { Bump, FreeListAllocator, t } from "@arenakit/bump";
   * import { ArenaHashMap } from "@arenakit/hashmap";
   * const arena = new Bump();
   * const scratch = new FreeListAllocator({ size: 1 << 20 });
   * const map = new ArenaHashMap(arena, { value: t.u32, tableAllocator: scratch });
   * for (let i = 0; i < 1000; i++) map.set(`k${i}`, i);
   * map.moveTable(arena); // one exact table in the arena; scratch can be released
   * scratch.release();
   * map.get("k7"); // 7
   * ```
   * @throws {@link CapacityOverflowError} when the table would be too large;
   * the allocator's `AllocationLimitError` when it has no room (nothing changed).
   */
  moveTable(allocator: Allocator, minCapacity = 0): void {
    this._mutable("moveTable");
    this._check();
    checkAllocator(allocator, this._what, "allocator");
    if (typeof minCapacity !== "number" || !Number.isSafeInteger(minCapacity) || minCapacity < 0) {
      throw new InvalidArgumentError(`moveTable expects a whole number >= 0, got ${describe(minCapacity)}`, "minCapacity");
    }
    const want = Math.max(this._size, minCapacity);
    if (want === 0) {
      this._dropTable();
      this._talloc = allocator;
      return;
    }
    this._resize(this._groupsChecked(want), allocator);
  }

  /**
   * Keeps only the entries for which `keep(key, value)` returns true, removing
   * the others as it goes: the way to delete while walking the map. `keep`
   * must not change the map itself.
   */
  retain(keep: (key: K, value: ViewOf<V>) => boolean): void {
    this._mutable("retain");
    this._check();
    checkFn("retain", keep);
    let removed = 0;
    for (let g = 0; g < this._groups; g++) {
      const base = g * STRIDE;
      for (let i = 0; i < 4; i++) {
        if (((this._t[base]! >>> (i << 3)) & 0x80) !== 0) continue;
        const slot = (g << 2) | i;
        const mods = this._mods;
        const k = this._keyAtSlot(slot);
        const ok = keep(k, this._valueAtSlot(slot, false) as ViewOf<V>);
        if (this._mods !== mods) throw this._modified("retain");
        if (!ok) {
          this._eraseSlot(slot);
          removed++;
        }
      }
    }
    if (removed > 0) {
      this._mods++;
      this._removals++;
    }
  }

  /** Calls `fn(value, key, map)` for each entry, like `Map.prototype.forEach` (in table order). */
  forEach(fn: (value: ViewOf<V>, key: K, map: this) => void, thisArg?: unknown): void {
    this._check();
    checkFn("forEach", fn);
    const mods = this._mods;
    for (let g = 0; g < this._groups; g++) {
      const base = g * STRIDE;
      const w = this._t[base]!;
      for (let i = 0; i < 4; i++) {
        if (((w >>> (i << 3)) & 0x80) !== 0) continue;
        const slot = (g << 2) | i;
        fn.call(thisArg, this._valueAtSlot(slot, false) as ViewOf<V>, this._keyAtSlot(slot), this);
        if (this._mods !== mods) throw this._modified("forEach");
      }
    }
  }

  /** The keys, decoded (in table order; the order is unspecified, as in hashbrown). */
  keys(): MapIterator<K> {
    return this._iterate(0) as MapIterator<K>;
  }

  /** The values, as `get` returns them. */
  values(): MapIterator<ViewOf<V>> {
    return this._iterate(1) as MapIterator<ViewOf<V>>;
  }

  /** `[key, value]` pairs. */
  entries(): MapIterator<[K, ViewOf<V>]> {
    return this._iterate(2) as MapIterator<[K, ViewOf<V>]>;
  }

  /** The entry pointers, without decoding anything (for use with `keyAt`/`valueAt`/`valuePtr`). */
  entryPtrs(): MapIterator<EntryPtr> {
    return this._iterate(3) as MapIterator<EntryPtr>;
  }

  /** Same as {@link MapCore.entries}. */
  [Symbol.iterator](): MapIterator<[K, ViewOf<V>]> {
    return this.entries();
  }

  /** The key of the entry at `entry` (from `find` or `entryPtrs`), decoded. */
  keyAt(entry: EntryPtr): K {
    this._check();
    const p = this._entryAddress(entry);
    const o = p >>> 0;
    return this._readKey(this.allocator.memoryOf(p), o + 4, this._entryKeyLength(p, this.allocator.dataViewOf(p)));
  }

  /** The value of the entry at `entry`, as `get` returns it. */
  valueAt(entry: EntryPtr): ViewOf<V> {
    return this._valueAtPtr(entry, false) as ViewOf<V>;
  }

  /** The value of the entry at `entry` as an owned copy. */
  ownedValueAt(entry: EntryPtr): OwnedOf<V> {
    return this._valueAtPtr(entry, true) as OwnedOf<V>;
  }

  /**
   * A pointer to the value inside the entry at `entry`: read its fields with
   * the allocator or a layout (`Layout.get(map.allocator, p, "field")`)
   * without creating a view. For `t.str`/`t.bytes` maps it is a `StrPtr`/`BytesPtr`.
   */
  valuePtr(entry: EntryPtr): Ptr {
    this._check();
    const p = this._entryAddress(entry);
    const kl = this.allocator.readU32(p);
    if (kl === DEAD) throw this._deadEntry(entry);
    return (p + 4 + kl) as Ptr;
  }

  /** Memory figures of the map (O(1)). */
  stats(): HashMapStats {
    return {
      size: this._size,
      capacity: this.capacity,
      buckets: this._groups * 4,
      tombstones: this._tombs,
      tableBytes: this._groups * STRIDE * 4,
      entryBytes: this._entryBytes,
      holeBytes: this._holeBytes,
      retiredTableBytes: this._retired,
    };
  }

  /** How many groups lookups of the present keys read (O(size): recomputes every key's probe sequence). */
  probeStats(): ProbeStats {
    this._check();
    let sum = 0;
    let max = 0;
    const t = this._t;
    const mask = this._gmask;
    const groups = this._groups;
    for (let slot = 0; slot < groups * 4; slot++) {
      const base = (slot >> 2) * STRIDE;
      if (((t[base]! >>> ((slot & 3) << 3)) & 0x80) !== 0) continue;
      const h = this._hashRef(t[base + 1 + (slot & 3)]!);
      let g = homeGroup(h, groups);
      let n = 1;
      for (let step = 1; g !== slot >> 2; step++) {
        g = (g + step) & mask;
        if (g < groups) n++;
      }
      sum += n;
      if (n > max) max = n;
    }
    return { meanGroups: this._size === 0 ? 0 : sum / this._size, maxGroups: max };
  }

  /**
   * Gives the map's memory back to a freeing allocator (with a bump arena the
   * memory is the arena's until its reset). The map cannot be used again;
   * calling it twice is harmless.
   */
  release(): void {
    if (this._released) return;
    if (!this._readOnly && this.allocator.canFree && this._guard !== 0 && this.allocator.isLive(this._guard as Ptr)) {
      const t = this._t;
      for (let g = 0; g < this._groups; g++) {
        const w = t[g * STRIDE]!;
        for (let i = 0; i < 4; i++) if (((w >>> (i << 3)) & 0x80) === 0) this._releaseEntry(t[g * STRIDE + 1 + i]!);
      }
      if (this._tPtr !== 0 && this._talloc === this.allocator) this.allocator.free(this._tPtr as Ptr, this._groups * STRIDE * 4);
    }
    if (!this._readOnly && this._talloc !== this.allocator) this._retireTable();
    this._released = true;
    this._hs = undefined;
    this._removals++;
    this._entryBytes = 0;
    this._t = new Int32Array(0);
    this._groups = 0;
    this._gmask = -1;
    this._size = 0;
    this._growthLeft = 0;
    this._mods++;
  }

  /** Same as `release()`: `using map = new ArenaHashMap(...)` releases it at scope exit. */
  [Symbol.dispose](): void {
    this.release();
  }

  // ------------------------------------------------------------ internals

  protected _modified(where: string): ConcurrentModificationError {
    return new ConcurrentModificationError(
      `the ${this._what} was modified during ${where} (a key was inserted or removed, or the table was cleared, grown or released); ` +
        "collect the keys first, or remove entries with retain()",
    );
  }

  /**
   * A generator over the map with `[Symbol.dispose]` (stops it, like `return()`), so the iterators are the
   * `MapIterator`s that `ReadonlyMap` promises under lib ESNext.Disposable; Node 20's generators lack the method.
   */
  protected _iterate(mode: number): MapIterator<unknown> {
    const it = this._walk(mode) as Generator<unknown, undefined, undefined> & { [Symbol.dispose]?: () => void };
    if (typeof it[Symbol.dispose] !== "function") {
      Object.defineProperty(it, Symbol.dispose, { value: () => void it.return(undefined), configurable: true, writable: true });
    }
    return it as unknown as MapIterator<unknown>;
  }

  protected *_walk(mode: number): Generator<unknown, undefined, undefined> {
    this._check();
    const mods = this._mods;
    const groups = this._groups;
    for (let g = 0; g < groups; g++) {
      const base = g * STRIDE;
      const w = this._t[base]!;
      if ((w & HI) === HI) continue;
      for (let i = 0; i < 4; i++) {
        if (((w >>> (i << 3)) & 0x80) !== 0) continue;
        const slot = (g << 2) | i;
        if (mode === 0) yield this._keyAtSlot(slot);
        else if (mode === 1) yield this._valueAtSlot(slot, false);
        else if (mode === 2) yield [this._keyAtSlot(slot), this._valueAtSlot(slot, false)];
        else yield this._entryAtSlot(slot);
        if (this._mods !== mods) throw this._modified("iteration");
        this._check();
      }
    }
    return undefined;
  }

  protected _keyAtSlot(slot: number): K {
    const ref = this._refAt(slot);
    const wi = ref >>> 20;
    const o = this._offOf(ref);
    return this._readKey(this._winU8[wi]!, o + 4, this._winDv[wi]!.getUint32(o, true));
  }
}

function checkFn(what: string, fn: unknown): void {
  if (typeof fn !== "function") throw new InvalidArgumentError(`${what} expects a function, got ${describe(fn)}`, "fn");
}

/** @internal used by the key-specific subclasses */
export { LITTLE_ENDIAN };
