import { AccountsBuilder, type FrozenAccounts } from "@arenakit/account-cache";
import { ChunkPool } from "@arenakit/bump";
import { setLeakReporting } from "@arenakit/yoke";
import { LRUCache } from "lru-cache";
import { defineSuite, type CustomCase, type CustomSubject, type TaskFn, type TimeCase } from "../api.ts";
import { lookupKeys } from "../workload.ts";
import { runScript } from "../child-process.ts";
import { InputReader, makeInput, type AccountObject } from "./support/account-cache-input.ts";
import type { ShareMsg } from "./support/account-cache-share-worker.ts";
import { roundTrip, startTsWorker, type NodeWorker } from "./support/ts-worker.ts";

/** Lookups per timed call. */
const PER_CALL = 1000;
/** Distinct query keys per lookup case (each call takes the next PER_CALL of them). */
const QUERIES = 100_000;

const sizeName = (n: number): string => (n >= 1_000_000 ? `${n / 1_000_000}M` : `${n / 1000}k`);

// ------------------------------------------------------------------ build

const BUILD_NOTE =
  "Each call builds one slot of N accounts of the seeded workload (base58 ids, skewed owners, data lengths 80% " +
  "64–192 B, 18% 1–5 KiB, 2% 8–64 KiB) from input bytes: every task decodes each id into a new " +
  "string and copies each account's data once (the Map and lru-cache keep a Uint8Array copy per account and the " +
  "u64 index as a bigint; the builder copies into its arena). The builder's entry is frozen and released inside the " +
  "call; the Map's garbage is collected by the GC whenever it runs, which the mean includes. 'capacity, chunk pool' " +
  "sizes the hash table up front and takes its chunks from a ChunkPool, as RollingAccountCache.builder(slot, " +
  "{ capacity }) does; 'no options' grows the table and allocates new SharedArrayBuffers each time. The 1M build is " +
  "in the isolated memory case (its build column), measured in a fresh process.";

function buildCase(n: number): TimeCase {
  return {
    kind: "time",
    id: `build-${sizeName(n).toLowerCase()}`,
    title: `Build one slot of ${n.toLocaleString("en-US")} accounts`,
    op: `${n.toLocaleString("en-US")} inserts`,
    baseline: "Map.set",
    note: n >= 100_000 ? `${BUILD_NOTE} \`pnpm bench\` (the default profile) leaves lru-cache out at this size.` : BUILD_NOTE,
    setup: ({ quick, profile }) => {
      const size = quick ? Math.min(n, 10_000) : n;
      const r = new InputReader(makeInput(size));
      const pool = new ChunkPool({ shared: true, maxBytes: 1024 * 1024 * 1024 });
      let slot = 0n;
      let sink = 0;
      // Each call builds the whole slot: a newcomer's run times lru-cache at 10k only.
      const withLru = !(profile === "default" && size >= 100_000);
      return {
        "Map.set": () => {
          const m = new Map<string, AccountObject>();
          for (let i = 0; i < size; i++) m.set(r.id(i), { owner: r.owner(i), data: r.data(i).slice(), index: BigInt(i) });
          sink += m.size;
        },
        ...(withLru
          ? {
              "lru-cache set": () => {
                const c = new LRUCache<string, AccountObject>({ max: size });
                for (let i = 0; i < size; i++) c.set(r.id(i), { owner: r.owner(i), data: r.data(i).slice(), index: BigInt(i) });
                sink += c.size;
              },
            }
          : {}),
        "AccountsBuilder (capacity, chunk pool)": () => {
          const b = new AccountsBuilder(++slot, { capacity: size, pool });
          for (let i = 0; i < size; i++) b.insertAccount(r.id(i), r.owner(i), i, r.data(i));
          const f = b.finish();
          sink += f.size;
          f.release();
        },
        "AccountsBuilder (no options)": () => {
          const b = new AccountsBuilder(++slot);
          for (let i = 0; i < size; i++) b.insertAccount(r.id(i), r.owner(i), i, r.data(i));
          const f = b.finish();
          sink += f.size;
          f.release();
        },
      };
    },
    targets: [
      { subject: "AccountsBuilder (capacity, chunk pool)", metric: "speedup", atLeast: 1, source: "build no slower than the Map" },
      { subject: "AccountsBuilder (no options)", metric: "speedup", atLeast: 1, source: "build no slower than the Map" },
    ],
  };
}

// ---------------------------------------------------------------- lookups

interface Fixture {
  readonly n: number;
  /** The key strings stored in the Map and the lru-cache. */
  readonly keys: readonly string[];
  readonly map: Map<string, AccountObject>;
  readonly lru: LRUCache<string, AccountObject>;
  readonly frozen: FrozenAccounts;
}

// Building a million-account fixture takes a while, so consecutive cases of
// the same size share one. A case's teardown schedules its release; the next
// case's setup (which the runner calls before that fires) keeps it if it wants
// the same size.
let fixture: Fixture | undefined;
let pendingRelease: ReturnType<typeof setImmediate> | undefined;

function getFixture(n: number): Fixture {
  if (pendingRelease !== undefined) clearImmediate(pendingRelease);
  pendingRelease = undefined;
  if (fixture?.n === n) return fixture;
  dropFixture();
  const r = new InputReader(makeInput(n));
  // The arena first: each new chunk (external memory) can start a full GC, which costs less while the heap does
  // not yet hold the Map's million objects and ArrayBuffers.
  const b = new AccountsBuilder(1n, { capacity: n });
  for (let i = 0; i < n; i++) b.insertAccount(r.id(i), r.owner(i), i, r.data(i));
  const frozen = b.finish();
  const keys: string[] = [];
  const map = new Map<string, AccountObject>();
  const lru = new LRUCache<string, AccountObject>({ max: n });
  for (let i = 0; i < n; i++) {
    const id = r.id(i);
    const account = { owner: r.owner(i), data: r.data(i).slice(), index: BigInt(i) };
    keys.push(id);
    map.set(id, account);
    lru.set(id, account);
  }
  fixture = { n, keys, map, lru, frozen };
  return fixture;
}

function dropFixture(): void {
  if (fixture === undefined) return;
  fixture.frozen.release();
  fixture.map.clear();
  fixture.lru.clear();
  fixture = undefined;
}

function releaseSoon(): void {
  pendingRelease = setImmediate(() => {
    pendingRelease = undefined;
    dropFixture();
  });
}

/** QUERIES keys of the fixture in a random order: copies held by the app, or the stored strings (see lookupKeys). */
function queries(f: Fixture, held: boolean, seed: number): string[] {
  return lookupKeys(f.keys, QUERIES, held, seed);
}

// Each task is its own loop, so every call site stays monomorphic as in user code.
function dataTasks(f: Fixture, q: readonly string[]): Record<string, TaskFn> {
  const { map, lru, frozen } = f;
  const len = q.length;
  let a = 0;
  let b = 0;
  let c = 0;
  let sink = 0;
  return {
    "Map.get": () => {
      for (let j = 0; j < PER_CALL; j++) {
        const acct = map.get(q[a]!);
        if (acct !== undefined) sink += acct.data.length + (acct.data[0] ?? 0);
        if (++a === len) a = 0;
      }
      return sink;
    },
    "lru-cache get": () => {
      for (let j = 0; j < PER_CALL; j++) {
        const acct = lru.get(q[b]!);
        if (acct !== undefined) sink += acct.data.length + (acct.data[0] ?? 0);
        if (++b === len) b = 0;
      }
      return sink;
    },
    "FrozenAccounts.get": () => {
      for (let j = 0; j < PER_CALL; j++) {
        const acct = frozen.get(q[c]!);
        if (acct !== undefined) {
          const d = acct.data;
          sink += d.length + (d[0] ?? 0);
        }
        if (++c === len) c = 0;
      }
      return sink;
    },
  };
}

/** Like dataTasks, but each id is decoded from UTF-8 on each lookup: a string nothing has hashed yet. */
function decodedTasks(f: Fixture, picked: readonly string[]): Record<string, TaskFn> {
  const enc = new TextEncoder();
  const dec = new TextDecoder();
  const start = new Int32Array(picked.length + 1);
  const bytes = new Uint8Array(picked.length * 44);
  let at = 0;
  picked.forEach((k, i) => {
    start[i] = at;
    at += enc.encodeInto(k, bytes.subarray(at)).written;
  });
  start[picked.length] = at;
  const { map, lru, frozen } = f;
  const len = picked.length;
  let a = 0;
  let b = 0;
  let c = 0;
  let sink = 0;
  return {
    "Map.get": () => {
      for (let j = 0; j < PER_CALL; j++) {
        const acct = map.get(dec.decode(bytes.subarray(start[a]!, start[a + 1]!)));
        if (acct !== undefined) sink += acct.data.length + (acct.data[0] ?? 0);
        if (++a === len) a = 0;
      }
      return sink;
    },
    "lru-cache get": () => {
      for (let j = 0; j < PER_CALL; j++) {
        const acct = lru.get(dec.decode(bytes.subarray(start[b]!, start[b + 1]!)));
        if (acct !== undefined) sink += acct.data.length + (acct.data[0] ?? 0);
        if (++b === len) b = 0;
      }
      return sink;
    },
    "FrozenAccounts.get": () => {
      for (let j = 0; j < PER_CALL; j++) {
        const acct = frozen.get(dec.decode(bytes.subarray(start[c]!, start[c + 1]!)));
        if (acct !== undefined) {
          const d = acct.data;
          sink += d.length + (d[0] ?? 0);
        }
        if (++c === len) c = 0;
      }
      return sink;
    },
  };
}

function fieldTasks(f: Fixture, q: readonly string[]): Record<string, TaskFn> {
  const { map, lru, frozen } = f;
  const len = q.length;
  let a = 0;
  let b = 0;
  let c = 0;
  let sink = 0;
  return {
    "Map.get": () => {
      for (let j = 0; j < PER_CALL; j++) {
        const acct = map.get(q[a]!);
        if (acct !== undefined) sink += acct.owner.length + Number(acct.index) + acct.data.length + (acct.data[0] ?? 0);
        if (++a === len) a = 0;
      }
      return sink;
    },
    "lru-cache get": () => {
      for (let j = 0; j < PER_CALL; j++) {
        const acct = lru.get(q[b]!);
        if (acct !== undefined) sink += acct.owner.length + Number(acct.index) + acct.data.length + (acct.data[0] ?? 0);
        if (++b === len) b = 0;
      }
      return sink;
    },
    "FrozenAccounts.get": () => {
      for (let j = 0; j < PER_CALL; j++) {
        const acct = frozen.get(q[c]!);
        if (acct !== undefined) {
          const d = acct.data;
          sink += acct.owner.length + Number(acct.index) + d.length + (d[0] ?? 0);
        }
        if (++c === len) c = 0;
      }
      return sink;
    },
  };
}

const LOOKUP_NOTE =
  "Each call looks up 1,000 random ids of one slot (of 100,000 queries, cycling) and reads the account's data " +
  "(its length and first byte). The Map and the lru-cache hold the same account objects { owner, data: Uint8Array, " +
  "index: bigint }; lru-cache's get also moves the entry to the front. FrozenAccounts.get hashes the id, finds it in " +
  "the arena and returns a view (one small object); reading data makes a Uint8Array over the shared memory (a " +
  "second one). The Map, the lru-cache and the FrozenAccounts live in the same process during the case. ";

const HELD =
  "Keys held by the app: copies of the ids made once, before the case, and reused on every pass, as a service does " +
  "with ids it keeps (a watch list, a queue of work). They are not the stored strings, so the Map cannot compare " +
  "them by pointer, but V8 caches a string's hash inside it after its first lookup, so from the second pass on the " +
  "Map skips hashing; the arena hashes the id bytes on every lookup. Ids that arrive from I/O are never hashed " +
  "before: that is the 'decoded per lookup' case.";

const STORED =
  "Map's best case: the lookups use the very string objects stored in the Map, so it compares them by pointer and " +
  "never hashes. No service sees this; it bounds what a Map can do.";

const DECODED =
  "Each id is decoded from UTF-8 bytes with TextDecoder on every lookup, as a service does with ids that arrive from " +
  "the network: every key is a string no one has hashed yet, so Map.get pays for hashing too. The decoding is the " +
  "same in every task; it dilutes the ratios and is part of what a request costs.";

const LOOKUP_TITLES = {
  held: "keys held by the app",
  stored: "the stored id strings (Map's best case)",
  decoded: "ids decoded from bytes on each lookup",
  fields: "keys held by the app, reading owner, index and data",
} as const;

function lookupCase(n: number, keys: keyof typeof LOOKUP_TITLES, targets?: TimeCase["targets"]): TimeCase {
  const what = LOOKUP_TITLES[keys];
  return {
    kind: "time",
    id: `get-${sizeName(n).toLowerCase()}-${keys}`,
    title: `Random lookups in a slot of ${sizeName(n)} accounts, ${what}`,
    op: "1,000 lookups",
    baseline: "Map.get",
    note:
      keys === "fields"
        ? "Each call looks up 1,000 random ids (keys held by the app: copies made once, whose hash V8 has cached for " +
          "the Map) and reads every field of the account: owner, index (as a number) and data. The Map hands out the " +
          "objects it holds; FrozenAccounts.get returns a view that reads the index from the arena (a new bigint), makes " +
          "a Uint8Array over the data, and returns the owner string decoded once per interned owner on this thread."
        : LOOKUP_NOTE + (keys === "held" ? HELD : keys === "stored" ? STORED : DECODED),
    setup: ({ quick }) => {
      const f = getFixture(quick ? Math.min(n, 10_000) : n);
      if (keys === "decoded") return decodedTasks(f, queries(f, false, 8));
      const q = queries(f, keys !== "stored", keys === "stored" ? 6 : 5);
      return keys === "fields" ? fieldTasks(f, q) : dataTasks(f, q);
    },
    teardown: releaseSoon,
    ...(targets !== undefined ? { targets } : {}),
  };
}

// ------------------------------------------------------- reading an account

/**
 * get(id), then owner, data.length and index, with each id decoded from UTF-8 bytes on every lookup: what a
 * service does with an id that arrives in a request, and then with the account it found.
 */
function readTasks(f: Fixture, picked: readonly string[]): Record<string, TaskFn> {
  const enc = new TextEncoder();
  const dec = new TextDecoder();
  const start = new Int32Array(picked.length + 1);
  const bytes = new Uint8Array(picked.length * 44);
  let at = 0;
  picked.forEach((k, i) => {
    start[i] = at;
    at += enc.encodeInto(k, bytes.subarray(at)).written;
  });
  start[picked.length] = at;
  const { map, frozen } = f;
  const len = picked.length;
  let a = 0;
  let c = 0;
  let sink = 0;
  return {
    "Map.get": () => {
      for (let j = 0; j < PER_CALL; j++) {
        const acct = map.get(dec.decode(bytes.subarray(start[a]!, start[a + 1]!)));
        if (acct !== undefined) sink += acct.owner.length + acct.data.length + Number(acct.index & 0xffn);
        if (++a === len) a = 0;
      }
      return sink;
    },
    "FrozenAccounts.get": () => {
      for (let j = 0; j < PER_CALL; j++) {
        const acct = frozen.get(dec.decode(bytes.subarray(start[c]!, start[c + 1]!)));
        if (acct !== undefined) sink += acct.owner.length + acct.data.length + Number(acct.index & 0xffn);
        if (++c === len) c = 0;
      }
      return sink;
    },
  };
}

function readCase(n: number, targets?: TimeCase["targets"]): TimeCase {
  return {
    kind: "time",
    id: `read-${sizeName(n).toLowerCase()}`,
    title: `Read an account of a slot of ${sizeName(n)}: get(id) by an id decoded from bytes, then owner, data length and index`,
    op: "1,000 reads",
    baseline: "Map.get",
    note:
      "Each call reads 1,000 random accounts the way a request handler does: the id is decoded from UTF-8 bytes on " +
      "every lookup (a string nothing has hashed yet), the account is found, and its owner, data length and index " +
      "are read. The Map hands out the { owner, data, index } object it holds. FrozenAccounts.get returns a view: the " +
      "owner is decoded once per interned owner on each thread and the same string returned after, data is a " +
      "Uint8Array made over the arena on access, and index a bigint read from the arena. The decoding is the same in " +
      "both tasks and part of what a request costs.",
    setup: ({ quick }) => {
      const fx = getFixture(quick ? Math.min(n, 10_000) : n);
      return readTasks(fx, queries(fx, false, 9));
    },
    teardown: releaseSoon,
    ...(targets !== undefined ? { targets } : {}),
  };
}

// -------------------------------------------------------- share with a Worker

/** Starts the case's Worker (see support/ts-worker.ts). */
function startShareWorker(): Promise<NodeWorker> {
  return startTsWorker(new URL("./support/account-cache-share-worker.ts", import.meta.url));
}

let shareState: { workers: NodeWorker[]; frozen: FrozenAccounts } | undefined;

function shareCase(): TimeCase {
  return {
    kind: "time",
    id: "share",
    title: "Make a slot of 100,000 accounts readable by a Worker (20,000 in the default profile)",
    op: "one Worker round trip",
    baseline: "postMessage(Map)",
    requires: ["node", "sharedArrayBuffer"],
    note:
      "Each call is one full round trip to a real worker_threads Worker: the main thread posts a message, the Worker " +
      "gets the slot in the form under test, looks up one id and reads its data, and posts a number back, which the " +
      "main thread receives. postMessage(Map): the message holds the slot's Map<string, { owner, data, index }>, " +
      "structured-cloned on both sides, data included. lru-cache: the message holds lru.dump() and the Worker " +
      "loads it into a new LRUCache. FrozenAccounts: the message holds frozen.share(worker) (a new reference to the " +
      "entry: its control block, a lease and the arena's SharedArrayBuffers), and the Worker calls " +
      "FrozenAccounts.fromShared, reads the account and releases its reference. structuredClone(Map) copies the Map " +
      "in the main thread only (no Worker), for scale. `pnpm bench` (the default profile) uses 20,000 accounts " +
      "(each baseline call copies every account's data), `--quick` 10,000.",
    setup: async ({ quick, profile }) => {
      setLeakReporting(false);
      const n = quick ? 10_000 : profile === "default" ? 20_000 : 100_000;
      const r = new InputReader(makeInput(n));
      const map = new Map<string, AccountObject>();
      const lru = new LRUCache<string, AccountObject>({ max: n });
      const b = new AccountsBuilder(1n, { capacity: n });
      const ids: string[] = [];
      for (let i = 0; i < n; i++) {
        const id = r.id(i);
        const account = { owner: r.owner(i), data: r.data(i).slice(), index: BigInt(i) };
        ids.push(id);
        map.set(id, account);
        lru.set(id, account);
        b.insertAccount(id, account.owner, i, account.data);
      }
      const frozen = b.finish();
      const [wm, wl, wf] = await Promise.all([startShareWorker(), startShareWorker(), startShareWorker()]);
      shareState = { workers: [wm!, wl!, wf!], frozen };
      let k = 0;
      let sink = 0;
      const nextId = (): string => ids[(k = (k + 7919) % n)]!;
      return {
        "postMessage(Map)": async () => {
          sink += await roundTrip<number>(wm!, { kind: "map", accounts: map, id: nextId() } satisfies ShareMsg);
        },
        "postMessage(lru-cache dump) + load": async () => {
          sink += await roundTrip<number>(wl!, { kind: "lru", dump: lru.dump(), max: n, id: nextId() } satisfies ShareMsg);
        },
        "FrozenAccounts.share + fromShared": async () => {
          sink += await roundTrip<number>(wf!, { kind: "frozen", desc: frozen.share(wf!), id: nextId() } satisfies ShareMsg);
        },
        "structuredClone(Map) (no Worker)": () => {
          sink += structuredClone(map).size;
        },
      };
    },
    teardown: () => {
      if (shareState === undefined) return;
      for (const w of shareState.workers) void w.terminate();
      shareState.frozen.release();
      shareState = undefined;
    },
    targets: [
      { subject: "FrozenAccounts.share + fromShared", metric: "speedup", atLeast: 200, source: "project goal" },
      { subject: "FrozenAccounts.share + fromShared", metric: "mean", atMost: 1, source: "under 1 ms" },
    ],
  };
}

// ------------------------------------------------------------------- drop

const DROP_VARIANTS = ["Map", "lru-cache", "FrozenAccounts.release()", "FrozenAccounts.release(), pooled"] as const;

function dropCase(): CustomCase {
  return {
    kind: "custom",
    id: "drop",
    title: "Drop a slot of 100,000 accounts, and collect it",
    baseline: "Map",
    metrics: [
      { key: "dropMs", label: "drop", unit: "ms", better: "lower" },
      { key: "reclaimMs", label: "drop + full GC", unit: "ms", better: "lower" },
    ],
    note:
      "Each variant runs in its own fresh process started with --expose-gc. A repetition builds the slot (not " +
      "timed), collects three times, then times the drop — forgetting the Map, lru.clear(), frozen.release() — and " +
      "the drop followed by one forced full GC, which is when a Map's memory really comes back; the medians of 7 " +
      "repetitions (3 in --quick, a single one in the default profile) are shown. The GC column is the main thread's pause: V8 frees ArrayBuffer backing " +
      "stores on a background thread afterwards. release() gives the arena's chunks back at once: to the GC (their " +
      "SharedArrayBuffers, a few objects), or, pooled, to a ChunkPool for the next slot, as a RollingAccountCache " +
      "does. `--quick` uses 10,000 accounts.",
    run: async ({ quick, smoke, profile, onStep }) => {
      const n = smoke ? 2000 : quick ? 10_000 : 100_000;
      // Each repetition builds the slot again: the default profile keeps one (its figures are a single drop).
      const reps = smoke || profile === "default" ? 1 : quick ? 3 : 7;
      const out: CustomSubject[] = [];
      for (const v of DROP_VARIANTS) {
        onStep?.(`${v} × ${n.toLocaleString("en-US")}`);
        const values = await runScript<Record<string, number>>(new URL("../isolated/account-cache-drop.ts", import.meta.url), [v, n, reps]);
        out.push({ subject: v, values });
      }
      return out;
    },
  };
}

// ------------------------------------------------------------------- soak

const SOAK_SUBJECTS = [
  ["Map per slot + postMessage", "map"],
  ["RollingAccountCache", "arena"],
] as const;

function soakCase(): CustomCase {
  return {
    kind: "custom",
    id: "soak",
    title: "Rolling soak: window of 64 slots × 20,000 accounts, 2 reader Workers",
    baseline: "Map per slot + postMessage",
    requires: ["node", "sharedArrayBuffer"],
    metrics: [
      { key: "pushesPerSec", label: "owner pushes", unit: "perSecond", better: "higher" },
      { key: "lookupsPerSec", label: "reader lookups", unit: "perSecond", better: "higher" },
      { key: "p99DelayMs", label: "p99 event-loop delay", unit: "ms", better: "lower" },
      { key: "maxDelayMs", label: "max event-loop delay", unit: "ms", better: "lower" },
      { key: "gcMsPerSec", label: "owner GC per second", unit: "ms", better: "lower" },
      { key: "peakRssBytes", label: "peak RSS", unit: "bytes", better: "lower" },
    ],
    note:
      "Each subject runs in its own fresh process: the owner (main thread) builds slot after slot of 20,000 accounts " +
      "of the seeded workload, 500 accounts per event-loop turn as if they arrived from the network (consecutive " +
      "slots share three quarters of their accounts), and publishes each slot to 2 reader Workers, which look up " +
      "random ids in the newest slot of the window that has them (1,000 lookups per turn; each reader makes its id " +
      "strings once, so V8 has their hashes cached for the Map) and read the data. Map: the " +
      "owner keeps a window of 64 Maps and posts each new Map to every reader (structured clone), and each reader " +
      "keeps its own window. RollingAccountCache: the owner pushes each FrozenAccounts into a cache of window 64 " +
      "shared with the readers, which call project(id). The window is filled first, then 60 s are measured: slots " +
      "pushed per second, lookups per second over both readers, the owner's event-loop delay " +
      "(monitorEventLoopDelay, 1 ms resolution, so the floor is ~1 ms), the owner's GC time per second, and the " +
      "process's peak RSS (owner and readers). `pnpm bench` (the default profile) measures 4 s without filling the " +
      "window first, `--quick` 3 s.",
    estimateMs: { quick: 10_000, default: 20_000, full: 180_000 },
    run: async ({ quick, smoke, profile, onStep }) => {
      // The 60 s soak with the window filled first runs in --full; the default profile measures 4 s of each.
      const [window, perSlot, ms, prefill] = smoke
        ? [4, 400, 300, 0]
        : quick
          ? [64, 20_000, 3000, 0]
          : profile === "default"
            ? [64, 20_000, 4000, 0]
            : [64, 20_000, 60_000, 1];
      const out: CustomSubject[] = [];
      for (const [subject, arg] of SOAK_SUBJECTS) {
        onStep?.(`${subject}: ${prefill ? "filling the window, then " : ""}${ms / 1000} s`);
        const values = await runScript<Record<string, number>>(new URL("../isolated/account-cache-soak.ts", import.meta.url), [
          arg, window, perSlot, ms, prefill, 2,
        ]);
        out.push({ subject, values });
      }
      return out;
    },
    targets: [
      { subject: "RollingAccountCache", metric: "p99DelayMs", of: "ratio", atMost: 0.2, source: "at most 1/5 of the Map version's" },
    ],
  };
}

export default defineSuite({
  id: "account-cache",
  title: "@arenakit/account-cache",
  cases: [
    buildCase(10_000),
    buildCase(100_000),
    // Cases of one size run one after the other, so each fixture (a million accounts takes a while) is built once.
    lookupCase(10_000, "held"),
    readCase(10_000, [{ subject: "FrozenAccounts.get", metric: "speedup", atLeast: 1, source: "reading an account, 10k" }]),
    lookupCase(100_000, "held"),
    readCase(100_000),
    lookupCase(1_000_000, "held", [
      { subject: "FrozenAccounts.get", metric: "speedup", atLeast: 1, source: "no slower than Map.get at 1M" },
    ]),
    lookupCase(1_000_000, "decoded", [
      { subject: "FrozenAccounts.get", metric: "speedup", atLeast: 1, source: "no slower than Map.get at 1M; ids never hashed before" },
    ]),
    lookupCase(1_000_000, "stored"),
    lookupCase(1_000_000, "fields"),
    readCase(1_000_000, [{ subject: "FrozenAccounts.get", metric: "speedup", atLeast: 2.5, source: "reading an account, 1M" }]),
    {
      kind: "isolated",
      id: "memory",
      title: "Memory per account, build time and full GC with one slot of N accounts held",
      module: new URL("../isolated/account-cache-memory.ts", import.meta.url),
      variants: ["Map", "lru-cache", "FrozenAccounts (no options)", "FrozenAccounts", "FrozenAccounts, sized"],
      baseline: "Map",
      records: [10_000, 100_000, 1_000_000, 4_000_000],
      // A newcomer's run: the Map and the builder a newcomer writes, up to 100k. A child that builds a Map of a
      // million accounts uses about a minute of CPU (their data's million ArrayBuffers keep the GC busy), so the 1M
      // point is in --full; the default run reaches 1M with the lookups, and GC at 1M with the other suites.
      defaultRecords: [10_000, 100_000],
      defaultVariants: ["FrozenAccounts (no options)"],
      quickRecords: [10_000],
      note:
        "One slot of N accounts of the seeded workload (data lengths 80% 64–192 B, 18% 1–5 KiB, 2% 8–64 KiB), built from input bytes in a fresh " +
        "process (ids decoded into new strings, data copied once). Map and lru-cache hold { owner, data: Uint8Array, " +
        "index: bigint } per account (owner strings shared, as interned). 'no options' is new AccountsBuilder(slot), " +
        "what a newcomer writes: its table grows as accounts arrive and finish() trims the last chunk to its used " +
        "bytes. FrozenAccounts is new AccountsBuilder(slot, " +
        "{ capacity: N }): its arena's chunks double from 64 KiB up to 256 MiB, and the figure counts every chunk byte " +
        "(pages never written are not resident, so RSS, which the results file records, grows by less). 'sized' also passes initialChunkSize: an upper bound of the " +
        "entry's bytes computed from the input, so the first chunk holds everything (at 4M, which exceeds the 4 GiB " +
        "chunk limit, 256 MiB chunks follow). Overhead per account is bytes per account minus the payload: id UTF-8 " +
        "bytes + owner bytes + data bytes + 8 for the index. The arena stores each owner once per slot.",
      targets: [
        { subject: "FrozenAccounts", metric: "gcSpeedup", atLeast: 100, records: 1_000_000, source: "project goal" },
        { subject: "FrozenAccounts", metric: "gcSpeedup", atLeast: 100, records: 4_000_000, source: "project goal" },
        { subject: "FrozenAccounts", metric: "bytesPerRecord", atMost: 24, records: 1_000_000, source: "<= payload + 24" },
        { subject: "FrozenAccounts, sized", metric: "bytesPerRecord", atMost: 24, records: 1_000_000, source: "<= payload + 24" },
        { subject: "FrozenAccounts", metric: "buildSpeedup", atLeast: 1, records: 1_000_000, source: "build no slower than the Map" },
        ...[10_000, 100_000, 1_000_000, 4_000_000].map((records) => ({
          subject: "FrozenAccounts (no options)",
          metric: "bytesPerRecord" as const,
          atMost: 24,
          records,
          source: "defaults: <= payload + 24",
        })),
        { subject: "FrozenAccounts (no options)", metric: "buildSpeedup", atLeast: 1, records: 1_000_000, source: "defaults: build no slower than the Map" },
      ],
    },
    shareCase(),
    dropCase(),
    soakCase(),
  ],
});
