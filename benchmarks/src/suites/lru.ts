import { defineSuite, type CustomCase, type CustomSubject, type IsolatedCase, type Profile } from "../api.ts";
import { runScript } from "../child-process.ts";
import { KEY_BYTES, SUBJECTS, VALUE_BYTES } from "../isolated/lru-subjects.ts";

const PAYLOAD = KEY_BYTES + VALUE_BYTES;
const SOURCE = "the LRU cache's design goals";

/**
 * The subjects a run measures: all of them, except in the default profile at a million entries, where a newcomer's
 * run compares ArenaLru with the baseline only (each subject's child fills a million entries).
 */
function subjectsFor(profile: Profile | undefined, entries: number): readonly string[] {
  return profile === "default" && entries >= 1_000_000 ? DEFAULT_SUBJECTS : SUBJECTS;
}
const DEFAULT_SUBJECTS = ["lru-cache", "ArenaLru"] as const;

/** Runs one measuring child per subject, in SUBJECTS order, and collects their figures. */
async function perSubject(
  script: string,
  args: (subject: string) => (string | number)[],
  onStep: ((label: string) => void) | undefined,
  subjects: readonly string[] = SUBJECTS,
): Promise<CustomSubject[]> {
  const out: CustomSubject[] = [];
  for (const subject of subjects) {
    onStep?.(subject);
    const values = await runScript<Record<string, number>>(new URL(`../isolated/${script}`, import.meta.url), args(subject));
    out.push({ subject, values });
  }
  return out;
}

function mixCase(id: string, entries: number, size: string, atLeast: number): CustomCase {
  return {
    kind: "custom",
    id,
    title: `bench-lru-style mix, ${size} entries (operations per second)`,
    baseline: "lru-cache",
    metrics: [
      { key: "set", label: "set (fill)", unit: "perSecond", better: "higher" },
      { key: "getHit", label: "get hit", unit: "perSecond", better: "higher" },
      { key: "getHitDecoded", label: "get hit, key decoded", unit: "perSecond", better: "higher" },
      { key: "getMiss", label: "get miss", unit: "perSecond", better: "higher" },
      { key: "update", label: "update", unit: "perSecond", better: "higher" },
      { key: "evict", label: "set + evict", unit: "perSecond", better: "higher" },
      { key: "score", label: "weighted score", unit: "perSecond", better: "higher" },
    ],
    targets: [
      { subject: "ArenaLru", metric: "getHit", of: "ratio", atLeast, source: SOURCE },
      { subject: "ArenaLru", metric: "set", of: "ratio", atLeast, source: SOURCE },
      { subject: "ArenaLru", metric: "evict", of: "ratio", atLeast, source: SOURCE },
    ],
    note:
      `Each subject runs alone in a fresh process, with a budget under which it holds exactly the ${size} entries ` +
      `(${KEY_BYTES}-byte string keys, ${VALUE_BYTES}-byte values; lru-cache counts key + value bytes with maxSize, ` +
      "the count-limited caches get the count, ArenaLru gets ArenaLru.budgetFor). Each operation is done once per " +
      "entry: set fills the empty cache, get hit reads random stored keys, get hit with the key decoded decodes each key " +
      "from UTF-8 bytes first (a key from the network, never hashed; the decoding is part of every subject's time), " +
      "get miss reads keys never stored, update " +
      "sets stored keys again, set + evict sets new keys into the full cache. Lookup keys are string copies made once " +
      "before timing (keys the application holds: V8 caches their hash after first use; ArenaLru hashes every call). " +
      "Values are separate Uint8Arrays made before timing: the JS caches keep them, ArenaLru copies their bytes. Best of " +
      "the rounds. The weighted score counts get hit 4 times and each other operation once (weights chosen here, in " +
      "the spirit of bench-lru, where reads dominate)." +
      (entries >= 1e6
        ? " `pnpm bench` (the default profile) measures lru-cache and ArenaLru only, in one round."
        : " `pnpm bench` (the default profile) takes the best of 3 rounds."),
    estimateMs: { quick: 20_000, default: entries >= 1e6 ? 30_000 : 15_000, full: entries >= 1e6 ? 150_000 : 15_000 },
    run: ({ quick, smoke, profile, onStep }) => {
      const n = smoke ? 2000 : quick ? Math.min(entries, 100_000) : entries;
      const rounds = smoke ? 1 : entries >= 1e6 ? (profile === "default" ? 1 : 2) : profile === "default" ? 3 : 5;
      return perSubject("lru-mix.ts", (s) => [s, n, rounds], onStep, subjectsFor(profile, n));
    },
  };
}

const memory: IsolatedCase = {
  kind: "isolated",
  id: "memory",
  title: `Memory per entry and full GC while holding N entries (${KEY_BYTES}-byte keys, ${VALUE_BYTES}-byte values)`,
  module: new URL("../isolated/lru-memory.ts", import.meta.url),
  variants: SUBJECTS,
  baseline: "lru-cache",
  records: [100_000, 1_000_000, 4_000_000],
  defaultVariants: ["ArenaLru"],
  quickRecords: [20_000],
  targets: [
    { subject: "ArenaLru", metric: "gcSpeedup", atLeast: 50, records: 1_000_000, source: SOURCE },
    // bytesPerRecord targets are judged on the overhead: bytes per entry minus the payload (key + value).
    { subject: "ArenaLru", metric: "bytesPerRecord", atMost: 32, records: 1_000_000, source: "key + value + 32 bytes" },
  ],
  note:
    "Each subject holds exactly N entries, built one at a time from keys decoded from bytes and fresh 64-byte values " +
    "(what a cache filled from the network holds). Memory is JS heap growth plus ArrayBuffer bytes after a full GC, per " +
    `entry; the payload is ${PAYLOAD} bytes (key + value). ArenaLru's figure is its whole budget (table, links, entry ` +
    "headers and arena), reserved up front. The GC figure is the median of seven forced full GCs with the cache alive.",
};

const hitRate: CustomCase = {
  kind: "custom",
  id: "hit-rate",
  title: "Zipf trace: hit rate at the same byte budget, and the gap to an exact LRU with the same limits",
  baseline: "lru-cache",
  metrics: [
    { key: "hitRate", label: "hit rate (%)", unit: "count", better: "higher" },
    { key: "exactHitRate", label: "exact LRU, same limits (%)", unit: "count", better: "higher" },
    { key: "pointsBelowExact", label: "points below exact", unit: "count", better: "lower" },
    { key: "entries", label: "entries held at the end", unit: "count", better: "higher" },
  ],
  targets: [{ subject: "ArenaLru", metric: "pointsBelowExact", of: "value", atMost: 1, source: SOURCE }],
  note:
    "A trace of Zipf-distributed requests (exponent 0.9) over a universe of keys, each with its own value size " +
    "(16–1,024 bytes, skewed small); a miss sets the value. Every subject gets a budget of 10% of the universe's key + " +
    "value bytes in its own terms: lru-cache counts key + value bytes (maxSize), ArenaLru counts its real memory " +
    "(table, links and headers too, so it holds fewer entries for the same number), the count-limited caches get " +
    "budget / mean entry size entries (quick-lru may hold up to twice that: it keeps a previous generation). The exact " +
    "LRU beside each subject is a Map in recency order with that subject's limits; the gap is what the subject's " +
    "policy loses (for ArenaLru: evictions forced by fragmentation). `pnpm bench` (the default profile) replays a " +
    "trace of 1M requests over 100k keys (the full run: 10M over 1M) for lru-cache and ArenaLru only.",
  estimateMs: { quick: 20_000, default: 20_000, full: 90_000 },
  run: ({ quick, smoke, profile, onStep }) => {
    const [u, l] = smoke ? [2000, 20_000] : quick ? [50_000, 500_000] : profile === "full" ? [1_000_000, 10_000_000] : [100_000, 1_000_000];
    return perSubject("lru-zipf.ts", (s) => [s, u, l], onStep, profile === "default" ? DEFAULT_SUBJECTS : SUBJECTS);
  },
};

const churn: CustomCase = {
  kind: "custom",
  id: "churn",
  title: "Event-loop delay while a cache at steady size serves gets and sets",
  baseline: "lru-cache",
  metrics: [
    { key: "p99Ms", label: "p99 delay", unit: "ms", better: "lower" },
    { key: "maxMs", label: "max delay", unit: "ms", better: "lower" },
    { key: "gcMs", label: "GC time", unit: "ms", better: "lower" },
    { key: "opsPerSecond", label: "operations", unit: "perSecond", better: "higher" },
  ],
  targets: [{ subject: "ArenaLru", metric: "p99Ms", of: "ratio", atMost: 0.2, source: SOURCE }],
  note:
    "Each subject runs alone in a fresh process: a cache held at a steady 1M entries (100k with --quick) serves " +
    "requests in event-loop turns of 1,000 operations on random keys of a universe twice that size (half get, half " +
    "set of a fresh 64-byte value), so about half the gets hit and every other set evicts. perf_hooks' " +
    "monitorEventLoopDelay (1 ms resolution) records how late the loop runs; GC pauses caused by the cache's objects " +
    "show there. The full run churns for 30 s per subject, the default run for 3 s (lru-cache and ArenaLru only), " +
    "--quick for 1 s.",
  estimateMs: { quick: 30_000, default: 20_000, full: 260_000 },
  run: ({ quick, smoke, profile, onStep }) => {
    const [n, ms] = smoke ? [2000, 200] : quick ? [100_000, 1000] : profile === "full" ? [1_000_000, 30_000] : [1_000_000, 3000];
    return perSubject("lru-churn.ts", (s) => [s, n, ms], onStep, subjectsFor(profile, n));
  },
};

const allocator: CustomCase = {
  kind: "custom",
  id: "allocator",
  title: "Reusing freed space: merging free neighbours against fixed size classes, as value sizes shift",
  baseline: "coalescing",
  metrics: [
    { key: "opsPerSecond", label: "operations", unit: "perSecond", better: "higher" },
    { key: "payloadShare", label: "budget holding keys and values (%)", unit: "count", better: "higher" },
    { key: "entries", label: "entries held at the end", unit: "count", better: "higher" },
    { key: "fragmentation", label: "free share of the touched arena (%)", unit: "count", better: "lower" },
    { key: "fragmentationEvictions", label: "evictions forced by fragmentation, per 1,000 sets", unit: "count", better: "lower" },
  ],
  note:
    "The same ArenaLru with its two ways of reusing freed blocks, each alone in a fresh process: coalescing (a freed " +
    "block merges with free neighbours on both sides; ArenaLru's allocator) and size classes (a block keeps its size " +
    "for good; a free block is reused for its size or split for a smaller one). The budget holds about N entries of " +
    `the mean size (${KEY_BYTES}-byte keys; N = 1M in the full run, 100k by default, 10k with --quick). Three phases ` +
    "of operations on a universe of 2N keys, half get and half set: values of 16–128 bytes, then 256–1,024, then " +
    "both mixed; the figures are taken at the end.",
  estimateMs: { quick: 10_000, default: 30_000, full: 120_000 },
  run: ({ quick, smoke, profile, onStep }) => {
    const [n, ops] = smoke ? [500, 5000] : quick ? [10_000, 200_000] : profile === "full" ? [1_000_000, 3_000_000] : [100_000, 1_000_000];
    return perSubject("lru-alloc.ts", (s) => [s, n, ops], onStep, ["coalescing", "size-classes"]);
  },
};

export default defineSuite({
  id: "lru",
  title: "@arenakit/lru",
  cases: [mixCase("mix-10k", 10_000, "10k", 0.5), mixCase("mix-1m", 1_000_000, "1M", 1.0), hitRate, memory, churn, allocator],
});
