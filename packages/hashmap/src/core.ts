// The table shared by ArenaHashMap (string keys) and ArenaBytesMap (byte
// keys). Layout, chosen by measurement (see the "hashmap/layout" benchmark):
//
// - The table is ONE allocation of `groups` × 20 bytes, read through an
//   Int32Array made once per growth. A group is 4 slots: one 32-bit control
//   word (a byte per slot: EMPTY 0xFF, DELETED 0x80, or FULL = a 7-bit tag
//   from the hash) followed by four 32-bit entry references. Control bytes are
//   matched four at a time with SWAR bit tricks (hashbrown's portable group,
//   in 32-bit words), and a group's control word and references share a cache
//   line, so a lookup touches the table once.
// - Each entry is one allocation from the map's allocator, 4-byte aligned:
//   u32 key length, key bytes (UTF-8 for strings), then the value (inline;
//   str/bytes values as u32 length + bytes). The key part is bump's StrPtr /
//   BytesPtr format. Entries never move when the table grows.
// - An entry reference is 32 bits: a 12-bit "window" number and a 20-bit
//   offset in 4-byte units inside that 4 MiB window of an allocator chunk. The
//   map keeps each window's chunk views in arrays, so a reference resolves to
//   (views, offset) with two array loads and no allocation.
import {
  InvalidArgumentError,
  InvalidPointerError,
  ReadOnlyError,
  StalePointerError,
  decodeUtf8,
  encodeUtf8Into,
  type AnyField,
  type Allocator,
  type Fields,
  type InputOf,
  type Layout,
  type Memory,
  type OwnedOf,
  type Ptr,
  type ViewOf,
} from "@arenakit/bump";
import type { EntryPtr, HashMapHandle, HashMapOptions, HashMapStats, ProbeStats } from "./api.js";
import { CapacityOverflowError, ConcurrentModificationError, MapReleasedError } from "./errors.js";
import { GuardedMemory } from "./guarded.js";
import { HASH_STATE, LITTLE_ENDIAN, hashBytes, keysFromSeed, randomSeed } from "./hash.js";
import {
  VK_BOOL,
  VK_BYTES,
  VK_F32,
  VK_F64,
  VK_I16,
  VK_I32,
  VK_I64,
  VK_I8,
  VK_STR,
  VK_STRUCT,
  VK_U16,
  VK_U32,
  VK_U64,
  VK_U8,
  codecOf,
  describe,
  validateValue,
  type ValueCodec,
} from "./values.js";

/** Int32 words per group: the control word and four references. */
export const STRIDE = 5;
/** 0x80808080 as an int32: the top bit of every control byte. */
export const HI = -2139062144;
export const LO = 0x01010101;
const EMPTY_WORD = -1;
const MAX_GROUPS = 1 << 25;
const WINDOW_SHIFT = 22;
const WINDOW_SPAN = 1 << WINDOW_SHIFT;
/** Window numbers are 12 bits; 4095 is never used so that no reference equals -1. */
const MAX_WINDOWS = 4095;
const SPAN = 4294967296;
const NO_HOLE = -1;
/**
 * Written over the key length of an entry that was removed: no real key is
 * this long (an entry lives inside one chunk of at most 4 GiB), so an entry
 * pointer kept past its key's delete is recognised instead of read.
 */
const DEAD = 0xffffffff;

/** Entries a table of `groups` groups may hold (7/8 of its slots, one slot less for tiny tables). */
export function maxLoad(groups: number): number {
  const slots = groups * 4;
  return slots < 16 ? slots - 1 : slots - slots / 8;
}

/** Groups needed to hold `capacity` entries without growing (a power of two). */
export function groupsFor(capacity: number): number {
  if (capacity <= 3) return 1;
  if (capacity <= 7) return 2;
  if (capacity <= 14) return 4;
  const slots = 2 ** Math.ceil(Math.log2(Math.ceil((capacity * 8) / 7)));
  return slots / 4;
}

/** Index of the lowest set top bit of a SWAR mask: which of the 4 bytes matched. */
function lowestByte(m: number): number {
  return (31 - Math.clz32(m & -m)) >> 3;
}

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
export abstract class MapCore<K, V extends AnyField, KP extends Ptr> implements Disposable {
  /** The allocator that holds the table and the entries. */
  readonly allocator: Allocator;
  /** The value type given as the `value` option. */
  readonly valueType: V;
  /** The hash seed in use (random unless given). */
  readonly seed: number;

  /** @internal hash keys */
  protected readonly _k0: number;
  /** @internal */
  protected readonly _k1: number;
  /** @internal */
  protected readonly _k2: number;
  /** @internal */
  protected readonly _k3: number;

  /** @internal table view (control word + 4 references per group) */
  protected _t: Int32Array = new Int32Array(0);
  /** @internal groups - 1, or -1 while there is no table */
  protected _gmask = -1;
  /** @internal */
  protected _groups = 0;
  /** @internal pointer of the table allocation (0 when none) */
  protected _tPtr = 0;
  /** @internal */
  protected _size = 0;
  /** @internal inserts into EMPTY slots left before the table must grow */
  protected _growthLeft = 0;
  /** @internal */
  protected _tombs = 0;
  /** @internal the hash computed by the last _findSlot, reused by inserts */
  protected _h = 0;

  /** @internal per-window chunk views and positions */
  protected readonly _winU8: Uint8Array[] = [];
  /** @internal */
  protected readonly _winU32: Uint32Array[] = [];
  /** @internal */
  protected readonly _winDv: DataView[] = [];
  /** @internal offset of the window inside its chunk */
  protected readonly _winBase: number[] = [];
  /** @internal chunk part of pointers in the window (high bits × 2^32) */
  protected readonly _winHigh: number[] = [];
  private readonly _winIndex = new Map<number, number>();
  private readonly _u32Of = new Map<ArrayBufferLike, Uint32Array>();
  private _lastWinKey = -1;
  private _lastWin = -1;

  private readonly _holes = new Map<number, number>();
  private _holeBytes = 0;
  private _entryBytes = 0;
  private _retired = 0;
  /** @internal structural modification counter, checked by iterators */
  protected _mods = 0;
  /**
   * @internal removals (delete, clear, retain, a replace that moves its entry,
   * release): record views made before one read through a memory stamped with
   * an older count and throw instead of reading an entry that may be reused.
   */
  protected _removals = 0;
  private _viewMem: GuardedMemory | undefined;
  /** @internal newest allocation of the map: if it is live, all of the map's memory is */
  protected _guard = 0;
  /** @internal the allocator that holds the table (the map's allocator unless `tableAllocator` or `moveTable` said otherwise) */
  protected _talloc: Allocator;
  /** @internal the table's pointer when it lives in another allocator than the entries (checked like `_guard`) */
  protected _tguard = 0;
  /** @internal */
  protected _released = false;
  /** @internal attached from a handle: every mutation throws */
  protected _readOnly = false;

  /** @internal value codec */
  protected readonly _vk: number;
  /** @internal */
  protected readonly _vsize: number;
  /** @internal */
  protected readonly _layout: Layout<Fields> | undefined;
  private readonly _vRefs: boolean;
  private readonly _codec: ValueCodec;
  private readonly _what: string;

  constructor(allocator: Allocator, options: HashMapOptions<V>, what: string) {
    this._what = what;
    if (allocator === null || typeof allocator !== "object" || typeof allocator.alloc !== "function") {
      throw new InvalidArgumentError(`${what} needs an Allocator of @arenakit/bump (a Bump, a FreeListAllocator, ...)`);
    }
    if (options === null || typeof options !== "object") {
      throw new InvalidArgumentError(`${what} options must be an object with a value type, got ${describe(options)}`);
    }
    const codec = codecOf(options.value);
    this._codec = codec;
    this.allocator = allocator;
    this._talloc = checkAllocator(options.tableAllocator ?? allocator, what, "tableAllocator");
    this.valueType = options.value;
    this._vk = codec.kind;
    this._vsize = codec.size;
    this._layout = codec.layout;
    this._vRefs = codec.hasRefs;
    const seed = options.seed ?? randomSeed();
    if (typeof seed !== "number" || !Number.isSafeInteger(seed)) {
      throw new InvalidArgumentError(`seed must be a safe integer, got ${describe(seed)}`);
    }
    this.seed = seed;
    const k = keysFromSeed(seed);
    this._k0 = k.k0;
    this._k1 = k.k1;
    this._k2 = k.k2;
    this._k3 = k.k3;
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
  /** @internal validates `key` and returns its stored byte length. */
  protected abstract _keyLength(key: K): number;
  /**
   * @internal writes the key bytes (the length prefix is written by the
   * caller); `words` says whether WORDS still holds this key's words.
   */
  protected abstract _writeKey(wi: number, at: number, key: K, len: number, words: boolean): void;
  /** @internal decodes a stored key into a JS value. */
  protected abstract _readKey(u8: Uint8Array, at: number, len: number): K;

  // --------------------------------------------------------------- checks

  /** @internal throws when the map or its memory is gone. */
  protected _check(): void {
    if (this._released) throw new MapReleasedError(`the ${this._what} was released`);
    // Throws StalePointerError when the allocator was reset, rewound or released under the map.
    if (this._guard !== 0) this.allocator.memoryOf(this._guard as Ptr);
    if (this._tguard !== 0) this._talloc.memoryOf(this._tguard as Ptr);
  }

  /** @internal throws when the map was attached read-only from a handle */
  protected _mutable(what: string): void {
    if (this._readOnly) {
      throw new ReadOnlyError(`${what}: this ${this._what} was attached read-only from a handle (another thread owns it)`);
    }
  }

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
    if (typeof groups !== "number" || !Number.isInteger(groups) || groups < 0 || groups > MAX_GROUPS || (groups & (groups - 1)) !== 0) {
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
      this._gmask = handle.groups - 1;
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

  private _groupsChecked(capacity: number): number {
    if (capacity > maxLoad(MAX_GROUPS)) {
      throw new CapacityOverflowError(`a ${this._what} holds at most ${maxLoad(MAX_GROUPS)} entries; ${capacity} were requested`);
    }
    return groupsFor(capacity);
  }

  // ----------------------------------------------------------- public API

  /**
   * Bytes of the table a map allocates for `capacity` entries (what
   * `capacity` or `reserve` sizes up front): a power-of-two number of slots at
   * most 7/8 full, 5 bytes per slot. With {@link MapCore.entryBytes}, this sizes
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
   * `max(size, minCapacity)` entries (the smallest power-of-two table at most
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
    const m = this.allocator.memoryOf(entry);
    const o = entry >>> 0;
    return this._readKey(m, o + 4, this._entryKeyLength(entry, this.allocator.dataViewOf(entry)));
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
    // The checked read throws StalePointerError for an entry of a reset or released arena.
    const kl = this.allocator.readU32(entry);
    if (kl === DEAD) throw this._deadEntry(entry);
    return (entry + 4 + kl) as Ptr;
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
    for (let slot = 0; slot < this._groups * 4; slot++) {
      const base = (slot >> 2) * STRIDE;
      if (((t[base]! >>> ((slot & 3) << 3)) & 0x80) !== 0) continue;
      const h = this._hashRef(t[base + 1 + (slot & 3)]!);
      let g = h & mask;
      let n = 1;
      for (let step = 1; g !== slot >> 2; step++, n++) g = (g + step) & mask;
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

  private _modified(where: string): ConcurrentModificationError {
    return new ConcurrentModificationError(
      `the ${this._what} was modified during ${where} (a key was inserted or removed, or the table was cleared, grown or released); ` +
        "collect the keys first, or remove entries with retain()",
    );
  }

  /**
   * A generator over the map with `[Symbol.dispose]` (stops it, like `return()`), so the iterators are the
   * `MapIterator`s that `ReadonlyMap` promises under lib ESNext.Disposable; Node 20's generators lack the method.
   */
  private _iterate(mode: number): MapIterator<unknown> {
    const it = this._walk(mode) as Generator<unknown, undefined, undefined> & { [Symbol.dispose]?: () => void };
    if (typeof it[Symbol.dispose] !== "function") {
      Object.defineProperty(it, Symbol.dispose, { value: () => void it.return(undefined), configurable: true, writable: true });
    }
    return it as unknown as MapIterator<unknown>;
  }

  private *_walk(mode: number): Generator<unknown, undefined, undefined> {
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
        else yield this._ptrAtSlot(slot);
        if (this._mods !== mods) throw this._modified("iteration");
        this._check();
      }
    }
    return undefined;
  }

  /** @internal the entry reference stored in `slot`. */
  protected _refAt(slot: number): number {
    return this._t[(slot >> 2) * STRIDE + 1 + (slot & 3)]!;
  }

  /** @internal chunk offset of the entry `ref` names. */
  protected _offOf(ref: number): number {
    return this._winBase[ref >>> 20]! + ((ref & 0xfffff) << 2);
  }

  /** @internal */
  protected _ptrAtSlot(slot: number): EntryPtr {
    const ref = this._refAt(slot);
    return (this._winHigh[ref >>> 20]! + this._offOf(ref)) as EntryPtr;
  }

  private _keyAtSlot(slot: number): K {
    const ref = this._refAt(slot);
    const wi = ref >>> 20;
    const o = this._offOf(ref);
    return this._readKey(this._winU8[wi]!, o + 4, this._winDv[wi]!.getUint32(o, true));
  }

  /**
   * @internal the value of the entry in `slot`. `keyLen` is the stored key's
   * length when the caller knows it (-1: read it from the entry).
   */
  protected _valueAtSlot(slot: number, owned: boolean, keyLen = -1): unknown {
    const ref = this._refAt(slot);
    const wi = ref >>> 20;
    const o = this._offOf(ref);
    const dv = this._winDv[wi]!;
    const kl = keyLen >= 0 ? keyLen : dv.getUint32(o, true);
    return this._readValue(this._winU8[wi]!, dv, o + 4 + kl, this._winHigh[wi]!, owned);
  }

  private _valueAtPtr(entry: EntryPtr, owned: boolean): unknown {
    this._check();
    const u8 = this.allocator.memoryOf(entry);
    const dv = this.allocator.dataViewOf(entry);
    const o = entry >>> 0;
    return this._readValue(u8, dv, o + 4 + this._entryKeyLength(entry, dv), entry - o, owned);
  }

  /** The key length of the entry at `entry`, checked to be a live entry that fits its chunk. */
  private _entryKeyLength(entry: EntryPtr, dv: DataView): number {
    const o = entry >>> 0;
    if (o + 8 > dv.byteLength) throw new InvalidPointerError(`${entry} is not an entry pointer of this ${this._what}`);
    const kl = dv.getUint32(o, true);
    if (kl === DEAD) throw this._deadEntry(entry);
    if (o + 4 + kl > dv.byteLength) throw new InvalidPointerError(`${entry} is not an entry pointer of this ${this._what}`);
    return kl;
  }

  private _deadEntry(entry: number): StalePointerError {
    return new StalePointerError(
      `entry pointer ${entry} of this ${this._what} is stale: its key was deleted (or its value moved by a set of another size)`,
    );
  }

  /** @internal the memory record views read through: stamped with the current removal count. */
  protected _viewMemory(): Memory {
    const m = this._viewMem;
    if (m !== undefined && m.stamp === this._removals) return m;
    return (this._viewMem = new GuardedMemory(this.allocator, this, this._removals));
  }

  /** @internal the removal count, read by the views' guarded memory. */
  get _removalCount(): number {
    return this._released ? -1 : this._removals;
  }

  /** @internal reads the value at chunk offset `vo`; `high` is the chunk part of pointers there. */
  protected _readValue(u8: Uint8Array, dv: DataView, vo: number, high: number, owned: boolean): unknown {
    switch (this._vk) {
      case VK_U8:
        return u8[vo];
      case VK_I8:
        return (u8[vo]! << 24) >> 24;
      case VK_U16:
        return dv.getUint16(vo, true);
      case VK_I16:
        return dv.getInt16(vo, true);
      case VK_U32:
        return dv.getUint32(vo, true);
      case VK_I32:
        return dv.getInt32(vo, true);
      case VK_F32:
        return dv.getFloat32(vo, true);
      case VK_F64:
        return dv.getFloat64(vo, true);
      case VK_U64:
        return dv.getBigUint64(vo, true);
      case VK_I64:
        return dv.getBigInt64(vo, true);
      case VK_BOOL:
        return u8[vo] !== 0;
      case VK_STR:
        return decodeUtf8(u8, vo + 4, dv.getUint32(vo, true));
      case VK_BYTES: {
        const len = dv.getUint32(vo, true);
        return owned ? u8.slice(vo + 4, vo + 4 + len) : new Uint8Array(u8.buffer, u8.byteOffset + vo + 4, len);
      }
      default: {
        const p = (high + vo) as Ptr;
        return owned ? this._layout!.read(this.allocator, p) : this._layout!.view(this._viewMemory(), p);
      }
    }
  }

  /** Writes a validated value at chunk offset `vo`. May throw only for records with str/bytes fields (allocation). */
  private _writeValue(u8: Uint8Array, dv: DataView, vo: number, high: number, v: unknown, vlen: number): void {
    switch (this._vk) {
      case VK_U8:
      case VK_I8:
        u8[vo] = (v as number) & 0xff;
        return;
      case VK_U16:
      case VK_I16:
        dv.setUint16(vo, (v as number) & 0xffff, true);
        return;
      case VK_U32:
        dv.setUint32(vo, v as number, true);
        return;
      case VK_I32:
        dv.setInt32(vo, v as number, true);
        return;
      case VK_F32:
        dv.setFloat32(vo, v as number, true);
        return;
      case VK_F64:
        dv.setFloat64(vo, v as number, true);
        return;
      case VK_U64:
        dv.setBigUint64(vo, BigInt(v as bigint | number), true);
        return;
      case VK_I64:
        dv.setBigInt64(vo, BigInt(v as bigint | number), true);
        return;
      case VK_BOOL:
        u8[vo] = v ? 1 : 0;
        return;
      case VK_STR:
        dv.setUint32(vo, vlen, true);
        // SAFETY: vlen is the exact UTF-8 length of the validated string, so exactly vlen bytes are written.
        encodeUtf8Into(v as string, u8, vo + 4);
        return;
      case VK_BYTES:
        dv.setUint32(vo, vlen, true);
        u8.set(v as Uint8Array, vo + 4);
        return;
      default:
        this._layout!.writeAt(this.allocator, (high + vo) as Ptr, v as never);
    }
  }

  /** Bytes an entry takes: length-prefixed key, value, rounded up to 4. */
  private _entrySizeFor(keyLen: number, vlen: number): number {
    const v = this._vsize >= 0 ? this._vsize : 4 + vlen;
    return (4 + keyLen + v + 3) & ~3;
  }

  private _entrySizeOf(wi: number, o: number): number {
    const dv = this._winDv[wi]!;
    const keyLen = dv.getUint32(o, true);
    return this._entrySizeFor(keyLen, this._vsize >= 0 ? 0 : dv.getUint32(o + 4 + keyLen, true));
  }

  /** Inserts a key known to be absent, whose hash is `h`. Returns its slot. */
  private _insert(key: K, value: unknown, vlen: number, h: number): number {
    // WORDS holds this key's words from the lookup just made, unless a rehash below hashes stored keys.
    let words = HASH_STATE[0] === 1;
    const keyLen = this._keyLength(key);
    if (this._groups === 0) this._resize(1);
    let slot = this._insertSlot(h);
    if (this._growthLeft === 0 && this._ctrlAt(slot) === 0xff) {
      this._reserveRehash(1);
      words = false;
      slot = this._insertSlot(h);
    }
    const size = this._entrySizeFor(keyLen, vlen);
    const ref = this._allocEntry(size);
    const wi = ref >>> 20;
    const o = this._offOf(ref);
    const u8 = this._winU8[wi]!;
    const dv = this._winDv[wi]!;
    try {
      dv.setUint32(o, keyLen, true);
      this._writeKey(wi, o + 4, key, keyLen, words);
      this._writeValue(u8, dv, o + 4 + keyLen, this._winHigh[wi]!, value, vlen);
    } catch (err) {
      this._dropEntry(ref, size); // nothing was linked: the map is unchanged
      throw err;
    }
    const base = (slot >> 2) * STRIDE;
    if (this._ctrlAt(slot) === 0xff) this._growthLeft--;
    else this._tombs--;
    this._setCtrl(slot, h >>> 25);
    this._t[base + 1 + (slot & 3)] = ref;
    this._size++;
    this._entryBytes += size;
    this._mods++;
    return slot;
  }

  /** Replaces the value of the entry in `slot` (already validated). */
  private _replace(slot: number, value: unknown, vlen: number): void {
    const ri = (slot >> 2) * STRIDE + 1 + (slot & 3);
    const ref = this._t[ri]!;
    const wi = ref >>> 20;
    const o = this._offOf(ref);
    const u8 = this._winU8[wi]!;
    const dv = this._winDv[wi]!;
    const keyLen = dv.getUint32(o, true);
    const vo = o + 4 + keyLen;
    const fixed = this._vsize >= 0;
    if ((fixed && !this._vRefs) || (!fixed && dv.getUint32(vo, true) === vlen)) {
      this._writeValue(u8, dv, vo, this._winHigh[wi]!, value, vlen);
      return;
    }
    // The entry moves: write a complete new one first, so a failure leaves the old value in place.
    const size = this._entrySizeFor(keyLen, vlen);
    const nref = this._allocEntry(size);
    const nwi = nref >>> 20;
    const no = this._offOf(nref);
    const nu8 = this._winU8[nwi]!;
    const ndv = this._winDv[nwi]!;
    try {
      copyBytes(u8, o, nu8, no, 4 + keyLen);
      this._writeValue(nu8, ndv, no + 4 + keyLen, this._winHigh[nwi]!, value, vlen);
    } catch (err) {
      this._dropEntry(nref, size);
      throw err;
    }
    const oldSize = this._entrySizeOf(wi, o);
    this._t[ri] = nref;
    this._entryBytes += size - oldSize;
    this._releaseEntry(ref, oldSize);
    this._removals++;
  }

  /** Removes the entry in `slot`: EMPTY when its group was never full (no probe passed it), else DELETED. */
  private _eraseSlot(slot: number): void {
    const base = (slot >> 2) * STRIDE;
    const w = this._t[base]!;
    const ref = this._t[base + 1 + (slot & 3)]!;
    if ((w & (w << 1) & HI) !== 0) {
      this._setCtrl(slot, 0xff);
      this._growthLeft++;
    } else {
      this._setCtrl(slot, 0x80);
      this._tombs++;
    }
    this._size--;
    const size = this._entrySizeOf(ref >>> 20, this._offOf(ref));
    this._entryBytes -= size;
    this._releaseEntry(ref, size);
  }

  /** @internal control byte of `slot`. */
  protected _ctrlAt(slot: number): number {
    return (this._t[(slot >> 2) * STRIDE]! >>> ((slot & 3) << 3)) & 0xff;
  }

  private _setCtrl(slot: number, byte: number): void {
    const base = (slot >> 2) * STRIDE;
    const shift = (slot & 3) << 3;
    this._t[base] = (this._t[base]! & ~(0xff << shift)) | (byte << shift);
  }

  /** First EMPTY or DELETED slot on the probe sequence of `h`. */
  private _insertSlot(h: number): number {
    const t = this._t;
    const mask = this._gmask;
    let g = h & mask;
    for (let step = 1; ; step++) {
      const m = t[g * STRIDE]! & HI;
      if (m !== 0) return (g << 2) | lowestByte(m);
      g = (g + step) & mask;
    }
  }

  /** @internal hash of the stored key of `ref`. */
  protected _hashRef(ref: number): number {
    const wi = ref >>> 20;
    const o = this._offOf(ref);
    return hashBytes(this._winU8[wi]!, o + 4, this._winDv[wi]!.getUint32(o, true), this._k0, this._k1, this._k2, this._k3);
  }

  // --------------------------------------------------------- growth

  private _reserveRehash(additional: number): void {
    const needed = this._size + additional;
    if (!Number.isSafeInteger(needed)) throw new CapacityOverflowError(`cannot reserve ${additional} more entries`);
    const full = this._groups === 0 ? 0 : maxLoad(this._groups);
    if (needed <= full / 2) {
      this._rehashInPlace();
      return;
    }
    this._resize(this._groupsChecked(Math.max(needed, full + 1)));
  }

  /**
   * Moves every entry reference into a new table of `groups` groups
   * allocated in `into` (entries themselves stay put); the old table is
   * retired into the allocator that held it.
   */
  private _resize(groups: number, into: Allocator = this._talloc): void {
    const bytes = groups * STRIDE * 4;
    const p = into.alloc(bytes, 4);
    const u8 = into.memoryOf(p);
    if (u8.byteOffset % 4 !== 0) {
      throw new InvalidArgumentError("the allocator's memory views must start at a 4-byte aligned offset of their buffer");
    }
    const nt = new Int32Array(u8.buffer, u8.byteOffset + (p >>> 0), groups * STRIDE);
    for (let g = 0; g < groups; g++) nt[g * STRIDE] = EMPTY_WORD;
    const mask = groups - 1;
    const old = this._t;
    for (let g = 0; g < this._groups; g++) {
      const base = g * STRIDE;
      const w = old[base]!;
      if ((w & HI) === HI) continue;
      for (let i = 0; i < 4; i++) {
        if (((w >>> (i << 3)) & 0x80) !== 0) continue;
        const ref = old[base + 1 + i]!;
        const h = this._hashRef(ref);
        let ng = h & mask;
        let m = nt[ng * STRIDE]! & HI;
        for (let step = 1; m === 0; step++) {
          ng = (ng + step) & mask;
          m = nt[ng * STRIDE]! & HI;
        }
        const j = lowestByte(m);
        const nb = ng * STRIDE;
        const shift = j << 3;
        nt[nb] = (nt[nb]! & ~(0xff << shift)) | ((h >>> 25) << shift);
        nt[nb + 1 + j] = ref;
      }
    }
    this._retireTable();
    this._talloc = into;
    this._t = nt;
    this._tPtr = p;
    if (into === this.allocator) {
      this._guard = p;
      this._tguard = 0;
    } else {
      this._tguard = p;
    }
    this._groups = groups;
    this._gmask = mask;
    this._growthLeft = maxLoad(groups) - this._size;
    this._tombs = 0;
    this._mods++;
  }

  private _retireTable(): void {
    if (this._tPtr === 0) return;
    const bytes = this._groups * STRIDE * 4;
    const a = this._talloc;
    if (a.canFree) {
      if (a.isLive(this._tPtr as Ptr)) a.free(this._tPtr as Ptr, bytes);
    } else if (a === this.allocator) {
      this._retired += bytes;
    }
    this._tPtr = 0;
    this._tguard = 0;
  }

  private _dropTable(): void {
    this._retireTable();
    this._t = new Int32Array(0);
    this._groups = 0;
    this._gmask = -1;
    this._growthLeft = 0;
    this._tombs = 0;
    this._mods++;
  }

  /**
   * Rehashes without allocating, to clear tombstones (hashbrown's
   * rehash_in_place): every FULL slot is marked DELETED ("to place"), every
   * DELETED one EMPTY; then each entry to place goes to the first free slot of
   * its probe sequence, swapping with another entry still to place if needed.
   */
  private _rehashInPlace(): void {
    const t = this._t;
    const mask = this._gmask;
    for (let g = 0; g < this._groups; g++) {
      const w = t[g * STRIDE]!;
      const full = ~w & HI;
      t[g * STRIDE] = (~full + (full >>> 7)) | 0;
    }
    for (let slot = 0; slot < this._groups * 4; slot++) {
      if (this._ctrlAt(slot) !== 0x80) continue;
      const ri = (slot >> 2) * STRIDE + 1 + (slot & 3);
      for (;;) {
        const ref = t[ri]!;
        const h = this._hashRef(ref);
        const target = this._insertSlot(h);
        if (target >> 2 === slot >> 2) {
          // Already in the first group its lookups reach that has room.
          this._setCtrl(slot, h >>> 25);
          break;
        }
        const prev = this._ctrlAt(target);
        this._setCtrl(target, h >>> 25);
        const ti = (target >> 2) * STRIDE + 1 + (target & 3);
        if (prev === 0xff) {
          t[ti] = ref;
          this._setCtrl(slot, 0xff);
          break;
        }
        // SAFETY: the target holds an entry still to place; swap and place that one next.
        t[ri] = t[ti]!;
        t[ti] = ref;
      }
    }
    this._growthLeft = maxLoad(this._groups) - this._size;
    this._tombs = 0;
    this._mods++;
  }

  // --------------------------------------------------------- entries

  /** Allocates an entry of `size` bytes (reusing a hole of the same size when the allocator cannot free). */
  private _allocEntry(size: number): number {
    if (this._holeBytes !== 0) {
      const head = this._holes.get(size);
      if (head !== undefined) {
        const next = this._winDv[head >>> 20]!.getInt32(this._offOf(head) + 4, true);
        if (next === NO_HOLE) this._holes.delete(size);
        else this._holes.set(size, next);
        this._holeBytes -= size;
        return head;
      }
    }
    const p = this.allocator.alloc(size, 4);
    let wi: number;
    try {
      wi = this._window(p);
    } catch (err) {
      this.allocator.free(p, size);
      throw err;
    }
    this._guard = p;
    return (wi << 20) | (((p >>> 0) - this._winBase[wi]!) >>> 2);
  }

  /** Gives an entry that was never linked back. */
  private _dropEntry(ref: number, size: number): void {
    const wi = ref >>> 20;
    const o = this._offOf(ref);
    if (this.allocator.canFree) this.allocator.free((this._winHigh[wi]! + o) as Ptr, size);
    else this._addHole(ref, size);
  }

  /** Frees an unlinked entry (and its record's out-of-line fields) or keeps it as a hole. */
  private _releaseEntry(ref: number, size = this._entrySizeOf(ref >>> 20, this._offOf(ref))): void {
    const wi = ref >>> 20;
    const o = this._offOf(ref);
    if (!this.allocator.canFree) {
      this._addHole(ref, size);
      return;
    }
    if (this._vRefs) {
      const keyLen = this._winDv[wi]!.getUint32(o, true);
      freeRefs(this.allocator, this._layout!, (this._winHigh[wi]! + o + 4 + keyLen) as Ptr);
    }
    this.allocator.free((this._winHigh[wi]! + o) as Ptr, size);
  }

  private _addHole(ref: number, size: number): void {
    const head = this._holes.get(size);
    const dv = this._winDv[ref >>> 20]!;
    const o = this._offOf(ref);
    // SAFETY: every entry is at least 8 bytes (length word + a value of >= 1 byte, rounded to 4).
    dv.setUint32(o, DEAD, true);
    dv.setInt32(o + 4, head ?? NO_HOLE, true);
    this._holes.set(size, ref);
    this._holeBytes += size;
  }

  /** The window number of pointer `p`, registering its 4 MiB window on first use. */
  private _window(p: number): number {
    const high = Math.floor(p / SPAN);
    const off = p >>> 0;
    const key = high * 1024 + (off >>> WINDOW_SHIFT);
    if (key === this._lastWinKey) return this._lastWin;
    let wi = this._winIndex.get(key);
    if (wi === undefined) {
      wi = this._winU8.length;
      if (wi >= MAX_WINDOWS) {
        throw new CapacityOverflowError(
          `the ${this._what}'s entries would span more than ${MAX_WINDOWS} windows of 4 MiB of allocator memory`,
        );
      }
      const u8 = this.allocator.memoryOf(p as Ptr);
      if (u8.byteOffset % 4 !== 0) {
        throw new InvalidArgumentError("the allocator's memory views must start at a 4-byte aligned offset of their buffer");
      }
      this._winU8.push(u8);
      this._winDv.push(this.allocator.dataViewOf(p as Ptr));
      this._winU32.push(this._u32View(u8));
      this._winBase.push(Math.floor(off / WINDOW_SPAN) * WINDOW_SPAN);
      this._winHigh.push(high * SPAN);
      this._winIndex.set(key, wi);
    }
    this._lastWinKey = key;
    this._lastWin = wi;
    return wi;
  }

  /** A Uint32Array over a chunk's buffer indexed by chunk offset / 4 (length-tracking for resizable buffers). */
  private _u32View(u8: Uint8Array): Uint32Array {
    const buf = u8.buffer;
    let v = this._u32Of.get(buf);
    if (v === undefined) {
      const resizable = (buf as ArrayBuffer).resizable === true || (buf as SharedArrayBuffer).growable === true;
      v = resizable && u8.byteOffset === 0 ? new Uint32Array(buf) : new Uint32Array(buf, u8.byteOffset, u8.length >>> 2);
      this._u32Of.set(buf, v);
    }
    return v;
  }
}

function checkAllocator(a: unknown, what: string, name: string): Allocator {
  if (a === null || typeof a !== "object" || typeof (a as Allocator).alloc !== "function") {
    throw new InvalidArgumentError(`${what} ${name} must be an Allocator of @arenakit/bump (a Bump, a FreeListAllocator, ...)`, name);
  }
  return a as Allocator;
}

function checkFn(what: string, fn: unknown): void {
  if (typeof fn !== "function") throw new InvalidArgumentError(`${what} expects a function, got ${describe(fn)}`, "fn");
}

/** Copies `n` bytes between (possibly different) chunks. */
function copyBytes(src: Uint8Array, from: number, dst: Uint8Array, to: number, n: number): void {
  dst.set(src.subarray(from, from + n), to);
}

/** Frees the str/bytes fields of the record at `p`, at any depth. */
function freeRefs(a: Allocator, layout: Layout<Fields>, p: Ptr): void {
  for (const f of layout.fields) {
    const kind = f.type.kind;
    const fp = (p + f.offset) as Ptr;
    if (kind === "str" || kind === "bytes") {
      const q = a.readF64(fp) as Ptr;
      if (q !== 0) a.free(q, 4 + a.readU32(q));
    } else if (kind === "struct") {
      freeRefs(a, f.type as unknown as Layout<Fields>, fp);
    }
  }
}

/** @internal used by the key-specific subclasses */
export { LITTLE_ENDIAN };
