// Recipe: build once, load many.
//
// One process builds a slot of accounts and saves it. Other processes (real
// child processes here; other machines in production) load the file instead
// of rebuilding it: one from a shared directory, one over HTTP. Each serves
// lookups and shares its copy with its own Worker, zero-copy.
//
// Run it from the repository root:
//   npx tsx --conditions=@arenakit/source \
//     packages/account-cache/examples/recipes/build-once-load-many.ts
// #region accounts
import { fork, type ChildProcess } from "node:child_process";
import { createReadStream, mkdtempSync, rmSync } from "node:fs";
import { createServer, get, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import {
  AccountsBuilder,
  FrozenAccounts,
  type FrozenAccountsDescriptor,
} from "@arenakit/account-cache";

const WORKER_ROLE = "build-once-load-many-worker";
/** Longest a loader may take before the builder gives up on it. */
const LOADER_TIMEOUT_MS = 60_000;

/** Account i of the slot: any process can recompute it to check what it loaded. */
export function accountOf(i: number): {
  id: string;
  owner: string;
  index: bigint;
  data: Uint8Array;
} {
  return {
    id: `acct-${i}`,
    owner: `owner-${i % 7}`,
    index: BigInt(i) * 3n,
    data: new Uint8Array([i & 0xff, (i >> 8) & 0xff, 7]),
  };
}

/** Looks up every account and counts those that read back exactly. */
function check(frozen: FrozenAccounts, accounts: number): number {
  let ok = 0;
  for (let i = 0; i < accounts; i++) {
    const want = accountOf(i);
    const a = frozen.get(want.id);
    if (
      a !== undefined &&
      a.owner === want.owner &&
      a.index === want.index &&
      a.data.length === 3 &&
      a.data[0] === want.data[0] &&
      a.data[1] === want.data[1]
    ) {
      ok++;
    }
  }
  return ok;
}
// #endregion accounts

// #region builder
/** What a loader reports back to the builder. */
export interface LoaderReport {
  readonly via: "directory" | "http";
  readonly size: number;
  readonly checked: number;
  readonly workerChecked: number;
}

export async function main(accounts = 50_000): Promise<LoaderReport[]> {
  const dir = mkdtempSync(join(tmpdir(), "build-once-"));
  const file = join(dir, "slot-7.arenakit");
  let server: Server | undefined;
  try {
    // Build once, save once.
    const builder = new AccountsBuilder(7n, { capacity: accounts });
    for (let i = 0; i < accounts; i++) {
      const a = accountOf(i);
      builder.insertAccount(a.id, a.owner, a.index, a.data);
    }
    const built = builder.finish();
    await built.save(file);
    built.release();

    // Serve the file on loopback only; the body is the snapshot, streamed
    // from disk.
    server = createServer((req, res) => {
      if (req.url !== "/slot-7") {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { "content-type": "application/octet-stream" });
      createReadStream(file).pipe(res);
    });
    await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as { port: number }).port;

    // Load many: one loader reads the shared directory, one downloads over HTTP.
    return await Promise.all([
      runLoader(["directory", file, accounts]),
      runLoader(["http", `http://127.0.0.1:${port}/slot-7`, accounts]),
    ]);
  } finally {
    await new Promise((resolve) =>
      server === undefined ? resolve(undefined) : server.close(resolve),
    );
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Starts a loader process (this file, in loader mode) and waits for its
 * report, bounded in time.
 */
function runLoader(args: (string | number)[]): Promise<LoaderReport> {
  const self = fileURLToPath(import.meta.url);
  // From TypeScript source, the child needs tsx and the source condition too.
  const execArgv = self.endsWith(".ts")
    ? ["--import", "tsx", "--conditions=@arenakit/source"]
    : [];
  const child: ChildProcess = fork(self, ["loader", ...args.map(String)], {
    execArgv,
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  return new Promise<LoaderReport>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`loader ${args[0]} took more than ${LOADER_TIMEOUT_MS} ms`));
    }, LOADER_TIMEOUT_MS);
    child.once("message", (report: LoaderReport) => {
      clearTimeout(timer);
      resolve(report);
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`loader ${args[0]} exited with code ${code} before reporting`));
    });
  });
}
// #endregion builder

// #region loader
async function loaderMain(
  via: "directory" | "http",
  from: string,
  accounts: number,
): Promise<void> {
  // From a shared directory: each chunk is read straight into its
  // SharedArrayBuffer. Over HTTP: the body is collected, then each chunk is
  // copied once into its own buffer. Either way every chunk's checksum is
  // verified before a lookup can follow a pointer into it.
  const frozen =
    via === "directory"
      ? await FrozenAccounts.load(from)
      : FrozenAccounts.fromBytes(await download(from));
  const checked = check(frozen, accounts);
  // Share with this process's own Worker: a small descriptor, the same memory.
  const worker = startWorker(accounts);
  const workerChecked = await new Promise<number>((resolve, reject) => {
    worker.once("message", resolve);
    worker.once("error", reject);
    worker.postMessage(frozen.share(worker));
  });
  await worker.terminate();
  const report: LoaderReport = { via, size: frozen.size, checked, workerChecked };
  frozen.release();
  // Exit only once the report has reached the builder.
  process.send!(report, () => process.exit(0));
}

function download(url: string): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    get(url, { timeout: LOADER_TIMEOUT_MS }, (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        reject(new Error(`GET ${url}: ${res.statusCode}`));
        return;
      }
      const parts: Buffer[] = [];
      res.on("data", (d: Buffer) => parts.push(d));
      res.on("end", () => resolve(Buffer.concat(parts)));
      res.on("error", reject);
    }).on("error", reject);
  });
}

// #endregion loader

// #region worker
function startWorker(accounts: number): Worker {
  const url = import.meta.url;
  const data = { role: WORKER_ROLE, accounts };
  if (url.endsWith(".ts")) {
    const boot =
      `import("tsx/esm/api").then((m) => { m.register(); ` +
      `return import(${JSON.stringify(url)}); });`;
    return new Worker(boot, { eval: true, workerData: data });
  }
  return new Worker(new URL(url), { workerData: data });
}

function workerMain(): void {
  const { accounts } = workerData as { accounts: number };
  parentPort!.once("message", (desc: FrozenAccountsDescriptor) => {
    // No copy: the Worker reads the loader's SharedArrayBuffers.
    const frozen = FrozenAccounts.fromShared(desc);
    const ok = check(frozen, accounts);
    frozen.release();
    parentPort!.postMessage(ok);
  });
}

// #endregion worker

// #region entry
// One file, three roles: the Worker, a loader process, or the builder.
if (!isMainThread && (workerData as { role?: string } | null)?.role === WORKER_ROLE) {
  workerMain();
} else if (isMainThread && process.argv[2] === "loader") {
  await loaderMain(
    process.argv[3] as "directory" | "http",
    process.argv[4]!,
    Number(process.argv[5]),
  );
} else if (
  isMainThread &&
  process.argv[1] !== undefined &&
  import.meta.url === pathToFileURL(process.argv[1]).href
) {
  for (const r of await main()) {
    console.log(`loaded via ${r.via}: ${r.size} accounts`);
    const inWorker = `${r.workerChecked} by its Worker`;
    console.log(`  read back: ${r.checked} by the loader, ${inWorker}`);
  }
  // → loaded via directory: 50000 accounts
  // →   read back: 50000 by the loader, 50000 by its Worker
  // → loaded via http: 50000 accounts
  // →   read back: 50000 by the loader, 50000 by its Worker
}
// #endregion entry
