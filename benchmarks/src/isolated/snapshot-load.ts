// Measuring script of the snapshot "load" case, run alone in a child process
// started with --expose-gc (see src/child-process.ts):
// `node snapshot-load.mjs <subject> <accounts> <reps> <dir>`.
//
// Builds N accounts of the small-account workload (base58 ids, skewed owners,
// 64–192 data bytes, u64 index), saves them in the subject's format into
// <dir>, then, `reps` times: loads the file, looks up one account (time to
// first lookup), then looks up every account and reads its fields. Also times
// a plain readFileSync of the same file. Prints one JSON line of medians.
import { readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { deserialize, serialize } from "node:v8";
import { AccountsBuilder, FrozenAccounts } from "@arenakit/account-cache";
import { Binary, Table, Utf8, tableFromIPC, tableToIPC, vectorFromArray } from "apache-arrow";
import { LRUCache } from "lru-cache";
import { reportProgress } from "../child-progress.ts";
import { accountId, dataBytes, owner, rng } from "../workload.ts";

const [subject = "", nArg = "0", repsArg = "3", dir = "."] = process.argv.slice(2);
const n = Number(nArg);
const reps = Number(repsArg);
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error("the snapshot case needs --expose-gc");

interface Account {
  owner: string;
  index: bigint;
  data: Uint8Array;
}

// ------------------------------------------------------------------ workload

const enc = new TextEncoder();
const dec = new TextDecoder();
const next = rng(1234);
const source = dataBytes(99, 1 << 20);
const ids: string[] = [];
const owners: string[] = [];
const lens = new Int32Array(n);
const offs = new Int32Array(n);
for (let i = 0; i < n; i++) {
  // Decoded from bytes, so each id is a flat string (base58 builds cons-strings).
  ids.push(dec.decode(enc.encode(accountId(next))));
  owners.push(owner(next));
  lens[i] = 64 + Math.floor(next() * 129);
  offs[i] = Math.floor(next() * ((1 << 20) - 192));
}
const dataOf = (i: number): Uint8Array => source.subarray(offs[i]!, offs[i]! + lens[i]!);
/** Lookup order: every id once, shuffled; copies made once (keys the application holds). */
const order = Array.from({ length: n }, (_, i) => i);
for (let i = n - 1; i > 0; i--) {
  const j = Math.floor(next() * (i + 1));
  [order[i], order[j]] = [order[j]!, order[i]!];
}
const queries = order.map((i) => dec.decode(enc.encode(ids[i]!)));
let expectedSum = 0;
for (const i of order) expectedSum += lens[i]! + owners[i]!.length + Number(BigInt(i) & 0xffn);

// ------------------------------------------------------------------ subjects

interface Format {
  /** Writes the file; returns bytes of the in-memory structure the file was made from (arena used bytes), or 0. */
  save(path: string): number;
  /** Loads the file into a structure that answers lookups. */
  load(path: string): (id: string) => Account | undefined;
}

function mapOfAccounts(): Map<string, Account> {
  const m = new Map<string, Account>();
  for (let i = 0; i < n; i++) m.set(ids[i]!, { owner: owners[i]!, index: BigInt(i), data: dataOf(i).slice() });
  return m;
}

const formats: Record<string, () => Format> = {
  "JSON.parse → Map": () => ({
    save(path) {
      const rows: [string, string, string, string][] = [];
      for (let i = 0; i < n; i++) rows.push([ids[i]!, owners[i]!, String(i), Buffer.from(dataOf(i)).toString("base64")]);
      writeFileSync(path, JSON.stringify(rows));
      return 0;
    },
    load(path) {
      const rows = JSON.parse(readFileSync(path, "utf8")) as [string, string, string, string][];
      const m = new Map<string, Account>();
      for (const [id, o, index, data] of rows) m.set(id, { owner: o, index: BigInt(index), data: new Uint8Array(Buffer.from(data, "base64")) });
      return (id) => m.get(id);
    },
  }),
  "v8.deserialize(Map)": () => ({
    save(path) {
      writeFileSync(path, serialize(mapOfAccounts()));
      return 0;
    },
    load(path) {
      const m = deserialize(readFileSync(path)) as Map<string, Account>;
      return (id) => m.get(id);
    },
  }),
  "lru-cache dump/load": () => ({
    save(path) {
      const lru = new LRUCache<string, Account>({ max: n });
      for (const [k, v] of mapOfAccounts()) lru.set(k, v);
      // dump() entries hold bigints and Uint8Arrays, which JSON cannot: v8.serialize writes them.
      writeFileSync(path, serialize(lru.dump()));
      return 0;
    },
    load(path) {
      const lru = new LRUCache<string, Account>({ max: n });
      lru.load(deserialize(readFileSync(path)) as ReturnType<LRUCache<string, Account>["dump"]>);
      return (id) => lru.get(id);
    },
  }),
  "Arrow IPC + Map": () => ({
    save(path) {
      const table = new Table({
        id: vectorFromArray(ids, new Utf8()),
        owner: vectorFromArray(owners, new Utf8()),
        index: vectorFromArray(BigUint64Array.from({ length: n }, (_, i) => BigInt(i))),
        data: vectorFromArray(Array.from({ length: n }, (_, i) => dataOf(i)), new Binary()),
      });
      writeFileSync(path, tableToIPC(table));
      return 0;
    },
    load(path) {
      const table = tableFromIPC(readFileSync(path));
      const idCol = table.getChild("id")!;
      const ownerCol = table.getChild("owner")!;
      const indexCol = table.getChild("index")!;
      const dataCol = table.getChild("data")!;
      const rows = new Map<string, number>();
      for (let r = 0; r < table.numRows; r++) rows.set(idCol.get(r) as string, r);
      return (id) => {
        const r = rows.get(id);
        return r === undefined ? undefined : { owner: ownerCol.get(r) as string, index: indexCol.get(r) as bigint, data: dataCol.get(r) as Uint8Array };
      };
    },
  }),
  "FrozenAccounts.loadSync": () => ({
    save(path) {
      const b = new AccountsBuilder(1n, { capacity: n });
      for (let i = 0; i < n; i++) b.insertAccount(ids[i]!, owners[i]!, i, dataOf(i));
      const frozen = b.finish();
      const t0 = performance.now();
      frozen.saveSync(path);
      saveMs = performance.now() - t0;
      const used = frozen._arc.get().home!.cell.borrowOwner().usedBytes;
      frozen.release();
      return used;
    },
    load(path) {
      const f = FrozenAccounts.loadSync(path);
      return (id) => f.get(id);
    },
  }),
};

// ------------------------------------------------------------------ measure

const make = formats[subject];
if (make === undefined) throw new Error(`unknown subject ${subject}`);
const format = make();
const path = join(dir, `snapshot-${process.pid}.bin`);
let saveMs = -1;
reportProgress(0, `${subject}: save`);
const t0 = performance.now();
const arenaUsedBytes = format.save(path);
if (saveMs < 0) saveMs = performance.now() - t0;
const fileBytes = statSync(path).size;

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const loadMs: number[] = [];
const firstMs: number[] = [];
const allMs: number[] = [];
const readMs: number[] = [];
for (let k = 0; k < reps; k++) {
  reportProgress(k / reps, `${subject}: load ${k + 1}/${reps}`);
  gc();
  const r0 = performance.now();
  const bytes = readFileSync(path);
  readMs.push(performance.now() - r0);
  if (bytes.length !== fileBytes) throw new Error("short read");
  gc();
  const s = performance.now();
  const get = format.load(path);
  const l = performance.now();
  const first = get(queries[0]!)!;
  const f = performance.now();
  if (first.owner.length === 0) throw new Error("empty owner");
  let sum = 0;
  for (let q = 0; q < n; q++) {
    const a = get(queries[q]!)!;
    sum += a.data.length + a.owner.length + Number(a.index & 0xffn);
  }
  const e = performance.now();
  if (sum !== expectedSum) throw new Error(`${subject}: lookups read wrong values (${sum} != ${expectedSum})`);
  loadMs.push(l - s);
  firstMs.push(f - s);
  allMs.push(e - l);
}
rmSync(path, { force: true });
reportProgress(1);
const load = median(loadMs);
const read = median(readMs);
process.stdout.write(
  `${JSON.stringify({
    saveMs,
    fileBytes,
    bytesPerAccount: fileBytes / n,
    arenaUsedBytes,
    loadMs: load,
    firstLookupMs: median(firstMs),
    allLookupsMs: median(allMs),
    loadGBps: fileBytes / 1e9 / (load / 1000),
    readFileGBps: fileBytes / 1e9 / (read / 1000),
  })}\n`,
);
