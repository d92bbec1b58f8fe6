// Reading a frozen entry's memory on the hot path. An entry never changes
// after `finish()` and its memory stays put while any reference to it is
// alive, so the chunk views can be looked up once per thread and kept: a field
// read is then a DataView read at an offset, with no pointer check per call
// (the guard of the handle a view came from is the liveness check, see
// AccountView). Anything outside the fast path (a pointer of another chunk
// generation, an offset past its chunk) goes through the arena's checked
// reads, which throw the typed error naming the problem.
import { MAX_CHUNKS, OFFSET_SPAN, type BytesPtr, type Memory, type Ptr, type StrPtr } from "@arenakit/bump";

const INV_SPAN = 1 / OFFSET_SPAN;
const SLOT_MASK = MAX_CHUNKS - 1;
/** Index of the views of the last pointer resolved outside the fast path; never matched by it. */
const SCRATCH = MAX_CHUNKS;
/** Entries of the direct-mapped owner cache (a few programs own most accounts). */
const OWNER_SLOTS = 256;

/**
 * Per-thread read access to one frozen entry: its chunk views, found once,
 * and the owner strings it decoded. Made by `freeze()` and `materialize()`.
 * @internal
 */
export class EntryReader {
  /** The entry's memory: the arena on its home thread, an `ArenaReader` elsewhere. */
  readonly memory: Memory;
  /** Per chunk slot of the entry's generation (and SCRATCH): the chunk's bytes and a DataView over them. */
  private readonly _u8: Uint8Array[] = [];
  private readonly _dv: DataView[] = [];
  /** The high field (generation and slot bits) of the entry's chunk slot 0, or -1 before the first pointer. */
  private _high0 = -1;
  /** Direct-mapped cache of decoded owners: pointer → string (NaN marks an empty slot: it equals nothing). */
  private readonly _ownerPtr = new Float64Array(OWNER_SLOTS).fill(Number.NaN);
  private readonly _ownerStr: string[] = new Array<string>(OWNER_SLOTS).fill("");
  /** Every owner decoded on this thread, so that a slot conflict never decodes an owner twice. */
  private readonly _owners = new Map<number, string>();

  constructor(memory: Memory) {
    this.memory = memory;
  }

  /** The slot of `p`'s chunk in `_u8`/`_dv` (SCRATCH for a pointer outside the fast path); throws for a bad pointer. */
  slotOf(p: number): number {
    const high = (p * INV_SPAN) >>> 0;
    const c = high - this._high0;
    // SAFETY: c < MAX_CHUNKS with the exact reconstruction means p is an integer pointer of the entry's own
    // generation; its views were stored by _fill from the arena's checked lookup of such a pointer.
    if (c >>> 0 < MAX_CHUNKS && high * OFFSET_SPAN + (p >>> 0) === p && this._dv[c] !== undefined) return c;
    return this._fill(p);
  }

  /** The DataView of slot `c` (from `slotOf`). */
  dataView(c: number): DataView {
    return this._dv[c]!;
  }

  /** The byte length of slot `c`'s chunk. */
  chunkLength(c: number): number {
    return this._u8[c]!.length;
  }

  /**
   * The bytes of the length-prefixed slice at `p`: a `Uint8Array` over the
   * arena's memory (no copy). `new Uint8Array(buffer, offset, length)` costs
   * about half of `subarray`, which looks up a species constructor.
   */
  bytes(p: number): Uint8Array {
    const c = this.slotOf(p);
    const u8 = this._u8[c]!;
    const o = p >>> 0;
    if (o + 4 <= u8.length) {
      const len = this._dv[c]!.getUint32(o, true);
      if (o + 4 + len <= u8.length) return new Uint8Array(u8.buffer, u8.byteOffset + o + 4, len);
    }
    return this.memory.bytes(p as BytesPtr); // throws the arena's error for a slice past its chunk
  }

  /** The owner string at `p`, decoded once per thread. */
  owner(p: number): string {
    const k = (p >>> 2) & (OWNER_SLOTS - 1);
    if (this._ownerPtr[k] === p) return this._ownerStr[k]!;
    let s = this._owners.get(p);
    if (s === undefined) {
      s = this.memory.readStr(p as StrPtr); // checked: a bad pointer is a typed error
      this._owners.set(p, s);
    }
    this._ownerPtr[k] = p;
    this._ownerStr[k] = s;
    return s;
  }

  private _fill(p: number): number {
    // The arena's checked lookups throw StalePointerError / InvalidPointerError for anything but a live pointer.
    const u8 = this.memory.memoryOf(p as Ptr);
    const dv = this.memory.dataViewOf(p as Ptr);
    const high = (p * INV_SPAN) >>> 0;
    const slot = high & SLOT_MASK;
    if (this._high0 < 0) this._high0 = high - slot;
    const c = high - slot === this._high0 ? slot : SCRATCH;
    this._u8[c] = u8;
    this._dv[c] = dv;
    return c;
  }
}
