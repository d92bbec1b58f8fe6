// Saving a cache in @arenakit/bump's snapshot format and reading one back.
//
// A save writes the cache's two buffers as they are (the meta buffer and the
// touched part of the heap) plus a JSON section with what lives outside them
// (list ends, counters, options, the clock at save time). Nothing is encoded
// per entry. A load trusts nothing it reads: after the checksums, it walks the
// recency list from the least recently used end with every index, offset and
// length checked, and only then builds a fresh cache by inserting the entries
// in that order. So the loaded cache's table, links and free space are made
// by the ordinary code paths, and a damaged or crafted file is refused before
// anything exists.
import {
  Layout,
  SnapshotError,
  decodeUtf8,
  fingerprintOf,
  type AnyField,
  type Fields,
  type LoadedSnapshot,
  type SnapshotParts,
  type SnapshotReadOptions,
} from "@arenakit/bump";
import type { KeyKind, ValueSpec } from "./api.js";
import { HEADER_WORDS, KEY_STRING, TTL_FLAG, VALUE_RECORD, headerBytes, keyLength, metaBytes, readMetaHeader, valueLength } from "./meta.js";
import { isFreeWord } from "./heap.js";

/** The kind name of a cache snapshot. */
export const LRU_KIND = "lru";

/** What a cache adds to its snapshot besides the two buffers. */
export interface LruSection {
  readonly maxBytes: number;
  readonly max: number;
  readonly ttl: number;
  readonly head: number;
  readonly tail: number;
  readonly count: number;
  /** The saver's clock when the file was written: deadlines are kept relative to it. */
  readonly savedAt: number;
  readonly hits: number;
  readonly misses: number;
  readonly evictions: number;
  readonly expirations: number;
  readonly fragmentationEvictions: number;
}

/** An entry read back from a snapshot, in least to most recently used order. */
export interface SavedEntry {
  readonly key: string | Uint8Array;
  /** The value's stored bytes (UTF-8 for strings, the record's bytes for records). */
  readonly value: Uint8Array;
  /** Milliseconds it had left when saved; Infinity without a TTL. */
  readonly remaining: number;
}

/** A checked snapshot: the cache's settings and its entries, oldest first. */
export interface CheckedLru {
  readonly section: LruSection;
  readonly keyKind: KeyKind;
  readonly valueKind: number;
  readonly recordSize: number;
  /** Whether the saved cache lived in shared memory. */
  readonly shared: boolean;
  readonly entries: SavedEntry[];
}

/** A text naming the key kind and value type exactly: what the fingerprint hashes. */
export function describeSpec(key: KeyKind, value: ValueSpec): string {
  return `ArenaLru<${key},${value instanceof Layout ? describeLayout(value) : value}>`;
}

function describeLayout(layout: Layout<Fields>): string {
  const field = (type: AnyField): string => (type.kind === "struct" ? describeLayout(type as unknown as Layout<Fields>) : type.kind);
  return `struct${layout.size}{${layout.fields.map((f) => `${f.name}@${f.offset}:${field(f.type as AnyField)}`).join(",")}}`;
}

/** The snapshot parts of a cache, from its buffers and section. */
export function lruParts(meta: ArrayBuffer | SharedArrayBuffer, heap: Uint8Array, top: number, spec: string, section: LruSection): SnapshotParts {
  return {
    kind: LRU_KIND,
    fingerprint: fingerprintOf(spec),
    seed: 0,
    generation: 1,
    section,
    chunks: [new Uint8Array(meta), heap.subarray(0, top)],
  };
}

/** Read options for a cache snapshot of `spec`. */
export const LRU_READ_OPTIONS: SnapshotReadOptions = { shared: false, kind: LRU_KIND, maxChunks: 2 };

/**
 * Checks a loaded cache snapshot completely (header, section, every slot on
 * the recency list, every block it points to) and returns its entries.
 * @throws SnapshotError `"malformed"` naming the first thing that is wrong.
 */
export function checkLru(loaded: LoadedSnapshot, path: string | undefined): CheckedLru {
  const bad = (what: string): SnapshotError =>
    new SnapshotError("malformed", `the cache snapshot is damaged: ${what}`, path === undefined ? {} : { path });
  if (loaded.buffers.length !== 2) throw bad(`it has ${loaded.buffers.length} chunks, not 2`);
  const s = checkSection(loaded.section, bad);
  const metaLen = loaded.chunkBytes[0]!;
  const heapLen = loaded.chunkBytes[1]!;
  if (metaLen % 8 !== 0) throw bad(`the meta chunk has ${metaLen} bytes`);
  const header = readMetaHeader(loaded.buffers[0]!, metaLen);
  if (typeof header === "string") throw bad(header);
  const { tableSize, slots, shared } = header;
  if (metaBytes(tableSize, slots, shared) !== metaLen) throw bad("the meta chunk's size does not match its header");
  if (slots !== s.max || s.count > slots) throw bad(`the section's max ${s.max} or count ${s.count} does not match the table`);
  const heapSize = header.heapSize;
  if (heapLen > heapSize || heapLen % 8 !== 0) throw bad(`the heap chunk has ${heapLen} bytes of at most ${heapSize}`);
  const keyKind: KeyKind = header.keyKind === KEY_STRING ? "string" : "bytes";
  const { valueKind, recordSize } = header;

  // The slot arrays, laid out as metaViews does.
  const buf = loaded.buffers[0]!;
  let at = HEADER_WORDS * 4 + tableSize * 4 + slots * 4;
  const prev = new Int32Array(buf, at, slots);
  at += slots * 8;
  const off = new Uint32Array(buf, at, slots);
  const hb = loaded.buffers[1]!;
  const u8 = new Uint8Array(hb, 0, heapLen);
  const u32 = new Uint32Array(hb, 0, heapLen >>> 2);
  const f64 = new Float64Array(hb, 0, heapLen >>> 3);

  const order: SavedEntry[] = new Array(s.count);
  let i = s.tail;
  let n = s.count;
  let last = -1;
  while (n > 0) {
    if (!(Number.isInteger(i) && i >= 0 && i < slots)) throw bad(`the recency list reaches slot ${i}`);
    const o = off[i]!;
    if (o % 8 !== 0 || o < 8 || o + 8 > heapLen) throw bad(`slot ${i} points outside the heap (offset ${o})`);
    const w = u32[o >>> 2]!;
    if (isFreeWord(w)) throw bad(`slot ${i} points at a free block`);
    const hdr = headerBytes(w);
    if (o + hdr > heapLen) throw bad(`slot ${i}'s header runs past the heap`);
    const klen = keyLength(w);
    const vlen = valueLength(w, u32, o);
    if (o + hdr + vlen + klen > heapLen) throw bad(`slot ${i}'s key and value run past the heap`);
    if (valueKind === VALUE_RECORD && vlen !== recordSize) throw bad(`slot ${i} holds ${vlen} bytes, not a ${recordSize}-byte record`);
    let remaining = Infinity;
    if ((w & TTL_FLAG) !== 0) {
      const deadline = f64[(o >>> 3) + 1]!;
      if (!Number.isFinite(deadline)) throw bad(`slot ${i} has the expiry time ${deadline}`);
      remaining = deadline - s.savedAt;
    }
    const vo = o + hdr;
    const ko = vo + vlen;
    const key = keyKind === "string" ? decodeUtf8(u8, ko, klen) : u8.slice(ko, ko + klen);
    order[--n] = { key, value: u8.subarray(vo, ko), remaining };
    last = i;
    i = prev[i]!;
  }
  if (i !== -1 || last !== s.head) throw bad("the recency list does not match the entry count and its ends");
  // Filled back to front from the tail, `order` is most recent first; the caller inserts oldest first.
  order.reverse();
  return { section: s, keyKind, valueKind, recordSize, shared, entries: order };
}

function checkSection(data: unknown, bad: (what: string) => SnapshotError): LruSection {
  const s = data as Partial<LruSection> | null;
  if (s === null || typeof s !== "object") throw bad("the section is not an object");
  const counts = ["max", "count", "hits", "misses", "evictions", "expirations", "fragmentationEvictions"] as const;
  for (const k of counts) if (!(Number.isSafeInteger(s[k]) && (s[k] as number) >= 0)) throw bad(`the section's ${k} is ${String(s[k])}`);
  if (!(Number.isSafeInteger(s.maxBytes) && (s.maxBytes as number) > 0)) throw bad(`the section's maxBytes is ${String(s.maxBytes)}`);
  if (!(typeof s.ttl === "number" && Number.isFinite(s.ttl) && s.ttl >= 0)) throw bad(`the section's ttl is ${String(s.ttl)}`);
  if (!(typeof s.savedAt === "number" && Number.isFinite(s.savedAt))) throw bad(`the section's clock is ${String(s.savedAt)}`);
  for (const k of ["head", "tail"] as const) if (!(Number.isSafeInteger(s[k]) && (s[k] as number) >= -1)) throw bad(`the section's ${k} is ${String(s[k])}`);
  if ((s.count === 0) !== (s.tail === -1)) throw bad("the section's list ends do not match its count");
  return s as LruSection;
}
