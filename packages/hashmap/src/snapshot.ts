import {
  Bump,
  SnapshotError,
  arenaSnapshot,
  bumpFrom,
  checkArena,
  fingerprintOf,
  readSnapshotFile,
  readSnapshotFileSync,
  readerFrom,
  writeSnapshotFile,
  writeSnapshotFileSync,
  type AnyField,
  type ArenaLoadOptions,
  type Layout,
  type Fields,
  type SnapshotParts,
  type SnapshotSink,
  type LoadedSnapshot,
} from "@arenakit/bump";
import type { HashMapHandle } from "./api.js";
import { ArenaHashMap } from "./map.js";
import { describe } from "./values.js";

/** The kind name of a hash map snapshot. */
export const HASHMAP_KIND = "hashmap";

/** The section a map adds to its arena's snapshot. */
interface MapSection {
  readonly handle: HashMapHandle;
  /** Entries the table held before growing (`stats().capacity`), so inserts after a writable load continue as before. */
  readonly capacity: number;
}

/** Options of {@link loadMapSync} and {@link loadMap}. */
export interface MapLoadOptions<V extends AnyField> extends Omit<ArenaLoadOptions, "kind" | "fingerprint"> {
  /** The value type the map was made with; another one is a `"schema"` {@link SnapshotError}. */
  readonly value: V;
  /**
   * `false` (default): a read-only map over an `ArenaReader` of shared memory
   * (hand it to Workers with its handle). `true`: a writable map in a new
   * `Bump` (its `allocator`) that can keep inserting.
   * @defaultValue false
   */
  readonly writable?: boolean;
}

/** A text that names a value type exactly (kinds, sizes, field names and offsets): what the fingerprint hashes. */
export function describeValueType(v: AnyField): string {
  checkValueType("describeValueType", v);
  if (v.kind !== "struct") return v.kind;
  const layout = v as unknown as Layout<Fields>;
  return `struct${layout.size}{${layout.fields.map((f) => `${f.name}@${f.offset}:${describeValueType(f.type)}`).join(",")}}`;
}

/** The schema fingerprint of a map of `value`s (see the snapshot format reference). */
export function mapFingerprint(value: AnyField): number {
  checkValueType("mapFingerprint", value);
  return fingerprintOf(`ArenaHashMap<${describeValueType(value)}>`);
}

/**
 * The snapshot parts of `map` and its arena (for packages that add their own
 * data next to the map's). The map's allocator must be a `Bump`.
 */
export function mapSnapshot(map: ArenaHashMap<AnyField>): SnapshotParts {
  if (!(map instanceof ArenaHashMap)) {
    throw new SnapshotError("unsupported", `map must be an ArenaHashMap, got ${describe(map)}`);
  }
  if (!(map.allocator instanceof Bump)) {
    throw new SnapshotError("unsupported", "only a map whose allocator is a Bump can be saved (its chunks are the file)");
  }
  const section: MapSection = { handle: map.handle(), capacity: map.stats().capacity };
  return arenaSnapshot(map.allocator, { kind: HASHMAP_KIND, fingerprint: mapFingerprint(map.valueType), seed: map.seed, data: section });
}

/**
 * Saves a map together with its arena (every chunk of the `Bump` it lives in)
 * to `path`, through a temporary file and a rename. Returns the bytes written.
 *
 * Cost: one write per chunk and a CRC-32 pass; nothing is encoded per entry.
 * Gotcha: everything else allocated in the same arena is saved too.
 *
 * @example
 * ```ts
 * import { Bump, t } from "@arenakit/bump";
 * import { ArenaHashMap, loadMapSync, saveMapSync } from "@arenakit/hashmap";
 * const map = new ArenaHashMap(new Bump(), { value: t.u32 }).set("a", 1);
 * saveMapSync(map, "/tmp/map.arenakit");
 * loadMapSync("/tmp/map.arenakit", { value: t.u32 }).get("a"); // 1
 * ```
 */
export function saveMapSync(map: ArenaHashMap<AnyField>, path: string): number {
  return writeSnapshotFileSync(path, mapSnapshot(map));
}

/** The async form of {@link saveMapSync}; also writes to a stream. */
export async function saveMap(map: ArenaHashMap<AnyField>, target: string | SnapshotSink): Promise<number> {
  return writeSnapshotFile(target, mapSnapshot(map));
}

/**
 * Loads a map saved by {@link saveMapSync}: read-only over shared memory by
 * default, or writable with `writable: true`. The value type and (if given)
 * the seed are checked against the file.
 * @throws {@link SnapshotError} naming the problem for a bad file.
 */
export function loadMapSync<V extends AnyField>(path: string, options: MapLoadOptions<V>): ArenaHashMap<V> {
  return mapFrom(readSnapshotFileSync(path, readOptions(options)), options, path);
}

/** The async form of {@link loadMapSync}. */
export async function loadMap<V extends AnyField>(path: string, options: MapLoadOptions<V>): Promise<ArenaHashMap<V>> {
  return mapFrom(await readSnapshotFile(path, readOptions(options)), options, path);
}

function readOptions<V extends AnyField>(options: MapLoadOptions<V>): ArenaLoadOptions {
  if (options === null || typeof options !== "object" || options.value === undefined) {
    throw new SnapshotError("unsupported", "loading a map needs options with its value type ({ value })");
  }
  const { value: _value, writable, ...rest } = options;
  return { maxChunks: 256, ...rest, shared: writable === true ? (options.shared ?? true) : true, kind: HASHMAP_KIND, fingerprint: mapFingerprint(options.value) };
}

/** A map over a loaded snapshot's arena: for packages that store maps in their own snapshots. */
export function mapFrom<V extends AnyField>(loaded: LoadedSnapshot, options: MapLoadOptions<V>, path?: string): ArenaHashMap<V> {
  const arena = checkArena(loaded, path);
  const section = checkSection(arena.data, path);
  if (options.writable === true) return WritableLoadedMap.over(bumpFrom(arena, options), section, options.value);
  return ArenaHashMap.attach(readerFrom(arena), section.handle, { value: options.value });
}

/** Checks a map section read from a file (all numbers, in range) before any pointer in it is followed. */
export function checkSection(data: unknown, path?: string): MapSection {
  const s = data as Partial<MapSection> | null;
  const h = s?.handle;
  const ok =
    s !== null &&
    typeof s === "object" &&
    h !== undefined &&
    h !== null &&
    typeof h === "object" &&
    h.kind === "arenakit.hashmap" &&
    typeof h.what === "string" &&
    Number.isSafeInteger(h.seed) &&
    [h.size, h.tombstones, h.groups, h.table, h.valueKind, s.capacity].every((n) => Number.isSafeInteger(n) && (n as number) >= 0) &&
    Number.isSafeInteger(h.valueSize) &&
    (s.capacity as number) >= h.size &&
    Array.isArray(h.windows) &&
    h.windows.every((p) => Number.isSafeInteger(p));
  if (!ok) throw new SnapshotError("malformed", `the section data does not describe a hash map, got ${describe(data)}`, path === undefined ? {} : { path });
  return s as MapSection;
}

/** A map attached to a loaded, writable arena: the handle's table, then ordinary inserts. */
class WritableLoadedMap<V extends AnyField> extends ArenaHashMap<V> {
  static over<V extends AnyField>(bump: Bump, section: MapSection, value: V): ArenaHashMap<V> {
    const map = new WritableLoadedMap(bump, { value, seed: section.handle.seed });
    map._attach(section.handle);
    // SAFETY: the arena is this map's own (a private copy loaded from the file), so writes are allowed again;
    // room left in the table is what it was when saved, so the next insert grows it exactly when the original would.
    map._readOnly = false;
    map._growthLeft = section.capacity - section.handle.size;
    return map;
  }
}

function checkValueType(call: string, v: unknown): void {
  if (v === null || typeof v !== "object" || typeof (v as { kind?: unknown }).kind !== "string") {
    throw new SnapshotError("unsupported", `${call}: the value type must be a field type of @arenakit/bump (t.u32, struct(...), ...), got ${describe(v)}`);
  }
}
