import { defineSuite, type CustomCase, type CustomSubject } from "../api.ts";
import { runScript, scratchDir } from "../child-process.ts";

const BASELINE = "JSON.parse → Map";
const V8 = "v8.deserialize(Map)";
const ARENA = "FrozenAccounts.loadSync";
const LRU = "lru-cache dump/load";
const SUBJECTS = [BASELINE, V8, LRU, "Arrow IPC + Map", ARENA] as const;

const sizeName = (n: number): string => (n >= 1_000_000 ? `${n / 1_000_000}M` : `${n / 1000}k`);

function loadCase(): CustomCase {
  return {
    kind: "custom",
    id: "load",
    title: "Save a slot of accounts to a file and load it back (1M accounts in the full profile)",
    baseline: BASELINE,
    requires: ["node"],
    metrics: [
      { key: "loadMs", label: "load", unit: "ms", better: "lower" },
      { key: "firstLookupMs", label: "load + first lookup", unit: "ms", better: "lower" },
      { key: "allLookupsMs", label: "then all lookups", unit: "ms", better: "lower" },
      { key: "saveMs", label: "save", unit: "ms", better: "lower" },
      { key: "fileBytes", label: "file size", unit: "bytes", better: "lower" },
      { key: "bytesPerAccount", label: "file bytes per account", unit: "bytes", better: "lower" },
      { key: "fileVsArena", label: "file / arena used bytes", unit: "count", better: "lower" },
      { key: "loadGBps", label: "load GB/s", unit: "count", better: "higher" },
      { key: "readFileGBps", label: "readFileSync GB/s (same file)", unit: "count", better: "higher" },
      { key: "ioShare", label: "load / readFileSync throughput", unit: "count", better: "higher" },
      { key: "speedupVsV8", label: "load speedup vs v8.deserialize", unit: "count", better: "higher" },
    ],
    note:
      "Each subject runs in its own fresh process started with --expose-gc. It builds N accounts (base58 ids of 32 " +
      "random bytes, owners drawn with a skew, 64–192 data bytes, a u64 index), saves them in its format, then " +
      "three times (once in --quick, and once for the baselines in the default profile and at 1M accounts): forces a GC, reads the file with fs.readFileSync (the I/O reference), forces a " +
      "GC, loads the file, looks up one id (load + first lookup), then looks up every id once in shuffled order and " +
      "reads owner, data length and index (all lookups; the keys are strings the application holds). Medians are " +
      "shown. JSON: an array of [id, owner, index as text, data as base64], parsed and rebuilt into a Map of " +
      "{ owner, index: bigint, data: Uint8Array }. v8: v8.serialize of that Map. lru-cache: dump() written with " +
      "v8.serialize (its entries hold bigints and Uint8Arrays, which JSON cannot), then load() into a new LRUCache. " +
      "Arrow: a Table of id, owner (Utf8), index (Uint64) and data (Binary) written with tableToIPC, loaded with " +
      "tableFromIPC plus a Map from id to row. FrozenAccounts: AccountsBuilder(slot, { capacity: N }) saved with " +
      "saveSync (which also fsyncs and renames; the others use writeFileSync without fsync) and loaded with " +
      "FrozenAccounts.loadSync, which reads each chunk into its SharedArrayBuffer and checks its CRC-32. The file " +
      "is warm in the page cache for every subject. 'file / arena used bytes' divides each file by the arena's " +
      "used bytes of the same accounts. `pnpm bench` (default) uses 50,000 accounts, --quick 20,000. lru-cache's " +
      "dump() takes time quadratic in the number of entries, so the 1M run (the full profile) leaves lru-cache out; " +
      "the default and quick profiles include it.",
    estimateMs: { quick: 20_000, default: 30_000, full: 400_000 },
    run: async ({ quick, smoke, profile, onStep }) => {
      const n = smoke ? 2000 : quick ? 20_000 : profile === "full" ? 1_000_000 : 50_000;
      // A 1M-account JSON, v8 or lru-cache load takes many seconds on a busy 2-core machine: one repetition each
      // there; FrozenAccounts, whose load is I/O-bound, keeps three (median).
      // The default profile (50,000 accounts) times the baselines once too: a newcomer's run stays short.
      const repsOf = (subject: string): number =>
        smoke || quick ? 1 : subject === ARENA || (profile === "full" && n < 1_000_000) ? 3 : 1;
      const dir = scratchDir();
      const out: CustomSubject[] = [];
      // lru-cache's dump() takes time quadratic in the number of entries (measured here: 1.6 s at 50,000, 68 s at
      // 200,000), so at 1M it would run for the better part of an hour: the full profile leaves it out.
      const subjects = n >= 1_000_000 ? SUBJECTS.filter((s) => s !== LRU) : SUBJECTS;
      for (const subject of subjects) {
        onStep?.(`${subject} × ${sizeName(n)}`);
        const values = await runScript<Record<string, number>>(new URL("../isolated/snapshot-load.ts", import.meta.url), [subject, n, repsOf(subject), dir]);
        out.push({ subject, values });
      }
      const arenaUsed = out.find((s) => s.subject === ARENA)!.values.arenaUsedBytes!;
      const v8Load = out.find((s) => s.subject === V8)!.values.loadMs!;
      return out.map((s) => {
        const { arenaUsedBytes: _drop, ...v } = s.values;
        return {
          subject: s.subject,
          values: {
            ...v,
            fileVsArena: v.fileBytes! / arenaUsed,
            ioShare: v.loadGBps! / v.readFileGBps!,
            speedupVsV8: v8Load / v.loadMs!,
          },
        };
      });
    },
    targets: [
      { subject: ARENA, metric: "loadMs", of: "ratio", atMost: 1 / 50, source: "load at least 50x faster than JSON" },
      { subject: ARENA, metric: "speedupVsV8", of: "value", atLeast: 10, source: "load at least 10x faster than v8.deserialize" },
      { subject: ARENA, metric: "ioShare", of: "value", atLeast: 0.8, source: "load throughput at least 0.8x readFileSync" },
      { subject: ARENA, metric: "fileVsArena", of: "value", atMost: 1.05, source: "file at most 1.05x the arena's used bytes" },
    ],
  };
}

export default defineSuite({
  id: "snapshot",
  title: "Arenas on disk: save and load",
  cases: [loadCase()],
});
