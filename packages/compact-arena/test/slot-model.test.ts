// Model-based test: random insert / remove / get / set / reuse / clear sequences on a
// slot arena and on the obvious JS structure (a Map<number, object> keyed by handle),
// more than 100,000 steps in all. Every step checks that no stale handle is accepted
// and no live handle is refused; every run ends with a sweep of every handle ever issued.
// endOnFailure: shrinking 1,000-step sequences takes minutes; the counterexample is reported as found.
import { fc } from "@fast-check/vitest";
import { afterAll, describe, expect, it } from "vitest";
import { CapacityError, IndexError, StaleHandleError, inSlotArena, type ArenaKind, type SlotReuse } from "../src/index.ts";

const Rec = { x: "f64", hp: "u16", team: "u8" } as const;
type Model = { x: number; hp: number; team: number };

const op = fc.oneof(
  { weight: 250, arbitrary: fc.record({ kind: fc.constant("insert" as const), x: fc.double({ noNaN: true }), hp: fc.nat(65535), team: fc.nat(255) }) },
  { weight: 200, arbitrary: fc.record({ kind: fc.constant("remove" as const), pick: fc.nat(), dead: fc.boolean() }) },
  { weight: 200, arbitrary: fc.record({ kind: fc.constant("get" as const), pick: fc.nat(), dead: fc.boolean() }) },
  { weight: 100, arbitrary: fc.record({ kind: fc.constant("set" as const), pick: fc.nat(), dead: fc.boolean(), hp: fc.nat(65535) }) },
  { weight: 50, arbitrary: fc.record({ kind: fc.constant("secondary" as const), pick: fc.nat(), tag: fc.nat(255) }) },
  { weight: 50, arbitrary: fc.record({ kind: fc.constant("forged" as const), n: fc.oneof(fc.nat(), fc.integer(), fc.double()) }) },
  { weight: 1, arbitrary: fc.constant({ kind: "clear" as const }) },
);
type Op = typeof op extends fc.Arbitrary<infer T> ? T : never;

const STEPS = 1000;
const RUNS = 26;
let steps = 0;
let staleAccepted = 0;
let liveRefused = 0;

function run(kind: ArenaKind, reuse: SlotReuse, ops: readonly Op[]): void {
  inSlotArena({ kind, reuse, initialCapacity: 2 }, Rec, (arena) => {
    const side = arena.secondary({ tag: "u8" });
    const model = new Map<number, Model>();
    const sideModel = new Map<number, number>();
    const live: number[] = [];
    const dead: number[] = [];
    const kill = (at: number): void => {
      const h = live[at]!;
      live[at] = live[live.length - 1]!;
      live.pop();
      model.delete(h);
      sideModel.delete(h);
      dead.push(h);
    };
    const refusedAsStale = (f: () => unknown): boolean => {
      try {
        f();
      } catch (err) {
        return err instanceof StaleHandleError;
      }
      return false;
    };
    for (const o of ops) {
      steps++;
      switch (o.kind) {
        case "insert": {
          const r = { x: o.x, hp: o.hp, team: o.team };
          // No slot retires within these runs (it takes 2^15 to 2^23 reuses of one slot).
          if (model.size === arena.capacity) {
            expect(() => arena.insert(r)).toThrow(CapacityError);
            break;
          }
          const h = arena.insert(r);
          expect(model.has(h)).toBe(false);
          expect(dead.includes(h)).toBe(false); // a handle is never issued twice
          model.set(h, r);
          live.push(h);
          break;
        }
        case "remove":
        case "get":
        case "set": {
          if (o.dead && dead.length > 0) {
            const h = dead[o.pick % dead.length]!;
            const refused =
              o.kind === "remove"
                ? refusedAsStale(() => arena.remove(h as never))
                : o.kind === "get"
                  ? refusedAsStale(() => arena.get(h as never, "x"))
                  : refusedAsStale(() => arena.set(h as never, "hp", o.kind === "set" ? o.hp : 0));
            if (!refused || arena.has(h)) staleAccepted++;
          } else if (live.length > 0) {
            const at = o.pick % live.length;
            const h = live[at]!;
            const m = model.get(h)!;
            if (!arena.has(h)) liveRefused++;
            if (o.kind === "remove") {
              arena.remove(h as never);
              kill(at);
            } else if (o.kind === "get") {
              expect([arena.get(h as never, "x"), arena.get(h as never, "hp"), arena.get(h as never, "team")]).toEqual([m.x, m.hp, m.team]);
              expect(side.get(h as never, "tag")).toBe(sideModel.get(h));
            } else {
              arena.set(h as never, "hp", o.hp);
              m.hp = o.hp;
            }
          }
          break;
        }
        case "secondary": {
          if (live.length > 0) {
            const h = live[o.pick % live.length]!;
            side.set(h as never, { tag: o.tag });
            sideModel.set(h, o.tag);
          }
          break;
        }
        case "forged": {
          if (!model.has(o.n)) {
            expect(arena.has(o.n)).toBe(false);
            expect(() => arena.get(o.n as never, "x")).toThrow(dead.includes(o.n) ? StaleHandleError : IndexError);
          }
          break;
        }
        case "clear": {
          arena.clear();
          while (live.length > 0) kill(live.length - 1);
          break;
        }
      }
      expect(arena.size).toBe(model.size);
    }
    // Sweep: every handle ever issued is accepted exactly while it lives.
    for (const h of live) if (!arena.has(h)) liveRefused++;
    for (const h of dead) if (arena.has(h)) staleAccepted++;
    let seen = 0;
    arena.forEach((h) => {
      seen++;
      expect(model.get(h)?.x).toBe(arena.get(h, "x"));
    });
    expect(seen).toBe(model.size);
    expect(side.size).toBe(sideModel.size);
    expect(arena.retired).toBe(0);
  });
}

describe("slot arena vs Map<number, object>", () => {
  const configs: [ArenaKind, SlotReuse][] = [
    ["nano", "lifo"],
    ["nano", "fifo"],
    ["tiny", "lifo"],
    ["small", "fifo"],
  ];
  it.each(configs)("%s arena, %s reuse: 26 runs of 1,000 steps", (kind, reuse) => {
    fc.assert(
      fc.property(fc.array(op, { minLength: STEPS, maxLength: STEPS }), (ops) => run(kind, reuse, ops)),
      { numRuns: RUNS, endOnFailure: true },
    );
  }, 240_000);

  afterAll(() => {
    // Only meaningful when the whole file ran.
    if (steps >= configs.length * RUNS * STEPS) {
      expect(steps).toBeGreaterThanOrEqual(100_000);
    }
    expect(staleAccepted).toBe(0);
    expect(liveRefused).toBe(0);
  });
});
