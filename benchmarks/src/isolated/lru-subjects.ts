// The caches compared by the lru suite, behind one small interface, and the
// keys and values they hold. Every measuring child runs one subject alone, so
// each call site below stays monomorphic in that process.
import { ArenaLru } from "@arenakit/lru";
import { LRUCache } from "lru-cache";
import { LRUCache as MnemonistLRU } from "mnemonist";
import QuickLRU from "quick-lru";
import { lru as tinyLru } from "tiny-lru";

export const SUBJECTS = ["lru-cache", "quick-lru", "mnemonist", "tiny-lru", "ArenaLru"] as const;
export type Subject = (typeof SUBJECTS)[number];

/** Bytes of every key: ASCII, so UTF-8 bytes = UTF-16 units. */
export const KEY_BYTES = 20;
/** Bytes of every value in the mix, memory and churn cases. */
export const VALUE_BYTES = 64;

/** What the cases need from a cache. */
export interface Cache {
  get(key: string): Uint8Array | undefined;
  set(key: string, value: Uint8Array): void;
  /** Entries held now. */
  size(): number;
  /** The structure, held by isolated cases while they measure. */
  readonly hold: unknown;
  /** Bytes of ArrayBuffers the cache took by its own accounting (0 when the engine counts them). */
  readonly arenaBytes: number;
}

/**
 * The budget every subject gets, in its own terms:
 * - `bytes`: lru-cache's `maxSize` with `sizeCalculation` = key + value bytes;
 *   ArenaLru's `maxBytes`, which counts its table, links and headers too;
 * - `entries`: the count for the caches that only limit entries
 *   (quick-lru, mnemonist, tiny-lru).
 * `arenaMax` optionally fixes ArenaLru's entry limit (it also sizes its table).
 */
export interface Budget {
  readonly bytes: number;
  readonly entries: number;
  readonly arenaMax?: number;
  /** Average key + value bytes, to size ArenaLru's table when arenaMax is not given. */
  readonly averageEntryBytes?: number;
}

export function makeCache(subject: string, b: Budget): Cache {
  switch (subject) {
    case "lru-cache": {
      const c = new LRUCache<string, Uint8Array>({ maxSize: b.bytes, sizeCalculation: (v, k) => v.length + k.length });
      return { get: (k) => c.get(k), set: (k, v) => void c.set(k, v), size: () => c.size, hold: c, arenaBytes: 0 };
    }
    case "quick-lru": {
      // quick-lru keeps up to maxSize recent entries plus up to maxSize of the previous generation.
      const c = new QuickLRU<string, Uint8Array>({ maxSize: b.entries });
      return { get: (k) => c.get(k), set: (k, v) => void c.set(k, v), size: () => c.size, hold: c, arenaBytes: 0 };
    }
    case "mnemonist": {
      const c = new MnemonistLRU<string, Uint8Array>(b.entries);
      return { get: (k) => c.get(k), set: (k, v) => c.set(k, v), size: () => c.size, hold: c, arenaBytes: 0 };
    }
    case "tiny-lru": {
      const c = tinyLru<Uint8Array>(b.entries);
      return { get: (k) => c.get(k), set: (k, v) => void c.set(k, v), size: () => c.size, hold: c, arenaBytes: 0 };
    }
    case "ArenaLru": {
      const c = new ArenaLru({
        maxBytes: b.bytes,
        ...(b.arenaMax !== undefined ? { max: b.arenaMax } : {}),
        ...(b.averageEntryBytes !== undefined ? { averageEntryBytes: b.averageEntryBytes } : {}),
      });
      return { get: (k) => c.get(k), set: (k, v) => void c.set(k, v), size: () => c.size, hold: c, arenaBytes: c.maxBytes };
    }
    default:
      throw new Error(`unknown subject ${subject}`);
  }
}

/**
 * The budget under which every subject holds exactly `n` entries of
 * KEY_BYTES + VALUE_BYTES: the speed cases compare caches of the same size.
 */
export function budgetForEntries(n: number): Budget {
  return { bytes: ArenaLru.budgetFor(n, KEY_BYTES + VALUE_BYTES), entries: n, arenaMax: n, averageEntryBytes: KEY_BYTES + VALUE_BYTES };
}

const decoder = new TextDecoder();
const scratch = new Uint8Array(KEY_BYTES);
const ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz";

/**
 * Key number `i` as a flat string of KEY_BYTES ASCII characters, decoded from
 * bytes the way a key read from a request is (concatenation would make cons
 * strings, which cost more memory and hash later).
 */
export function keyString(i: number): string {
  scratch.set([0x75, 0x73, 0x65, 0x72, 0x3a]); // "user:"
  let x = Math.imul(i ^ 0x5bd1e995, 0x9e3779b1) >>> 0;
  for (let j = 5; j < 12; j++) {
    scratch[j] = ALPHABET.charCodeAt(x % 36);
    x = Math.floor(x / 36) + 7919;
  }
  scratch[12] = 0x3a; // ":"
  let n = i;
  for (let j = KEY_BYTES - 1; j >= 13; j--) {
    scratch[j] = 0x30 + (n % 10);
    n = Math.floor(n / 10);
  }
  return decoder.decode(scratch);
}

/** `count` keys starting at number `from`. */
export function keyStrings(from: number, count: number): string[] {
  const out = new Array<string>(count);
  for (let i = 0; i < count; i++) out[i] = keyString(from + i);
  return out;
}

/** A fresh VALUE_BYTES value whose bytes follow from `i` (its own ArrayBuffer, as a value read from I/O). */
export function valueBytes(i: number, len = VALUE_BYTES): Uint8Array {
  const v = new Uint8Array(len);
  v[0] = i & 0xff;
  v[1] = (i >>> 8) & 0xff;
  v[len - 1] = 0x5a;
  return v;
}
