// Benchmark Workers run TypeScript sources: Node 20 does not pass the
// runner's tsx loader on to worker_threads, so the module is bundled with
// esbuild once per run (as the isolated cases' children are, see
// child-process.ts) and each Worker starts on the bundle, which costs far less
// CPU than registering tsx in every Worker and compiling the packages there.
// Loaded lazily, so suites that use it still load in browsers (their Worker
// cases are Node-only).

/** What the cases use of a Worker (kept minimal so suites type-check without DOM/Node clashes). */
export interface NodeWorker {
  postMessage(m: unknown): void;
  once(event: "message", f: (m: unknown) => void): unknown;
  once(event: "exit", f: (code: number) => void): unknown;
  terminate(): Promise<number>;
  unref(): void;
  readonly threadId: number;
}

/** Starts a Worker on the TypeScript module at `url` and resolves once it posts its first ("ready") message. */
export async function startTsWorker(url: URL): Promise<NodeWorker> {
  const { Worker } = await import("node:worker_threads");
  // Computed so that the site's bundler (which loads the suites for in-browser cases) does not follow it into
  // Node-only code.
  const childProcess = new URL("../../child-process.ts", import.meta.url).href;
  const { bundleScript } = (await import(/* @vite-ignore */ childProcess)) as typeof import("../../child-process.ts");
  const w = new Worker(await bundleScript(url)) as unknown as NodeWorker;
  w.unref(); // never keeps the process alive, whatever happens to teardown
  await new Promise((resolve) => w.once("message", resolve));
  return w;
}

/** One round trip: post `m`, resolve with the Worker's reply. */
export function roundTrip<T>(w: NodeWorker, m: unknown): Promise<T> {
  return new Promise((resolve) => {
    w.once("message", (v) => resolve(v as T));
    w.postMessage(m);
  });
}
