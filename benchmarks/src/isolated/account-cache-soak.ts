// Measuring script of the account-cache rolling soak, run alone in a child
// process started with --expose-gc (see src/child-process.ts):
// `node account-cache-soak.mjs <map|arena> <window> <perSlot> <durationMs> <prefill 0|1> <readers>`.
//
// The owner (main thread) builds slot after slot of `perSlot` accounts, 500
// accounts per event-loop turn (as they would arrive from the network), and
// publishes each slot to `readers` Worker threads, which keep looking up
// random accounts of the window in the newest slot that has them:
// - map: each slot is a Map<string, {owner, data, index}>; the owner keeps a
//   window of Maps and posts each new Map to every reader (structured clone),
//   which keeps its own window of them — what a user of plain Maps does;
// - arena: each slot is a FrozenAccounts in a RollingAccountCache shared with
//   the readers (RollingAccountCache.attach); readers use project(id).
// After an optional prefill (the window full), it measures for `durationMs`:
// slots pushed per second, reader lookups per second, the owner's event-loop
// delay (perf_hooks.monitorEventLoopDelay, 1 ms resolution), its GC time and
// the process's peak RSS. Prints one JSON line.
import { RollingAccountCache, type RollingCacheDescriptor } from "@arenakit/account-cache/node";
import { PerformanceObserver, monitorEventLoopDelay } from "node:perf_hooks";
import { setImmediate as turn } from "node:timers/promises";
import { Worker, isMainThread, parentPort, workerData } from "node:worker_threads";
import { reportProgress } from "../child-progress.ts";
import { InputReader, makeInput, type AccountObject } from "../suites/support/account-cache-input.ts";
import { rng } from "../workload.ts";

/** Accounts inserted per event-loop turn. */
const BATCH = 500;
/** Lookups a reader does between two event-loop turns. */
const LOOKUPS_PER_TURN = 1000;
const SEED = 4242;

type Subject = "map" | "arena";

interface ReaderInit {
  readonly kind: "init";
  readonly subject: Subject;
  readonly window: number;
  readonly universe: number;
  readonly seed: number;
  readonly cache?: RollingCacheDescriptor;
}

type ToReader =
  | ReaderInit
  | { readonly kind: "slot"; readonly slot: number; readonly accounts: Map<string, AccountObject> }
  | { readonly kind: "measure" }
  | { readonly kind: "stop" };

type FromReader =
  | { readonly kind: "ready" }
  | { readonly kind: "done"; readonly lookups: number; readonly ms: number; readonly checksum: number };

/**
 * Slot s holds accounts `(s * shift + i) mod universe` for i < perSlot, with
 * shift = perSlot / 4 and a universe of perSlot + 3 × shift ids: consecutive
 * slots share three quarters of their accounts, the newest four slots hold
 * every id, and the newest slot has 4/7 of them (a lookup scans 1.9 slots on
 * average).
 */
function layout(perSlot: number): { universe: number; shift: number } {
  const shift = Math.max(1, Math.floor(perSlot / 4));
  return { universe: perSlot + 3 * shift, shift };
}

function message<T>(w: Worker, kind: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const on = (m: { kind: string }): void => {
      if (m.kind !== kind) return;
      w.off("message", on);
      resolve(m as T);
    };
    w.on("message", on);
    w.once("error", reject);
  });
}

async function owner(args: readonly string[]): Promise<void> {
  const [subjectArg, windowArg, perSlotArg, durationArg, prefillArg, readersArg] = args;
  const subject = subjectArg as Subject;
  if (subject !== "map" && subject !== "arena") throw new Error(`unknown subject ${String(subjectArg)}`);
  const window = Number(windowArg);
  const perSlot = Number(perSlotArg);
  const durationMs = Number(durationArg);
  const prefill = prefillArg === "1";
  const readerCount = Number(readersArg);
  const { universe, shift } = layout(perSlot);
  const input = new InputReader(makeInput(universe, SEED));

  const cache = subject === "arena" ? new RollingAccountCache({ window }) : undefined;
  const maps: Map<string, AccountObject>[] = [];
  const workers: Worker[] = [];
  for (let k = 0; k < readerCount; k++) {
    const w = new Worker(new URL(import.meta.url), { resourceLimits: { maxOldGenerationSizeMb: 8192 } });
    const ready = message<FromReader>(w, "ready");
    const init: ReaderInit = { kind: "init", subject, window, universe, seed: SEED + k };
    if (cache === undefined) w.postMessage(init);
    else {
      const desc = cache.share(w);
      w.postMessage({ ...init, cache: desc }, [desc.port]);
    }
    await ready;
    workers.push(w);
  }

  const post = (m: ToReader): void => {
    for (const w of workers) w.postMessage(m);
  };

  /** Builds slot `s` a batch per turn and publishes it. */
  const pushSlot = async (s: number): Promise<void> => {
    if (cache !== undefined) {
      const b = cache.builder(s, { capacity: perSlot });
      for (let i = 0; i < perSlot; i++) {
        const u = (s * shift + i) % universe;
        b.insertAccount(input.id(u), input.owner(u), s * perSlot + i, input.data(u));
        if ((i + 1) % BATCH === 0) await turn();
      }
      cache.push(b.finish());
      return;
    }
    const m = new Map<string, AccountObject>();
    for (let i = 0; i < perSlot; i++) {
      const u = (s * shift + i) % universe;
      m.set(input.id(u), { owner: input.owner(u), data: input.data(u).slice(), index: BigInt(s * perSlot + i) });
      if ((i + 1) % BATCH === 0) await turn();
    }
    maps.unshift(m);
    if (maps.length > window) maps.pop();
    for (const w of workers) {
      w.postMessage({ kind: "slot", slot: s, accounts: m } satisfies ToReader);
      await turn();
    }
  };

  const delay = monitorEventLoopDelay({ resolution: 1 });
  let gcMs = 0;
  let measuring = false;
  const gcObserver = new PerformanceObserver((list) => {
    if (measuring) for (const e of list.getEntries()) gcMs += e.duration;
  });
  gcObserver.observe({ entryTypes: ["gc"] });

  let slot = 0;
  if (prefill) {
    while (slot < window) {
      await pushSlot(++slot);
      reportProgress((0.3 * slot) / window, `filling the window: ${slot}/${window} slots`);
    }
  }
  let rss = process.memoryUsage().rss;
  post({ kind: "measure" });
  measuring = true;
  delay.enable();
  const t0 = performance.now();
  let pushes = 0;
  let second = 0;
  while (performance.now() - t0 < durationMs) {
    await pushSlot(++slot);
    pushes++;
    // One progress line a second at most (a few bytes on stderr), so the runner's bar moves during the soak.
    const now = Math.floor((performance.now() - t0) / 1000);
    if (now > second) {
      second = now;
      const f = Math.min(1, (now * 1000) / durationMs);
      reportProgress(prefill ? 0.3 + 0.7 * f : f, `measuring ${now}/${Math.round(durationMs / 1000)} s`);
    }
    rss = Math.max(rss, process.memoryUsage().rss);
    await turn();
  }
  const seconds = (performance.now() - t0) / 1000;
  delay.disable();
  measuring = false;
  gcObserver.disconnect();

  const done = workers.map((w) => message<FromReader & { kind: "done" }>(w, "done"));
  post({ kind: "stop" });
  const results = await Promise.all(done);
  await Promise.all(workers.map((w) => w.terminate()));
  // After the run (not timed): no reader wrote into the shared entries, every byte matches its checksum.
  if (cache !== undefined) {
    for (const slot of cache.slots()) {
      using entry = cache.get(slot)!;
      entry.verify(); // throws AccountsCorruptedError, which fails the case
    }
  }
  cache?.release();

  const out = {
    pushesPerSec: pushes / seconds,
    lookupsPerSec: results.reduce((a, r) => a + (r.lookups / r.ms) * 1000, 0),
    p99DelayMs: delay.percentile(99) / 1e6,
    maxDelayMs: delay.max / 1e6,
    gcMsPerSec: gcMs / seconds,
    peakRssBytes: rss,
  };
  process.stdout.write(`${JSON.stringify(out)}\n`, () => process.exit(0));
}

async function reader(): Promise<void> {
  const port = parentPort!;
  const init = await new Promise<ReaderInit>((resolve) => port.once("message", resolve));
  const { universe } = init;
  const input = new InputReader(makeInput(universe, SEED));
  const ids = Array.from({ length: universe }, (_, u) => input.id(u));
  const cache = init.cache === undefined ? undefined : RollingAccountCache.attach(init.cache);
  const maps: Map<string, AccountObject>[] = [];
  let measuring = false;
  let stop = false;
  let lookups = 0;
  let t0 = 0;
  port.on("message", (m: ToReader) => {
    if (m.kind === "slot") {
      maps.unshift(m.accounts);
      if (maps.length > init.window) maps.pop();
    } else if (m.kind === "measure") {
      measuring = true;
      lookups = 0;
      t0 = performance.now();
    } else if (m.kind === "stop") stop = true;
  });
  port.postMessage({ kind: "ready" } satisfies FromReader);
  const next = rng(init.seed);
  let sink = 0;
  while (!stop) {
    if (cache !== undefined) {
      for (let k = 0; k < LOOKUPS_PER_TURN; k++) {
        const sel = cache.project(ids[Math.floor(next() * universe)]!);
        if (sel === undefined) continue;
        const d = sel.account.data;
        sink += d.length + (d[0] ?? 0);
        sel.release();
      }
    } else {
      for (let k = 0; k < LOOKUPS_PER_TURN; k++) {
        const id = ids[Math.floor(next() * universe)]!;
        for (const m of maps) {
          const a = m.get(id);
          if (a === undefined) continue;
          sink += a.data.length + (a.data[0] ?? 0);
          break;
        }
      }
    }
    if (measuring) lookups += LOOKUPS_PER_TURN;
    await turn();
  }
  cache?.release();
  port.postMessage({ kind: "done", lookups, ms: performance.now() - t0, checksum: sink } satisfies FromReader);
}

if (isMainThread) await owner(process.argv.slice(2));
else await reader();
