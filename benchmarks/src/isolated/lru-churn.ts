// Measuring script of the lru suite's churn case, run alone in a child process
// (see src/child-process.ts): `node lru-churn.mjs <subject> <entries> <durationMs>`.
//
// A cache held at a steady `entries` entries serves requests for `durationMs`:
// each event-loop turn does 1,000 operations on random keys of a universe of
// twice the size (half get, half set of a fresh 64-byte value, as a response
// read from the network), so about half the gets hit and every other set
// evicts. perf_hooks.monitorEventLoopDelay (1 ms resolution) records how late
// the event loop runs: GC pauses caused by the cache's objects show there.
// Prints one JSON line: p99 and max delay in ms, operations per second, GC ms.
import { PerformanceObserver, monitorEventLoopDelay } from "node:perf_hooks";
import { setImmediate as turn } from "node:timers/promises";
import { reportProgress } from "../child-progress.ts";
import { rng } from "../workload.ts";
import { budgetForEntries, keyStrings, makeCache, valueBytes } from "./lru-subjects.ts";

const [subject, entriesArg, durationArg] = process.argv.slice(2);
const n = Number(entriesArg);
const duration = Number(durationArg);
const PER_TURN = 1000;

const universe = keyStrings(0, 2 * n);
const cache = makeCache(subject!, budgetForEntries(n));
for (let i = 0; i < n; i++) cache.set(universe[i]!, valueBytes(i));
(globalThis as { gc?: () => void }).gc?.();

let gcMs = 0;
const obs = new PerformanceObserver((list) => {
  for (const e of list.getEntries()) gcMs += e.duration;
});
obs.observe({ entryTypes: ["gc"] });
const h = monitorEventLoopDelay({ resolution: 1 });
h.enable();
const rand = rng(11);
let ops = 0;
let hits = 0;
const t0 = performance.now();
let now = t0;
while (now - t0 < duration) {
  for (let j = 0; j < PER_TURN; j++) {
    const r = rand();
    const k = universe[Math.floor(r * 2 * n) % (2 * n)]!;
    if (j & 1) cache.set(k, valueBytes(j));
    else if (cache.get(k) !== undefined) hits++;
  }
  ops += PER_TURN;
  await turn();
  now = performance.now();
  reportProgress((now - t0) / duration);
}
h.disable();
await new Promise((r) => setTimeout(r, 10));
obs.disconnect();
const seconds = (now - t0) / 1000;
if (cache.size() > 2 * n || cache.size() < n / 2) throw new Error(`${subject} holds ${cache.size()} entries`);
process.stdout.write(
  `${JSON.stringify({ p99Ms: h.percentile(99) / 1e6, maxMs: h.max / 1e6, opsPerSecond: ops / seconds, gcMs, hitRate: hits / (ops / 2) })}\n`,
);
