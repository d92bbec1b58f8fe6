// Examples shown in the yoke chapter (sharing with Workers). A real program:
// run it with `npx tsx --conditions=@arenakit/source packages/yoke/examples/shared.ts`;
// test/examples.test.ts runs it in a child process and checks what it prints.
import { once } from "node:events";
import { isMainThread, Worker } from "node:worker_threads";
import { pathToFileURL } from "node:url";

// #region share
import { SharedArc } from "@arenakit/yoke";

export async function shareWithWorker(): Promise<string[]> {
  const records = new Int32Array(new SharedArrayBuffer(4 * 1000)).fill(7);
  let dropped!: (onMainThread: boolean) => void;
  const done = new Promise<boolean>((resolve) => (dropped = resolve));
  const cart = SharedArc.new(records, {
    name: "records",
    // what travels: the buffer, never the data
    describe: (r) => r.buffer as SharedArrayBuffer,
    onDrop: () => dropped(isMainThread), // runs where the memory can be recycled
  });
  const worker = startWorker(new URL("./shared-worker.ts", import.meta.url));
  // one reference in flight, addressed to this Worker
  worker.postMessage({ cart: cart.share(worker) });
  cart.release(); // the Worker's reference keeps the records alive
  // The Worker replies, then releases the last reference; onDrop runs here once it has.
  const message = once(worker, "message") as Promise<[number]>;
  const [[sum], onMainThread] = await Promise.all([message, done]);
  await worker.terminate();
  const where = onMainThread ? "the main thread" : "a Worker";
  return [`the Worker summed ${sum} without copying`, `onDrop ran on ${where}`];
  // → ["the Worker summed 7000 without copying", "onDrop ran on the main thread"]
}
// #endregion share

// #region dead-worker
export async function crashedWorker(): Promise<string[]> {
  const log: string[] = [];
  const cart = SharedArc.new(new Int32Array(new SharedArrayBuffer(64)), {
    describe: (r) => r.buffer as SharedArrayBuffer,
    onDrop: () => log.push("dropped"),
  });
  const worker = startWorker(new URL("./shared-worker.ts", import.meta.url));
  worker.on("error", (err) => log.push(`worker error: ${err.message}`));
  // share(worker) also watches the Worker: when it exits, its leases are reclaimed.
  worker.postMessage({ cart: cart.share(worker), crash: true });
  await new Promise((resolve) => worker.once("exit", resolve));
  log.push(`holders after the crash: ${cart.holderCount}`); // only ours is left
  cart.release(); // the last reference: dropped here, not pinned by the dead Worker
  return log; // → ["worker error: the Worker crashed while holding a reference",
  //   "holders after the crash: 1", "dropped"]
}
// #endregion dead-worker

/**
 * Starts a Worker on a module. Under tsx (this file run as TypeScript) the
 * Worker must register tsx before it can load a .ts file; compiled to
 * JavaScript, it is a plain `new Worker(url)`.
 */
export function startWorker(url: URL, workerData?: unknown): Worker {
  if (url.pathname.endsWith(".ts")) {
    const boot = `import("tsx/esm/api").then((m) => { m.register(); return import(${JSON.stringify(url.href)}); });`;
    return new Worker(boot, { eval: true, workerData });
  }
  return new Worker(url, { workerData });
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const out = { share: await shareWithWorker(), crash: await crashedWorker() };
  process.stdout.write(`${JSON.stringify(out)}\n`);
}
