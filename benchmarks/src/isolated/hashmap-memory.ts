// Isolated workload of the hashmap memory / GC case: N accounts (44-character
// ids → 128 bytes of data) held in a Map<string, Uint8Array> or in an
// ArenaHashMap. Runs alone in a child process with --expose-gc.
import { Bump, t } from "@arenakit/bump";
import { ArenaHashMap } from "@arenakit/hashmap";
import type { Built } from "../api.ts";
import { VALUE_BYTES, inputFromArgv, makeInput, type Input } from "./hashmap-input.ts";

const VARIANTS = ["Map", "ArenaHashMap", "ArenaHashMap, sized"];
const prepared = inputFromArgv();
// Run every variant once on a small input before measuring, so compiled code and
// type feedback (which the heap figure would otherwise count) exist beforehand.
if (prepared !== undefined) for (const v of VARIANTS) build(v, 2000);

export function build(variant: string, records: number): Built {
  const input: Input = prepared?.records === records ? prepared : makeInput(records);
  const { keyBytes, keyStart, data } = input;
  const dec = new TextDecoder();
  const key = (i: number): string => dec.decode(keyBytes.subarray(keyStart[i]!, keyStart[i + 1]!));
  if (variant === "Map") {
    const map = new Map<string, Uint8Array>();
    for (let i = 0; i < records; i++) map.set(key(i), data.slice(i * VALUE_BYTES, (i + 1) * VALUE_BYTES));
    return { hold: map, payloadBytes: input.payloadBytes };
  }
  if (variant === "ArenaHashMap" || variant === "ArenaHashMap, sized") {
    const sized = variant === "ArenaHashMap, sized";
    // Sized: one chunk taken up front holds exactly the table for `records` entries and every entry.
    let bytes = ArenaHashMap.tableBytes(records);
    for (let i = 0; i < records; i++) bytes += ArenaHashMap.entryBytes(keyStart[i + 1]! - keyStart[i]!, 4 + VALUE_BYTES);
    const bump = sized ? Bump.withCapacity(bytes) : new Bump();
    const map = new ArenaHashMap(bump, { value: t.bytes, ...(sized ? { capacity: records } : {}) });
    for (let i = 0; i < records; i++) map.set(key(i), data.subarray(i * VALUE_BYTES, (i + 1) * VALUE_BYTES));
    return { hold: { bump, map }, arenaBytes: bump.allocatedBytes, payloadBytes: input.payloadBytes };
  }
  throw new Error(`unknown variant ${variant}`);
}
