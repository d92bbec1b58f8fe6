// Isolated workload of the slot-arena memory / GC case: N entity records held in each
// table after a churn of N/10 removals and reinserts (so free lists and reused slots are
// part of the figure), and a variant that holds nothing (the process's own GC floor).
// Runs alone in a child process started with --expose-gc.
import type { Built } from "../api.ts";
import { bitecsTable, churn, fill, lcg, mapTable, objectArrayTable, slotTable, type Table } from "./slot-tables.ts";

const MAKERS: Record<string, (n: number) => Table> = {
  "Map<number, object>": () => mapTable(),
  "object array + free list": () => objectArrayTable(),
  "bitECS 0.4 world": (n) => bitecsTable(n),
  "slot arena": () => slotTable(),
};

// Warm up every variant on a small table, so compiled code and type feedback exist
// before measuring (the heap figure would otherwise count them).
for (const make of Object.values(MAKERS)) {
  const t = make(4096);
  churn(t, fill(t, 2048), 1024, lcg(1));
  t.end();
}

export function build(variant: string, records: number): Built {
  if (variant === "nothing held") return { hold: null };
  const make = MAKERS[variant];
  if (make === undefined) throw new Error(`unknown variant ${variant}`);
  const t = make(records);
  const live = fill(t, records);
  churn(t, live, Math.floor(records / 10), lcg(7));
  // The handles are the caller's, not the table's: they are not part of the figure.
  live.length = 0;
  return { ...t.held(), payloadBytes: 19 };
}
