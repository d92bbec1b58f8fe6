import { ArenaError } from "../errors.js";

/**
 * What is wrong with a snapshot, as {@link SnapshotError.problem} names it.
 *
 * - `"empty"`: the file has no bytes.
 * - `"not-a-file"`: the path is a directory or something else that is not a regular file.
 * - `"magic"`: the file does not start with the snapshot magic bytes (it is not a snapshot).
 * - `"version"`: the file was written by a newer (or unknown) version of the format.
 * - `"byte-order"`: the file was written on a machine of the other byte order.
 * - `"truncated"`: the file ends before the header, table or a chunk it announces.
 * - `"trailing-bytes"`: the file is longer than what its header announces.
 * - `"checksum"`: a checksum does not match: the header, the table or a chunk was damaged.
 * - `"too-large"`: a chunk, the section or the sum is larger than the file or a configured limit.
 * - `"malformed"`: the checksums match but a field holds an impossible value.
 * - `"kind"`: the snapshot holds another kind of structure than the loader reads.
 * - `"schema"`: the snapshot's layout or schema fingerprint differs from the one expected.
 * - `"seed"`: the snapshot was written with another hash seed than the one expected.
 * - `"io"`: the file system refused (not found, no permission, disk full); `cause` holds its error.
 * - `"unsupported"`: this environment has no file system (a browser) or the value cannot be saved.
 */
export type SnapshotProblem =
  | "empty"
  | "not-a-file"
  | "magic"
  | "version"
  | "byte-order"
  | "truncated"
  | "trailing-bytes"
  | "checksum"
  | "too-large"
  | "malformed"
  | "kind"
  | "schema"
  | "seed"
  | "io"
  | "unsupported";

/**
 * A snapshot could not be saved or loaded. `problem` names what was wrong in
 * one word a caller can branch on; the message says where (file, chunk,
 * expected and found values). Nothing already in memory is changed by a failed
 * load, and a failed save never leaves a partial file under the final name.
 *
 * @example
 * ```ts
 * import { SnapshotError, loadArena } from "@arenakit/bump";
 * try {
 *   loadArena("/tmp/does-not-exist.arenakit");
 * } catch (err) {
 *   if (err instanceof SnapshotError) console.log(err.problem); // "io"
 * }
 * ```
 */
export class SnapshotError extends ArenaError {
  /** What was wrong (see {@link SnapshotProblem}). */
  readonly problem: SnapshotProblem;
  /** The file, when there is one. */
  readonly path: string | undefined;

  constructor(problem: SnapshotProblem, message: string, options: { readonly path?: string; readonly cause?: unknown } = {}) {
    super("ERR_ARENA_SNAPSHOT", options.path === undefined ? message : `${options.path}: ${message}`);
    this.problem = problem;
    this.path = options.path;
    if (options.cause !== undefined) this.cause = options.cause;
  }
}
