import { Bump, FreeListAllocator, t, type Ptr } from "@arenakit/bump";
import { ArenaHashMap } from "@arenakit/hashmap";
import { defineSuite, type TaskFn, type TimeCase } from "../api.ts";
import { accountId, accounts, dataBytes, keysHeldByApp, lookupKeys, owner, rng } from "../workload.ts";
import { EntryStore, RobinHoodTable, SwissTable } from "./support/hashmap-layouts.ts";

/** Bytes of each account's data: the map value. */
const VALUE_BYTES = 128;
/** Lookups per timed call. */
const PER_CALL = 1000;
/** Distinct query keys per case (each call takes the next PER_CALL of them). */
const QUERIES = 100_000;

type BytesMap = ArenaHashMap<typeof t.bytes>;

interface Fixture {
  readonly n: number;
  /** The stored key strings (flat strings, as if decoded from I/O). */
  readonly keys: readonly string[];
  readonly values: readonly Uint8Array[];
  readonly map: Map<string, Uint8Array>;
  readonly bump: Bump;
  readonly arena: BytesMap;
}

// Building a million-entry fixture takes seconds, so consecutive cases of the
// same size share one. A case's teardown schedules its release; the next
// case's setup (which the runner calls before that fires) keeps it if it wants
// the same size.
let fixture: Fixture | undefined;
let pendingRelease: ReturnType<typeof setImmediate> | undefined;

function getFixture(n: number): Fixture {
  if (pendingRelease !== undefined) clearImmediate(pendingRelease);
  pendingRelease = undefined;
  if (fixture?.n === n) return fixture;
  dropFixture();
  // accounts(n, { dataLength: VALUE_BYTES, seed: 42 })'s ids and data, without an object per account in between.
  const next = rng(42);
  const ids: string[] = [];
  const values: Uint8Array[] = [];
  for (let i = 0; i < n; i++) {
    ids.push(accountId(next));
    owner(next); // accounts() draws an owner after each id
    values.push(dataBytes(i + 1, VALUE_BYTES));
  }
  const keys = keysHeldByApp(ids);
  ids.length = 0;
  const map = new Map<string, Uint8Array>();
  const bump = new Bump();
  const arena = new ArenaHashMap(bump, { value: t.bytes, capacity: n });
  for (let i = 0; i < n; i++) {
    map.set(keys[i]!, values[i]!);
    arena.set(keys[i]!, values[i]!);
  }
  fixture = { n, keys, values, map, bump, arena };
  return fixture;
}

function dropFixture(): void {
  if (fixture === undefined) return;
  fixture.bump.release();
  fixture.map.clear();
  fixture = undefined;
}

function releaseSoon(): void {
  pendingRelease = setImmediate(() => {
    pendingRelease = undefined;
    dropFixture();
  });
}

/** QUERIES keys of the fixture in a random order, held by the app or the stored ones (see lookupKeys). */
function queries(f: Fixture, held: boolean, seed: number): string[] {
  return lookupKeys(f.keys, QUERIES, held ? "held" : "stored", seed);
}

// Each task is its own loop (no shared higher-order helper), so every call
// site stays monomorphic and the lookup can be inlined as in user code.
function lookupTasks(f: Fixture, q: readonly string[]): Record<string, TaskFn> {
  const { map, arena, bump } = f;
  const len = q.length;
  let a = 0;
  let b = 0;
  let c = 0;
  let sink = 0;
  return {
    "Map.get": () => {
      for (let j = 0; j < PER_CALL; j++) {
        const v = map.get(q[a]!);
        if (v !== undefined) sink += v[0]!;
        if (++a === len) a = 0;
      }
      return sink;
    },
    "ArenaHashMap.get": () => {
      for (let j = 0; j < PER_CALL; j++) {
        const v = arena.get(q[b]!);
        if (v !== undefined) sink += v[0]!;
        if (++b === len) b = 0;
      }
      return sink;
    },
    "ArenaHashMap.find (no allocation)": () => {
      for (let j = 0; j < PER_CALL; j++) {
        const e = arena.find(q[c]!);
        if (e !== 0) sink += bump.readU8((arena.valuePtr(e) + 4) as Ptr);
        if (++c === len) c = 0;
      }
      return sink;
    },
  };
}

const HELD_NOTE =
  "Each call looks up 1,000 random keys of the map (of 100,000 queries, cycling) and reads the first byte of the value. " +
  "The keys are string objects the application holds: copies with the same contents as the stored keys, made once, so " +
  "the Map cannot compare them by pointer. V8 caches a string's hash inside the string at its first lookup, so from the " +
  "second pass on Map.get skips hashing them; the arena map always hashes the key. Keys that arrive from I/O are the " +
  "'decoded per lookup' cases. ArenaHashMap.get returns a Uint8Array view (one small " +
  "allocation); find returns the entry pointer and the value byte is read through the allocator, allocating nothing.";

const STORED_NOTE =
  "Map's best case: the lookups use the very string objects stored in the Map, so it compares them by pointer and " +
  "never hashes. No service sees this; it bounds what a Map can do.";

function lookupCase(id: string, n: number, held: boolean, targets: TimeCase["targets"]): TimeCase {
  const size = n === 1_000_000 ? "1M" : "10k";
  return {
    kind: "time",
    id,
    title: `Random hit lookups, ${size} entries, ${held ? "keys held by the app" : "the stored key strings (Map's best case)"}`,
    op: "1,000 lookups",
    baseline: "Map.get",
    note: held ? HELD_NOTE : STORED_NOTE,
    setup: ({ quick }) => {
      const f = getFixture(quick ? Math.min(n, 10_000) : n);
      return lookupTasks(f, queries(f, held, held ? 5 : 6));
    },
    teardown: releaseSoon,
    ...(targets !== undefined ? { targets } : {}),
  };
}

const DECODED_NOTE =
  "Each call decodes 1,000 random keys of the map from UTF-8 bytes with TextDecoder, as a service does with keys that " +
  "arrive from the network, and looks each one up: every key is a string no one has hashed yet, so Map.get pays for " +
  "hashing too. The decoding is the same in every task; it dilutes the ratios and is part of what a request costs.";

function decodedCase(id: string, n: number, targets: TimeCase["targets"]): TimeCase {
  return {
    ...(targets !== undefined ? { targets } : {}),
    kind: "time",
    id,
    title: `Random hit lookups, ${n === 1_000_000 ? "1M" : "10k"} entries, keys decoded from bytes on each call`,
    op: "1,000 decodes + lookups",
    baseline: "Map.get",
    note: DECODED_NOTE,
    setup: ({ quick }) => {
      const f = getFixture(quick ? Math.min(n, 10_000) : n);
      const enc = new TextEncoder();
      const dec = new TextDecoder();
      const picked = queries(f, false, 8);
      const start = new Int32Array(picked.length + 1);
      const bytes = new Uint8Array(picked.length * 44);
      let at = 0;
      picked.forEach((k, i) => {
        start[i] = at;
        at += enc.encodeInto(k, bytes.subarray(at)).written;
      });
      start[picked.length] = at;
      const len = picked.length;
      const { map, arena, bump } = f;
      let a = 0;
      let b = 0;
      let c = 0;
      let sink = 0;
      return {
        "Map.get": () => {
          for (let j = 0; j < PER_CALL; j++) {
            const v = map.get(dec.decode(bytes.subarray(start[a]!, start[a + 1]!)));
            if (v !== undefined) sink += v[0]!;
            if (++a === len) a = 0;
          }
          return sink;
        },
        "ArenaHashMap.get": () => {
          for (let j = 0; j < PER_CALL; j++) {
            const v = arena.get(dec.decode(bytes.subarray(start[b]!, start[b + 1]!)));
            if (v !== undefined) sink += v[0]!;
            if (++b === len) b = 0;
          }
          return sink;
        },
        "ArenaHashMap.find (no allocation)": () => {
          for (let j = 0; j < PER_CALL; j++) {
            const e = arena.find(dec.decode(bytes.subarray(start[c]!, start[c + 1]!)));
            if (e !== 0) sink += bump.readU8((arena.valuePtr(e) + 4) as Ptr);
            if (++c === len) c = 0;
          }
          return sink;
        },
      };
    },
    teardown: releaseSoon,
  };
}

function missCase(id: string, n: number): TimeCase {
  return {
    kind: "time",
    id,
    title: `Misses, ${n === 1_000_000 ? "1M" : "10k"} entries (keys that are not in the map)`,
    op: "1,000 lookups",
    baseline: "Map.get",
    note: "Fresh 44-character ids of another seed, none of them in the map.",
    setup: ({ quick }) => {
      const f = getFixture(quick ? Math.min(n, 10_000) : n);
      const q = keysHeldByApp(accounts(QUERIES / 10, { dataLength: 0, seed: 777 }).map((a) => a.id));
      const { map, arena } = f;
      let a = 0;
      let b = 0;
      let sink = 0;
      return {
        "Map.get": () => {
          for (let j = 0; j < PER_CALL; j++) {
            if (map.get(q[a]!) !== undefined) sink++;
            if (++a === q.length) a = 0;
          }
          return sink;
        },
        "ArenaHashMap.get": () => {
          for (let j = 0; j < PER_CALL; j++) {
            if (arena.get(q[b]!) !== undefined) sink++;
            if (++b === q.length) b = 0;
          }
          return sink;
        },
      };
    },
    teardown: releaseSoon,
  };
}

// ---------------------------------------------------------------- layouts

interface LayoutFixture {
  readonly n: number;
  readonly swiss: SwissTable;
  readonly robin: RobinHoodTable;
  readonly hits: string[];
  readonly misses: string[];
}

let layouts: LayoutFixture | undefined;

function getLayouts(n: number): LayoutFixture {
  if (layouts?.n === n) return layouts;
  // The same keys and values as the lookup cases' fixture of this size (the cases of one size run one after the
  // other, so it is usually still there): generating a million of them again would take seconds. Its maps go.
  const { keys, values } = getFixture(n);
  dropFixture();
  const swiss = new SwissTable(new EntryStore(n * 184 + 64), n);
  const robin = new RobinHoodTable(new EntryStore(n * 184 + 64), n);
  for (let i = 0; i < n; i++) {
    swiss.insert(keys[i]!, values[i]!);
    robin.insert(keys[i]!, values[i]!);
  }
  const next = rng(11);
  const hits = keysHeldByApp(Array.from({ length: QUERIES }, () => keys[Math.floor(next() * n)]!));
  const misses = keysHeldByApp(accounts(QUERIES / 10, { dataLength: 0, seed: 778 }).map((a) => a.id));
  layouts = { n, swiss, robin, hits, misses };
  return layouts;
}

const LAYOUT_NOTE =
  "Two minimal tables that share the hash, the entry storage and the key comparison and differ only in layout " +
  "(benchmarks/src/suites/support/hashmap-layouts.ts). SwissTable-style: 4-slot groups whose 7-bit tags are matched in " +
  "one 32-bit word, 5 bytes per slot. Robin Hood: linear probing with the 32-bit hash stored in each slot, 8 bytes per " +
  "slot. Both at most 7/8 full; keys held by the app.";

function layoutCase(id: string, n: number, hit: boolean): TimeCase {
  return {
    kind: "time",
    id,
    title: `Table layout: ${hit ? "hit lookups" : "misses"}, ${n === 1_000_000 ? "1M" : "10k"} entries`,
    op: "1,000 lookups",
    baseline: "Robin Hood + stored hashes",
    note: LAYOUT_NOTE,
    setup: ({ quick }) => {
      const l = getLayouts(quick ? Math.min(n, 10_000) : n);
      const q = hit ? l.hits : l.misses;
      const { robin, swiss } = l;
      let a = 0;
      let b = 0;
      let sink = 0;
      return {
        "Robin Hood + stored hashes": () => {
          for (let j = 0; j < PER_CALL; j++) {
            sink += robin.find(q[a]!);
            if (++a === q.length) a = 0;
          }
          return sink;
        },
        "SwissTable-style groups": () => {
          for (let j = 0; j < PER_CALL; j++) {
            sink += swiss.find(q[b]!);
            if (++b === q.length) b = 0;
          }
          return sink;
        },
      };
    },
    teardown: () => {
      if (id.endsWith("1m-miss")) layouts = undefined;
    },
  };
}

// ------------------------------------------------------------------ build

function buildCase(): TimeCase {
  return {
    kind: "time",
    id: "build-10k",
    title: "Build a map of 10,000 accounts from bytes (decode each id, store 128 bytes of data)",
    op: "10,000 inserts",
    baseline: "Map.set",
    note:
      "Every variant decodes each id from UTF-8 into a fresh string; the Map keeps a copy of the data (as a decoder " +
      "would hand it one), the arena maps copy it into their allocator. Arenas are reset after each call; the maps " +
      "start empty unless sized with capacity. The 1M build is in the isolated memory case (its build column).",
    setup: ({ quick }) => {
      const n = quick ? 2000 : 10_000;
      const recs = accounts(n, { dataLength: VALUE_BYTES, seed: 42 });
      const enc = new TextEncoder();
      const dec = new TextDecoder();
      const ids = recs.map((r) => enc.encode(r.id));
      const data = recs.map((r) => r.data);
      const bump = new Bump();
      const heap = new FreeListAllocator({ size: 16 << 20 });
      let sink = 0;
      const arena = (a: Bump | FreeListAllocator, capacity: number): TaskFn => () => {
        const m = new ArenaHashMap(a, { value: t.bytes, capacity });
        for (let i = 0; i < n; i++) m.set(dec.decode(ids[i]), data[i]!);
        sink += m.size;
        if (a instanceof Bump) a.reset();
        else m.release();
      };
      return {
        "Map.set": () => {
          const m = new Map<string, Uint8Array>();
          for (let i = 0; i < n; i++) m.set(dec.decode(ids[i]), data[i]!.slice());
          sink += m.size;
        },
        "ArenaHashMap (Bump)": arena(bump, 0),
        "ArenaHashMap (Bump, capacity)": arena(bump, n),
        "ArenaHashMap (FreeListAllocator)": arena(heap, 0),
      };
    },
  };
}

export default defineSuite({
  id: "hashmap",
  title: "@arenakit/hashmap",
  cases: [
    buildCase(),
    lookupCase("get-10k-held", 10_000, true, [
      { subject: "ArenaHashMap.get", metric: "speedup", atLeast: 0.5, source: "within 2x of Map.get at 10k" },
      { subject: "ArenaHashMap.find (no allocation)", metric: "speedup", atLeast: 0.5, source: "within 2x of Map.get at 10k" },
    ]),
    lookupCase("get-10k-stored", 10_000, false, undefined),
    decodedCase("get-10k-decoded", 10_000, [
      { subject: "ArenaHashMap.get", metric: "speedup", atLeast: 0.5, source: "within 2x of Map.get at 10k; keys never hashed before" },
      { subject: "ArenaHashMap.find (no allocation)", metric: "speedup", atLeast: 0.5, source: "within 2x of Map.get at 10k; keys never hashed before" },
    ]),
    missCase("miss-10k", 10_000),
    // Cases of one size run one after the other: the layouts take the lookup fixture's keys and values.
    layoutCase("layout-10k-hit", 10_000, true),
    lookupCase("get-1m-held", 1_000_000, true, [
      { subject: "ArenaHashMap.get", metric: "speedup", atLeast: 1, source: "no slower than Map.get at 1M" },
      { subject: "ArenaHashMap.find (no allocation)", metric: "speedup", atLeast: 1, source: "no slower than Map.get at 1M" },
    ]),
    lookupCase("get-1m-stored", 1_000_000, false, undefined),
    decodedCase("get-1m-decoded", 1_000_000, [
      { subject: "ArenaHashMap.get", metric: "speedup", atLeast: 1, source: "no slower than Map.get at 1M; keys never hashed before" },
      { subject: "ArenaHashMap.find (no allocation)", metric: "speedup", atLeast: 1, source: "no slower than Map.get at 1M; keys never hashed before" },
    ]),
    missCase("miss-1m", 1_000_000),
    layoutCase("layout-1m-hit", 1_000_000, true),
    layoutCase("layout-1m-miss", 1_000_000, false),
    {
      kind: "isolated",
      id: "memory",
      title: "Memory per entry, build time and full GC with 10k and 1M accounts held",
      module: new URL("../isolated/hashmap-memory.ts", import.meta.url),
      variants: ["Map", "ArenaHashMap", "ArenaHashMap, sized"],
      baseline: "Map",
      records: [10_000, 100_000, 1_000_000],
      // A newcomer's run: both ends of the curve, the Map against the map a newcomer writes (no capacity).
      defaultRecords: [10_000, 1_000_000],
      defaultVariants: ["ArenaHashMap"],
      quickRecords: [10_000],
      note:
        "Keys are 44-character base58 ids, values 128 bytes of data, built from bytes (each id decoded into a fresh " +
        "string). Map holds Map<string, Uint8Array>. ArenaHashMap uses a default Bump and grows from empty, so its " +
        "figure includes the arena's chunk slack (the Bump's chunks double, so its last chunk is partly empty) and " +
        "what is left of the outgrown tables; 'sized' gives the map its capacity and takes the arena's memory up " +
        "front with Bump.withCapacity. Both include the allocator's own 64 KiB. Overhead per entry is bytes per " +
        "entry minus the key and value bytes.",
      targets: [
        { subject: "ArenaHashMap", metric: "gcSpeedup", atLeast: 50, records: 1_000_000, source: "project goal" },
        { subject: "ArenaHashMap, sized", metric: "bytesPerRecord", atMost: 16, records: 1_000_000, source: "<= key + value + 16" },
        { subject: "ArenaHashMap, sized", metric: "bytesPerRecord", atMost: 16, records: 10_000, source: "<= key + value + 16" },
        { subject: "ArenaHashMap", metric: "bytesPerRecord", atMost: 32, records: 1_000_000, source: "<= key + value + 32 without capacity" },
      ],
    },
    {
      kind: "isolated",
      id: "old-tables",
      title: "Outgrown tables: allocator bytes in use after growing to N entries",
      module: new URL("../isolated/hashmap-tables.ts", import.meta.url),
      variants: ["Bump, capacity", "Bump, grown", "FreeListAllocator, grown"],
      baseline: "Bump, capacity",
      records: [10_000, 1_000_000],
      // A newcomer's run: the map grown in a Bump, as a newcomer writes it, against one given its capacity.
      defaultVariants: ["Bump, grown"],
      quickRecords: [10_000],
      note:
        "Memory only: the figure is the allocator's bytes in live allocations after the build (chunk slack left out), " +
        "after which everything is released, so the GC column of this case is not meaningful. A Bump cannot take " +
        "an outgrown table back, so the map puts the entries it inserts next into its space; a FreeListAllocator " +
        "takes them back (its blocks carry a 4-byte header); giving the map its capacity up front allocates one " +
        "table only, the smallest that holds it at most 7/8 full (a grown table is a power of two).",
    },
  ],
});
