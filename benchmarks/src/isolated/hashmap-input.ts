// Shared input of the hashmap isolated cases: N accounts as they would arrive
// from the network, as bytes (44-character base58 ids as UTF-8, 128 bytes of
// data each). Both the Map and the arena map decode each key into a fresh JS
// string while building, so their build times include the same decoding, and
// the Map owns its keys and values (nothing is shared with the input).
import { accountId, dataBytes, rng } from "../workload.ts";

/** Bytes of each account's data (the map value). */
export const VALUE_BYTES = 128;

/** N records as raw bytes. */
export interface Input {
  readonly records: number;
  /** All ids, UTF-8, back to back. */
  readonly keyBytes: Uint8Array;
  /** Start of id i in keyBytes (records + 1 entries). */
  readonly keyStart: Int32Array;
  /** All data, VALUE_BYTES per record. */
  readonly data: Uint8Array;
  /** Mean payload per record: id bytes + value bytes. */
  readonly payloadBytes: number;
}

/**
 * Generates the input straight into three typed arrays, keeping no object per
 * record, so the heap the measured build starts from is small (a full GC's cost
 * grows with the heap, garbage included).
 */
export function makeInput(records: number): Input {
  const next = rng(42);
  const enc = new TextEncoder();
  const keyStart = new Int32Array(records + 1);
  const keyBytes = new Uint8Array(records * 44);
  const data = new Uint8Array(records * VALUE_BYTES);
  let at = 0;
  for (let i = 0; i < records; i++) {
    keyStart[i] = at;
    at += enc.encodeInto(accountId(next), keyBytes.subarray(at)).written;
    data.set(dataBytes(i + 1, VALUE_BYTES), i * VALUE_BYTES);
  }
  keyStart[records] = at;
  return { records, keyBytes: keyBytes.subarray(0, at), keyStart, data, payloadBytes: at / records + VALUE_BYTES };
}

/**
 * The input for this child process, made when the module is loaded: the
 * isolated runner passes `<variant> <records>` as the process arguments, and
 * loading happens before the measured build, so generating a million base58
 * ids is neither timed nor counted (the input stays alive throughout).
 */
export function inputFromArgv(): Input | undefined {
  const records = Number(process.argv[3]);
  return Number.isSafeInteger(records) && records > 0 ? makeInput(records) : undefined;
}
