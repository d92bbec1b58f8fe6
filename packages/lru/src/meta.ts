// The shared memory layout of a cache, read by the owner and by Worker
// readers. Two buffers:
//
//   meta:  header (16 i32 words) | table u32[T] | hash u32[S] | prev i32[S] | next i32[S] | off u32[S] | seq i32[S] | ref u8[S] (shared only)
//   heap:  one region of a FreeListAllocator's buffer, carved by the cache's own EntryHeap (heap.ts); each entry is
//          one block: header, then value bytes, then key bytes. The header is also the block's allocator header:
//          short header (4 bytes; no TTL, key < 256 bytes, value < 2 MiB): u32 keyLength | valueLength << 8
//          long header: u32 keyLength | LONG_FLAG [| TTL_FLAG], u32 valueLength, [f64 expiresAt if TTL_FLAG]
//          bit 29 of the first word (PREV_FREE) belongs to the allocator: the block before this one is free.
//
// The table has T words (any size >= 8, indexed by the hash's top 24 bits scaled to T).
// A table word is 0 (empty) or (tag << 24 | slot + 1), tag = the hash's low 8 bits.
// seq[slot] is odd while the slot is free or being written, even while it holds a stable entry. It is also the
// slot's generation: every change of the slot's entry moves it on, so a record view that carries the value it
// saw can tell that its entry is gone (see guard.ts).

/** "LRU1" */
export const MAGIC = 0x3155524c;
export const HEADER_WORDS = 16;
export const H_MAGIC = 0;
export const H_TABLE = 1;
export const H_SLOTS = 2;
export const H_KEY_KIND = 3;
export const H_VALUE_KIND = 4;
export const H_RECORD_SIZE = 5;
export const H_HEAP_SIZE = 6;
export const H_SHARED = 7;

export const KEY_STRING = 0;
export const KEY_BYTES = 1;
export const VALUE_BYTES = 0;
export const VALUE_STRING = 1;
export const VALUE_RECORD = 2;

export const TTL_FLAG = 0x80000000;
export const LONG_FLAG = 0x40000000;
export const LONG_LEN_MASK = 0x1fffffff;
/** Set in a used block's first word when the block before it is free (heap.ts). */
export const PREV_FREE = 0x20000000;
/** Largest key and value a short header can describe. */
export const SHORT_KEY_MAX = 0xff;
export const SHORT_VALUE_MAX = 0x1fffff;
export const SLOT_MASK = 0xffffff;
/** Slots are stored as slot + 1 in 24 bits. */
export const MAX_SLOTS: number = SLOT_MASK - 1;

/** Typed arrays over a meta buffer. */
export interface MetaViews {
  readonly header: Int32Array;
  readonly table: Uint32Array;
  readonly hash: Uint32Array;
  readonly seq: Int32Array;
  readonly prev: Int32Array;
  readonly next: Int32Array;
  readonly off: Uint32Array;
  readonly ref: Uint8Array;
}

/** Bytes of the meta buffer for a table of `tableSize` words and `slots` entries. */
export function metaBytes(tableSize: number, slots: number, shared: boolean): number {
  const raw = HEADER_WORDS * 4 + tableSize * 4 + slots * 20 + (shared ? slots : 0);
  return Math.ceil(raw / 8) * 8;
}

/** Lays the typed arrays over `buf` (sizes from its header). */
export function metaViews(buf: ArrayBuffer | SharedArrayBuffer): MetaViews {
  const header = new Int32Array(buf, 0, HEADER_WORDS);
  const t = header[H_TABLE]!;
  const s = header[H_SLOTS]!;
  let at = HEADER_WORDS * 4;
  const table = new Uint32Array(buf, at, t);
  at += t * 4;
  const hash = new Uint32Array(buf, at, s);
  at += s * 4;
  const prev = new Int32Array(buf, at, s);
  at += s * 4;
  const next = new Int32Array(buf, at, s);
  at += s * 4;
  const off = new Uint32Array(buf, at, s);
  at += s * 4;
  const seq = new Int32Array(buf, at, s);
  at += s * 4;
  // Reference bits exist only for Worker readers.
  const shared = header[H_SHARED] === 1;
  const ref = new Uint8Array(buf, at, shared ? s : 0);
  return { header, table, hash, seq, prev, next, off, ref };
}

/** A meta buffer's header, checked by {@link readMetaHeader}. */
export interface MetaHeader {
  readonly tableSize: number;
  readonly slots: number;
  /** Bytes of the heap buffer the entries live in. */
  readonly heapSize: number;
  readonly keyKind: number;
  readonly valueKind: number;
  readonly recordSize: number;
  readonly shared: boolean;
}

/**
 * Reads the header of a meta buffer that came from outside (a Worker's
 * descriptor, a snapshot file) and checks that it is a cache's (magic, table
 * and slot counts) and that its arrays fit in the buffer's first
 * `metaLength` bytes; returns what is wrong, as text, when not.
 */
export function readMetaHeader(buf: ArrayBufferLike, metaLength: number): MetaHeader | string {
  if (metaLength < HEADER_WORDS * 4) return `the meta buffer has ${metaLength} bytes`;
  const h = new Int32Array(buf, 0, HEADER_WORDS);
  const tableSize = h[H_TABLE]!;
  const slots = h[H_SLOTS]!;
  if (h[H_MAGIC] !== MAGIC || !(tableSize >= 8 && slots >= 1 && slots <= MAX_SLOTS && slots <= tableSize)) {
    return `the meta header is not a cache's (table ${tableSize}, slots ${slots})`;
  }
  const shared = h[H_SHARED] === 1;
  if (metaBytes(tableSize, slots, shared) > metaLength) return "the meta buffer is smaller than its header says";
  return {
    tableSize,
    slots,
    heapSize: h[H_HEAP_SIZE]! >>> 0,
    keyKind: h[H_KEY_KIND]!,
    valueKind: h[H_VALUE_KIND]!,
    recordSize: h[H_RECORD_SIZE]!,
    shared,
  };
}

/** Bytes of the heap block for an entry of `need` bytes (header + value + key): rounded to 8, 16 at least. */
export function blockBytes(need: number): number {
  return need <= 16 ? 16 : need + (-need & 7);
}

/** Bytes of the heap block of the entry at byte offset `o` whose header starts with word `w`. */
export function entryBlockBytes(w: number, u32: Uint32Array, o: number): number {
  return blockBytes(headerBytes(w) + keyLength(w) + valueLength(w, u32, o));
}

/** Bytes of an entry header that starts with word `w` (the value follows it). */
export function headerBytes(w: number): number {
  return (w & LONG_FLAG) === 0 ? 4 : (w & TTL_FLAG) === 0 ? 8 : 16;
}

/** Key length of an entry whose header starts with word `w`. */
export function keyLength(w: number): number {
  return (w & LONG_FLAG) === 0 ? w & 0xff : w & LONG_LEN_MASK;
}

/** Value length of the entry at byte offset `o` whose header starts with word `w`. */
export function valueLength(w: number, u32: Uint32Array, o: number): number {
  return (w & LONG_FLAG) === 0 ? (w >>> 8) & SHORT_VALUE_MAX : u32[(o >>> 2) + 1]!;
}

/** Header bytes an entry needs: 4 when it fits a short header. */
export function headerFor(klen: number, vlen: number, ttl: boolean): number {
  return ttl ? 16 : klen <= SHORT_KEY_MAX && vlen <= SHORT_VALUE_MAX ? 4 : 8;
}

/** Home bucket of hash `h` in a table of `size` words: the top 24 bits scaled (exact in doubles up to 2^29 words). */
export function homeOf(h: number, size: number): number {
  return Math.floor(((h >>> 8) * size) / 16777216);
}
