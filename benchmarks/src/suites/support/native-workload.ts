// The account-cache workload as a file, so the Rust program of the native
// anchor (benchmarks/native/) and the TypeScript side measure exactly the same
// accounts and queries. Little-endian layout (version 1):
//   "AKWL" u32 version, u32 n, u32 idBytes, idBytes, (n + 1) × u32 id offsets,
//   u32 owners, owners × (u32 length + UTF-8), n × u8 owner index,
//   n × u32 data length, n × u32 data offset, u32 source length, source,
//   u32 queries, queries × u32 account index.
import { OWNERS } from "../../workload.ts";
import type { AccountInput } from "./account-cache-input.ts";

const MAGIC = [0x41, 0x4b, 0x57, 0x4c]; // "AKWL"
const VERSION = 1;

/** An account-cache input plus the accounts a lookup pass asks for, in order. */
export interface NativeWorkload {
  readonly input: AccountInput;
  readonly queries: Uint32Array;
}

/** Encodes a workload in the file layout above. */
export function encodeWorkload(w: NativeWorkload): Uint8Array {
  const { input, queries } = w;
  const enc = new TextEncoder();
  const owners = OWNERS.map((o) => enc.encode(o));
  const n = input.n;
  const size =
    4 + 4 + 4 + 4 + input.idBytes.length + 4 * (n + 1) + 4 + owners.reduce((a, o) => a + 4 + o.length, 0) + n +
    8 * n + 4 + input.source.length + 4 + 4 * queries.length;
  const out = new Uint8Array(size);
  const dv = new DataView(out.buffer);
  let at = 0;
  const u32 = (v: number): void => {
    dv.setUint32(at, v, true);
    at += 4;
  };
  const bytes = (b: Uint8Array): void => {
    out.set(b, at);
    at += b.length;
  };
  bytes(Uint8Array.from(MAGIC));
  u32(VERSION);
  u32(n);
  u32(input.idBytes.length);
  bytes(input.idBytes);
  for (let i = 0; i <= n; i++) u32(input.idStart[i]!);
  u32(owners.length);
  for (const o of owners) {
    u32(o.length);
    bytes(o);
  }
  bytes(input.ownerOf.subarray(0, n));
  for (let i = 0; i < n; i++) u32(input.dataLen[i]!);
  for (let i = 0; i < n; i++) u32(input.dataOff[i]!);
  u32(input.source.length);
  bytes(input.source);
  u32(queries.length);
  for (const q of queries) u32(q);
  if (at !== size) throw new Error(`workload encoder wrote ${at} of ${size} bytes`);
  return out;
}

/**
 * Decodes a workload file written by {@link encodeWorkload}.
 * @throws when the bytes are not such a file or an offset points outside it.
 */
export function decodeWorkload(bytes: Uint8Array): NativeWorkload {
  // A Buffer (readFileSync) would make slice() a view, not a copy: read through a plain Uint8Array.
  const buf = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  let at = 0;
  const need = (len: number, what: string): void => {
    if (at + len > buf.length) throw new Error(`workload file ends inside ${what}`);
  };
  const u32 = (what: string): number => {
    need(4, what);
    const v = dv.getUint32(at, true);
    at += 4;
    return v;
  };
  const take = (len: number, what: string): Uint8Array => {
    need(len, what);
    const b = buf.subarray(at, at + len);
    at += len;
    return b;
  };
  const u32s = (count: number, what: string, into: Int32Array | Uint32Array): void => {
    need(4 * count, what);
    for (let i = 0; i < count; i++) into[i] = dv.getUint32(at + 4 * i, true);
    at += 4 * count;
  };
  if (!MAGIC.every((m, i) => buf[i] === m)) throw new Error("not an arenakit workload file (bad magic)");
  at = 4;
  const version = u32("the version");
  if (version !== VERSION) throw new Error(`workload file version ${version}, expected ${VERSION}`);
  const n = u32("the account count");
  const idBytes = take(u32("the id byte count"), "the ids");
  const idStart = new Int32Array(n + 1);
  u32s(n + 1, "the id offsets", idStart);
  if (idStart[n] !== idBytes.length) throw new Error("id offsets do not end at the ids' end");
  const owners = u32("the owner count");
  const dec = new TextDecoder();
  for (let i = 0; i < owners; i++) {
    const o = dec.decode(take(u32("an owner length"), "an owner"));
    if (o !== OWNERS[i]) throw new Error(`owner ${i} of the file is not the workload's`);
  }
  const ownerOf = take(n, "the owner indices").slice();
  const dataLen = new Int32Array(n);
  const dataOff = new Int32Array(n);
  u32s(n, "the data lengths", dataLen);
  u32s(n, "the data offsets", dataOff);
  const source = take(u32("the data source length"), "the data source").slice();
  let data = 0;
  let payload = 0;
  const enc = new TextEncoder();
  const ownerBytes = OWNERS.map((o) => enc.encode(o).length);
  for (let i = 0; i < n; i++) {
    if (dataOff[i]! + dataLen[i]! > source.length) throw new Error(`account ${i}'s data lies outside the data source`);
    data += dataLen[i]!;
    payload += idStart[i + 1]! - idStart[i]! + ownerBytes[ownerOf[i]!]! + dataLen[i]! + 8;
  }
  const q = u32("the query count");
  const queries = new Uint32Array(q);
  u32s(q, "the queries", queries);
  if (queries.some((x) => x >= n)) throw new Error("a query names an account that does not exist");
  if (at !== buf.length) throw new Error("trailing bytes after the workload");
  return {
    input: { n, idBytes: idBytes.slice(), idStart, ownerOf, dataLen, dataOff, source, dataBytes: data, payloadBytes: n === 0 ? 0 : payload / n },
    queries,
  };
}
