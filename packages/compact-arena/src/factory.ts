// Option parsing and construction of arena objects (owners, recycled owners,
// and read-only views of another thread's arena).

import type { ArenaKind, ArenaOptions, Layout, Schema } from "./api.js";
import { isPowerOfTwo, type ArenaCore, type Resolved } from "./core.js";
import { InvalidArgumentError } from "./errors.js";
import { FlatArena, ResizableArena, type FlatStorage } from "./flat.js";
import { IDX, bytesOf, checkKind, checkSchema, describe, kindCapacity } from "./schema.js";
import { SegmentedArena, type SegmentedStorage } from "./segmented.js";

/**
 * The layout `inArena` uses when none is given.
 *
 * Chosen by the benchmark (cases compact-arena/layout-reads, build-tree and
 * traverse-tree): contiguous columns read at least as fast as the other layouts,
 * they are the only ones besides `resizable` with one array per column (for
 * `column()` in hot loops), and arrays over resizable buffers are slower in V8 on
 * Node 20; the copies made when a contiguous column grows add up to less than one
 * more copy of the data. See the "Other memory layouts" chapter.
 *
 * @example
 * ```ts
 * import { DEFAULT_LAYOUT, inArena } from "@arenakit/compact-arena";
 * inArena("tiny", { v: "u8" }, (arena) => arena.layout === DEFAULT_LAYOUT); // true
 * ```
 */
export const DEFAULT_LAYOUT: "contiguous" = "contiguous";

const LAYOUTS: readonly Layout[] = ["contiguous", "segmented", "resizable"];
const DEFAULT_INITIAL = 1024;
/** Node 20 refuses a resizable buffer's maxByteLength above 2^32. */
const MAX_RESERVE_BYTES = 2 ** 32;
/** Records of storage a kind's indices can address. */
const STORAGE_BITS: { readonly [K in ArenaKind]: number } = { nano: 8, tiny: 16, small: 32 };

/** Parses `kind | options` and a schema into a {@link Resolved}. */
export function resolve(kindOrOptions: unknown, schema: unknown): Resolved {
  const o: Partial<ArenaOptions> =
    typeof kindOrOptions === "string" ? { kind: kindOrOptions as ArenaKind } : checkOptionsObject(kindOrOptions);
  const kind = checkKind(o.kind);
  const fields = checkSchema(schema);
  const layout = o.layout ?? DEFAULT_LAYOUT;
  if (!LAYOUTS.includes(layout)) {
    throw new InvalidArgumentError(`layout must be one of ${LAYOUTS.join(", ")}, got ${describe(layout)}`);
  }
  const shared = o.shared ?? false;
  if (typeof shared !== "boolean") throw new InvalidArgumentError(`shared must be a boolean, got ${describe(shared)}`);
  if (shared && typeof SharedArrayBuffer === "undefined") {
    throw new InvalidArgumentError(
      "shared: true needs SharedArrayBuffer, which this environment does not expose (browsers require cross-origin isolation)",
    );
  }
  const initial = o.initialCapacity ?? DEFAULT_INITIAL;
  if (!isPowerOfTwo(initial) || initial < 2 || initial > 2 ** 30) {
    throw new InvalidArgumentError(`initialCapacity must be a power of two from 2 to 2^30, got ${describe(initial)}`);
  }
  const initialBits = Math.min(Math.log2(initial), STORAGE_BITS[kind]);
  const hasIdx = fields.some((f) => f.code === IDX);
  let capacity = kindCapacity(kind, hasIdx);
  const width = STORAGE_BITS[kind];
  let limitWhy = `${width}-bit indices${hasIdx && kind !== "small" ? `, one value kept for null` : ""}`;
  let reserve = 0;
  if (layout === "resizable") {
    const widest = Math.max(...fields.map((f) => bytesOf(f.code, kind)));
    const most = Math.floor(MAX_RESERVE_BYTES / widest);
    if (o.reserve === undefined) {
      reserve = Math.min(capacity, most);
    } else {
      reserve = o.reserve;
      if (!Number.isInteger(reserve) || reserve < 1 || reserve > most) {
        throw new InvalidArgumentError(
          `reserve must be an integer from 1 to ${most} records (${MAX_RESERVE_BYTES} bytes for the widest column), got ${describe(reserve)}`,
        );
      }
    }
    if (reserve < capacity) {
      capacity = reserve;
      limitWhy = `the resizable layout reserved ${reserve} records`;
    }
  } else if (o.reserve !== undefined) {
    throw new InvalidArgumentError(`reserve applies to the resizable layout only (this arena is ${layout})`);
  }
  const normalized: Record<string, string> = {};
  for (const f of fields) normalized[f.name] = f.type;
  return { kind, layout, shared, fields, schema: normalized as Schema, capacity, initialBits, reserve, limitWhy };
}

function checkOptionsObject(o: unknown): Partial<ArenaOptions> {
  if (o === null || typeof o !== "object") {
    throw new InvalidArgumentError(`expected a kind ("nano", "tiny", "small") or an options object, got ${describe(o)}`);
  }
  return o as Partial<ArenaOptions>;
}

/** Creates an owner arena, optionally on recycled storage. */
export function createArena(r: Resolved, storage?: FlatStorage | SegmentedStorage): ArenaCore {
  if (r.layout === "segmented") return new SegmentedArena(r, false, storage as SegmentedStorage | undefined);
  if (r.layout === "resizable") return new ResizableArena(r, false, storage as FlatStorage | undefined);
  return new FlatArena(r, false, storage as FlatStorage | undefined);
}

/** Creates a read-only view over a descriptor's buffers (already validated). */
export function createView(
  r: Resolved,
  segmentBits: number,
  header: SharedArrayBuffer,
  columns: readonly (readonly SharedArrayBuffer[])[],
): ArenaCore {
  let view: ArenaCore;
  if (r.layout === "segmented") {
    let records = 0;
    for (let s = 0; s < columns[0]!.length; s++) records += s === 0 ? 2 ** segmentBits : 2 ** (segmentBits + s - 1);
    view = new SegmentedArena({ ...r, initialBits: segmentBits }, true, { records, buffers: columns });
  } else {
    const Flat = r.layout === "resizable" ? ResizableArena : FlatArena;
    view = new Flat(r, true, { records: 0, buffers: columns.map((c) => c[0]!) });
  }
  view._header = new Uint32Array(header, 0, 1);
  view._refresh();
  return view;
}
