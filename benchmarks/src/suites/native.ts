// The native anchor: the account-cache workload in Rust, as the source
// article writes it (bumpalo + hashbrown's HashMap::new_in), next to arenakit
// and a Map on the very same accounts and queries. Optional: it runs when
// cargo and Debian's crate sources are here, and is skipped with one line
// otherwise.
import { defineSuite, type CustomCase, type CustomMetric, type CustomSubject, type Profile } from "../api.ts";
import { runScript } from "../child-process.ts";
import { nativeUnavailable, runNative, writeWorkload } from "./support/native-anchor.ts";

const RUST = "Rust: bumpalo + hashbrown new_in";
const ARENA = "arenakit: AccountsBuilder (no options)";
const MAP = "Map";

/** The sizes every profile measures, and their metric-key suffixes. */
const SIZES = [
  [10_000, "10k"],
  [100_000, "100k"],
  [1_000_000, "1m"],
] as const;

/**
 * Sizes, build repetitions per size, lookup samples, and queries per lookup pass, per profile; `mapUpTo` is the
 * largest size at which the Map is measured too (a 1M-account Map, a million ArrayBuffers, takes most of a minute
 * of CPU to build and collect).
 */
const PLAN: Record<
  Profile | "smoke",
  { sizes: readonly number[]; reps: readonly number[]; samples: number; queries: number; mapUpTo: number }
> = {
  smoke: { sizes: [1000, 2000, 4000], reps: [1, 1, 1], samples: 1, queries: 1000, mapUpTo: Infinity },
  quick: { sizes: [10_000, 100_000], reps: [3, 1], samples: 2, queries: 20_000, mapUpTo: Infinity },
  // A newcomer's run: the two ends of the table (10k and 1M, where the goals are), one build at 1M, Rust and
  // arenakit at every size and the Map at 10k.
  default: { sizes: [10_000, 1_000_000], reps: [3, 1], samples: 3, queries: 100_000, mapUpTo: 10_000 },
  full: { sizes: [10_000, 100_000, 1_000_000], reps: [20, 10, 5], samples: 9, queries: 100_000, mapUpTo: Infinity },
};

const metrics: CustomMetric[] = SIZES.flatMap(([n, k]) => {
  const at = n.toLocaleString("en-US");
  return [
    { key: `build${k}`, label: `build per account at ${at}`, unit: "ms", better: "lower" },
    { key: `get${k}`, label: `lookup reading all fields at ${at}`, unit: "ms", better: "lower" },
    { key: `getDecoded${k}`, label: `lookup, id decoded per lookup, at ${at}`, unit: "ms", better: "lower" },
    { key: `bytes${k}`, label: `bytes per account at ${at}`, unit: "bytes", better: "lower" },
  ] satisfies CustomMetric[];
});

interface Figures {
  buildNs: number;
  getNs: number;
  getDecodedNs: number;
  bytesPerAccount: number;
}

const anchor: CustomCase = {
  kind: "custom",
  id: "rust",
  title: "JavaScript vs. Rust on the same workload: build a slot, look up reading every field",
  baseline: RUST,
  metrics,
  estimateMs: { quick: 20_000, default: 50_000, full: 150_000 },
  unavailable: nativeUnavailable,
  note:
    "One workload file, written from the account-cache suite's seeded input (base58 ids, skewed owners, data lengths " +
    "80% 64–192 B, 18% 1–5 KiB, 2% 8–64 KiB) with 100,000 lookups drawn at random, is read by the Rust program in " +
    "benchmarks/native/ and by a fresh Node process per TypeScript subject. Rust builds the slot the way the source " +
    "article does: a Bump per slot, each id checked as UTF-8 and copied into it with the data, owners interned once, " +
    "and a hashbrown HashMap created with new_in on the same Bump (Debian's bumpalo 3.12 and hashbrown 0.12, " +
    "release build). arenakit is new AccountsBuilder(slot) with no options, as a newcomer writes it; the Map holds " +
    "{ owner, data: Uint8Array, index: bigint }. Build: the median wall time of several builds, per account (ids " +
    "decoded from the input bytes, data copied once). Lookup: one pass over the queries reading owner, index, data " +
    "length and first byte; 'reading all fields' uses ids the application holds (new strings made once, so V8 has " +
    "their hashes cached after the first pass; Rust hashes a byte slice every time), 'decoded per lookup' decodes " +
    "each id from bytes first (TextDecoder; std::str::from_utf8 in Rust). Bytes per account: the arena's chunk bytes " +
    "(Bump::allocated_bytes, FrozenAccounts.byteLength), or for the Map the heap and ArrayBuffer growth after a full " +
    "GC. Times are wall-clock medians (performance.now, std::time::Instant), so a busy machine adds noise to both " +
    "sides alike; the ratios are the figures to read. `pnpm bench` (the default profile) measures 10,000 and " +
    "1,000,000 accounts, with fewer builds and samples, and the Map at 10,000 only.",
  run: async ({ quick, smoke, profile, onStep, onProgress }) => {
    const plan = PLAN[smoke === true ? "smoke" : quick ? "quick" : (profile ?? "default")];
    const values: Record<string, Record<string, number>> = { [RUST]: {}, [ARENA]: {}, [MAP]: {} };
    const put = (subject: string, k: string, f: Figures): void => {
      Object.assign(values[subject]!, {
        [`build${k}`]: f.buildNs / 1e6,
        [`get${k}`]: f.getNs / 1e6,
        [`getDecoded${k}`]: f.getDecodedNs / 1e6,
        [`bytes${k}`]: f.bytesPerAccount,
      });
    };
    // Work grows with the accounts built: each size's share of the bar is its accounts × builds.
    const work = plan.sizes.map((n, i) => n * (plan.reps[i]! + 1));
    const total = work.reduce((a, w) => a + w, 0);
    let done = 0;
    for (let i = 0; i < plan.sizes.length; i++) {
      const n = plan.sizes[i]!;
      // The metric keys of this size (smoke sizes stand in for the sizes in order).
      const k = (SIZES.find(([m]) => m === n) ?? SIZES[i]!)[1];
      const reps = plan.reps[i]!;
      onStep?.(`workload of ${n.toLocaleString("en-US")} accounts; Rust`);
      onProgress?.(done / total);
      const file = writeWorkload(n, plan.queries);
      put(RUST, k, await runNative(file, reps, plan.samples));
      // Rust takes a small share of a size's time; the two Node processes split the rest.
      const subjects = n <= plan.mapUpTo ? ([[ARENA, "arenakit"], [MAP, "Map"]] as const) : ([[ARENA, "arenakit"]] as const);
      for (let j = 0; j < subjects.length; j++) {
        const [subject, variant] = subjects[j]!;
        onProgress?.((done + (work[i]! * (0.1 + 0.45 * j))) / total);
        onStep?.(`${subject} × ${n.toLocaleString("en-US")}`);
        put(subject, k, await runScript<Figures>(new URL("../isolated/native-anchor.ts", import.meta.url), [variant, file, reps, plan.samples]));
      }
      done += work[i]!;
    }
    return Object.entries(values).map(([subject, v]): CustomSubject => ({ subject, values: v }));
  },
  targets: [
    { subject: ARENA, metric: "get1m", of: "ratio", atMost: 2.5, source: "lookups within 2.5× of Rust at 1M" },
    { subject: ARENA, metric: "get10k", of: "ratio", atMost: 8, source: "lookups within 8× of Rust at 10k" },
    { subject: ARENA, metric: "build1m", of: "ratio", atMost: 1.1, source: "build within 1.1× of Rust at 1M" },
    { subject: ARENA, metric: "build10k", of: "ratio", atMost: 4, source: "build within 4× of Rust at 10k" },
  ],
};

export default defineSuite({
  id: "native",
  title: "JavaScript vs. Rust (native anchor)",
  cases: [anchor],
});
