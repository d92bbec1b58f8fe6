// Measuring script of the lru suite's hit-rate case, run alone in a child
// process (see src/child-process.ts): `node lru-zipf.mjs <subject> <universe> <requests>`.
//
// A trace of `requests` requests over `universe` keys drawn from a Zipf
// distribution (exponent 0.9, key i is the i-th most popular, shuffled), each
// key with its own value size (16–1024 bytes, skewed small). On a miss the
// value is set. Every subject gets the same budget, 10% of the universe's key
// + value bytes, in its own terms (see Budget in lru-subjects.ts): lru-cache
// counts key + value bytes; ArenaLru counts real arena bytes (table, links,
// headers too), so it holds fewer entries at the same number; count-limited
// caches get budget / mean entry bytes entries.
//
// Next to each subject runs an exact LRU (a Map in recency order) with the
// same limits, the way that subject counts them: the gap in points shows what
// the subject's policy loses against exact LRU (quick-lru's two generations,
// ArenaLru's fragmentation). Prints one JSON line.
import { reportProgress } from "../child-progress.ts";
import { rng } from "../workload.ts";
import { keyStrings, makeCache, type Budget } from "./lru-subjects.ts";

const [subject, universeArg, requestsArg] = process.argv.slice(2);
const U = Number(universeArg);
const L = Number(requestsArg);
const EXPONENT = 0.9;

const keys = keyStrings(0, U);
const rand = rng(99);
const sizes = new Int32Array(U);
let total = 0;
for (let i = 0; i < U; i++) {
  sizes[i] = 16 + Math.floor(1008 * rand() ** 3);
  total += sizes[i]! + keys[i]!.length;
}
const budgetBytes = Math.floor(total / 10);
const mean = total / U;
const budget: Budget = { bytes: budgetBytes, entries: Math.floor(budgetBytes / mean), averageEntryBytes: Math.round(mean) };

// Zipf sampling by inverse CDF over a shuffled rank → key mapping.
const cdf = new Float64Array(U);
let acc = 0;
for (let r = 0; r < U; r++) {
  acc += 1 / (r + 1) ** EXPONENT;
  cdf[r] = acc;
}
const perm = new Int32Array(U);
for (let i = 0; i < U; i++) perm[i] = i;
for (let i = U - 1; i > 0; i--) {
  const j = Math.floor(rand() * (i + 1));
  const t = perm[i]!;
  perm[i] = perm[j]!;
  perm[j] = t;
}
const trace = new Int32Array(L);
for (let q = 0; q < L; q++) {
  const x = rand() * acc;
  let lo = 0;
  let hi = U - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cdf[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  trace[q] = perm[lo]!;
}

const cache = makeCache(subject!, budget);
const valueOf = (i: number): Uint8Array => new Uint8Array(sizes[i]!);
let hits = 0;
for (let q = 0; q < L; q++) {
  const i = trace[q]!;
  if (cache.get(keys[i]!) !== undefined) hits++;
  else cache.set(keys[i]!, valueOf(i));
  if ((q & 0xffff) === 0) reportProgress((0.8 * q) / L);
}

/** The exact LRU with the subject's limits: `cost` of an entry against `limit`, and at most `maxEntries`. */
function exact(cost: (i: number) => number, limit: number, maxEntries: number): number {
  const m = new Map<number, number>();
  let used = 0;
  let h = 0;
  for (let q = 0; q < L; q++) {
    const i = trace[q]!;
    const c = m.get(i);
    if (c !== undefined) {
      h++;
      m.delete(i);
      m.set(i, c);
      continue;
    }
    const ci = cost(i);
    if (ci > limit) continue;
    while (m.size > 0 && (used + ci > limit || m.size >= maxEntries)) {
      const [k, kc] = m.entries().next().value as [number, number];
      m.delete(k);
      used -= kc;
    }
    m.set(i, ci);
    used += ci;
  }
  return h;
}

let exactHits: number;
if (subject === "lru-cache") exactHits = exact((i) => sizes[i]! + keys[i]!.length, budgetBytes, Infinity);
else if (subject === "ArenaLru") {
  const arena = cache.hold as import("@arenakit/lru").ArenaLru;
  const s = arena.stats();
  // ArenaLru's accounting: each entry is one arena block (4-byte header + key + value, rounded to 8, 16 at least),
  // in a region of the heap's whole 8-byte units less 16 bytes.
  const block = (i: number): number => Math.max(16, Math.ceil((4 + keys[i]!.length + sizes[i]!) / 8) * 8);
  exactHits = exact(block, Math.floor((s.maxBytes - s.tableBytes) / 8) * 8 - 16, s.capacity);
} else exactHits = exact(() => 1, budget.entries, budget.entries);
reportProgress(1);
process.stdout.write(
  `${JSON.stringify({ hitRate: (100 * hits) / L, exactHitRate: (100 * exactHits) / L, pointsBelowExact: (100 * (exactHits - hits)) / L, entries: cache.size() })}\n`,
);
