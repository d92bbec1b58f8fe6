// The runner's side of the native anchor: is Rust with Debian's bumpalo and
// hashbrown sources here, build the program once per run, write a workload
// file, and run the program on it.
import { execFile, spawn } from "node:child_process";
import { existsSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { scratchDir } from "../../child-process.ts";
import { rng } from "../../workload.ts";
import { makeInput } from "./account-cache-input.ts";
import { encodeWorkload } from "./native-workload.ts";

const run = promisify(execFile);

/** The Rust program's folder (its .cargo/config.toml points cargo at Debian's crate sources). */
export const NATIVE_DIR = fileURLToPath(new URL("../../../native/", import.meta.url));
/** Where Debian's librust-*-dev packages put crate sources. */
export const DEBIAN_REGISTRY = "/usr/share/cargo/registry";
const BINARY = join(NATIVE_DIR, "target", "release", "arenakit-native-anchor");

let built: Promise<string | undefined> | undefined;

/**
 * Why the native anchor cannot run here, or undefined once its program is
 * built (the first call builds it with `cargo build --offline --release`).
 */
export function nativeUnavailable(): Promise<string | undefined> {
  built ??= (async () => {
    try {
      await run("cargo", ["--version"]);
    } catch {
      return "cargo is not installed (the native anchor is optional: install Rust to compare with it)";
    }
    const crates = existsSync(DEBIAN_REGISTRY) ? readdirSync(DEBIAN_REGISTRY) : [];
    const missing = ["bumpalo-3.", "hashbrown-0.12."].filter((c) => !crates.some((d) => d.startsWith(c)));
    if (missing.length > 0) {
      return (
        `the crate sources of ${missing.map((m) => m.split("-")[0]).join(" and ")} are not in ${DEBIAN_REGISTRY} ` +
        "(apt-get install librust-bumpalo-dev librust-hashbrown-dev)"
      );
    }
    try {
      await run("cargo", ["build", "--offline", "--release", "--quiet"], { cwd: NATIVE_DIR, maxBuffer: 1 << 24 });
    } catch (e) {
      const err = (e as { stderr?: string }).stderr ?? String(e);
      return `cargo could not build benchmarks/native: ${err.trim().split("\n").slice(-3).join(" ")}`;
    }
    return existsSync(BINARY) ? undefined : `cargo built no ${BINARY}`;
  })();
  return built;
}

/**
 * Writes the workload of `n` accounts (the account-cache suite's seeded
 * input) with `queries` lookups drawn at random (seeded) to a scratch file,
 * and returns its path.
 */
export function writeWorkload(n: number, queries: number, seed = 42): string {
  const input = makeInput(n, seed);
  const next = rng(seed + 1);
  const q = Uint32Array.from({ length: queries }, () => Math.floor(next() * n));
  const file = join(scratchDir(), `native-workload-${n}-${queries}.bin`);
  writeFileSync(file, encodeWorkload({ input, queries: q }));
  return file;
}

/** What the Rust program reports (times in ns; per account, per lookup, per slot for the drop). */
export interface NativeFigures {
  readonly accounts: number;
  readonly buildNs: number;
  readonly getNs: number;
  readonly getDecodedNs: number;
  readonly dropNs: number;
  readonly bytesPerAccount: number;
}

/** Runs the built program on a workload file. */
export function runNative(file: string, reps: number, samples: number): Promise<NativeFigures> {
  return new Promise((resolve, reject) => {
    const child = spawn(BINARY, [file, String(reps), String(samples)], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    child.on("error", reject);
    child.on("close", (code) => {
      const line = out.trim().split("\n").pop() ?? "";
      if (code !== 0 || !line.startsWith("{")) reject(new Error(`the native anchor exited with ${code}: ${err.trim()}`));
      else resolve(JSON.parse(line) as NativeFigures);
    });
  });
}
