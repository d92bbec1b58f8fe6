// More reader threads than the old 64-lease ceiling: 136 real Workers hold a
// projected account of one entry at the same time, and latest() works in each.
// The Workers run one esbuild bundle of the reader (no TypeScript loader per
// Worker), and start in small batches so that two busy cores keep up.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RollingAccountCache } from "../src/node.ts";

const READERS = 136;
const BATCH = 8;
let dir = "";
let bundle = "";
const workers: Worker[] = [];
/** Bundling and terminating 136 Workers take seconds on an idle machine, far more on two busy cores. */
const HOOK_MS = 180_000;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "arenakit-many-readers-"));
  bundle = join(dir, "many-reader.mjs");
  await build({
    entryPoints: [fileURLToPath(new URL("./fixtures/many-reader.ts", import.meta.url))],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    conditions: ["@arenakit/source"],
    outfile: bundle,
    logLevel: "silent",
  });
}, HOOK_MS);

afterAll(async () => {
  for (let i = 0; i < workers.length; i += BATCH) await Promise.all(workers.slice(i, i + BATCH).map((w) => w.terminate()));
  rmSync(dir, { recursive: true, force: true });
}, HOOK_MS);

function next<T>(w: Worker): Promise<T> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number): void => reject(new Error(`reader exited with code ${code}`));
    w.once("error", reject);
    w.once("exit", onExit);
    w.once("message", (m: T) => {
      w.off("error", reject);
      w.off("exit", onExit);
      resolve(m);
    });
  });
}

async function until(cond: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error("condition not reached in time");
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe("a rolling cache read by more than a hundred Workers at once", { timeout: 600_000 }, () => {
  it(`${READERS} readers each hold a projected account of the same entry; latest() and stats() stay right`, async () => {
    const cache = new RollingAccountCache({ window: 2 });
    const b = cache.builder(1n);
    for (let i = 0; i < READERS; i++) b.insertAccount(`acct-${i}`, `owner-${i % 5}`, i, new Uint8Array([i & 255, 1, 2]));
    cache.push(b.finish());
    const replies: Record<string, unknown>[] = [];
    for (let start = 0; start < READERS; start += BATCH) {
      const batch = Array.from({ length: Math.min(BATCH, READERS - start) }, () => new Worker(bundle));
      workers.push(...batch);
      await Promise.all(batch.map((w) => next(w)));
      const answers = batch.map((w, k) => {
        const reply = next<Record<string, unknown>>(w);
        const desc = cache.share(w);
        w.postMessage({ desc, id: `acct-${start + k}` }, [desc.port]);
        return reply;
      });
      replies.push(...(await Promise.all(answers)));
    }
    replies.forEach((r, i) => expect(r).toEqual({ latest: "1", slot: "1", owner: `owner-${i % 5}`, data: i & 255 }));
    expect(cache.stats().readers).toBe(READERS);
    {
      using entry = cache.get(1n)!;
      expect(entry._arc.holderCount).toBe(READERS + 1); // every reader's lease, and this thread's
      entry.verify();
    }
    // Evicted while all readers hold it: pinned, then freed when the last of them lets go.
    for (const s of [2n, 3n]) {
      const nb = cache.builder(s);
      nb.insertAccount("other", "o", s, new Uint8Array([1]));
      cache.push(nb.finish());
    }
    expect(cache.stats().pinnedEntries).toBe(1);
    for (let start = 0; start < READERS; start += BATCH) {
      const batch = workers.slice(start, start + BATCH);
      await Promise.all(batch.map((w) => {
        const r = next(w);
        w.postMessage("release");
        return r;
      }));
    }
    await until(() => cache.stats().pinnedEntries === 0, 60_000);
    expect(cache.stats().readers).toBe(0);
    cache.release();
  });
});
