import type { SlotReuse } from "@arenakit/compact-arena";
import { defineSuite, type TaskFn, type TimeCase } from "../api.ts";
import { bitecsTable, churn, fill, lcg, mapTable, objectArrayTable, slotTable, type Table } from "../isolated/slot-tables.ts";

const BASELINE = "Map<number, object>";
const PAIRS = 10_000;
const READS = 100_000;

/** Ends the tables a case opened in setup. */
const open = new Map<string, Table[]>();
function keep(id: string, tables: Table[]): void {
  release(id);
  open.set(id, tables);
}
function release(id: string): void {
  for (const t of open.get(id) ?? []) t.end();
  open.delete(id);
}

/** Every variant of the churn and read cases, freshly filled with `n` records and churned a little. */
function tables(n: number): Record<string, { t: Table; live: number[] }> {
  const out: Record<string, { t: Table; live: number[] }> = {};
  const makers: Record<string, () => Table> = {
    [BASELINE]: () => mapTable(),
    "object array + free list": () => objectArrayTable(),
    "bitECS 0.4 world": () => bitecsTable(n),
    "slot arena": () => slotTable(),
  };
  for (const [name, make] of Object.entries(makers)) {
    const t = make();
    const live = fill(t, n);
    churn(t, live, Math.min(n, 100_000), lcg(3)); // free lists and reused slots from the start
    out[name] = { t, live };
  }
  return out;
}

function churnCase(id: string, n: number, quickN: number, targets: TimeCase["targets"]): TimeCase {
  return {
    kind: "time",
    id,
    title: `Remove and reinsert: ${PAIRS.toLocaleString("en-US")} random removals, each followed by an insert, among ${n.toLocaleString("en-US")} live records`,
    op: `${PAIRS.toLocaleString("en-US")} remove + insert pairs`,
    baseline: BASELINE,
    note:
      "Record { x: f64, y: f64, hp: u16, team: u8 }. Every table runs the same seeded sequence: pick a random live " +
      "handle, remove it, insert a new record, keep its handle. The Map keys come from a counter; the object array reuses " +
      "indices through a free list (no stale-handle check); bitECS 0.4 uses an unversioned world (addEntity / " +
      "removeEntity, typed-array components; a reused id is not detected as stale); the slot arena (small, default options) " +
      "checks the handle on remove. The Map and the object array allocate one object per insert, so part of their cost is " +
      "garbage collection inside the run.",
    setup: ({ quick }) => {
      const all = tables(quick ? quickN : n);
      keep(id, Object.values(all).map((v) => v.t));
      const tasks: Record<string, TaskFn> = {};
      for (const [name, { t, live }] of Object.entries(all)) {
        const next = lcg(11);
        tasks[name] = () => churn(t, live, PAIRS, next);
      }
      return tasks;
    },
    teardown: () => release(id),
    ...(targets !== undefined ? { targets } : {}),
  };
}

function getCase(id: string, n: number, quickN: number, targets: TimeCase["targets"]): TimeCase {
  return {
    kind: "time",
    id,
    title: `Random reads: ${READS.toLocaleString("en-US")} reads of two fields of random live records among ${n.toLocaleString("en-US")}`,
    op: `${READS.toLocaleString("en-US")} random reads (x + hp)`,
    baseline: BASELINE,
    note:
      "The tables of the churn case, after a churn of min(n, 100,000) pairs; the handles read are the same seeded random " +
      "picks of live records for every table. 'slot arena: get()' is the checked read (generation compare per field); " +
      "'slotOf() + columns' checks the handle once and reads both raw columns; 'columns, unchecked' decodes the slot " +
      "(h >>> 0) without any check, the hot-loop form. bitECS checks entityExists() before reading its component arrays.",
    setup: ({ quick }) => {
      const size = quick ? quickN : n;
      const all = tables(size);
      keep(id, Object.values(all).map((v) => v.t));
      const pick = lcg(5);
      const positions = Array.from({ length: READS }, () => pick() % size);
      const reads: Record<string, () => number> = {};
      for (const [name, { t, live }] of Object.entries(all)) {
        const handles = positions.map((p) => live[p]!);
        if (name === "slot arena") {
          const arena = (t as ReturnType<typeof slotTable>).arena;
          const x = arena.column("x");
          const hp = arena.column("hp");
          reads["slot arena: get()"] = () => {
            let s = 0;
            for (let k = 0; k < handles.length; k++) s += arena.get(handles[k] as never, "x") + arena.get(handles[k] as never, "hp");
            return s;
          };
          reads["slot arena: slotOf() + columns"] = () => {
            let s = 0;
            for (let k = 0; k < handles.length; k++) {
              const i = arena.slotOf(handles[k] as never);
              s += x[i]! + hp[i]!;
            }
            return s;
          };
          reads["slot arena: columns, unchecked"] = () => {
            let s = 0;
            for (let k = 0; k < handles.length; k++) {
              const i = handles[k]! >>> 0;
              s += x[i]! + hp[i]!;
            }
            return s;
          };
        } else if (name === BASELINE) {
          reads[name] = () => {
            let s = 0;
            for (let k = 0; k < handles.length; k++) s += t.read(handles[k]!);
            return s;
          };
        } else if (name === "object array + free list") {
          reads[name] = () => {
            let s = 0;
            for (let k = 0; k < handles.length; k++) s += t.read(handles[k]!);
            return s;
          };
        } else {
          reads[name] = () => {
            let s = 0;
            for (let k = 0; k < handles.length; k++) s += t.read(handles[k]!);
            return s;
          };
        }
      }
      const expected = reads[BASELINE]!();
      const tasks: Record<string, TaskFn> = {};
      let sink = 0;
      for (const [name, read] of Object.entries(reads)) {
        const got = read();
        if (got !== expected) throw new Error(`${name} read ${got}, expected ${expected}`);
        tasks[name] = () => {
          sink += read();
        };
      }
      void sink;
      return tasks;
    },
    teardown: () => release(id),
    ...(targets !== undefined ? { targets } : {}),
  };
}

function reuseCase(): TimeCase {
  const id = "free-list-order";
  return {
    kind: "time",
    id,
    title: "Free-list order: remove 10,000 random records, insert 10,000, then read every live record, among 1,000,000",
    op: "10,000 removals, 10,000 inserts, one forEach over the live records",
    baseline: "slot arena, lifo",
    note:
      "Chooses the default reuse order. The removals come in a batch, so the free list holds 10,000 slots when the " +
      "inserts start (when each removal is followed by an insert, as in the churn cases, both orders reuse the same slot). " +
      "LIFO reuses the slot freed last, whose memory was touched most recently; FIFO the slot freed first, which spreads " +
      "generation wear over every free slot and leaves a freed slot vacant longer. Both run the same seeded sequence on " +
      "their own arena.",
    setup: ({ quick }) => {
      const n = quick ? 20_000 : 1_000_000;
      const tasks: Record<string, TaskFn> = {};
      const ts: Table[] = [];
      let sink = 0;
      for (const reuse of ["lifo", "fifo"] as SlotReuse[]) {
        const t = slotTable(reuse);
        ts.push(t);
        const live = fill(t, n);
        churn(t, live, Math.min(n, 100_000), lcg(3));
        const next = lcg(13);
        const picked = new Int32Array(PAIRS);
        tasks[`slot arena, ${reuse}`] = () => {
          // Distinct positions: remove them all, then refill them.
          for (let k = 0; k < PAIRS; k++) {
            let p = next() % live.length;
            while (live[p] === -1) p = p + 1 === live.length ? 0 : p + 1;
            picked[k] = p;
            t.remove(live[p]!);
            live[p] = -1;
          }
          for (let k = 0; k < PAIRS; k++) live[picked[k]!] = t.insert(k, k, k & 0xffff, k & 0xff);
          const col = t.arena.column("x");
          t.arena.forEach((_, slot) => {
            sink += col[slot]!;
          });
        };
      }
      keep(id, ts);
      void sink;
      return tasks;
    },
    teardown: () => release(id),
  };
}

export default defineSuite({
  id: "slot-arena",
  title: "@arenakit/compact-arena slot arenas",
  cases: [
    churnCase("churn-10k", 10_000, 10_000, undefined),
    churnCase("churn-1m", 1_000_000, 20_000, [
      { subject: "slot arena", metric: "speedup", atLeast: 1, source: "churn no slower than the Map at 1M" },
    ]),
    getCase("get-10k", 10_000, 10_000, undefined),
    getCase("get-1m", 1_000_000, 20_000, [
      { subject: "slot arena: get()", metric: "speedup", atLeast: 1, source: "get no slower than the Map at 1M" },
    ]),
    reuseCase(),
    {
      kind: "isolated",
      id: "table-memory",
      title: "Memory per record and full GC while an entity table is held",
      module: new URL("../isolated/slot-memory.ts", import.meta.url),
      variants: [BASELINE, "object array + free list", "bitECS 0.4 world", "slot arena", "nothing held"],
      baseline: BASELINE,
      records: [10_000, 1_000_000],
      // A newcomer's run: the slot arena against the Map and the process's floor.
      defaultVariants: ["slot arena", "nothing held"],
      quickRecords: [10_000],
      note:
        "Each table holds N records { x: f64, y: f64, hp: u16, team: u8 } (19 bytes of payload) after N/10 removals and " +
        "reinserts. The slot arena (small, contiguous, grown from 1,024 slots) counts its columns, generations and free " +
        "list, including the unused part of its last growth. The GC column is the median of forced full collections with " +
        "the table alive; 'nothing held' is the floor of the measuring process itself.",
      targets: [
        { subject: "slot arena", metric: "memoryRatio", atMost: 0.3, records: 1_000_000, source: "project goal" },
      ],
    },
  ],
});
