// Isolated workload of the lru memory / GC case: a cache holding N entries
// (20-byte string keys, 64-byte values), every subject with a budget that
// holds exactly N. Runs alone in a child process with --expose-gc.
import type { Built } from "../api.ts";
import { KEY_BYTES, SUBJECTS, VALUE_BYTES, budgetForEntries, keyString, makeCache, valueBytes } from "./lru-subjects.ts";

// Warm every subject on a small input first, so compiled code and type feedback exist before measuring.
if (process.argv[2] !== undefined) for (const s of SUBJECTS) build(s, 2000);

export function build(variant: string, records: number): Built {
  const cache = makeCache(variant, budgetForEntries(records));
  // Keys and values are made one at a time, as they would arrive: only what the cache keeps stays alive.
  for (let i = 0; i < records; i++) cache.set(keyString(i), valueBytes(i));
  if (cache.size() !== records) throw new Error(`${variant} holds ${cache.size()} of ${records} entries`);
  return { hold: cache.hold, arenaBytes: cache.arenaBytes, payloadBytes: KEY_BYTES + VALUE_BYTES };
}
