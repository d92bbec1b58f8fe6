// Isolated workload of the hashmap "old tables" case: how much allocator
// memory a map of N accounts keeps in live allocations after growing from
// empty, depending on the allocator. A Bump cannot take back an outgrown
// table; a FreeListAllocator can; `capacity` avoids outgrown tables at all.
//
// Memory only: the figure is the allocator's bytes in live allocations
// (usedBytes) after the build, so chunk slack is left out; the structure is
// then released, so this case's GC column measures nothing of interest.
import { Bump, FreeListAllocator, t, type Allocator } from "@arenakit/bump";
import { ArenaHashMap } from "@arenakit/hashmap";
import type { Built } from "../api.ts";
import { VALUE_BYTES, inputFromArgv, makeInput, type Input } from "./hashmap-input.ts";

const VARIANTS = ["Bump, capacity", "Bump, grown", "FreeListAllocator, grown"];
const prepared = inputFromArgv();
// Run every variant once on a small input before measuring, so compiled code and
// type feedback (which the heap figure would otherwise count) exist beforehand.
if (prepared !== undefined) for (const v of VARIANTS) build(v, 2000);

export function build(variant: string, records: number): Built {
  const input: Input = prepared?.records === records ? prepared : makeInput(records);
  const { keyBytes, keyStart, data } = input;
  const dec = new TextDecoder();
  let allocator: Allocator & { readonly usedBytes: number; release(): void };
  let capacity = 0;
  if (variant === "Bump, grown") allocator = new Bump();
  else if (variant === "Bump, capacity") {
    allocator = new Bump();
    capacity = records;
  } else if (variant === "FreeListAllocator, grown") {
    allocator = new FreeListAllocator({ size: Math.min(2 ** 32 - 8, 64 * 1024 * 1024 + records * 320) });
  } else throw new Error(`unknown variant ${variant}`);
  const map = new ArenaHashMap(allocator, { value: t.bytes, capacity });
  for (let i = 0; i < records; i++) {
    map.set(dec.decode(keyBytes.subarray(keyStart[i]!, keyStart[i + 1]!)), data.subarray(i * VALUE_BYTES, (i + 1) * VALUE_BYTES));
  }
  const used = allocator.usedBytes;
  const summary = map.stats();
  allocator.release();
  return { hold: summary, arenaBytes: used, payloadBytes: input.payloadBytes };
}
