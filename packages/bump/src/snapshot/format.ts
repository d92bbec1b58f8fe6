import { describeValue } from "../memory.js";
import { encodeUtf8, decodeUtf8 } from "../utf8.js";
import { crc32 } from "./crc32.js";
import { SnapshotError } from "./errors.js";

// The file layout (see the "Snapshot format" reference page):
//
//   header (64 bytes) | chunk table (8 bytes per chunk) | section (UTF-8 JSON) | chunk 0 | chunk 1 | ...
//
// Header fields are little-endian except the byte-order mark, which is written
// in the writer's own order: chunks hold typed arrays (a hash table is an
// Int32Array) in that order, so a reader of the other order must refuse them.

/** The 8 magic bytes every snapshot starts with: `\x89AKSNP\r\n` (PNG's trick: high bit and CR/LF catch text-mode damage). */
export const SNAPSHOT_MAGIC: Uint8Array = new Uint8Array([0x89, 0x41, 0x4b, 0x53, 0x4e, 0x50, 0x0d, 0x0a]);
/** The format version this code writes, and the newest it reads. */
export const SNAPSHOT_VERSION = 1;
/** Bytes of the fixed header. */
export const HEADER_BYTES = 64;
/** Bytes per chunk table row: the chunk's length and its CRC-32. */
export const TABLE_ROW_BYTES = 8;
/** Longest kind name, in ASCII bytes. */
export const MAX_KIND_BYTES = 16;

const BOM = 0x0102;
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([BOM]).buffer)[0] === 0x02;
const DEFAULT_MAX_CHUNKS = 65536;
const DEFAULT_MAX_SECTION = 16 * 1024 * 1024;
/** A chunk of a `Bump` is below 4 GiB (32-bit offsets). */
const DEFAULT_MAX_CHUNK = 2 ** 32 - 65536;

/** What one snapshot holds, before it is written. */
export interface SnapshotParts {
  /** What structure the chunks hold, at most 16 ASCII characters (`"bump"`, `"hashmap"`, `"accounts"`...). */
  readonly kind: string;
  /** A 32-bit fingerprint of the layout or schema the chunks were written with (0 when none). */
  readonly fingerprint: number;
  /** The hash seed the structure was built with (0 when none). Any safe integer. */
  readonly seed: number;
  /** The pointer generation the chunks' pointers carry (1 .. 8191), so pointers stay valid after a load. */
  readonly generation: number;
  /** The package's own section: any JSON-serializable value (handles, slot numbers, schema). */
  readonly section: unknown;
  /** The chunks' bytes, in slot order: only the used part of each chunk. */
  readonly chunks: readonly Uint8Array[];
}

/** What the header and table of a snapshot say, once checked. */
export interface SnapshotInfo {
  /** Format version of the file. */
  readonly version: number;
  /** The kind written by the saver. */
  readonly kind: string;
  /** Layout or schema fingerprint. */
  readonly fingerprint: number;
  /** Hash seed. */
  readonly seed: number;
  /** Pointer generation of the chunks. */
  readonly generation: number;
  /** The package's section, parsed from JSON. */
  readonly section: unknown;
  /** Byte length of each chunk, in slot order. */
  readonly chunkBytes: readonly number[];
  /** Total file size in bytes. */
  readonly fileBytes: number;
}

/** A snapshot read back: its description and one buffer per chunk. */
export interface LoadedSnapshot extends SnapshotInfo {
  /** One buffer per chunk, each at least as long as the chunk (rounded up to 8 bytes). */
  readonly buffers: readonly (ArrayBuffer | SharedArrayBuffer)[];
}

/** What a loader expects and how much it accepts. Every field is optional. */
export interface SnapshotReadOptions {
  /** Load chunks into SharedArrayBuffers (for Workers). @defaultValue true */
  readonly shared?: boolean;
  /** The kind the file must hold; another one is a `"kind"` error. */
  readonly kind?: string;
  /** The fingerprint the file must carry; another one is a `"schema"` error. */
  readonly fingerprint?: number;
  /** The hash seed the file must carry; another one is a `"seed"` error. */
  readonly seed?: number;
  /** Largest chunk accepted, in bytes. @defaultValue 4294901760 (the largest chunk of a `Bump`) */
  readonly maxChunkBytes?: number;
  /** Largest sum of chunk bytes accepted. @defaultValue Infinity (bounded by the file size anyway) */
  readonly maxTotalBytes?: number;
  /** Most chunks accepted. @defaultValue 65536 */
  readonly maxChunks?: number;
  /** Largest section accepted, in bytes. @defaultValue 16777216 (16 MiB) */
  readonly maxSectionBytes?: number;
}

/** The bytes that precede the chunks: header, table and section. */
export function encodeHead(parts: SnapshotParts): Uint8Array {
  if (parts === null || typeof parts !== "object" || !Array.isArray(parts.chunks)) {
    throw new SnapshotError("unsupported", `parts must be SnapshotParts (from arenaSnapshot), got ${describeValue(parts)}`);
  }
  const kind = checkKind(parts.kind);
  if (!Number.isInteger(parts.fingerprint) || parts.fingerprint < 0 || parts.fingerprint > 0xffffffff) {
    throw new SnapshotError("unsupported", `fingerprint must be a u32, got ${String(parts.fingerprint)}`);
  }
  if (!Number.isSafeInteger(parts.seed)) throw new SnapshotError("unsupported", `seed must be a safe integer, got ${String(parts.seed)}`);
  if (!Number.isInteger(parts.generation) || parts.generation < 0 || parts.generation > 0xffffffff) {
    throw new SnapshotError("unsupported", `generation must be a u32, got ${String(parts.generation)}`);
  }
  const json = JSON.stringify(parts.section ?? null);
  const section = encodeUtf8(json);
  const n = parts.chunks.length;
  const head = new Uint8Array(HEADER_BYTES + n * TABLE_ROW_BYTES + section.length);
  const dv = new DataView(head.buffer);
  head.set(SNAPSHOT_MAGIC, 0);
  dv.setUint16(8, SNAPSHOT_VERSION, true);
  dv.setUint16(10, BOM, LITTLE_ENDIAN);
  dv.setUint16(12, HEADER_BYTES, true);
  dv.setUint16(14, 0, true);
  for (let i = 0; i < kind.length; i++) head[16 + i] = kind.charCodeAt(i);
  dv.setUint32(32, parts.fingerprint, true);
  dv.setUint32(36, parts.generation, true);
  dv.setFloat64(40, parts.seed, true);
  dv.setUint32(48, n, true);
  dv.setUint32(52, section.length, true);
  for (let c = 0; c < n; c++) {
    const chunk = parts.chunks[c]!;
    dv.setUint32(HEADER_BYTES + c * TABLE_ROW_BYTES, chunk.length, true);
    dv.setUint32(HEADER_BYTES + c * TABLE_ROW_BYTES + 4, crc32(chunk), true);
  }
  head.set(section, HEADER_BYTES + n * TABLE_ROW_BYTES);
  dv.setUint32(56, crc32(head.subarray(HEADER_BYTES)), true);
  dv.setUint32(60, crc32(head.subarray(0, 60)), true);
  return head;
}

/** Total bytes of a snapshot of `parts` (what `encodeHead` + the chunks take). */
export function snapshotBytes(head: Uint8Array, chunks: readonly Uint8Array[]): number {
  let n = head.length;
  for (const c of chunks) n += c.length;
  return n;
}

function checkKind(kind: string): string {
  if (typeof kind !== "string" || kind.length === 0 || kind.length > MAX_KIND_BYTES || !/^[\x21-\x7e]+$/.test(kind)) {
    throw new SnapshotError("unsupported", `kind must be 1 to ${MAX_KIND_BYTES} printable ASCII characters, got ${JSON.stringify(kind)}`);
  }
  return kind;
}

/** A request of the parser to its driver: fill `into` from file position `position`; answer with the count read. */
export interface ReadRequest {
  readonly into: Uint8Array;
  readonly position: number;
}

/**
 * Reads and checks a snapshot of `fileBytes` bytes through read requests,
 * so one parser serves the sync, async and in-memory loaders. Nothing larger
 * than the file (or the limits) is ever allocated: every size is checked
 * against both before its buffer exists.
 */
export function* parseSnapshot(
  fileBytes: number,
  options: SnapshotReadOptions,
  path?: string,
): Generator<ReadRequest, LoadedSnapshot, number> {
  const at = path === undefined ? {} : { path };
  const fail = (problem: ConstructorParameters<typeof SnapshotError>[0], msg: string): never => {
    throw new SnapshotError(problem, msg, at);
  };
  const maxChunk = limit(options.maxChunkBytes, DEFAULT_MAX_CHUNK, "maxChunkBytes");
  const maxTotal = limit(options.maxTotalBytes, Infinity, "maxTotalBytes");
  const maxChunks = limit(options.maxChunks, DEFAULT_MAX_CHUNKS, "maxChunks");
  const maxSection = limit(options.maxSectionBytes, DEFAULT_MAX_SECTION, "maxSectionBytes");
  const shared = options.shared ?? true;
  if (shared && typeof SharedArrayBuffer === "undefined") fail("unsupported", "shared: true needs SharedArrayBuffer");

  if (fileBytes === 0) fail("empty", "the file is empty (0 bytes), not a snapshot");
  const head = new Uint8Array(HEADER_BYTES);
  const got = yield { into: head.subarray(0, Math.min(HEADER_BYTES, fileBytes)), position: 0 };
  for (let i = 0; i < SNAPSHOT_MAGIC.length; i++) {
    if (i >= got || head[i] !== SNAPSHOT_MAGIC[i]) fail("magic", "the file does not start with the arenakit snapshot magic bytes: it is not a snapshot");
  }
  const dv = new DataView(head.buffer);
  if (got >= 10) {
    const version = dv.getUint16(8, true);
    if (version > SNAPSHOT_VERSION) {
      fail("version", `the file has format version ${version}; this code reads versions up to ${SNAPSHOT_VERSION} (upgrade arenakit to load it)`);
    }
    if (version === 0) fail("malformed", "the file has format version 0, which does not exist");
  }
  if (got < HEADER_BYTES) fail("truncated", `the file is ${fileBytes} bytes, shorter than the ${HEADER_BYTES}-byte header`);
  const headerCrc = dv.getUint32(60, true);
  if (crc32(head.subarray(0, 60)) !== headerCrc) fail("checksum", "the header checksum does not match: the header is damaged");
  const bom = dv.getUint16(10, LITTLE_ENDIAN);
  if (bom !== BOM) {
    if (bom === 0x0201) {
      fail("byte-order", `the file was written on a ${LITTLE_ENDIAN ? "big" : "little"}-endian machine; this one is ${LITTLE_ENDIAN ? "little" : "big"}-endian`);
    }
    fail("malformed", `the byte-order mark is 0x${bom.toString(16)}, neither order`);
  }
  if (dv.getUint16(12, true) !== HEADER_BYTES) fail("malformed", `the header size is ${dv.getUint16(12, true)}, expected ${HEADER_BYTES}`);
  let kind = "";
  for (let i = 16; i < 32 && head[i] !== 0; i++) kind += String.fromCharCode(head[i]!);
  const fingerprint = dv.getUint32(32, true);
  const generation = dv.getUint32(36, true);
  const seed = dv.getFloat64(40, true);
  const chunks = dv.getUint32(48, true);
  const sectionBytes = dv.getUint32(52, true);
  const tableCrc = dv.getUint32(56, true);
  if (!Number.isSafeInteger(seed)) fail("malformed", `the hash seed ${seed} is not a safe integer`);
  if (options.kind !== undefined && kind !== options.kind) {
    fail("kind", `the snapshot holds a "${kind}", not a "${options.kind}"`);
  }
  if (options.fingerprint !== undefined && fingerprint !== options.fingerprint >>> 0) {
    fail("schema", `the snapshot was written with schema fingerprint ${hex(fingerprint)}, expected ${hex(options.fingerprint >>> 0)} (another layout or schema)`);
  }
  if (options.seed !== undefined && seed !== options.seed) {
    fail("seed", `the snapshot was written with hash seed ${seed}, expected ${options.seed}`);
  }
  if (chunks > maxChunks) fail("too-large", `the snapshot claims ${chunks} chunks, over the limit of ${maxChunks}`);
  if (sectionBytes > maxSection) fail("too-large", `the snapshot claims a ${sectionBytes}-byte section, over the limit of ${maxSection}`);
  const tableEnd = HEADER_BYTES + chunks * TABLE_ROW_BYTES + sectionBytes;
  if (tableEnd > fileBytes) {
    fail("truncated", `the file is ${fileBytes} bytes but its header announces a table and section ending at byte ${tableEnd}`);
  }

  const table = new Uint8Array(tableEnd - HEADER_BYTES);
  if ((yield { into: table, position: HEADER_BYTES }) !== table.length) fail("truncated", "the file ended inside the chunk table");
  if (crc32(table) !== tableCrc) fail("checksum", "the chunk table checksum does not match: the table or section is damaged");
  const tv = new DataView(table.buffer);
  const chunkBytes: number[] = [];
  const chunkCrc: number[] = [];
  let total = 0;
  for (let c = 0; c < chunks; c++) {
    const len = tv.getUint32(c * TABLE_ROW_BYTES, true);
    if (len > maxChunk) fail("too-large", `chunk ${c} claims ${len} bytes, over the limit of ${maxChunk}`);
    total += len;
    chunkBytes.push(len);
    chunkCrc.push(tv.getUint32(c * TABLE_ROW_BYTES + 4, true));
  }
  if (total > maxTotal) fail("too-large", `the chunks claim ${total} bytes in all, over the limit of ${maxTotal}`);
  if (tableEnd + total > fileBytes) {
    fail("truncated", `the file is ${fileBytes} bytes but its chunks need ${tableEnd + total}: it was cut short`);
  }
  if (tableEnd + total < fileBytes) {
    fail("trailing-bytes", `the file is ${fileBytes} bytes but its chunks end at byte ${tableEnd + total}`);
  }
  let section: unknown;
  try {
    section = JSON.parse(decodeUtf8(table, chunks * TABLE_ROW_BYTES, sectionBytes));
  } catch (err) {
    fail("malformed", `the section is not valid JSON (${(err as Error).message})`);
  }

  const buffers: (ArrayBuffer | SharedArrayBuffer)[] = [];
  let position = tableEnd;
  for (let c = 0; c < chunks; c++) {
    const len = chunkBytes[c]!;
    const size = Math.max(8, Math.ceil(len / 8) * 8);
    const buf = shared ? new SharedArrayBuffer(size) : new ArrayBuffer(size);
    const view = new Uint8Array(buf, 0, len);
    // SAFETY: the chunk is read straight into the buffer it will live in; no intermediate copy.
    if (len > 0 && (yield { into: view, position }) !== len) fail("truncated", `the file ended inside chunk ${c}`);
    if (crc32(view) !== chunkCrc[c]) fail("checksum", `the checksum of chunk ${c} (${len} bytes at byte ${position}) does not match: the chunk is damaged`);
    buffers.push(buf);
    position += len;
  }
  return { version: dv.getUint16(8, true), kind, fingerprint, seed, generation, section, chunkBytes, fileBytes, buffers };
}

function limit(v: number | undefined, dflt: number, name: string): number {
  if (v === undefined) return dflt;
  if (typeof v !== "number" || Number.isNaN(v) || v < 0) {
    throw new SnapshotError("unsupported", `${name} must be a number of bytes >= 0, got ${String(v)}`);
  }
  return v;
}

function hex(n: number): string {
  return `0x${n.toString(16).padStart(8, "0")}`;
}

/** A 32-bit fingerprint of a schema description (the CRC-32 of its UTF-8 text). */
export function fingerprintOf(description: string): number {
  return crc32(encodeUtf8(description));
}
