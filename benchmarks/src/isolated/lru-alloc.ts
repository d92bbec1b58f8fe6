// Measuring script of the lru suite's allocator case, run alone in a child
// process (see src/child-process.ts): `node lru-alloc.mjs <variant> <entries> <ops>`.
//
// The same ArenaLru with its two ways of reusing freed blocks: "coalescing"
// (freed blocks merge with free neighbours; what ArenaLru does) and
// "size-classes" (a block keeps its size for good; the other design named in
// the chapter). The budget holds about `entries` entries of the mean size.
// Three phases of `ops` operations each (half get of a random key of a
// universe twice that size, half set of a fresh value): small values
// (16–128 bytes), then large ones (256–1,024), then both mixed. Prints one JSON line.
import { ArenaLru } from "@arenakit/lru";
import { reportProgress } from "../child-progress.ts";
import { rng } from "../workload.ts";
import { KEY_BYTES, keyStrings } from "./lru-subjects.ts";

const [variant, entriesArg, opsArg] = process.argv.slice(2);
const N = Number(entriesArg);
const OPS = Number(opsArg);
if (variant !== "coalescing" && variant !== "size-classes") throw new Error(`unknown variant ${variant}`);

const MEAN = KEY_BYTES + 330;
const cache = new ArenaLru({ maxBytes: ArenaLru.budgetFor(N, MEAN), max: N, allocator: variant });
const keys = keyStrings(0, 2 * N);
const rand = rng(7);
const phases: [number, number][] = [
  [16, 128],
  [256, 1024],
  [16, 1024],
];
const values = new Map<number, Uint8Array>();
const valueOf = (len: number): Uint8Array => {
  let v = values.get(len);
  if (v === undefined) values.set(len, (v = new Uint8Array(len).fill(len & 0xff)));
  return v;
};

let sets = 0;
const started = performance.now();
phases.forEach(([lo, hi], p) => {
  for (let q = 0; q < OPS; q++) {
    const k = keys[Math.floor(rand() * keys.length)]!;
    if (rand() < 0.5) cache.get(k);
    else {
      cache.set(k, valueOf(lo + Math.floor(rand() * (hi - lo + 1))));
      sets++;
    }
    if ((q & 0xffff) === 0) reportProgress((p + q / OPS) / phases.length);
  }
});
const ms = performance.now() - started;
const s = cache.stats();
reportProgress(1);
process.stdout.write(
  `${JSON.stringify({
    opsPerSecond: (3 * OPS) / (ms / 1000),
    fragmentation: 100 * s.fragmentation,
    fragmentationEvictions: (1000 * s.fragmentationEvictions) / sets,
    entries: s.size,
    payloadShare: (100 * s.payloadBytes) / s.maxBytes,
  })}\n`,
);
