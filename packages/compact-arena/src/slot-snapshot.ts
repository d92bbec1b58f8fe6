import {
  SnapshotError,
  fingerprintOf,
  readSnapshotFileSync,
  writeSnapshotFileSync,
  type LoadedSnapshot,
  type SnapshotParts,
  type SnapshotReadOptions,
} from "@arenakit/bump";
import type { ArenaKind } from "./api.js";
import { InvalidArgumentError } from "./errors.js";
import { FIELD_TYPES, bytesOf, describe } from "./schema.js";
import type { SlotArena, SlotArenaDescriptor, SlotArenaView, SlotSchema } from "./slot-api.js";
import { SlotArenaImpl } from "./slot-arena.js";
import { resolveSlots } from "./slot-scope.js";
import { inSharedSlotArena } from "./slot-scope.js";

/** The kind name a slot-arena snapshot carries in its header. */
export const SLOT_ARENA_KIND = "compact-slots";

const KINDS: readonly string[] = ["nano", "tiny", "small"];

/** The JSON section of a slot-arena snapshot. */
interface SlotSection {
  readonly kind: ArenaKind;
  readonly layout: "contiguous" | "resizable";
  readonly schema: SlotSchema;
  readonly capacity: number;
  readonly generationBits: number;
  readonly base: number;
}

/**
 * The schema fingerprint a slot-arena snapshot carries: a 32-bit hash of the
 * kind and the fields' names and types, in order.
 *
 * Cost: hashes a short text. Gotcha: it differs from `columnsFingerprint` of the same fields (another structure).
 *
 * @throws {@link InvalidArgumentError} or `SchemaError` for a bad kind or schema.
 * @example
 * ```ts
 * import { slotsFingerprint } from "@arenakit/compact-arena";
 * slotsFingerprint("tiny", { v: "u8" }) !== slotsFingerprint("tiny", { v: "u16" }); // true
 * ```
 */
export function slotsFingerprint(kind: ArenaKind, schema: SlotSchema): number {
  if (typeof kind !== "string" || !KINDS.includes(kind)) {
    throw new InvalidArgumentError(`slotsFingerprint: kind must be "nano", "tiny" or "small", got ${describe(kind)}`);
  }
  const r = resolveSlots({ kind }, schema);
  return fingerprintOf(`compact-arena/slots/1:${kind}:${r.fields.map((f) => `${f.name}:${f.type}`).join(",")}`);
}

/**
 * Saves a shared slot arena (`inSlotArena({ kind, shared: true }, ...)`) to
 * `path` through a temporary file and a rename: its header, the generation of
 * every used slot and its columns up to the used slots. Handles stay valid:
 * a handle saved with the arena finds the same record after a load, and a
 * removed record's handle is still refused. Returns the bytes written.
 *
 * Cost: one write per column and a CRC-32 pass. Gotcha: the free-slot list is
 * not saved; what is loaded is read-only.
 *
 * @throws {@link SnapshotError} naming the problem (`"unsupported"` for an arena that is not shared).
 * @example
 * ```ts
 * import { inLoadedSlotArenaSync, inSlotArena, saveSlotArenaSync } from "@arenakit/compact-arena";
 * const h = inSlotArena({ kind: "tiny", shared: true }, { v: "u16" }, (arena) => {
 *   const h = arena.insert({ v: 7 });
 *   saveSlotArenaSync(arena, "/tmp/slots.arenakit");
 *   return h as number;
 * });
 * inLoadedSlotArenaSync("/tmp/slots.arenakit", "tiny", { v: "u16" }, (view) => view.size); // 1
 * ```
 */
export function saveSlotArenaSync<B extends symbol, S extends SlotSchema, K extends ArenaKind>(arena: SlotArena<B, S, K>, path: string): number {
  return writeSnapshotFileSync(path, slotSnapshot(arena));
}

function slotSnapshot(arena: unknown): SnapshotParts {
  if (!(arena instanceof SlotArenaImpl)) {
    throw new SnapshotError("unsupported", `arena must be a slot arena of inSlotArena(), got ${describe(arena)}`);
  }
  if (!arena.shared) {
    throw new SnapshotError("unsupported", "only a slot arena made with shared: true can be saved (its memory is written as it is)");
  }
  const d = arena.share(); // throws ReleasedError for a released arena
  const header = new Uint32Array(d.header, 0, 3).slice();
  const slots = header[0]!;
  const gb = d.kind === "tiny" ? 2 : 4;
  const fields = Object.entries(d.schema);
  const chunks = [
    new Uint8Array(header.buffer),
    new Uint8Array(d.generations, 0, slots * gb),
    ...d.columns.map((b, c) => new Uint8Array(b, 0, slots * bytesOf(FIELD_TYPES.indexOf(fields[c]![1]), d.kind))),
  ];
  const section: SlotSection = { kind: d.kind, layout: d.layout, schema: d.schema, capacity: d.capacity, generationBits: d.generationBits, base: d.base };
  return { kind: SLOT_ARENA_KIND, fingerprint: slotsFingerprint(d.kind, d.schema), seed: 0, generation: 0, section, chunks };
}

function copyExact(buf: ArrayBuffer | SharedArrayBuffer, bytes: number): SharedArrayBuffer {
  if (buf instanceof SharedArrayBuffer && buf.byteLength === bytes) return buf;
  const out = new SharedArrayBuffer(bytes);
  new Uint8Array(out).set(new Uint8Array(buf, 0, bytes));
  return out;
}

function slotDescriptorOf(loaded: LoadedSnapshot, kind: ArenaKind, path: string): SlotArenaDescriptor {
  const bad = (why: string): never => {
    throw new SnapshotError("malformed", why, { path });
  };
  const s = loaded.section as Partial<SlotSection> | null;
  if (s === null || typeof s !== "object" || s.schema === null || typeof s.schema !== "object") return bad("the section does not describe a slot arena");
  if (s.kind !== kind) return bad(`the section names a ${describe(s.kind)} arena, the header a ${kind} one`);
  if (s.layout !== "contiguous" && s.layout !== "resizable") return bad(`the section's layout ${describe(s.layout)} is unknown`);
  const fields = Object.keys(s.schema).length;
  if (loaded.buffers.length !== 2 + fields || loaded.chunkBytes[0] !== 12) return bad("the chunk table does not match a slot arena of this schema");
  const gb = kind === "tiny" ? 2 : 4;
  const header = copyExact(loaded.buffers[0]!, 12);
  const slots = new Uint32Array(header)[0]!;
  if (loaded.chunkBytes[1] !== slots * gb) return bad(`the generations chunk holds ${loaded.chunkBytes[1]} bytes for ${slots} slots`);
  return {
    type: "arenakit.compact-arena.slots",
    kind,
    layout: s.layout,
    schema: s.schema,
    capacity: s.capacity as number,
    generationBits: s.generationBits as number,
    base: s.base as number,
    header,
    generations: copyExact(loaded.buffers[1]!, slots * gb),
    columns: loaded.buffers.slice(2).map((b, c) => copyExact(b, loaded.chunkBytes[2 + c]!)),
  };
}

/**
 * Loads a slot arena saved by {@link saveSlotArenaSync} and runs `fn` with a
 * read-only view of it, like `inSharedSlotArena`. The kind and schema must be the
 * ones it was saved with (a `"schema"` {@link SnapshotError} otherwise).
 *
 * Cost: one read per column into a SharedArrayBuffer. Gotcha: the view is released when `fn` returns.
 *
 * @example
 * ```ts
 * import { inLoadedSlotArenaSync } from "@arenakit/compact-arena";
 * const size = inLoadedSlotArenaSync("/tmp/slots.arenakit", "tiny", { v: "u16" }, (view) => view.size);
 * ```
 */
export function inLoadedSlotArenaSync<const S extends SlotSchema, const K extends ArenaKind, R>(
  path: string,
  kind: K,
  schema: S,
  fn: <B extends symbol>(view: SlotArenaView<B, S, K>) => R,
  limits?: Omit<SnapshotReadOptions, "kind" | "fingerprint" | "shared">,
): R {
  if (typeof path !== "string" || path.length === 0) {
    throw new SnapshotError("unsupported", `inLoadedSlotArenaSync: path must be a file path (a non-empty string), got ${describe(path)}`);
  }
  if (typeof fn !== "function") throw new InvalidArgumentError(`inLoadedSlotArenaSync: fn must be a function, got ${describe(fn)}`);
  if (limits !== undefined && (limits === null || typeof limits !== "object")) {
    throw new InvalidArgumentError(`inLoadedSlotArenaSync: limits must be an object of snapshot read options, got ${describe(limits)}`);
  }
  const fingerprint = slotsFingerprint(kind, schema);
  const loaded = readSnapshotFileSync(path, { ...limits, shared: true, kind: SLOT_ARENA_KIND, fingerprint });
  const d = slotDescriptorOf(loaded, kind, path);
  let entered = false;
  try {
    return inSharedSlotArena(d, kind, schema, (view) => {
      entered = true;
      return fn(view);
    });
  } catch (err) {
    if (!entered) throw new SnapshotError("malformed", `the columns do not fit the schema: ${(err as Error).message}`, { path, cause: err });
    throw err;
  }
}
