import { describeValue } from "../memory.js";
import { SnapshotError } from "./errors.js";
import {
  encodeHead,
  parseSnapshot,
  type LoadedSnapshot,
  type ReadRequest,
  type SnapshotParts,
  type SnapshotReadOptions,
} from "./format.js";
import { nodeFs, type Fs } from "./host.js";

/** Something a snapshot can be written to besides a path: a Node `Writable` (a file or socket stream). */
export interface SnapshotSink {
  write(chunk: Uint8Array): boolean;
  once(event: "drain" | "error" | "close", listener: (...args: unknown[]) => void): unknown;
  removeListener(event: "drain" | "error" | "close", listener: (...args: unknown[]) => void): unknown;
}

// fs.read/write take at most 2 GiB per call.
const IO_STEP = 1 << 30;
let tmpCounter = 0;

function ioError(err: unknown, path: string, doing: string): SnapshotError {
  if (err instanceof SnapshotError) return err;
  const code = (err as { code?: string } | null)?.code;
  if (code === "EISDIR") return new SnapshotError("not-a-file", "is a directory, not a snapshot file", { path, cause: err });
  return new SnapshotError("io", `${doing} failed: ${(err as Error)?.message ?? String(err)}`, { path, cause: err });
}

function tempName(path: string): string {
  const pid = (globalThis as { process?: { pid?: number } }).process?.pid ?? 0;
  return `${path}.${pid}-${Date.now().toString(36)}-${(tmpCounter++).toString(36)}.tmp`;
}

function checkPath(path: unknown, what: string): string {
  if (typeof path !== "string" || path.length === 0) {
    throw new SnapshotError("unsupported", `${what} expects a file path (a non-empty string), got ${path === null ? "null" : typeof path}`);
  }
  return path;
}

/**
 * Writes a snapshot to `path` safely: the bytes go to a temporary file next to
 * it, which is flushed to disk and then renamed over `path`. A crash or an
 * error mid-save leaves `path` absent or holding the previous file, never a
 * partial one (a stray `*.tmp` may remain after a crash).
 * Returns the number of bytes written.
 *
 * Cost: one write per chunk, straight from the chunk's memory (no copy), plus
 * one CRC-32 pass over the chunks.
 */
export function writeSnapshotFileSync(path: string, parts: SnapshotParts): number {
  const fs = nodeFs("writeSnapshotFileSync");
  checkPath(path, "writeSnapshotFileSync");
  const head = encodeHead(parts);
  const tmp = tempName(path);
  let fd: number;
  try {
    fd = fs.openSync(tmp, "wx", 0o644);
  } catch (err) {
    throw ioError(err, path, "creating the temporary file");
  }
  let total = 0;
  try {
    total += writeAllSync(fs, fd, head, total);
    for (const chunk of parts.chunks) total += writeAllSync(fs, fd, chunk, total);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fs.renameSync(tmp, path);
  } catch (err) {
    try {
      fs.closeSync(fd);
    } catch {
      // already closed
    }
    try {
      fs.unlinkSync(tmp);
    } catch {
      // nothing to clean
    }
    throw ioError(err, path, "writing the snapshot");
  }
  return total;
}

function writeAllSync(fs: Fs, fd: number, bytes: Uint8Array, position: number): number {
  let done = 0;
  while (done < bytes.length) {
    done += fs.writeSync(fd, bytes, done, Math.min(IO_STEP, bytes.length - done), position + done);
  }
  return bytes.length;
}

/**
 * The async form of {@link writeSnapshotFileSync}; also writes to a stream
 * (`sink`), in which case nothing is renamed: the stream's owner decides what
 * a complete write means. Resolves to the number of bytes written.
 */
export async function writeSnapshotFile(target: string | SnapshotSink, parts: SnapshotParts): Promise<number> {
  if (typeof target !== "string") return writeToSink(target, parts);
  const fs = nodeFs("writeSnapshotFile");
  const path = checkPath(target, "writeSnapshotFile");
  const head = encodeHead(parts);
  const tmp = tempName(path);
  let fh: Awaited<ReturnType<Fs["promises"]["open"]>>;
  try {
    fh = await fs.promises.open(tmp, "wx", 0o644);
  } catch (err) {
    throw ioError(err, path, "creating the temporary file");
  }
  let total = 0;
  try {
    for (const bytes of [head, ...parts.chunks]) {
      let done = 0;
      while (done < bytes.length) {
        const { bytesWritten } = await fh.write(bytes, done, Math.min(IO_STEP, bytes.length - done), total + done);
        done += bytesWritten;
      }
      total += bytes.length;
    }
    await fh.sync();
    await fh.close();
    await fs.promises.rename(tmp, path);
  } catch (err) {
    await fh.close().catch(() => undefined);
    await fs.promises.unlink(tmp).catch(() => undefined);
    throw ioError(err, path, "writing the snapshot");
  }
  return total;
}

async function writeToSink(sink: SnapshotSink, parts: SnapshotParts): Promise<number> {
  if (sink === null || typeof sink !== "object" || typeof sink.write !== "function" || typeof sink.once !== "function") {
    throw new SnapshotError("unsupported", `target must be a file path or a writable stream, got ${describeValue(sink)}`);
  }
  const head = encodeHead(parts);
  let total = 0;
  for (const bytes of [head, ...parts.chunks]) {
    total += bytes.length;
    if (sink.write(bytes)) continue;
    await new Promise<void>((resolve, reject) => {
      const onDrain = (): void => {
        sink.removeListener("error", onError);
        sink.removeListener("close", onClose);
        resolve();
      };
      const onError = (err: unknown): void => {
        sink.removeListener("drain", onDrain);
        sink.removeListener("close", onClose);
        reject(new SnapshotError("io", `the stream failed: ${(err as Error)?.message ?? String(err)}`, { cause: err }));
      };
      const onClose = (): void => {
        sink.removeListener("drain", onDrain);
        sink.removeListener("error", onError);
        reject(new SnapshotError("io", "the stream closed before the snapshot was written"));
      };
      sink.once("drain", onDrain);
      sink.once("error", onError as (...args: unknown[]) => void);
      sink.once("close", onClose);
    });
  }
  return total;
}

/**
 * Reads a snapshot file: checks its header, table and every chunk's
 * checksum, reading each chunk straight into the (Shared)ArrayBuffer it will
 * live in. Bad files raise a {@link SnapshotError} that names the problem.
 *
 * Cost: one read per chunk plus one CRC-32 pass; memory is the chunks' size
 * (never more than the file, whatever the header claims).
 */
export function readSnapshotFileSync(path: string, options: SnapshotReadOptions = {}): LoadedSnapshot {
  const fs = nodeFs("readSnapshotFileSync");
  checkPath(path, "readSnapshotFileSync");
  let fd: number;
  try {
    fd = fs.openSync(path, "r");
  } catch (err) {
    throw ioError(err, path, "opening the snapshot");
  }
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile()) throw new SnapshotError("not-a-file", `is a ${st.isDirectory() ? "directory" : "special file"}, not a snapshot file`, { path });
    const parser = parseSnapshot(st.size, options, path);
    let step = parser.next(0);
    while (!step.done) step = parser.next(readFullySync(fs, fd, step.value));
    return step.value;
  } catch (err) {
    throw ioError(err, path, "reading the snapshot");
  } finally {
    fs.closeSync(fd);
  }
}

function readFullySync(fs: Fs, fd: number, req: ReadRequest): number {
  const { into, position } = req;
  let done = 0;
  while (done < into.length) {
    const n = fs.readSync(fd, into, done, Math.min(IO_STEP, into.length - done), position + done);
    if (n === 0) break;
    done += n;
  }
  return done;
}

/** The async form of {@link readSnapshotFileSync}. */
export async function readSnapshotFile(path: string, options: SnapshotReadOptions = {}): Promise<LoadedSnapshot> {
  const fs = nodeFs("readSnapshotFile");
  checkPath(path, "readSnapshotFile");
  let fh: Awaited<ReturnType<Fs["promises"]["open"]>>;
  try {
    fh = await fs.promises.open(path, "r");
  } catch (err) {
    throw ioError(err, path, "opening the snapshot");
  }
  try {
    const st = await fh.stat();
    if (!st.isFile()) throw new SnapshotError("not-a-file", `is a ${st.isDirectory() ? "directory" : "special file"}, not a snapshot file`, { path });
    const parser = parseSnapshot(st.size, options, path);
    let step = parser.next(0);
    while (!step.done) {
      const { into, position } = step.value;
      let done = 0;
      while (done < into.length) {
        const { bytesRead } = await fh.read(into, done, Math.min(IO_STEP, into.length - done), position + done);
        if (bytesRead === 0) break;
        done += bytesRead;
      }
      step = parser.next(done);
    }
    return step.value;
  } catch (err) {
    throw ioError(err, path, "reading the snapshot");
  } finally {
    await fh.close();
  }
}

/**
 * Reads a snapshot from bytes already in memory (received over HTTP, from
 * `fetch`, from a message): the same checks as a file, each chunk copied
 * once into its own buffer. Works without a file system (in browsers too).
 */
export function readSnapshotBytes(bytes: Uint8Array, options: SnapshotReadOptions = {}): LoadedSnapshot {
  if (!(bytes instanceof Uint8Array)) throw new SnapshotError("unsupported", `bytes must be a Uint8Array, got ${describeValue(bytes)}`);
  const parser = parseSnapshot(bytes.length, options);
  let step = parser.next(0);
  while (!step.done) {
    const { into, position } = step.value;
    const n = Math.max(0, Math.min(into.length, bytes.length - position));
    into.set(bytes.subarray(position, position + n));
    step = parser.next(n);
  }
  return step.value;
}

/** The whole snapshot in one `Uint8Array` (for sending over a network or storing elsewhere than a file). */
export function encodeSnapshot(parts: SnapshotParts): Uint8Array {
  const head = encodeHead(parts);
  let n = head.length;
  for (const c of parts.chunks) n += c.length;
  const out = new Uint8Array(n);
  out.set(head, 0);
  let at = head.length;
  for (const c of parts.chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
