// Recipe: a per-request scratch arena in an HTTP handler.
//
// Every request parses its body into an arena, works on the records there and
// answers; the arena is released when the handler returns (`using`), and its
// chunks go back to a pool that the next request takes them from. A busy
// server stops allocating new buffers once warm, and the GC never sees the
// parsed records.
//
// Run it:
//   npx tsx --conditions=@arenakit/source \
//     packages/bump/examples/recipes/request-scratch.ts
// #region setup
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { pathToFileURL } from "node:url";
import { Bump, ChunkPool, struct, t, type Ptr } from "@arenakit/bump";

/** One parsed line of a request body: "id,owner,amount". */
const Transfer = struct({ id: t.str, owner: t.str, amount: t.f64 });

/** Chunks shared by all requests: bounded, so a burst cannot pin memory forever. */
const pool = new ChunkPool({ maxBytes: 32 * 1024 * 1024 });
// #endregion setup

// #region parse
async function readBody(req: IncomingMessage): Promise<string> {
  let body = "";
  for await (const chunk of req) body += chunk;
  return body;
}

/** Parses the body into the arena and totals the amounts per owner. */
export function summarize(
  bump: Bump,
  body: string,
): { records: number; totals: Record<string, number> } {
  // Only pointers (plain numbers) live on the JS heap; the records are in `bump`.
  const ptrs: Ptr[] = [];
  for (const line of body.split("\n")) {
    if (line.trim() === "") continue;
    const [id, owner, amount] = line.split(",");
    if (id === undefined || owner === undefined || amount === undefined) {
      throw new Error(`bad line: ${line}`);
    }
    ptrs.push(Transfer.write(bump, { id, owner, amount: Number(amount) }));
  }
  const totals: Record<string, number> = {};
  for (const p of ptrs) {
    // `get` reads one field in place: no record object is built.
    const owner = Transfer.get(bump, p, "owner");
    totals[owner] = (totals[owner] ?? 0) + Transfer.get(bump, p, "amount");
  }
  return { records: ptrs.length, totals };
}
// #endregion parse

// #region server
export function startServer(): Server {
  return createServer(async (req, res) => {
    // One arena per in-flight request: handlers interleave at every `await`.
    // `using` releases it when this function returns, even on a throw, and
    // its chunks go back to the pool for the next request.
    using bump = new Bump({ pool, initialChunkSize: 64 * 1024 });
    try {
      const summary = summarize(bump, await readBody(req));
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ ...summary, arenaBytes: bump.allocatedBytes }));
    } catch (err) {
      res.writeHead(400, { "content-type": "text/plain" });
      res.end(String((err as Error).message));
    }
  });
}
// #endregion server

// #region main
/** Starts the server on a free loopback port, sends `requests` requests, and stops. */
export async function main(
  requests = 20,
): Promise<{ answers: unknown[]; pool: ReturnType<ChunkPool["stats"]> }> {
  const server = startServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  const answers: unknown[] = [];
  try {
    for (let i = 0; i < requests; i++) {
      const body = Array.from(
        { length: 500 },
        (_, j) => `tx-${i}-${j},owner-${j % 3},${j % 10}`,
      ).join("\n");
      const res = await fetch(`http://127.0.0.1:${port}/`, { method: "POST", body });
      answers.push(await res.json());
    }
  } finally {
    await new Promise<void>((r) => server.close(() => r()));
  }
  return { answers, pool: pool.stats() };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const { answers, pool: stats } = await main();
  const first = answers[0] as { records: number; totals: object; arenaBytes: number };
  console.log(JSON.stringify(first.totals));
  // → {"owner-0":753,"owner-1":750,"owner-2":747}
  console.log(`${first.records} records, ${first.arenaBytes} arena bytes`);
  // → 500 records, 65536 arena bytes
  console.log(`${answers.length} requests, ${stats.reused} pooled chunks reused`);
  // → 20 requests, 19 pooled chunks reused
}
// #endregion main
