// The scopes of slot arenas: inSlotArena gives each arena a fresh brand (like inArena),
// inSharedSlotArena gives a Worker's view of a shared slot arena a fresh brand after
// checking the descriptor it received.

import type { ArenaKind } from "./api.js";
import { isPowerOfTwo } from "./core.js";
import { InvalidArgumentError } from "./errors.js";
import { GENERATION_BITS } from "./handle.js";
import { bytesOf, checkKind, describe } from "./schema.js";
import { runScoped } from "./scope.js";
import type { SlotArena, SlotArenaDescriptor, SlotArenaOptions, SlotArenaView, SlotReuse, SlotSchema } from "./slot-api.js";
import { SlotArenaImpl, type SlotResolved } from "./slot-arena.js";
import { SlotArenaViewImpl } from "./slot-view.js";
import { slotFields } from "./slot-schema.js";

const MAX_RESERVE_BYTES = 2 ** 32;
const CAPACITY: { readonly [K in ArenaKind]: number } = { nano: 256, tiny: 65536, small: 4294967295 };

/** Parses `kind | options` and a schema. */
export function resolveSlots(kindOrOptions: unknown, schema: unknown): SlotResolved {
  let o: Partial<SlotArenaOptions>;
  if (typeof kindOrOptions === "string") o = { kind: kindOrOptions as ArenaKind };
  else if (kindOrOptions !== null && typeof kindOrOptions === "object") o = kindOrOptions as Partial<SlotArenaOptions>;
  else throw new InvalidArgumentError(`expected a kind ("nano", "tiny", "small") or an options object, got ${describe(kindOrOptions)}`);
  const kind = checkKind(o.kind);
  const fields = slotFields(schema);
  const layout = o.layout ?? "contiguous";
  if (layout !== "contiguous" && layout !== "resizable") {
    throw new InvalidArgumentError(`a slot arena's layout is "contiguous" or "resizable", got ${describe(layout)}`);
  }
  const shared = o.shared ?? false;
  if (typeof shared !== "boolean") throw new InvalidArgumentError(`shared must be a boolean, got ${describe(shared)}`);
  if (shared && typeof SharedArrayBuffer === "undefined") {
    throw new InvalidArgumentError("shared: true needs SharedArrayBuffer, which this environment does not expose");
  }
  const reuse: SlotReuse = o.reuse ?? "fifo";
  if (reuse !== "lifo" && reuse !== "fifo") throw new InvalidArgumentError(`reuse must be "lifo" or "fifo", got ${describe(reuse)}`);
  const initial = o.initialCapacity ?? 1024;
  if (!isPowerOfTwo(initial) || initial < 2 || initial > 2 ** 30) {
    throw new InvalidArgumentError(`initialCapacity must be a power of two from 2 to 2^30, got ${describe(initial)}`);
  }
  let capacity = CAPACITY[kind];
  const bits = kind === "nano" ? 8 : kind === "tiny" ? 16 : 32;
  let limitWhy = `${bits}-bit slot indices`;
  let reserve = 0;
  if (layout === "resizable") {
    // The generation column (4 bytes, 2 for tiny) counts among the widest columns.
    const widest = Math.max(kind === "tiny" ? 2 : 4, ...fields.map((f) => bytesOf(f.code, kind)));
    const most = Math.floor(MAX_RESERVE_BYTES / widest);
    reserve = o.reserve ?? Math.min(capacity, most);
    if (!Number.isInteger(reserve) || reserve < 1 || reserve > most) {
      throw new InvalidArgumentError(`reserve must be an integer from 1 to ${most} slots, got ${describe(o.reserve)}`);
    }
    if (reserve < capacity) {
      capacity = reserve;
      limitWhy = `the resizable layout reserved ${reserve} slots`;
    }
  } else if (o.reserve !== undefined) {
    throw new InvalidArgumentError(`reserve applies to the resizable layout only (this slot arena is ${layout})`);
  }
  return { kind, layout, shared, fields, capacity, initial, reserve, reuse, limitWhy };
}

/**
 * Runs `fn` with a new slot arena of `kind` holding records of `schema`, and frees it
 * when `fn` returns (or, for a promise, when it settles).
 *
 * Like `inArena`, the callback is generic in its brand `B`: handles of two slot arenas
 * cannot be mixed, a plain number is not a handle, and neither the arena nor its handles
 * can leave the callback. Unlike `inArena`'s records, a slot arena's records can be
 * removed; a removed record's handles are refused from then on ({@link StaleHandleError}),
 * even after its slot holds a newer record.
 *
 * When to use: tables of things that come and go (entities of a simulation, connections
 * of a server, nodes of a graph being edited). A long-lived table keeps the scope open
 * with an async callback. Cost: O(1) insert, remove and checked access; a few typed arrays.
 *
 * @param kind a capacity class, or {@link SlotArenaOptions} (layout, shared memory, initial capacity, reuse order).
 * @throws {@link SchemaError} for a bad schema (including `idx` fields); {@link InvalidArgumentError} for bad options.
 * @example
 * ```ts
 * import { inSlotArena } from "@arenakit/compact-arena";
 * const Entity = { x: "f64", y: "f64", hp: "u16" } as const;
 * const alive = inSlotArena("small", Entity, (world) => {
 *   const a = world.insert({ x: 0, y: 0, hp: 10 });
 *   world.insert({ x: 1, y: 1, hp: 0 });
 *   world.forEach((h) => {
 *     if (world.get(h, "hp") === 0) world.remove(h);
 *   });
 *   return world.has(a) ? world.size : -1;
 * }); // 1
 * ```
 */
export function inSlotArena<const S extends SlotSchema, const K extends ArenaKind, R>(
  kind: K | SlotArenaOptions<K>,
  schema: S,
  fn: <B extends symbol>(arena: SlotArena<B, S, K>) => R,
): R {
  const r = resolveSlots(kind, schema);
  if (typeof fn !== "function") throw new InvalidArgumentError(`inSlotArena needs a callback, got ${describe(fn)}`);
  const arena = new SlotArenaImpl(r);
  return runScoped(arena as never, fn as (arena: never) => R, (why) => arena._release(`${why} (the inSlotArena scope ended)`));
}

/**
 * Runs `fn` with a read-only view of a slot arena shared by another thread (usually a
 * Worker that received `arena.share()` by `postMessage`). Nothing is copied.
 *
 * The descriptor arrives without types; it is checked against the `kind` and `schema`
 * you expect, and the view gets a fresh brand. Handles received as numbers become
 * `Handle<B>` again through `view.handle(n)`, which checks them.
 *
 * Memory model: the owner writes a record's fields, then `Atomics.store`s the slot's odd
 * generation; a removal `Atomics.store`s an even one before the slot is reused. A view's
 * `get` loads the generation before and after it reads the field, so it never returns a
 * half-written record, nor a field of a record removed while it read. A removal is visible
 * to the view from the owner's store on: every later check refuses the handle.
 *
 * @throws {@link InvalidArgumentError} if the descriptor is not one of that kind and schema.
 * @example
 * ```ts
 * import { inSharedSlotArena, inSlotArena } from "@arenakit/compact-arena";
 * const Conn = { port: "u16", bytes: "f64" } as const;
 * inSlotArena({ kind: "tiny", shared: true }, Conn, (table) => {
 *   const h = table.insert({ port: 443, bytes: 0 });
 *   const desc = table.share(); // postMessage(desc) and h to a Worker; there:
 *   return inSharedSlotArena(desc, "tiny", Conn, (view) => view.get(view.handle(h), "port")); // 443
 * });
 * ```
 */
export function inSharedSlotArena<const S extends SlotSchema, const K extends ArenaKind, R>(
  descriptor: unknown,
  kind: K,
  schema: S,
  fn: <B extends symbol>(view: SlotArenaView<B, S, K>) => R,
): R {
  if (typeof fn !== "function") throw new InvalidArgumentError(`inSharedSlotArena needs a callback, got ${describe(fn)}`);
  const d = descriptor as Partial<SlotArenaDescriptor> | null;
  if (d === null || typeof d !== "object" || d.type !== "arenakit.compact-arena.slots") {
    throw new InvalidArgumentError(`expected the descriptor made by a slot arena's share(), got ${describe(descriptor)}`);
  }
  if (d.kind !== kind) throw new InvalidArgumentError(`the descriptor is of a ${describe(d.kind)} slot arena, expected ${describe(kind)}`);
  const r = resolveSlots({ kind, layout: d.layout, shared: true }, schema);
  const names = d.schema !== null && typeof d.schema === "object" ? Object.keys(d.schema) : [];
  if (names.length !== r.fields.length || r.fields.some((f, i) => names[i] !== f.name || d.schema![f.name] !== f.type)) {
    throw new InvalidArgumentError(`the descriptor's schema ${JSON.stringify(d.schema)} is not the expected one (same fields, types and order)`);
  }
  const gb = kind === "tiny" ? 2 : 4;
  if (!(d.header instanceof SharedArrayBuffer) || d.header.byteLength < 12) {
    throw new InvalidArgumentError("the descriptor's header is not a SharedArrayBuffer of 12 bytes");
  }
  if (!(d.generations instanceof SharedArrayBuffer) || d.generations.byteLength % gb !== 0) {
    throw new InvalidArgumentError(`the descriptor's generations are not a SharedArrayBuffer of whole ${gb}-byte elements`);
  }
  const slots = d.generations.byteLength / gb;
  if (!Array.isArray(d.columns) || d.columns.length !== r.fields.length) {
    throw new InvalidArgumentError(`the descriptor must list ${r.fields.length} column buffers`);
  }
  r.fields.forEach((f, c) => {
    const b: unknown = d.columns![c];
    const bpe = bytesOf(f.code, kind);
    if (!(b instanceof SharedArrayBuffer) || b.byteLength < slots * bpe || b.byteLength % bpe !== 0) {
      throw new InvalidArgumentError(`column ${c} ("${f.name}") of the descriptor is not a SharedArrayBuffer of ${slots} ${f.type} values`);
    }
  });
  const base = d.base;
  if (typeof base !== "number" || !Number.isInteger(base) || (base & 1) === 0 || base < 0 || base >= 2 ** GENERATION_BITS[kind]) {
    throw new InvalidArgumentError(`the descriptor's base generation ${describe(base)} is not an odd generation of a ${kind} arena`);
  }
  const view = new SlotArenaViewImpl(r, { base, header: d.header, generations: d.generations, columns: d.columns as SharedArrayBuffer[] });
  return runScoped(view as never, fn as (view: never) => R, (why) => view._release(`${why} (the inSharedSlotArena scope ended)`));
}
