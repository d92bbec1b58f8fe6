/**
 * Two minimal open-addressing tables for the layout comparison of the
 * hashmap suite, identical in everything but the table layout: the same
 * seeded fold hash (the one @arenakit/hashmap uses, ASCII keys only here),
 * the same entry storage (one buffer of [u32 key length][key][u32 value
 * length][value], addressed by 32-bit references) and the same word-wise key
 * comparison.
 *
 * - Swiss: @arenakit/hashmap's layout. Groups of 4 slots, each a 32-bit word
 *   of 7-bit tags followed by four references (5 bytes per slot); tags are
 *   matched four at a time with SWAR tricks; triangular probing over groups.
 * - Robin Hood: linear probing with the full 32-bit hash stored next to each
 *   reference (8 bytes per slot); entries are kept ordered by probe distance,
 *   so a miss stops as soon as it meets an entry closer to its home.
 *
 * Both tables are at most 7/8 full.
 */

const T16 = 1 / 65536;
const K0 = 0x243f6a88;
const K1 = 0x85a308d3 | 1;
const K2 = 0x13198a2e;
const K3 = 0x03707345 | 1;
const HI = -2139062144;
const LO = 0x01010101;

function fold(x: number, y: number): number {
  const yu = y >>> 0;
  const p = (x & 0xffff) * yu;
  const q = (x >>> 16) * yu;
  return Math.floor((q + Math.floor(p * T16)) * T16) ^ Math.imul(x, y);
}

/** Words of the last hashed key, for the comparison. */
const WORDS = new Int32Array(64);

/** The package's hash, ASCII fast path only (the workload's keys are base58). */
export function hashAscii(s: string): number {
  const n = s.length;
  let acc = K0;
  let i = 0;
  let j = 0;
  for (const end = n - 8; i <= end; i += 8) {
    const a = s.charCodeAt(i) | (s.charCodeAt(i + 1) << 8) | (s.charCodeAt(i + 2) << 16) | (s.charCodeAt(i + 3) << 24);
    const b = s.charCodeAt(i + 4) | (s.charCodeAt(i + 5) << 8) | (s.charCodeAt(i + 6) << 16) | (s.charCodeAt(i + 7) << 24);
    WORDS[j++] = a;
    WORDS[j++] = b;
    acc = fold(a ^ acc, b ^ K1);
  }
  let a = 0;
  let b = 0;
  for (let shift = 0; i < n; i++, shift += 8) {
    if (shift < 32) a |= s.charCodeAt(i) << shift;
    else b |= s.charCodeAt(i) << (shift - 32);
  }
  WORDS[j] = a;
  WORDS[j + 1] = b;
  const h = fold(a ^ acc ^ K2, b ^ n ^ K3);
  const m = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  return m ^ (m >>> 13);
}

/** Entries in one buffer; a reference is the entry's word index. */
export class EntryStore {
  readonly u8: Uint8Array;
  readonly u32: Uint32Array;
  private readonly dv: DataView;
  private top = 0;

  constructor(bytes: number) {
    const buf = new ArrayBuffer(bytes);
    this.u8 = new Uint8Array(buf);
    this.u32 = new Uint32Array(buf);
    this.dv = new DataView(buf);
  }

  /** Appends an entry for an ASCII key (its words must be in WORDS, i.e. hashed just before). */
  add(key: string, value: Uint8Array): number {
    const n = key.length;
    const ref = this.top >>> 2;
    this.u32[ref] = n;
    for (let j = 0, w = (n + 3) >>> 2; j < w; j++) this.u32[ref + 1 + j] = WORDS[j]!;
    this.dv.setUint32(this.top + 4 + n, value.length, true);
    this.u8.set(value, this.top + 8 + n);
    this.top = (this.top + 8 + n + value.length + 3) & ~3;
    return ref;
  }

  /** Word-wise comparison of the stored key with the key whose words are in WORDS. */
  eq(ref: number, n: number): boolean {
    const u = this.u32;
    if (u[ref] !== n) return false;
    const full = n >>> 2;
    for (let j = 0; j < full; j++) if ((u[ref + 1 + j]! | 0) !== WORDS[j]) return false;
    const r = n & 3;
    return r === 0 || ((u[ref + 1 + full]! ^ WORDS[full]!) & ((1 << (r << 3)) - 1)) === 0;
  }

  /** First byte of the value of the entry at `ref`. */
  firstValueByte(ref: number): number {
    return this.u8[(ref << 2) + 8 + this.u32[ref]!]!;
  }
}

function slotsFor(n: number): number {
  return 2 ** Math.ceil(Math.log2(Math.max(8, Math.ceil((n * 8) / 7))));
}

/** SwissTable-style: 4-slot groups of 7-bit tags scanned in one 32-bit word. */
export class SwissTable {
  private readonly t: Int32Array;
  private readonly mask: number;

  constructor(
    private readonly store: EntryStore,
    capacity: number,
  ) {
    const groups = slotsFor(capacity) / 4;
    this.t = new Int32Array(groups * 5);
    for (let g = 0; g < groups; g++) this.t[g * 5] = -1;
    this.mask = groups - 1;
  }

  /** Bytes per slot of this layout. */
  static readonly bytesPerSlot = 5;

  insert(key: string, value: Uint8Array): void {
    const h = hashAscii(key);
    const ref = this.store.add(key, value);
    let g = h & this.mask;
    for (let step = 1; ; step++) {
      const m = this.t[g * 5]! & HI;
      if (m !== 0) {
        const i = (31 - Math.clz32(m & -m)) >> 3;
        const shift = i << 3;
        this.t[g * 5] = (this.t[g * 5]! & ~(0xff << shift)) | ((h >>> 25) << shift);
        this.t[g * 5 + 1 + i] = ref;
        return;
      }
      g = (g + step) & this.mask;
    }
  }

  /** The entry reference of `key`, or -1. */
  find(key: string): number {
    const h = hashAscii(key);
    const t = this.t;
    const rep = Math.imul(h >>> 25, LO);
    const n = key.length;
    let g = h & this.mask;
    for (let step = 1; ; step++) {
      const base = g * 5;
      const w = t[base]!;
      const x = w ^ rep;
      let m = (x - LO) & ~x & HI;
      while (m !== 0) {
        const ref = t[base + 1 + ((31 - Math.clz32(m & -m)) >> 3)]!;
        if (this.store.eq(ref, n)) return ref;
        m &= m - 1;
      }
      if ((w & (w << 1) & HI) !== 0) return -1;
      g = (g + step) & this.mask;
    }
  }
}

/** Robin Hood linear probing with the full 32-bit hash stored in each slot. */
export class RobinHoodTable {
  /** [hash, ref] per slot; hash 0 means empty (stored hashes have their lowest bit set). */
  private readonly t: Int32Array;
  private readonly mask: number;

  constructor(
    private readonly store: EntryStore,
    capacity: number,
  ) {
    const slots = slotsFor(capacity);
    this.t = new Int32Array(slots * 2);
    this.mask = slots - 1;
  }

  /** Bytes per slot of this layout. */
  static readonly bytesPerSlot = 8;

  insert(key: string, value: Uint8Array): void {
    let h = hashAscii(key) | 1;
    let ref = this.store.add(key, value);
    const t = this.t;
    const mask = this.mask;
    let i = h & mask;
    let dist = 0;
    for (;;) {
      const sh = t[i * 2]!;
      if (sh === 0) {
        t[i * 2] = h;
        t[i * 2 + 1] = ref;
        return;
      }
      const theirs = (i - (sh & mask)) & mask;
      if (theirs < dist) {
        // Take the slot from the richer entry and carry it on.
        t[i * 2] = h;
        const r = t[i * 2 + 1]!;
        t[i * 2 + 1] = ref;
        h = sh;
        ref = r;
        dist = theirs;
      }
      i = (i + 1) & mask;
      dist++;
    }
  }

  /** The entry reference of `key`, or -1. */
  find(key: string): number {
    const h = hashAscii(key) | 1;
    const t = this.t;
    const mask = this.mask;
    const n = key.length;
    let i = h & mask;
    for (let dist = 0; ; dist++) {
      const sh = t[i * 2]!;
      if (sh === 0) return -1;
      if (sh === h && this.store.eq(t[i * 2 + 1]!, n)) return t[i * 2 + 1]!;
      if (((i - (sh & mask)) & mask) < dist) return -1;
      i = (i + 1) & mask;
    }
  }
}
