import type { BumpOptions } from "../api.js";
import { Bump } from "../bump.js";
import { GENERATIONS, MAX_CHUNKS } from "../ptr.js";
import { ArenaReader } from "../reader.js";
import { describeValue } from "../memory.js";
import { SnapshotError } from "./errors.js";
import {
  readSnapshotBytes,
  readSnapshotFile,
  readSnapshotFileSync,
  writeSnapshotFile,
  writeSnapshotFileSync,
  type SnapshotSink,
} from "./file.js";
import type { LoadedSnapshot, SnapshotParts, SnapshotReadOptions } from "./format.js";

/** The kind name of a plain arena snapshot. */
export const ARENA_KIND = "arena";

/** What a package above `bump` adds to an arena snapshot: its kind, fingerprint, seed and section. */
export interface ArenaSnapshotExtra {
  /** Kind name (at most 16 ASCII characters). @defaultValue "arena" */
  readonly kind?: string;
  /** Layout or schema fingerprint. @defaultValue 0 */
  readonly fingerprint?: number;
  /** Hash seed. @defaultValue 0 */
  readonly seed?: number;
  /** The package's own section (JSON-serializable): handles, numbers, names. @defaultValue null */
  readonly data?: unknown;
}

/** The section of an arena snapshot: the arena's own facts, then the package's data. */
interface ArenaSection {
  readonly arena: { readonly shared: boolean; readonly floors: readonly (readonly [number, number])[] };
  readonly data: unknown;
}

/** Options of {@link loadArenaSync} and {@link loadArena}: what to expect, limits, and the new arena's options. */
export interface ArenaLoadOptions extends SnapshotReadOptions {
  /**
   * Options of the new `Bump` (its allocation limit, chunk sizes, pool) when
   * loaded as a writable arena. `shared` comes from the file unless given.
   */
  readonly bump?: Omit<BumpOptions, "shared" | "growth">;
}

/**
 * The parts of a snapshot of `bump` (its chunks, zero-copy, with the package
 * data of `extra`): what `writeSnapshotFile` writes. Packages above `bump`
 * build their own snapshots with it.
 */
export function arenaSnapshot(bump: Bump, extra: ArenaSnapshotExtra = {}): SnapshotParts {
  if (!(bump instanceof Bump)) {
    throw new SnapshotError("unsupported", `bump must be a Bump (an ArenaReader or another allocator cannot be saved), got ${describeValue(bump)}`);
  }
  const state = bump._snapshotState();
  const section: ArenaSection = { arena: { shared: bump.shared, floors: state.floors }, data: extra.data ?? null };
  return {
    kind: extra.kind ?? ARENA_KIND,
    fingerprint: extra.fingerprint ?? 0,
    seed: extra.seed ?? 0,
    generation: state.generation,
    section,
    chunks: state.chunks,
  };
}

/** A loaded arena snapshot, checked: its chunks and the package data it carries. */
export interface CheckedArena {
  readonly loaded: LoadedSnapshot;
  readonly shared: boolean;
  readonly floors: readonly (readonly [number, number])[];
  /** The package's section. */
  readonly data: unknown;
}

/**
 * Checks that a loaded snapshot is an arena snapshot a `Bump` can hold
 * (chunk count, generation, floors, section shape); throws a `"malformed"`
 * {@link SnapshotError} otherwise. For packages above `bump`.
 */
export function checkArena(loaded: LoadedSnapshot, path?: string): CheckedArena {
  const at = path === undefined ? {} : { path };
  const bad = (why: string): never => {
    throw new SnapshotError("malformed", why, at);
  };
  if (loaded === null || typeof loaded !== "object" || !Array.isArray(loaded.buffers)) {
    bad(`loaded must be a LoadedSnapshot (from readSnapshotFile), got ${describeValue(loaded)}`);
  }
  if (loaded.buffers.length > MAX_CHUNKS) bad(`an arena has at most ${MAX_CHUNKS} chunks; the file has ${loaded.buffers.length}`);
  if (!Number.isInteger(loaded.generation) || loaded.generation < 1 || loaded.generation >= GENERATIONS) {
    bad(`pointer generation ${loaded.generation} is out of range 1..${GENERATIONS - 1}`);
  }
  const s = loaded.section as Partial<ArenaSection> | null;
  const arena = s !== null && typeof s === "object" ? s.arena : undefined;
  if (arena === undefined || arena === null || typeof arena !== "object" || typeof arena.shared !== "boolean" || !Array.isArray(arena.floors)) {
    bad("the section does not describe an arena");
  }
  for (const f of arena!.floors) {
    if (!Array.isArray(f) || f.length !== 2 || !Number.isInteger(f[0]) || f[0] < 1 || f[0] >= GENERATIONS || typeof f[1] !== "number" || !(f[1] >= 0)) {
      bad("the section holds a malformed rewind floor");
    }
  }
  return { loaded, shared: arena!.shared, floors: arena!.floors, data: s!.data ?? null };
}

/** A writable `Bump` over a checked snapshot's chunks. */
export function bumpFrom(arena: CheckedArena, options: ArenaLoadOptions = {}): Bump {
  checkChecked("bumpFrom", arena);
  const shared = arena.loaded.buffers[0] instanceof SharedArrayBuffer || (arena.loaded.buffers.length === 0 && (options.shared ?? arena.shared));
  return Bump._adopt(arena.loaded.buffers, arena.loaded.chunkBytes, arena.loaded.generation, arena.floors, { ...options.bump, shared });
}

/** A read-only `ArenaReader` over a checked snapshot's chunks (they must be SharedArrayBuffers). */
export function readerFrom(arena: CheckedArena): ArenaReader {
  checkChecked("readerFrom", arena);
  const buffers = arena.loaded.buffers as SharedArrayBuffer[];
  return ArenaReader.attach({ kind: "arenakit.arena", buffers, generation: arena.loaded.generation });
}

function readOptions(options: ArenaLoadOptions, kind: string | undefined): SnapshotReadOptions {
  return { maxChunks: MAX_CHUNKS, ...options, kind: options.kind ?? kind ?? ARENA_KIND };
}

/**
 * Saves a `Bump`'s chunks to `path` (temporary file + rename: never a
 * half-written file under `path`). Only the used bytes of each chunk are
 * written; pointers stay valid after a load because they are chunk slot and
 * offset, not addresses. Returns the bytes written.
 *
 * Gotcha: do not allocate in the arena while it is being saved.
 *
 * @example
 * ```ts
 * import { Bump, loadArenaSync, saveArenaSync } from "@arenakit/bump";
 * const bump = new Bump();
 * const p = bump.allocStr("hello");
 * saveArenaSync(bump, "/tmp/hello.arenakit");
 * const again = loadArenaSync("/tmp/hello.arenakit");
 * again.readStr(p); // "hello"
 * ```
 */
export function saveArenaSync(bump: Bump, path: string): number {
  return writeSnapshotFileSync(path, arenaSnapshot(bump));
}

/** The async form of {@link saveArenaSync}; also writes to a stream. */
export function saveArena(bump: Bump, target: string | SnapshotSink): Promise<number> {
  try {
    return writeSnapshotFile(target, arenaSnapshot(bump));
  } catch (err) {
    return Promise.reject(err);
  }
}

/**
 * Loads an arena saved by {@link saveArenaSync} as a new `Bump` that can keep
 * allocating (new allocations open a new chunk). Each chunk is read straight
 * into its own (Shared)ArrayBuffer; every checksum is checked first.
 * @throws {@link SnapshotError} naming the problem for a bad file.
 */
export function loadArenaSync(path: string, options: ArenaLoadOptions = {}): Bump {
  return bumpFrom(checkArena(readSnapshotFileSync(path, readOptions(options, undefined)), path), options);
}

/** The async form of {@link loadArenaSync}. */
export async function loadArena(path: string, options: ArenaLoadOptions = {}): Promise<Bump> {
  return bumpFrom(checkArena(await readSnapshotFile(path, readOptions(options, undefined)), path), options);
}

/**
 * Loads an arena as a read-only {@link ArenaReader} over SharedArrayBuffers
 * (hand its buffers to Workers at will). Reads are pointer-checked like the
 * original's.
 */
export function loadArenaReaderSync(path: string, options: SnapshotReadOptions = {}): ArenaReader {
  return readerFrom(checkArena(readSnapshotFileSync(path, { ...readOptions(options, undefined), shared: true }), path));
}

/** The async form of {@link loadArenaReaderSync}. */
export async function loadArenaReader(path: string, options: SnapshotReadOptions = {}): Promise<ArenaReader> {
  return readerFrom(checkArena(await readSnapshotFile(path, { ...readOptions(options, undefined), shared: true }), path));
}

/** Loads an arena from snapshot bytes in memory (see `readSnapshotBytes`) as a writable `Bump`. */
export function arenaFromBytes(bytes: Uint8Array, options: ArenaLoadOptions = {}): Bump {
  return bumpFrom(checkArena(readSnapshotBytes(bytes, readOptions(options, undefined))), options);
}

function checkChecked(call: string, arena: unknown): void {
  const loaded = (arena as Partial<CheckedArena> | null | undefined)?.loaded;
  if (loaded === null || typeof loaded !== "object" || !Array.isArray(loaded.buffers)) {
    throw new SnapshotError("malformed", `${call}: arena must be a CheckedArena (from checkArena), got ${describeValue(arena)}`);
  }
}
