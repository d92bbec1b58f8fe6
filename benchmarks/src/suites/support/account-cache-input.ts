// Input of the account-cache benchmarks: N accounts of the seeded workload
// (base58 ids of 32 random bytes, owners drawn with a skew, skewed data
// lengths), held the way they would arrive from the network: ids as UTF-8
// bytes back to back, and each account's data as a window of one byte source.
// Every variant decodes its own id strings and copies the data it keeps, so no
// variant shares memory with the input or with another variant, and holding
// the input costs a few typed arrays, not an object per account (which would
// add to every full GC that a case measures).
import { OWNERS, accountId, dataBytes, dataLength, owner, rng } from "../../workload.ts";

/** Largest data length the workload draws (its default `maxLarge`). */
const MAX_DATA = 64 * 1024;
/** Bytes of the source every account's data is a window of. */
const SOURCE_BYTES = (1 << 20) + MAX_DATA;

/** N accounts as raw input. */
export interface AccountInput {
  readonly n: number;
  /** All ids, UTF-8, back to back. */
  readonly idBytes: Uint8Array;
  /** Start of id i in `idBytes` (n + 1 entries). */
  readonly idStart: Int32Array;
  /** Index into {@link OWNERS} of each account's owner. */
  readonly ownerOf: Uint8Array;
  /** Data length of each account. */
  readonly dataLen: Int32Array;
  /** Start of each account's data in `source`. */
  readonly dataOff: Int32Array;
  readonly source: Uint8Array;
  /** Sum of all data lengths. */
  readonly dataBytes: number;
  /**
   * Mean payload per account: id UTF-8 bytes + owner UTF-8 bytes + data bytes
   * + 8 (the u64 index), the figure "bytes per account" is compared with.
   */
  readonly payloadBytes: number;
}

const enc = new TextEncoder();
const ownerBytes = OWNERS.map((o) => enc.encode(o).length);

/** Generates the input for `n` accounts; the same seed gives the same accounts. */
export function makeInput(n: number, seed = 42): AccountInput {
  const next = rng(seed);
  const idStart = new Int32Array(n + 1);
  const idBytes = new Uint8Array(n * 44);
  const ownerOf = new Uint8Array(n);
  const dataLen = new Int32Array(n);
  const dataOff = new Int32Array(n);
  const source = dataBytes(seed, SOURCE_BYTES);
  const ownerIndex = new Map(OWNERS.map((o, i) => [o, i]));
  let at = 0;
  let data = 0;
  let payload = 0;
  for (let i = 0; i < n; i++) {
    idStart[i] = at;
    at += enc.encodeInto(accountId(next), idBytes.subarray(at)).written;
    const o = ownerIndex.get(owner(next))!;
    ownerOf[i] = o;
    const len = dataLength(next, MAX_DATA);
    dataLen[i] = len;
    dataOff[i] = Math.floor(next() * (SOURCE_BYTES - len));
    data += len;
    payload += at - idStart[i]! + ownerBytes[o]! + len + 8;
  }
  idStart[n] = at;
  return { n, idBytes: idBytes.subarray(0, at), idStart, ownerOf, dataLen, dataOff, source, dataBytes: data, payloadBytes: payload / n };
}

/** Reads one account of an input: fresh id string, owner (one shared string per owner), data window. */
export class InputReader {
  private readonly dec = new TextDecoder();
  constructor(readonly input: AccountInput) {}

  /** Account i's id, decoded into a new string (as from the network). */
  id(i: number): string {
    const { idBytes, idStart } = this.input;
    return this.dec.decode(idBytes.subarray(idStart[i]!, idStart[i + 1]!));
  }

  owner(i: number): string {
    return OWNERS[this.input.ownerOf[i]!]!;
  }

  /** Account i's data: a window of the source (copy it to keep it). */
  data(i: number): Uint8Array {
    const off = this.input.dataOff[i]!;
    return this.input.source.subarray(off, off + this.input.dataLen[i]!);
  }
}

/** An account as a Map or lru-cache user holds it. */
export interface AccountObject {
  readonly owner: string;
  readonly data: Uint8Array;
  readonly index: bigint;
}

/**
 * Upper bound of the arena bytes an entry of these accounts takes with the
 * account-cache layout (hash-map entry: u32 key length + key + a 24-byte
 * value, 4-byte aligned; data: u32 length + bytes; the table; the owner map),
 * for sizing an arena up front with `initialChunkSize`.
 */
export function arenaBytesFor(input: AccountInput, tableBytes: number): number {
  const { n, idStart, dataLen } = input;
  let bytes = tableBytes + 64 * 1024;
  for (let i = 0; i < n; i++) {
    bytes += (4 + (idStart[i + 1]! - idStart[i]!) + 24 + 3) & ~3;
    bytes += (4 + dataLen[i]! + 3) & ~3;
  }
  return bytes;
}
