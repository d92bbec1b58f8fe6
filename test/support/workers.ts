import { Worker, type WorkerOptions } from "node:worker_threads";

const ENTRY = new URL("./ts-worker.mjs", import.meta.url);

/**
 * Starts a real `worker_threads` Worker running the TypeScript module at
 * `entry`, resolving workspace packages from source. `workerData` is passed
 * through (the module reads it as usual).
 */
export function startTsWorker(entry: URL, workerData: Record<string, unknown> = {}, options: WorkerOptions = {}): Worker {
  return new Worker(ENTRY, {
    ...options,
    workerData: { ...workerData, __entry: entry.href },
    execArgv: [...(options.execArgv ?? []), "--conditions=@arenakit/source"],
  });
}

/** Resolves with the Worker's first message; rejects on an error or an exit before it. */
export function firstMessage<T>(worker: Worker): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    worker.once("message", resolve);
    worker.once("error", reject);
    worker.once("exit", (code) => reject(new Error(`worker exited with code ${code} before replying`)));
  });
}
