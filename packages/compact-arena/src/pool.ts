import type { Arena, ArenaKind, ArenaOptions, DefaultLayout, Layout, Schema } from "./api.js";
import type { Resolved } from "./core.js";
import { InvalidArgumentError } from "./errors.js";
import { createArena, resolve } from "./factory.js";
import { FlatArena, type FlatStorage } from "./flat.js";
import { describe } from "./schema.js";
import { runScoped } from "./scope.js";
import { SegmentedArena, type SegmentedStorage } from "./segmented.js";

/**
 * Options of an {@link ArenaPool}.
 *
 * @example
 * ```ts
 * import { ArenaPool } from "@arenakit/compact-arena";
 * const pool = new ArenaPool("tiny", { v: "f64" }, { maxIdle: 16 }); // up to 16 concurrent scopes' memory kept
 * ```
 */
export interface ArenaPoolOptions {
  /**
   * Most released arenas' memory the pool keeps for reuse; more is left to the GC.
   * @defaultValue 4
   */
  readonly maxIdle?: number;
}

/**
 * A pool of arena memory for {@link inRecycledArena}: each call runs in a fresh
 * arena (fresh brand, length 0) built on the columns a previous call left, so a
 * steady workload (one arena per request, per frame, per slot) stops allocating
 * and growing typed arrays once warm.
 *
 * Gotchas: memory handed back is moved to new buffer objects, so a `column()`
 * array kept from an earlier call is detached (reads as empty) and can never see
 * the next call's records. Pools do not take `shared: true` arenas: a Worker
 * could still be reading memory that the next call overwrites.
 *
 * @example
 * ```ts
 * import { ArenaPool, inRecycledArena } from "@arenakit/compact-arena";
 * const pool = new ArenaPool("tiny", { parent: "idx", cost: "f64" });
 * for (let request = 0; request < 3; request++) {
 *   inRecycledArena(pool, (arena) => {
 *     const root = arena.add({ parent: null, cost: 0 });
 *     arena.add({ parent: root, cost: request });
 *     return arena.length;
 *   });
 * }
 * pool.stats().reused; // 2
 * ```
 */
export class ArenaPool<const S extends Schema, const K extends ArenaKind, const L extends Layout = DefaultLayout> {
  /** The kind of the pool's arenas. */
  readonly kind: K;
  /** The schema of the pool's arenas. */
  readonly schema: S;
  /** Most idle arenas' memory kept. */
  readonly maxIdle: number;
  /** @internal */
  readonly _r: Resolved;
  /** @internal */
  readonly _idle: (FlatStorage | SegmentedStorage)[] = [];
  /** @internal */
  _created = 0;
  /** @internal */
  _reused = 0;

  constructor(kind: K | ArenaOptions<K, L>, schema: S, options: ArenaPoolOptions = {}) {
    this._r = resolve(kind, schema);
    if (this._r.shared) {
      throw new InvalidArgumentError("an ArenaPool cannot recycle shared arenas: a Worker may still read the memory");
    }
    const maxIdle = options.maxIdle ?? 4;
    if (!Number.isInteger(maxIdle) || maxIdle < 0) {
      throw new InvalidArgumentError(`maxIdle must be an integer >= 0, got ${describe(maxIdle)}`);
    }
    this.kind = this._r.kind as K;
    this.schema = schema;
    this.maxIdle = maxIdle;
  }

  /** How many arenas were created with new memory, how many reused pooled memory, and how many are idle. */
  stats(): { created: number; reused: number; idle: number } {
    return { created: this._created, reused: this._reused, idle: this._idle.length };
  }

  /** Drops every idle arena's memory (for the GC). */
  clear(): void {
    this._idle.length = 0;
  }
}

/**
 * Like {@link inArena}, but the arena's memory comes from `pool` and goes back to it
 * when the scope ends. Each call still gets a fresh brand and starts empty.
 *
 * Cost: taking pooled memory is O(columns); giving it back moves (not copies) each
 * buffer. @see {@link ArenaPool}
 *
 * @example
 * ```ts
 * import { ArenaPool, inRecycledArena } from "@arenakit/compact-arena";
 * const pool = new ArenaPool("small", { value: "u32" });
 * const sum = inRecycledArena(pool, (arena) => {
 *   for (let i = 0; i < 10; i++) arena.add({ value: i });
 *   let s = 0;
 *   for (const v of arena.column("value")) s += v;
 *   return s;
 * }); // 45
 * ```
 */
export function inRecycledArena<const S extends Schema, const K extends ArenaKind, const L extends Layout, R>(
  pool: ArenaPool<S, K, L>,
  fn: <B extends symbol>(arena: Arena<B, S, K, L>) => R,
): R {
  if (!(pool instanceof ArenaPool)) throw new InvalidArgumentError(`expected an ArenaPool, got ${describe(pool)}`);
  const storage = pool._idle.pop();
  if (storage === undefined) pool._created++;
  else pool._reused++;
  const arena = createArena(pool._r, storage);
  return runScoped(arena, fn as (arena: never) => R, (why) => {
    if (arena._released !== undefined) return; // disposed inside the callback: its memory is gone
    const reason = `${why} (the inRecycledArena scope ended)`;
    if (pool._idle.length >= pool.maxIdle) {
      arena._release(reason);
      return;
    }
    const back = arena instanceof FlatArena || arena instanceof SegmentedArena ? arena._recycle(reason) : undefined;
    if (back !== undefined) pool._idle.push(back);
  });
}
