// The scopes that give every arena a fresh brand: the callback is generic in
// its brand B, so TypeScript gives each call its own B and, because Idx and
// Arena are invariant in B, nothing typed with B can leave the callback.

import type { Arena, ArenaDescriptor, ArenaKind, ArenaOptions, ArenaView, DefaultLayout, Layout, Schema } from "./api.js";
import type { ArenaCore } from "./core.js";
import { InvalidArgumentError } from "./errors.js";
import { createArena, createView, resolve } from "./factory.js";
import { bytesOf, describe } from "./schema.js";

/** Runs `fn(arena)` and ends the arena when it returns, throws, or (for a promise) settles. */
export function runScoped<R>(arena: ArenaCore, fn: (arena: never) => R, end: (reason: string) => void): R {
  let result: R;
  try {
    result = fn(arena as never);
  } catch (err) {
    end("its callback threw");
    throw err;
  }
  if (result !== null && typeof result === "object" && typeof (result as { then?: unknown }).then === "function") {
    return (result as unknown as PromiseLike<unknown>).then(
      (v) => {
        end("its callback's promise settled");
        return v;
      },
      (err: unknown) => {
        end("its callback's promise settled");
        throw err;
      },
    ) as R;
  }
  end("its callback returned");
  return result;
}

/**
 * Runs `fn` with a new arena of `kind` holding records of `schema`, and frees the
 * arena when `fn` returns (or, if `fn` returns a promise, when it settles).
 *
 * The callback is generic in its brand `B`, so each call gets a fresh brand
 * type: indices of two arenas cannot be mixed, a plain number is not an index,
 * and neither the arena nor its indices can be returned from the callback (the
 * compiler rejects a result type that mentions `B`). This is compact_arena's
 * `in_arena!` / `mk_arena!`, with a generic function standing in for the macro's
 * fresh lifetime.
 *
 * When to use: trees, graphs and other records that point at each other, built
 * and used within one scope. Cost: a few typed arrays per arena; releasing is
 * O(columns). Gotchas: the brand is compile-time only (an `as` cast or `unknown`
 * defeats it); at runtime, using the arena after the scope ended throws
 * {@link ReleasedError}, and an out-of-range index throws {@link IndexError}.
 *
 * @param kind a capacity class, or {@link ArenaOptions} (layout, shared memory, initial capacity).
 * @example
 * ```ts
 * import { inArena, type Arena, type Idx } from "@arenakit/compact-arena";
 * const Tree = { left: "idx", right: "idx", value: "u32" } as const;
 *
 * function build<B extends symbol>(arena: Arena<B, typeof Tree>, depth: number): Idx<B> {
 *   if (depth === 0) return arena.add({ left: null, right: null, value: 1 });
 *   const left = build(arena, depth - 1);
 *   const right = build(arena, depth - 1);
 *   return arena.add({ left, right, value: 1 });
 * }
 * const nodes = inArena("small", Tree, (arena) => {
 *   build(arena, 3);
 *   return arena.length; // a number may leave the scope; an Idx<B> may not
 * }); // 15
 * ```
 */
export function inArena<const S extends Schema, const K extends ArenaKind, R, const L extends Layout = DefaultLayout>(
  kind: K | ArenaOptions<K, L>,
  schema: S,
  fn: <B extends symbol>(arena: Arena<B, S, K, L>) => R,
): R {
  const arena = createArena(resolve(kind, schema));
  return runScoped(arena, fn as (arena: never) => R, (why) => arena._release(`${why} (the inArena scope ended)`));
}

/**
 * What `inSharedArena` expects of the descriptor: its kind and, optionally, its layout.
 *
 * @example
 * ```ts
 * import { inArena, inSharedArena } from "@arenakit/compact-arena";
 * inArena({ kind: "tiny", shared: true }, { v: "u32" }, (arena) => {
 *   arena.add({ v: 9 });
 *   // Expecting the layout makes column() available on the view:
 *   return inSharedArena(arena.share(), { kind: "tiny", layout: "contiguous" }, { v: "u32" }, (view) => view.column("v")[0]);
 * }); // 9
 * ```
 */
export interface ViewOptions<K extends ArenaKind = ArenaKind, L extends Layout = Layout> {
  /** The kind the descriptor must have. */
  readonly kind: K;
  /**
   * The layout the descriptor must have (needed at the type level for `column()`).
   * @defaultValue any layout
   */
  readonly layout?: L;
}

/**
 * Runs `fn` with a read-only view of an arena shared by another thread (usually a
 * Worker that received `arena.share()` by `postMessage`). Nothing is copied: the
 * view reads the owner's SharedArrayBuffers.
 *
 * `postMessage` carries data, not types: the descriptor arrives as `unknown` and
 * the brand is gone. This function checks the descriptor at runtime against the
 * `kind` and `schema` you expect (like a parser) and gives the view a fresh brand;
 * indices received as numbers become `Idx<B>` again through `view.idx(n)`, which
 * checks them.
 *
 * Memory model: the view reads the published length with `Atomics.load`; the owner
 * writes a record's fields before it `Atomics.store`s the new length, so every
 * record below the length the view sees is complete.
 *
 * @param descriptor the value `arena.share()` produced, as received.
 * @throws {@link InvalidArgumentError} if the descriptor is not a descriptor of that kind and schema.
 * @example
 * ```ts
 * import { inArena, inSharedArena } from "@arenakit/compact-arena";
 * const Point = { x: "f64", y: "f64" } as const;
 * inArena({ kind: "tiny", shared: true }, Point, (arena) => {
 *   arena.add({ x: 1, y: 2 });
 *   const desc = arena.share(); // postMessage(desc) to a Worker; there:
 *   return inSharedArena(desc, "tiny", Point, (view) => view.get(view.idx(0), "y")); // 2
 * });
 * ```
 */
export function inSharedArena<const S extends Schema, const K extends ArenaKind, R, const L extends Layout = Layout>(
  descriptor: unknown,
  kind: K | ViewOptions<K, L>,
  schema: S,
  fn: <B extends symbol>(view: ArenaView<B, S, K, L>) => R,
): R {
  const expected = typeof kind === "string" ? { kind } : (kind as ViewOptions);
  const d = checkDescriptor(descriptor);
  if (d.kind !== expected.kind) {
    throw new InvalidArgumentError(`the descriptor is of a ${describe(d.kind)} arena, expected ${describe(expected.kind)}`);
  }
  if (expected.layout !== undefined && d.layout !== expected.layout) {
    throw new InvalidArgumentError(`the descriptor's layout is ${describe(d.layout)}, expected ${describe(expected.layout)}`);
  }
  const r = resolve({ kind: d.kind, layout: d.layout, shared: true }, schema);
  const names = Object.keys(d.schema);
  if (names.length !== r.fields.length || r.fields.some((f, i) => names[i] !== f.name || d.schema[f.name] !== f.type)) {
    throw new InvalidArgumentError(
      `the descriptor's schema ${JSON.stringify(d.schema)} is not the expected ${JSON.stringify(r.schema)} (same fields, types and order)`,
    );
  }
  if (d.columns.length !== r.fields.length) {
    throw new InvalidArgumentError(`the descriptor has ${d.columns.length} columns for ${r.fields.length} fields`);
  }
  const bits = d.segmentBits;
  for (let c = 0; c < d.columns.length; c++) {
    const bufs = d.columns[c]!;
    const bpe = bytesOf(r.fields[c]!.code, r.kind);
    if (!Array.isArray(bufs) || bufs.length === 0 || !bufs.every((b) => b instanceof SharedArrayBuffer)) {
      throw new InvalidArgumentError(`column ${c} of the descriptor is not a non-empty list of SharedArrayBuffers`);
    }
    if (d.layout === "segmented") {
      if (!Number.isInteger(bits) || bits < 1 || bits > 30) {
        throw new InvalidArgumentError(`the descriptor's segmentBits ${describe(bits)} is not from 1 to 30`);
      }
      bufs.forEach((b, s) => {
        const want = (s === 0 ? 2 ** bits : 2 ** (bits + s - 1)) * bpe;
        if (b.byteLength !== want) {
          throw new InvalidArgumentError(`segment ${s} of column ${c} holds ${b.byteLength} bytes, expected ${want}`);
        }
      });
      if (bufs.length !== d.columns[0]!.length) throw new InvalidArgumentError("the descriptor's columns have different segment counts");
    } else if (bufs.length !== 1 || bufs[0]!.byteLength % bpe !== 0) {
      throw new InvalidArgumentError(`column ${c} of a ${d.layout} descriptor must be one buffer of whole ${bpe}-byte elements`);
    }
  }
  const view = createView(r, bits, d.header, d.columns);
  return runScoped(view, fn as (view: never) => R, (why) => view._release(`${why} (the inSharedArena scope ended)`));
}

function checkDescriptor(d: unknown): ArenaDescriptor {
  const o = d as Partial<ArenaDescriptor> | null;
  if (o === null || typeof o !== "object" || o.type !== "arenakit.compact-arena") {
    throw new InvalidArgumentError(`expected the descriptor made by arena.share(), got ${describe(d)}`);
  }
  if (!(o.header instanceof SharedArrayBuffer) || o.header.byteLength < 4) {
    throw new InvalidArgumentError("the descriptor's header is not a SharedArrayBuffer of at least 4 bytes");
  }
  if (o.schema === null || typeof o.schema !== "object" || !Array.isArray(o.columns)) {
    throw new InvalidArgumentError("the descriptor has no schema or no columns");
  }
  return o as ArenaDescriptor;
}
