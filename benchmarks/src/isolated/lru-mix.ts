// Measuring script of the lru suite's bench-lru-style mix, run alone in a
// child process (see src/child-process.ts): `node lru-mix.mjs <subject> <entries> <rounds>`.
//
// In the spirit of bench-lru (github.com/dominictarr/bench-lru): a cache that
// holds `entries` entries is timed on five operations, each done `entries`
// times: set (filling the empty cache), get hit (random stored keys), get miss
// (keys never stored), update (set of a stored key, same size), evict (set of
// a new key into the full cache: each one evicts), plus get hit with each key
// decoded from UTF-8 bytes on the call (keys that arrive from the network: no
// one has hashed them yet). The other lookup keys are fresh string copies made
// once before timing (keys the application holds; V8 caches their hashes
// after the first pass). Values are separate Uint8Arrays
// made before timing (as read from I/O): the JS caches keep them, ArenaLru
// copies their bytes. The best of `rounds` rounds, each on a new cache, is
// reported in operations per second. Prints one JSON line.
import { budgetForEntries, keyStrings, makeCache, valueBytes, type Cache } from "./lru-subjects.ts";
import { reportProgress } from "../child-progress.ts";
import { rng } from "../workload.ts";

const [subject, entriesArg, roundsArg] = process.argv.slice(2);
const n = Number(entriesArg);
const rounds = Number(roundsArg ?? 3);

const stored = keyStrings(0, n);
const fresh = stored.map((k) => Buffer.from(k).toString("latin1"));
const absent = keyStrings(n, n);
const rand = rng(7);
const order = new Int32Array(n);
for (let i = 0; i < n; i++) order[i] = Math.floor(rand() * n);
const enc = new TextEncoder();
const dec = new TextDecoder();
const keyBytes = new Uint8Array(n * 32);
const keyStart = new Int32Array(n + 1);
for (let i = 0, at = 0; i < n; i++) {
  keyStart[i] = at;
  at += enc.encodeInto(stored[order[i]!]!, keyBytes.subarray(at)).written;
  keyStart[i + 1] = at;
}
const values = Array.from({ length: n }, (_, i) => valueBytes(i));
const values2 = Array.from({ length: n }, (_, i) => valueBytes(i + 1));

let sink = 0;
function time(f: () => void): number {
  const t = performance.now();
  f();
  return n / ((performance.now() - t) / 1000);
}

const best: Record<string, number> = { set: 0, getHit: 0, getHitDecoded: 0, getMiss: 0, update: 0, evict: 0 };
const keep = (k: string, v: number): void => {
  best[k] = Math.max(best[k]!, v);
};
let cache: Cache | undefined;
for (let r = 0; r < rounds; r++) {
  reportProgress(r / rounds, `round ${r + 1}/${rounds}`);
  cache = undefined;
  (globalThis as { gc?: () => void }).gc?.();
  const c = makeCache(subject!, budgetForEntries(n));
  cache = c;
  keep("set", time(() => {
    for (let i = 0; i < n; i++) c.set(stored[i]!, values[i]!);
  }));
  keep("getHit", time(() => {
    for (let i = 0; i < n; i++) sink += c.get(fresh[order[i]!]!)![0]!;
  }));
  keep("getHitDecoded", time(() => {
    for (let i = 0; i < n; i++) sink += c.get(dec.decode(keyBytes.subarray(keyStart[i]!, keyStart[i + 1]!)))![0]!;
  }));
  keep("getMiss", time(() => {
    for (let i = 0; i < n; i++) if (c.get(absent[order[i]!]!) !== undefined) sink++;
  }));
  keep("update", time(() => {
    for (let i = 0; i < n; i++) c.set(fresh[order[i]!]!, values2[order[i]!]!);
  }));
  keep("evict", time(() => {
    for (let i = 0; i < n; i++) c.set(absent[i]!, values[i]!);
  }));
  if (c.size() > 2 * n) throw new Error(`${subject} holds ${c.size()} entries`);
}
if (cache === undefined || sink === -1) throw new Error("no rounds");
// Reads dominate a cache's life: bench-lru-style weights, chosen here and stated in the note.
const score = (4 * best.getHit! + best.getMiss! + best.set! + best.update! + best.evict!) / 8;
process.stdout.write(`${JSON.stringify({ ...best, score })}\n`);
