// The TypeScript side of the native anchor: reads the workload file the Rust
// program reads (support/native-workload.ts), then builds one slot of it,
// looks every query up reading all fields, and drops it, the same steps the
// Rust program times. Runs alone in a child process started with --expose-gc.
// Usage: native-anchor.mjs <variant> <workload file> <build reps> <lookup samples>
import { readFileSync } from "node:fs";
import { AccountsBuilder } from "@arenakit/account-cache";
import { reportProgress } from "../child-progress.ts";
import { InputReader, type AccountInput, type AccountObject } from "../suites/support/account-cache-input.ts";
import { decodeWorkload } from "../suites/support/native-workload.ts";
import { keysHeldByApp } from "../workload.ts";

const [variant, file, repsArg, samplesArg] = process.argv.slice(2);
const reps = Number(repsArg);
const samples = Number(samplesArg);
if (variant !== "arenakit" && variant !== "Map") throw new Error(`unknown variant ${variant}`);
if (!(reps > 0 && samples > 0)) throw new Error("build reps and lookup samples must be positive");
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error("the native anchor's TypeScript side needs --expose-gc");

const { input, queries } = decodeWorkload(readFileSync(file!));
const n = input.n;

/**
 * A held slot: a lookup pass over ids the application holds, a pass over ids
 * decoded from bytes on each lookup, its bytes by the variant's own count, and
 * how to drop it. Each variant has its own loops, so every call site stays
 * monomorphic as in user code; both read every field of each account.
 */
interface Held {
  pass(ids: readonly string[]): number;
  decodedPass(): number;
  arenaBytes: number;
  drop(): void;
}

const dec = new TextDecoder();
const idOf = (q: number): string => dec.decode(input.idBytes.subarray(input.idStart[q]!, input.idStart[q + 1]!));

let slot = 0n;
function build(inp: AccountInput): Held {
  const r = new InputReader(inp);
  const count = inp.n;
  if (variant === "Map") {
    let map: Map<string, AccountObject> | undefined = new Map();
    for (let i = 0; i < count; i++) map.set(r.id(i), { owner: r.owner(i), data: r.data(i).slice(), index: BigInt(i) });
    const m = map;
    return {
      pass: (ids) => {
        let sink = 0;
        for (let j = 0; j < ids.length; j++) {
          const a = m.get(ids[j]!);
          if (a !== undefined) sink += a.owner.length + Number(a.index) + a.data.length + (a.data[0] ?? 0);
        }
        return sink;
      },
      decodedPass: () => {
        let sink = 0;
        for (let j = 0; j < queries.length; j++) {
          const a = m.get(idOf(queries[j]!));
          if (a !== undefined) sink += a.owner.length + Number(a.index) + a.data.length + (a.data[0] ?? 0);
        }
        return sink;
      },
      arenaBytes: 0,
      drop: () => {
        map = undefined;
      },
    };
  }
  // What a newcomer writes: no capacity, no pool.
  const b = new AccountsBuilder(++slot);
  for (let i = 0; i < count; i++) b.insertAccount(r.id(i), r.owner(i), i, r.data(i));
  const frozen = b.finish();
  return {
    pass: (ids) => {
      let sink = 0;
      for (let j = 0; j < ids.length; j++) {
        const a = frozen.get(ids[j]!);
        if (a !== undefined) {
          const d = a.data;
          sink += a.owner.length + Number(a.index) + d.length + (d[0] ?? 0);
        }
      }
      return sink;
    },
    decodedPass: () => {
      let sink = 0;
      for (let j = 0; j < queries.length; j++) {
        const a = frozen.get(idOf(queries[j]!));
        if (a !== undefined) {
          const d = a.data;
          sink += a.owner.length + Number(a.index) + d.length + (d[0] ?? 0);
        }
      }
      return sink;
    },
    arenaBytes: frozen.byteLength,
    drop: () => frozen.release(),
  };
}

const median = (v: number[]): number => {
  const s = [...v].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

// The application's ids: new string objects made once (V8 caches their hashes after first use).
const reader = new InputReader(input);
const held = keysHeldByApp(Array.from(queries, (q) => reader.id(q)));

// Warm-up: compile every path on the first accounts, untimed.
{
  const h = build({ ...input, n: Math.min(n, 20_000) });
  h.pass(held.slice(0, 2000));
  h.decodedPass();
  h.drop();
}

let sink = 0;
const buildNs: number[] = [];
const dropNs: number[] = [];
let bytesPerAccount = Number.NaN;
// The last build is kept for the lookups (a 1M-account Map takes seconds to build).
let kept: Held | undefined;
for (let r = 0; r < reps; r++) {
  reportProgress((0.6 * r) / reps, `build ${r + 1}/${reps}`);
  gc();
  const before = process.memoryUsage();
  const t0 = performance.now();
  const h = build(input);
  buildNs.push(((performance.now() - t0) * 1e6) / n);
  if (r === 0) {
    gc();
    const after = process.memoryUsage();
    const heap = Math.max(0, after.heapUsed - before.heapUsed) + Math.max(0, after.arrayBuffers - before.arrayBuffers);
    bytesPerAccount = Math.max(heap, h.arenaBytes) / n;
  }
  sink += h.pass(held.slice(0, 100));
  if (r === reps - 1) {
    kept = h;
    break;
  }
  const t1 = performance.now();
  h.drop();
  dropNs.push((performance.now() - t1) * 1e6);
}

const h = kept!;
const getNs: number[] = [];
const decodedNs: number[] = [];
for (let s = 0; s < samples; s++) {
  reportProgress(0.6 + (0.4 * s) / samples, `lookups ${s + 1}/${samples}`);
  let t = performance.now();
  sink += h.pass(held);
  getNs.push(((performance.now() - t) * 1e6) / held.length);
  t = performance.now();
  sink += h.decodedPass();
  decodedNs.push(((performance.now() - t) * 1e6) / queries.length);
}
const t1 = performance.now();
h.drop();
dropNs.push((performance.now() - t1) * 1e6);

process.stdout.write(
  `${JSON.stringify({
    accounts: n,
    buildNs: median(buildNs),
    getNs: median(getNs),
    getDecodedNs: median(decodedNs),
    dropNs: median(dropNs),
    bytesPerAccount,
    payloadBytesPerAccount: input.payloadBytes,
    sink: sink % 7,
  })}\n`,
);
