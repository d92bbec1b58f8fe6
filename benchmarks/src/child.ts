// Measures one variant of an isolated case. Runs in a fresh process started
// with --expose-gc, bundled together with the case's module (see isolated.ts)
// so the process holds nothing but node itself and the workload: a loader
// such as tsx would add its own objects to every forced GC.
import { PerformanceObserver, constants } from "node:perf_hooks";
import type { IsolatedModule } from "./api.ts";
import { PROFILE_ENV, reportProgress } from "./child-progress.ts";

/**
 * Forced full GCs timed per child: seven in the full run (the figures the site
 * shows), three in the others, whose runner sets the profile in the
 * environment. The median is reported either way.
 */
export function timedGcs(profile: string | undefined = process.env[PROFILE_ENV]): number {
  return profile === undefined || profile === "full" ? 7 : 3;
}

function settle(gc: () => void): void {
  for (let i = 0; i < 3; i++) gc();
}

/** Builds the variant, holds it, measures memory and forced full GCs, prints one JSON line. */
export async function measure(mod: IsolatedModule, variant: string, records: number): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error("isolated measurements need --expose-gc");
  settle(gc);
  reportProgress(0, "building");
  const before = process.memoryUsage();
  const t0 = performance.now();
  const built = await mod.build(variant, records);
  const buildMs = performance.now() - t0;
  settle(gc);
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
  const gcs = timedGcs();
  for (let i = 0; i < gcs; i++) {
    // Building is usually most of a child's time; the forced GCs the rest.
    reportProgress(0.6 + (0.4 * i) / gcs, `full GC ${i + 1}/${gcs}`);
    const s = performance.now();
    gc();
    pauses.push(performance.now() - s);
  }
  await new Promise((r) => setTimeout(r, 10)); // let the observer deliver its entries
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
  // SAFETY: `built.hold` must stay reachable until the figures above are taken.
  if (built.hold === Symbol.for("never")) console.error("unreachable");
  process.stdout.write(`${JSON.stringify(out)}\n`);
}
