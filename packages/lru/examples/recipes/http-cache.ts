// Recipe: an HTTP response cache under a byte budget, shared with Workers.
//
// The main thread runs the HTTP server and owns the cache: a hit is answered
// straight from arena memory. A miss goes to a pool of Workers that render
// responses (the expensive part). Before rendering, a Worker looks in the
// same cache through an LruReader: while a request waited in its queue, an
// earlier request for the same URL may have filled the entry, and then the
// Worker skips the work. Workers never write; they send what they rendered
// back to the owner, which stores it with a TTL.
//
// Run it from the repository root:
//   npx tsx --conditions=@arenakit/source \
//     packages/lru/examples/recipes/http-cache.ts
// #region pages
import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { pathToFileURL } from "node:url";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import { ArenaLru, LruReader, type LruDescriptor } from "@arenakit/lru";

const ROLE = "http-cache-renderer";

/** What a Worker gets to render: a request id and its URL. */
interface RenderJob {
  readonly id: number;
  readonly url: string;
}

/** What it sends back: the body, and whether it came from the cache after all. */
interface Rendered {
  readonly id: number;
  readonly body: Uint8Array;
  readonly fromCache: boolean;
}

/** The page of a URL: deterministic, so the caller can check every byte it gets. */
export function render(url: string): Uint8Array {
  const n = Number(/\/item\/(\d+)/.exec(url)?.[1] ?? 0);
  let body = `<h1>item ${n}</h1>`;
  for (let i = 0; i < 20 + (n % 50); i++) body += `<p>line ${i} of item ${n}</p>`;
  return new TextEncoder().encode(body);
}
// #endregion pages

// #region renderer
// #region worker
function rendererMain(): void {
  const cache = LruReader.attach((workerData as { cache: LruDescriptor }).cache);
  parentPort!.on("message", (job: RenderJob) => {
    const cached = cache.get(job.url); // a copy, or undefined; never torn bytes
    const body = cached ?? render(job.url);
    const reply: Rendered = { id: job.id, body, fromCache: cached !== undefined };
    // The buffer is transferred back to the owner, not copied.
    parentPort!.postMessage(reply, [body.buffer as ArrayBuffer]);
  });
}
// #endregion worker

function startRenderer(cache: LruDescriptor): Worker {
  const url = import.meta.url;
  const data = { role: ROLE, cache };
  if (url.endsWith(".ts")) {
    const boot =
      `import("tsx/esm/api").then((m) => { m.register(); ` +
      `return import(${JSON.stringify(url)}); });`;
    return new Worker(boot, { eval: true, workerData: data });
  }
  return new Worker(new URL(url), { workerData: data });
}

// #endregion renderer

// #region service
/** The running service: its address, the cache and counters, and how to stop it. */
export interface Service {
  readonly url: string;
  readonly cache: ArenaLru;
  readonly counters: { hits: number; rendered: number; workerHits: number };
  close(): Promise<void>;
}

export async function start(
  options: { maxBytes?: number; workers?: number; ttl?: number } = {},
): Promise<Service> {
  // #region owner
  const cache = new ArenaLru({
    // everything the cache may take, table and links included
    maxBytes: options.maxBytes ?? 8 << 20,
    shared: true, // so the renderers can read it
    ttl: options.ttl ?? 30_000,
  });
  const pool = Array.from({ length: options.workers ?? 2 }, () =>
    startRenderer(cache.share()),
  );
  // #endregion owner
  const waiting = new Map<number, (body: Uint8Array) => void>();
  const counters = { hits: 0, rendered: 0, workerHits: 0 };
  for (const w of pool) {
    w.on("message", (r: Rendered) => {
      if (r.fromCache) counters.workerHits++;
      waiting.get(r.id)?.(r.body);
      waiting.delete(r.id);
    });
  }
  let nextId = 0;
  // #region serve
  const server: Server = createServer((req, res) => {
    const url = req.url ?? "/";
    // a view of the arena bytes: written to the socket, never kept
    const hit = cache.get(url);
    if (hit !== undefined) {
      counters.hits++;
      res.writeHead(200, { "content-type": "text/html", "x-cache": "hit" }).end(hit);
      return;
    }
    const id = nextId++;
    waiting.set(id, (body) => {
      if (!cache.has(url)) {
        cache.set(url, body); // copied into the arena; the Worker's buffer can go
        counters.rendered++;
      }
      res.writeHead(200, { "content-type": "text/html", "x-cache": "miss" }).end(body);
    });
    pool[id % pool.length]!.postMessage({ id, url } satisfies RenderJob);
  });
  // #endregion serve
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    cache,
    counters,
    async close() {
      server.close();
      await once(server, "close");
      await Promise.all(pool.map((w) => w.terminate()));
      // The readers are gone; only now is the memory released.
      cache.release();
    },
  };
}
// #endregion service

// #region main
/**
 * Sends `requests` requests for popular and rare pages, `concurrency` at a time, and
 * checks every body.
 */
export async function main(
  requests = 2000,
  concurrency = 16,
): Promise<{
  bad: number;
  hits: number;
  rendered: number;
  workerHits: number;
  bytesUsed: number;
  maxBytes: number;
  evictions: number;
}> {
  const service = await start({ maxBytes: 256 * 1024 });
  let bad = 0;
  let next = 0;
  const client = async (): Promise<void> => {
    while (next < requests) {
      const k = next++;
      // A third of the requests ask for ten popular pages; the rest spread
      // over 2,000 rare ones.
      const item = k % 3 === 0 ? k % 10 : (k * 7919) % 2000;
      const path = `/item/${item}`;
      const res = await fetch(service.url + path);
      const body = new Uint8Array(await res.arrayBuffer());
      if (!Buffer.from(body).equals(render(path))) bad++;
    }
  };
  try {
    await Promise.all(Array.from({ length: concurrency }, client));
    const s = service.cache.stats();
    return {
      bad,
      ...service.counters,
      bytesUsed: s.bytesUsed,
      maxBytes: s.maxBytes,
      evictions: s.evictions,
    };
  } finally {
    await service.close();
  }
}

if (!isMainThread && (workerData as { role?: string } | null)?.role === ROLE) {
  rendererMain();
} else if (
  isMainThread &&
  process.argv[1] !== undefined &&
  import.meta.url === pathToFileURL(process.argv[1]).href
) {
  const r = await main();
  // Hits and renders depend on how the 16 clients interleave: `…` below.
  console.log(`${r.bad} wrong bodies`); // → 0 wrong bodies
  console.log(`${r.hits} hits from the arena, ${r.rendered} pages rendered`);
  // → … hits from the arena, … pages rendered
  console.log(`${r.workerHits} renders skipped by a Worker's cache read`);
  // → … renders skipped by a Worker's cache read
  console.log(`${r.evictions} evictions; ${r.bytesUsed} of ${r.maxBytes} bytes used`);
  // → … evictions; … of 262144 bytes used
}
// #endregion main
