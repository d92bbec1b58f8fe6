// Allocator-awareness examples for the hash map chapter (run by test/examples.test.ts).

// #region growth
import { Bump, FreeListAllocator, t } from "@arenakit/bump";
import { ArenaHashMap } from "@arenakit/hashmap";

type Tables = {
  table: number;
  sizedTable: number;
  grown: number;
  sized: number;
  freed: number;
};

export function outgrownTables(n: number): Tables {
  // starts empty, doubles as it fills
  const grown = new ArenaHashMap(new Bump(), { value: t.u32 });
  // one table, allocated now, just big enough for n
  const sized = new ArenaHashMap(new Bump(), { value: t.u32, capacity: n });
  const heap = new FreeListAllocator({ size: 8 << 20 });
  // grows too, but gives old tables back
  const freed = new ArenaHashMap(heap, { value: t.u32 });
  for (let i = 0; i < n; i++) {
    grown.set(`key-${i}`, i);
    sized.set(`key-${i}`, i);
    freed.set(`key-${i}`, i);
  }
  // Bytes of outgrown tables left unused: a bump arena cannot take a table back, so
  // the map puts the entries it inserts next into the space of the table it outgrew.
  return {
    table: grown.stats().tableBytes, // the live table, doubled as it grew
    sizedTable: sized.stats().tableBytes,
    grown: grown.stats().retiredTableBytes,
    sized: sized.stats().retiredTableBytes,
    freed: freed.stats().retiredTableBytes,
  };
}

export function tenThousandKeys(): Tables {
  return outgrownTables(10_000); // → { table: 81920, sizedTable: 57140, grown: 12,
  //   sized: 0, freed: 0 }
}
// #endregion growth

// #region freelist
type Churn = { live: number; usedAfter: number; usedBefore: number };

export function churn(rounds: number): Churn {
  // one buffer; blocks are freed and reused
  const heap = new FreeListAllocator({ size: 1 << 20 });
  const sessions = new ArenaHashMap(heap, { value: t.str });
  for (let i = 0; i < 100; i++) sessions.set(`session-${i}`, `user-${i}`);
  const usedBefore = heap.usedBytes;
  for (let r = 0; r < rounds; r++) {
    // entries go back to the free list
    for (let i = 0; i < 100; i++) sessions.delete(`session-${i}`);
    for (let i = 0; i < 100; i++) sessions.set(`session-${i}`, `user-${i + r}`);
  }
  return { live: sessions.size, usedBefore, usedAfter: heap.usedBytes };
}

export function twentyRounds(): Churn {
  // 2,000 deletes and 2,000 inserts later, no more bytes in use than before
  return churn(20); // → { live: 100, usedAfter: 3848, usedBefore: 3864 }
}
// #endregion freelist
