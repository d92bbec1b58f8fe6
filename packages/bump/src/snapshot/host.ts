import { SnapshotError } from "./errors.js";

// Node's file system and zlib are looked up at run time through
// `process.getBuiltinModule` (Node >= 20.16) instead of being imported, so
// every package entry still bundles for the browser: a bundler sees no
// `node:` import, and in a browser only the file functions fail, with a
// SnapshotError, while encoding to and decoding from bytes keeps working.

/** The parts of `node:fs` the snapshot code uses. */
export type Fs = typeof import("node:fs");

interface Host {
  readonly fs: Fs | undefined;
  readonly crc32: ((data: Uint8Array, value?: number) => number) | undefined;
}

let host: Host | undefined;

function lookup(): Host {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const get = typeof proc?.getBuiltinModule === "function" ? proc.getBuiltinModule.bind(proc) : undefined;
  const fs = get?.("node:fs") as Fs | undefined;
  const zlib = get?.("node:zlib") as { crc32?: (data: Uint8Array, value?: number) => number } | undefined;
  return { fs, crc32: typeof zlib?.crc32 === "function" ? zlib.crc32 : undefined };
}

/** `node:fs`, or a SnapshotError naming `what` could not run here. */
export function nodeFs(what: string): Fs {
  host ??= lookup();
  if (host.fs === undefined) {
    throw new SnapshotError("unsupported", `${what} needs Node's file system (process.getBuiltinModule("node:fs")), which this environment lacks`);
  }
  return host.fs;
}

/** zlib's native crc32 when the platform has it. */
export function nativeCrc32(): ((data: Uint8Array, value?: number) => number) | undefined {
  host ??= lookup();
  return host.crc32;
}
