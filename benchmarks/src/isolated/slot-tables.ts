// Entity tables shared by the slot-arena benchmark cases: the same records held in a
// Map<number, object>, in an object array with a free list, in a bitECS 0.4 world with
// typed-array components, and in a slot arena. Each table inserts and removes through
// the same small interface, and every variant's churn is the same seeded sequence.
import { addEntity, createWorld, entityExists, removeEntity } from "bitecs";
import { inSlotArena, type SlotArena, type SlotReuse } from "@arenakit/compact-arena";

/** The entity record: two f64 coordinates, hit points and a team (19 bytes of payload). */
export const Entity = { x: "f64", y: "f64", hp: "u16", team: "u8" } as const;

/** The object version of a record, as most JavaScript code would write it. */
export interface EntityObj {
  x: number;
  y: number;
  hp: number;
  team: number;
}

/** A table that hands out numeric handles. */
export interface Table {
  insert(x: number, y: number, hp: number, team: number): number;
  remove(h: number): void;
  /** Reads x + hp of a live record (checked where the variant can check). */
  read(h: number): number;
  /** Ends the table (slot arenas close their scope). */
  end(): void;
  /** What keeps the memory alive (for the isolated case) and its own ArrayBuffer accounting. */
  held(): { hold: unknown; arenaBytes?: number };
}

/** Map<number, object>: keys from a counter, a new object per record. */
export function mapTable(): Table {
  const map = new Map<number, EntityObj>();
  let next = 0;
  return {
    insert(x, y, hp, team) {
      const k = next++;
      map.set(k, { x, y, hp, team });
      return k;
    },
    remove(h) {
      if (!map.delete(h)) throw new Error("missing key");
    },
    read(h) {
      const o = map.get(h)!;
      return o.x + o.hp;
    },
    end() {
      map.clear();
    },
    held: () => ({ hold: map }),
  };
}

/** A plain array of objects with a free list of indices (no stale-handle detection). */
export function objectArrayTable(): Table {
  const objs: (EntityObj | null)[] = [];
  const free: number[] = [];
  return {
    insert(x, y, hp, team) {
      const o = { x, y, hp, team };
      const i = free.pop();
      if (i === undefined) return objs.push(o) - 1;
      objs[i] = o;
      return i;
    },
    remove(h) {
      objs[h] = null;
      free.push(h);
    },
    read(h) {
      const o = objs[h]!;
      return o.x + o.hp;
    },
    end() {
      objs.length = 0;
    },
    held: () => ({ hold: { objs, free } }),
  };
}

/**
 * bitECS 0.4: a world's addEntity/removeEntity with typed-array components indexed by
 * entity id. Without versioning (ids are reused as they are, so a stale id reads the
 * new occupant); with withVersioning(8) its entity index refused live ids in our checks
 * (see the chapter), so the unversioned world is the configuration measured.
 */
export function bitecsTable(capacity: number): Table {
  const world = createWorld();
  const X = new Float64Array(capacity + 1);
  const Y = new Float64Array(capacity + 1);
  const HP = new Uint16Array(capacity + 1);
  const TEAM = new Uint8Array(capacity + 1);
  return {
    insert(x, y, hp, team) {
      const e = addEntity(world);
      X[e] = x;
      Y[e] = y;
      HP[e] = hp;
      TEAM[e] = team;
      return e;
    },
    remove(h) {
      removeEntity(world, h);
    },
    read(h) {
      if (!entityExists(world, h)) throw new Error("not alive");
      return X[h]! + HP[h]!;
    },
    end() {},
    held: () => ({ hold: { world, X, Y, HP, TEAM }, arenaBytes: X.byteLength + Y.byteLength + HP.byteLength + TEAM.byteLength }),
  };
}

/** A slot arena of kind `small` (kept open until end()). */
export function slotTable(reuse?: SlotReuse): Table & { arena: SlotArena<symbol, typeof Entity, "small"> } {
  let arena!: SlotArena<symbol, typeof Entity, "small">;
  let end!: () => void;
  void inSlotArena(reuse === undefined ? "small" : { kind: "small", reuse }, Entity, (a) => {
    arena = a as unknown as SlotArena<symbol, typeof Entity, "small">;
    return new Promise<void>((resolve) => (end = resolve));
  });
  const a = arena;
  return {
    arena: a,
    insert(x, y, hp, team) {
      return a.insert({ x, y, hp, team });
    },
    remove(h) {
      a.remove(h as never);
    },
    read(h) {
      return a.get(h as never, "x") + a.get(h as never, "hp");
    },
    end,
    held: () => ({ hold: a, arenaBytes: a.byteLength }),
  };
}

/** A seeded generator of 32-bit integers (LCG; the same sequence for every variant). */
export function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0);
}

/** Fills `t` with `n` records; returns their handles. */
export function fill(t: Table, n: number): number[] {
  const live: number[] = new Array<number>(n);
  for (let i = 0; i < n; i++) live[i] = t.insert(i * 0.5, -i, i & 0xffff, i & 0xff);
  return live;
}

/** `pairs` removals of a random live record, each followed by an insert. */
export function churn(t: Table, live: number[], pairs: number, next: () => number): void {
  for (let k = 0; k < pairs; k++) {
    const p = next() % live.length;
    t.remove(live[p]!);
    live[p] = t.insert(k * 0.25, k, k & 0xffff, k & 0xff);
  }
}
