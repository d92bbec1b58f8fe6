// Entry of Workers that run TypeScript sources in tests. Node 20 does not run
// `--import tsx` from a Worker's execArgv before the entry is loaded, so the
// entry registers tsx itself, then imports the real module. The
// "@arenakit/source" condition comes from the Worker's execArgv.
import { workerData } from "node:worker_threads";
import { register } from "tsx/esm/api";

register();
await import(workerData.__entry);
