import {
  SnapshotError,
  fingerprintOf,
  readSnapshotFile,
  readSnapshotFileSync,
  writeSnapshotFile,
  writeSnapshotFileSync,
  type LoadedSnapshot,
  type SnapshotParts,
  type SnapshotReadOptions,
  type SnapshotSink,
} from "@arenakit/bump";
import type { Arena, ArenaDescriptor, ArenaKind, ArenaView, Layout, Schema } from "./api.js";
import { ArenaCore } from "./core.js";
import { InvalidArgumentError } from "./errors.js";
import { resolve } from "./factory.js";
import { FIELD_TYPES, bytesOf, describe } from "./schema.js";
import { inSharedArena, type ViewOptions } from "./scope.js";

/** The kind name a compact-arena snapshot carries in its header. */
export const COMPACT_ARENA_KIND = "compact-arena";

const KINDS: readonly string[] = ["nano", "tiny", "small"];
const LAYOUTS: readonly string[] = ["contiguous", "segmented", "resizable"];

/** The JSON section of a compact-arena snapshot: the descriptor's plain fields, the saved length and the chunk count per column. */
interface ColumnsSection {
  readonly kind: ArenaKind;
  readonly layout: Layout;
  readonly schema: Schema;
  readonly capacity: number;
  readonly segmentBits: number;
  readonly length: number;
  /** Chunks per column, in schema order (they follow the header chunk in that order). */
  readonly segments: readonly number[];
}

function checkKindArg(kind: unknown, call: string): ArenaKind {
  if (typeof kind !== "string" || !KINDS.includes(kind)) {
    throw new InvalidArgumentError(`${call}: kind must be "nano", "tiny" or "small", got ${describe(kind)}`);
  }
  return kind as ArenaKind;
}

/** The fields of `schema`, checked like `inArena` checks them, as `name:type` in order. */
function schemaText(kind: ArenaKind, schema: unknown): string {
  const r = resolve({ kind }, schema);
  return r.fields.map((f) => `${f.name}:${f.type}`).join(",");
}

/**
 * The schema fingerprint a compact-arena snapshot carries: a 32-bit hash of the
 * arena's kind and its fields' names and types, in order. Loading with another
 * kind or schema is a `"schema"` {@link SnapshotError}. The layout is not part
 * of it (it is checked separately).
 *
 * Cost: hashes a short text. Gotcha: two schemas with the same fields in another
 * order have different fingerprints (their columns are stored in field order).
 *
 * @throws {@link InvalidArgumentError} or `SchemaError` for a bad kind or schema.
 * @example
 * ```ts
 * import { columnsFingerprint } from "@arenakit/compact-arena";
 * columnsFingerprint("tiny", { x: "f64" }) === columnsFingerprint("tiny", { x: "f64" }); // true
 * ```
 */
export function columnsFingerprint(kind: ArenaKind, schema: Schema): number {
  const k = checkKindArg(kind, "columnsFingerprint");
  return fingerprintOf(`compact-arena/1:${k}:${schemaText(k, schema)}`);
}

/**
 * The snapshot parts of a shared arena (for packages that write it with
 * bump's `writeSnapshotFile` themselves). The length is read once; each column
 * of a `contiguous` or `resizable` arena contributes its first `length`
 * records only, a `segmented` arena its whole segments.
 *
 * Gotcha: the chunks are views of the arena's live columns, not copies; change
 * no record until they are written.
 *
 * @throws {@link SnapshotError} `"unsupported"` unless `arena` is an arena made with `shared: true`.
 * @example
 * ```ts
 * import { compactArenaSnapshot, inArena } from "@arenakit/compact-arena";
 * inArena({ kind: "nano", shared: true }, { v: "u8" }, (arena) => {
 *   arena.add({ v: 7 });
 *   compactArenaSnapshot(arena).chunks.length; // 2: the length, then the column
 * });
 * ```
 */
export function compactArenaSnapshot<B extends symbol, S extends Schema, K extends ArenaKind, L extends Layout>(arena: Arena<B, S, K, L>): SnapshotParts {
  const core = arena as unknown;
  if (!(core instanceof ArenaCore) || core._reader) {
    throw new SnapshotError("unsupported", `arena must be an arena of inArena(), got ${describe(arena)}`);
  }
  if (!core.shared) {
    throw new SnapshotError("unsupported", "only an arena made with shared: true can be saved (its columns are written as they are)");
  }
  const d = core.share(); // throws ReleasedError for a released arena
  const length = Atomics.load(new Uint32Array(d.header, 0, 1), 0);
  const fields = Object.entries(d.schema);
  const chunks: Uint8Array[] = [new Uint8Array(new Uint32Array([length]).buffer)];
  d.columns.forEach((bufs, c) => {
    if (d.layout === "segmented") {
      for (const b of bufs) chunks.push(new Uint8Array(b));
    } else {
      chunks.push(new Uint8Array(bufs[0]!, 0, length * bytesOf(codeOf(fields[c]![1]), d.kind)));
    }
  });
  const section: ColumnsSection = {
    kind: d.kind,
    layout: d.layout,
    schema: d.schema,
    capacity: d.capacity,
    segmentBits: d.segmentBits,
    length,
    segments: d.columns.map((bufs) => (d.layout === "segmented" ? bufs.length : 1)),
  };
  return { kind: COMPACT_ARENA_KIND, fingerprint: columnsFingerprint(d.kind, d.schema), seed: 0, generation: 0, section, chunks };
}

/** The column code of a field type (the order of FIELD_TYPES is the codes' order). */
function codeOf(type: string): number {
  return FIELD_TYPES.indexOf(type as never);
}

/**
 * Saves a shared arena's length and columns to `path`, through a temporary
 * file and a rename (a crash leaves the previous file or none, never half of
 * one). The arena must be made with `shared: true`. Returns the bytes written.
 *
 * Cost: one write per column (per segment for `segmented`) straight from the
 * columns' memory, and a CRC-32 pass. A flat column is written up to the
 * arena's length; a segmented one in whole segments.
 *
 * @throws {@link SnapshotError} naming the problem (`"unsupported"`, `"io"`).
 * @example
 * ```ts
 * import { inArena, inLoadedArenaSync, saveCompactArenaSync } from "@arenakit/compact-arena";
 * const Point = { x: "f64", y: "f64" } as const;
 * inArena({ kind: "tiny", shared: true }, Point, (arena) => {
 *   arena.add({ x: 1, y: 2 });
 *   saveCompactArenaSync(arena, "/tmp/points.arenakit");
 * });
 * inLoadedArenaSync("/tmp/points.arenakit", "tiny", Point, (view) => view.length); // 1
 * ```
 */
export function saveCompactArenaSync<B extends symbol, S extends Schema, K extends ArenaKind, L extends Layout>(arena: Arena<B, S, K, L>, path: string): number {
  return writeSnapshotFileSync(path, compactArenaSnapshot(arena));
}

/**
 * The async form of {@link saveCompactArenaSync}; also writes to a stream.
 *
 * Gotcha: the columns are written from the arena's memory as the writes run;
 * change no record before the promise settles.
 *
 * @example
 * ```ts
 * import { inArena, saveCompactArena } from "@arenakit/compact-arena";
 * await inArena({ kind: "nano", shared: true }, { v: "u8" }, (arena) => saveCompactArena(arena, "/tmp/v.arenakit"));
 * ```
 */
export async function saveCompactArena<B extends symbol, S extends Schema, K extends ArenaKind, L extends Layout>(arena: Arena<B, S, K, L>, target: string | SnapshotSink): Promise<number> {
  return writeSnapshotFile(target, compactArenaSnapshot(arena));
}

interface LoadRequest {
  readonly kind: ArenaKind;
  readonly layout: Layout | undefined;
  readonly read: SnapshotReadOptions;
}

function request(call: string, path: unknown, kind: unknown, schema: unknown, limits: unknown): LoadRequest {
  if (typeof path !== "string" || path.length === 0) {
    throw new SnapshotError("unsupported", `${call}: path must be a file path (a non-empty string), got ${describe(path)}`);
  }
  let k: unknown = kind;
  let layout: unknown;
  if (kind !== null && typeof kind === "object") {
    k = (kind as ViewOptions).kind;
    layout = (kind as ViewOptions).layout;
    if (layout !== undefined && !LAYOUTS.includes(layout as string)) {
      throw new InvalidArgumentError(`${call}: layout must be one of ${LAYOUTS.join(", ")}, got ${describe(layout)}`);
    }
  }
  const ak = checkKindArg(k, call);
  if (limits !== undefined && (limits === null || typeof limits !== "object")) {
    throw new InvalidArgumentError(`${call}: limits must be an object of snapshot read options, got ${describe(limits)}`);
  }
  const fingerprint = columnsFingerprint(ak, schema as Schema);
  return {
    kind: ak,
    layout: layout as Layout | undefined,
    read: { ...(limits as SnapshotReadOptions | undefined), shared: true, kind: COMPACT_ARENA_KIND, fingerprint },
  };
}

function copyExact(buf: ArrayBuffer | SharedArrayBuffer, bytes: number): SharedArrayBuffer {
  if (buf instanceof SharedArrayBuffer && buf.byteLength === bytes) return buf;
  const out = new SharedArrayBuffer(bytes);
  new Uint8Array(out).set(new Uint8Array(buf, 0, bytes));
  return out;
}

/** Turns a loaded file into a descriptor and proves it by opening a view on it; every failure is a SnapshotError. */
function descriptorOf(loaded: LoadedSnapshot, req: LoadRequest, schema: Schema, path: string): ArenaDescriptor {
  const bad = (why: string, cause?: unknown): never => {
    throw new SnapshotError("malformed", why, { path, cause });
  };
  const s = loaded.section as Partial<ColumnsSection> | null;
  if (s === null || typeof s !== "object" || !Array.isArray(s.segments) || s.schema === null || typeof s.schema !== "object") {
    return bad("the section does not describe a compact arena");
  }
  if (s.kind !== req.kind) return bad(`the section names a ${describe(s.kind)} arena, the header a ${req.kind} one`);
  if (!LAYOUTS.includes(s.layout as string)) return bad(`the section's layout ${describe(s.layout)} is unknown`);
  if (req.layout !== undefined && s.layout !== req.layout) {
    throw new SnapshotError("schema", `the file holds a ${s.layout} arena, expected ${req.layout}`, { path });
  }
  const segs = s.segments;
  const total = segs.reduce<number>((a, n) => a + (Number.isInteger(n) && n >= 1 ? (n as number) : NaN), 0);
  if (!(1 + total === loaded.buffers.length)) return bad("the section's column segments do not match the chunk table");
  if (loaded.chunkBytes[0] !== 4) return bad(`the length chunk holds ${loaded.chunkBytes[0]} bytes, expected 4`);
  if (!Number.isSafeInteger(s.capacity) || !Number.isInteger(s.segmentBits) || !Number.isInteger(s.length)) {
    return bad("the section's capacity, segmentBits or length is not an integer");
  }
  const header = copyExact(loaded.buffers[0]!, 4);
  const length = new Uint32Array(header)[0]!;
  if (length !== s.length || length > (s.capacity as number)) return bad(`the saved length ${length} does not fit the section`);
  const columns: SharedArrayBuffer[][] = [];
  let at = 1;
  for (const n of segs as number[]) {
    const col: SharedArrayBuffer[] = [];
    // Chunks are loaded into buffers rounded up to 8 bytes; a column is exactly its saved size.
    for (let k = 0; k < n; k++, at++) col.push(copyExact(loaded.buffers[at]!, loaded.chunkBytes[at]!));
    columns.push(col);
  }
  const d: ArenaDescriptor = {
    type: "arenakit.compact-arena",
    kind: req.kind,
    layout: s.layout as Layout,
    schema: s.schema,
    capacity: s.capacity as number,
    segmentBits: s.segmentBits as number,
    header,
    columns,
  };
  let fits = false;
  try {
    fits = inSharedArena(d, req.kind, schema, (view) => view.length === length);
  } catch (err) {
    bad(`the columns do not fit the schema: ${(err as Error).message}`, err);
  }
  if (!fits) bad(`the columns hold fewer than the saved length of ${length} records`);
  return d;
}

/**
 * Loads an arena saved by {@link saveCompactArenaSync} and returns its
 * descriptor, as `arena.share()` would: plain data to `postMessage` to Workers
 * or to open with `inSharedArena`. The kind and schema must be the ones it was
 * saved with, and the layout too when `kind` is `{ kind, layout }`.
 *
 * Cost: one read per column into a SharedArrayBuffer (a segment whose size is not
 * a multiple of 8 bytes is copied once more). Gotcha: what is loaded is read-only
 * through `inSharedArena`; to change it, copy its records into a new arena.
 *
 * @throws {@link SnapshotError} `"schema"` for another kind, schema or layout; other problems for a damaged file.
 * @example
 * ```ts
 * import { inSharedArena, loadCompactArenaSync } from "@arenakit/compact-arena";
 * const desc = loadCompactArenaSync("/tmp/points.arenakit", "tiny", { x: "f64", y: "f64" });
 * inSharedArena(desc, "tiny", { x: "f64", y: "f64" }, (view) => view.length);
 * ```
 */
export function loadCompactArenaSync<const S extends Schema, const K extends ArenaKind>(
  path: string,
  kind: K | ViewOptions<K>,
  schema: S,
  limits?: Omit<SnapshotReadOptions, "kind" | "fingerprint" | "shared">,
): ArenaDescriptor<S, K> {
  const req = request("loadCompactArenaSync", path, kind, schema, limits);
  return descriptorOf(readSnapshotFileSync(path, req.read), req, schema, path) as ArenaDescriptor<S, K>;
}

/**
 * The async form of {@link loadCompactArenaSync}.
 * @example
 * ```ts
 * import { loadCompactArena } from "@arenakit/compact-arena";
 * const desc = await loadCompactArena("/tmp/points.arenakit", "tiny", { x: "f64", y: "f64" });
 * ```
 */
export async function loadCompactArena<const S extends Schema, const K extends ArenaKind>(
  path: string,
  kind: K | ViewOptions<K>,
  schema: S,
  limits?: Omit<SnapshotReadOptions, "kind" | "fingerprint" | "shared">,
): Promise<ArenaDescriptor<S, K>> {
  const req = request("loadCompactArena", path, kind, schema, limits);
  return descriptorOf(await readSnapshotFile(path, req.read), req, schema, path) as ArenaDescriptor<S, K>;
}

/**
 * Loads an arena saved by {@link saveCompactArenaSync} and runs `fn` with a
 * read-only, freshly branded view of it, like `inSharedArena`. The kind and
 * schema (and the layout, when `kind` is `{ kind, layout }`) must be the ones it
 * was saved with: a `"schema"` {@link SnapshotError} otherwise.
 *
 * Cost: as {@link loadCompactArenaSync}. Gotcha: the view is released when `fn`
 * returns (or its promise settles).
 *
 * @example
 * ```ts
 * import { inLoadedArenaSync } from "@arenakit/compact-arena";
 * const n = inLoadedArenaSync("/tmp/points.arenakit", "tiny", { x: "f64", y: "f64" }, (view) => view.length);
 * ```
 */
export function inLoadedArenaSync<const S extends Schema, const K extends ArenaKind, R, const L extends Layout = Layout>(
  path: string,
  kind: K | ViewOptions<K, L>,
  schema: S,
  fn: <B extends symbol>(view: ArenaView<B, S, K, L>) => R,
  limits?: Omit<SnapshotReadOptions, "kind" | "fingerprint" | "shared">,
): R {
  checkFn(fn, "inLoadedArenaSync");
  return inSharedArena(loadCompactArenaSync(path, kind, schema, limits), kind, schema, fn);
}

/**
 * The async form of {@link inLoadedArenaSync}.
 * @example
 * ```ts
 * import { inLoadedArena } from "@arenakit/compact-arena";
 * const n = await inLoadedArena("/tmp/points.arenakit", "tiny", { x: "f64", y: "f64" }, (view) => view.length);
 * ```
 */
export async function inLoadedArena<const S extends Schema, const K extends ArenaKind, R, const L extends Layout = Layout>(
  path: string,
  kind: K | ViewOptions<K, L>,
  schema: S,
  fn: <B extends symbol>(view: ArenaView<B, S, K, L>) => R,
  limits?: Omit<SnapshotReadOptions, "kind" | "fingerprint" | "shared">,
): Promise<Awaited<R>> {
  checkFn(fn, "inLoadedArena");
  const d = await loadCompactArena(path, kind, schema, limits);
  return await inSharedArena(d, kind, schema, fn);
}

function checkFn(fn: unknown, call: string): void {
  if (typeof fn !== "function") throw new InvalidArgumentError(`${call}: fn must be a function, got ${describe(fn)}`);
}
