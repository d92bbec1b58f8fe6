// The table of the hash maps. Layout, chosen by measurement (see the
// "hashmap/layout" benchmark): ONE allocation of `groups` × 20 bytes, read
// through an Int32Array made once per growth. A group is 4 slots: one 32-bit
// control word (a byte per slot: EMPTY 0xFF, DELETED 0x80, or FULL = a 7-bit
// tag from the hash) followed by four 32-bit entry references. Control bytes
// are matched four at a time with SWAR bit tricks (hashbrown's portable group,
// in 32-bit words), and a group's control word and references share a cache
// line, so a lookup touches the table once. This file holds the table's
// algorithms: probing, inserting, replacing and erasing entries, growth,
// in-place rehash and retirement of outgrown tables.
import { InvalidArgumentError, type Allocator, type AnyField, type Ptr } from "@arenakit/bump";
import type { EntryPtr } from "./api.js";
import { EntryStore, copyBytes } from "./entries.js";
import { CapacityOverflowError } from "./errors.js";
import { HASH_STATE, hashBytes } from "./hash.js";

/** Int32 words per group: the control word and four references. */
export const STRIDE = 5;
/** 0x80808080 as an int32: the top bit of every control byte. */
export const HI = -2139062144;
export const LO = 0x01010101;
export const EMPTY_WORD = -1;
export const MAX_GROUPS: number = 1 << 25;

/** Entries a table of `groups` groups may hold (7/8 of its slots, one slot less for tiny tables). */
export function maxLoad(groups: number): number {
  const slots = groups * 4;
  return slots < 16 ? slots - 1 : slots - (slots >>> 3);
}

/**
 * Groups needed to hold `capacity` entries without growing: the smallest
 * number, not rounded to a power of two, so that a sized table is at most 7/8
 * full and not half empty (tables grown by inserts double, so they stay
 * powers of two).
 */
export function groupsFor(capacity: number): number {
  if (capacity <= 3) return 1;
  if (capacity <= 7) return 2;
  if (capacity <= 14) return 4;
  // maxLoad rounds the 1/8 down, so the estimate can be one group high: start below it.
  let groups = Math.max(4, Math.floor((capacity * 8) / 7 / 4) - 1);
  while (maxLoad(groups) < capacity) groups++;
  return groups;
}

/**
 * The probe mask of a table of `groups` groups: the next power of two minus
 * one. Probing walks triangular steps modulo that power of two (which visits
 * every position) and skips positions past the last group, so it visits every
 * group whatever their number.
 */
export function probeMask(groups: number): number {
  return groups <= 1 ? 0 : 2 ** Math.ceil(Math.log2(groups)) - 1;
}

/**
 * The first group a hash probes. The remainder equals `h & (groups - 1)` for a
 * power of two, so tables saved by earlier versions (always powers of two) read the same.
 */
export function homeGroup(h: number, groups: number): number {
  return (h & 0x7fffffff) % groups;
}

/** Index of the lowest set top bit of a SWAR mask: which of the 4 bytes matched. */
export function lowestByte(m: number): number {
  return (31 - Math.clz32(m & -m)) >> 3;
}

/** The table's algorithms over the state of {@link EntryStore} (`K` is the key type); the base of `MapCore`. */
export abstract class TableCore<K, V extends AnyField> extends EntryStore<V> {
  /**
   * @internal validates `key` and returns its stored byte length; `words` says whether WORDS holds this key's
   * words (the hash just made found it fits them).
   */
  protected abstract _keyLength(key: K, words: boolean): number;
  /**
   * @internal writes the key bytes (the length prefix is written by the
   * caller); `words` says whether WORDS still holds this key's words.
   */
  protected abstract _writeKey(wi: number, at: number, key: K, len: number, words: boolean): void;

  /** @internal the entry reference stored in `slot`. */
  protected _refAt(slot: number): number {
    return this._t[(slot >> 2) * STRIDE + 1 + (slot & 3)]!;
  }

  /** @internal the address of the entry in `slot` (its key's StrPtr/BytesPtr). */
  protected _ptrAtSlot(slot: number): Ptr {
    const ref = this._refAt(slot);
    return (this._winHigh[ref >>> 20]! + this._offOf(ref)) as Ptr;
  }

  /** @internal the entry pointer of the entry in `slot`: its address plus its stamp. */
  protected _entryAtSlot(slot: number): EntryPtr {
    const ref = this._refAt(slot);
    return (this._winHigh[ref >>> 20]! + this._offOf(ref) + this._stampOf(ref)) as EntryPtr;
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

  /** Inserts a key known to be absent, whose hash is `h`. Returns its slot. */
  protected _insert(key: K, value: unknown, vlen: number, h: number): number {
    // WORDS holds this key's words from the lookup just made, unless a rehash below hashes stored keys.
    let words = HASH_STATE[0] === 1;
    const keyLen = this._keyLength(key, words);
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
    if (this._hs !== undefined) this._hs[slot] = h;
    this._size++;
    this._entryBytes += size;
    this._mods++;
    return slot;
  }

  /** Replaces the value of the entry in `slot` (already validated). */
  protected _replace(slot: number, value: unknown, vlen: number): void {
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
  protected _eraseSlot(slot: number): void {
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

  protected _groupsChecked(capacity: number): number {
    if (capacity > maxLoad(MAX_GROUPS)) {
      throw new CapacityOverflowError(`a ${this._what} holds at most ${maxLoad(MAX_GROUPS)} entries; ${capacity} were requested`);
    }
    return groupsFor(capacity);
  }

  /** @internal control byte of `slot`. */
  protected _ctrlAt(slot: number): number {
    return (this._t[(slot >> 2) * STRIDE]! >>> ((slot & 3) << 3)) & 0xff;
  }

  protected _setCtrl(slot: number, byte: number): void {
    const base = (slot >> 2) * STRIDE;
    const shift = (slot & 3) << 3;
    this._t[base] = (this._t[base]! & ~(0xff << shift)) | (byte << shift);
  }

  /** First EMPTY or DELETED slot on the probe sequence of `h`. */
  protected _insertSlot(h: number): number {
    const t = this._t;
    const mask = this._gmask;
    const groups = this._groups;
    let g = (h & 0x7fffffff) % groups;
    for (let step = 1; ; step++) {
      const m = t[g * STRIDE]! & HI;
      if (m !== 0) return (g << 2) | lowestByte(m);
      g = (g + step) & mask;
      while (g >= groups) g = (g + ++step) & mask;
    }
  }

  /** @internal hash of the stored key of `ref`. */
  protected _hashRef(ref: number): number {
    const wi = ref >>> 20;
    const o = this._offOf(ref);
    return hashBytes(this._winU8[wi]!, o + 4, this._winDv[wi]!.getUint32(o, true), this._k0, this._k1, this._k2, this._k3);
  }

  // --------------------------------------------------------- growth

  protected _reserveRehash(additional: number): void {
    const needed = this._size + additional;
    if (!Number.isSafeInteger(needed)) throw new CapacityOverflowError(`cannot reserve ${additional} more entries`);
    const full = this._groups === 0 ? 0 : maxLoad(this._groups);
    if (needed <= full / 2) {
      this._rehashInPlace();
      return;
    }
    // Grow geometrically: twice the entries the table held (a power-of-two table stays one).
    this._resize(this._groupsChecked(Math.max(needed, 2 * full, full + 1)));
  }

  /**
   * Moves every entry reference into a new table of `groups` groups
   * allocated in `into` (entries themselves stay put); the old table is
   * retired into the allocator that held it.
   */
  protected _resize(groups: number, into: Allocator = this._talloc): void {
    const bytes = groups * STRIDE * 4;
    const p = into.alloc(bytes, 4);
    const u8 = into.memoryOf(p);
    if (u8.byteOffset % 4 !== 0) {
      throw new InvalidArgumentError("the allocator's memory views must start at a 4-byte aligned offset of their buffer");
    }
    const nt = new Int32Array(u8.buffer, u8.byteOffset + (p >>> 0), groups * STRIDE);
    for (let g = 0; g < groups; g++) nt[g * STRIDE] = EMPTY_WORD;
    const mask = probeMask(groups);
    const old = this._t;
    // SAFETY: _hs, when set, holds the hash of every FULL slot of the old table (written by each insert and by
    // the last resize; dropped by anything that moves entries between slots).
    const hs = this._hs;
    const nhs = this._keepHashes ? new Int32Array(groups * 4) : undefined;
    for (let g = 0; g < this._groups; g++) {
      const base = g * STRIDE;
      const w = old[base]!;
      if ((w & HI) === HI) continue;
      for (let i = 0; i < 4; i++) {
        if (((w >>> (i << 3)) & 0x80) !== 0) continue;
        const ref = old[base + 1 + i]!;
        const h = hs !== undefined ? hs[(g << 2) | i]! : this._hashRef(ref);
        let ng = (h & 0x7fffffff) % groups;
        let m = nt[ng * STRIDE]! & HI;
        for (let step = 1; m === 0; step++) {
          ng = (ng + step) & mask;
          while (ng >= groups) ng = (ng + ++step) & mask;
          m = nt[ng * STRIDE]! & HI;
        }
        const j = lowestByte(m);
        const nb = ng * STRIDE;
        const shift = j << 3;
        nt[nb] = (nt[nb]! & ~(0xff << shift)) | ((h >>> 25) << shift);
        nt[nb + 1 + j] = ref;
        if (nhs !== undefined) nhs[(ng << 2) | j] = h;
      }
    }
    this._hs = nhs;
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

  protected _retireTable(): void {
    if (this._tPtr === 0) return;
    const bytes = this._groups * STRIDE * 4;
    const a = this._talloc;
    if (a.canFree) {
      if (a.isLive(this._tPtr as Ptr)) a.free(this._tPtr as Ptr, bytes);
    } else if (a === this.allocator) {
      // An arena cannot take the table back; its space becomes room for the next entries (the rest of a
      // previous span, if smaller, stays counted as retired).
      this._retired += bytes;
      if (bytes > this._spanEnd - this._spanPtr) {
        this._spanPtr = this._tPtr;
        this._spanEnd = this._tPtr + bytes;
      }
    }
    this._tPtr = 0;
    this._tguard = 0;
  }

  protected _dropTable(): void {
    this._hs = undefined;
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
  protected _rehashInPlace(): void {
    this._hs = undefined; // entries move between slots: the next growth hashes the keys (and keeps hashes again)
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
}
