// Runs one variant of an isolated case in a fresh process started with
// --expose-gc, and prints one JSON line with its figures. Invoked by
// isolated.ts as: node --expose-gc --import tsx child.ts <module> <variant> <records>
import { PerformanceObserver, constants } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import type { IsolatedModule } from "./api.ts";

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error("child.ts must run with --expose-gc");

const [modulePath, variant, recordsArg] = process.argv.slice(2);
const records = Number(recordsArg);
const mod = (await import(pathToFileURL(modulePath!).href)) as IsolatedModule;

function settle(): void {
  for (let i = 0; i < 3; i++) gc!();
}

settle();
const before = process.memoryUsage();
const t0 = performance.now();
const built = await mod.build(variant!, records);
const buildMs = performance.now() - t0;
settle();
const after = process.memoryUsage();

let observed = 0;
const obs = new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    const kind = (e as unknown as { detail?: { kind?: number } }).detail?.kind;
    if (kind === constants.NODE_PERFORMANCE_GC_MAJOR) observed += e.duration;
  }
});
obs.observe({ entryTypes: ["gc"] });
const pauses: number[] = [];
for (let i = 0; i < 7; i++) {
  const s = performance.now();
  gc();
  pauses.push(performance.now() - s);
}
await new Promise((r) => setTimeout(r, 10)); // let the observer deliver
obs.disconnect();
pauses.sort((a, b) => a - b);

const heapBytes = Math.max(0, after.heapUsed - before.heapUsed);
const engineAb = Math.max(0, after.arrayBuffers - before.arrayBuffers);
const arrayBufferBytes = Math.max(engineAb, built.arenaBytes ?? 0);
const out = {
  variant,
  records,
  buildMs,
  heapBytes,
  arrayBufferBytes,
  rssBytes: Math.max(0, after.rss - before.rss),
  bytesPerRecord: (heapBytes + arrayBufferBytes) / records,
  payloadBytesPerRecord: built.payloadBytes,
  gcMs: pauses[Math.floor(pauses.length / 2)],
  gcObservedMs: observed / pauses.length,
};
// Keep the structure reachable until the figures are taken.
if ((built.hold as object | null) === undefined) console.error("nothing held");
process.stdout.write(`${JSON.stringify(out)}\n`);
