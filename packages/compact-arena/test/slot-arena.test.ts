// Behaviour of slot arenas a user relies on: handles survive other records' removal,
// removed records' handles are refused forever (even after their slot is reused),
// capacity edges, generation retirement, bad input with nothing stored lost.
import { describe, expect, it } from "vitest";
import {
  CapacityError,
  GENERATION_BITS,
  IndexError,
  InvalidArgumentError,
  InvalidValueError,
  ReadOnlyError,
  ReleasedError,
  SchemaError,
  StaleHandleError,
  inSharedSlotArena,
  inSlotArena,
  type ArenaKind,
  type Handle,
  type SlotArena,
  type SlotReuse,
} from "../src/index.ts";

const Entity = { x: "f64", hp: "u16", team: "u8" } as const;
type Entity = typeof Entity;

function slotOfRaw(kind: ArenaKind, h: number): number {
  return kind === "nano" ? h % 256 : kind === "tiny" ? h % 65536 : h % 2 ** 32;
}

describe("a slot arena", () => {
  it("inserts, reads, writes, removes and reuses slots with new generations", () => {
    inSlotArena("small", Entity, (arena) => {
      const a = arena.insert({ x: 1.5, hp: 100, team: 1 });
      const b = arena.insert({ x: -2, hp: 50, team: 2 });
      expect([arena.size, arena.slots]).toEqual([2, 2]);
      expect(arena.get(a, "x")).toBe(1.5);
      arena.set(b, "hp", 49);
      expect(arena.get(b, "hp")).toBe(49);

      arena.remove(a);
      expect(arena.has(a)).toBe(false);
      expect(arena.size).toBe(1);
      const c = arena.insert({ x: 3, hp: 1, team: 3 });
      // Same slot, new generation: a's handle must not read c.
      expect(arena.slotOf(c)).toBe(slotOfRaw("small", a));
      expect(c).not.toBe(a);
      expect(() => arena.get(a, "x")).toThrow(StaleHandleError);
      expect(() => arena.set(a, "x", 9)).toThrow(StaleHandleError);
      expect(arena.get(c, "x")).toBe(3);
      expect(arena.get(b, "hp")).toBe(49);
      expect(arena.slots).toBe(2);
    });
  });

  it("iterates live records only, in slot order, with handles and slots", () => {
    inSlotArena("tiny", Entity, (arena) => {
      const hs = Array.from({ length: 10 }, (_, i) => arena.insert({ x: i, hp: i, team: 0 }));
      for (const h of [hs[0]!, hs[4]!, hs[9]!]) arena.remove(h);
      const seen: number[] = [];
      arena.forEach((h, slot) => {
        expect(arena.slotOf(h)).toBe(slot);
        seen.push(arena.get(h, "x"));
      });
      expect(seen).toEqual([1, 2, 3, 5, 6, 7, 8]);
      expect([...arena].map((h) => arena.get(h, "hp"))).toEqual([1, 2, 3, 5, 6, 7, 8]);
      const x = arena.column("x");
      expect(x.length).toBe(10);
      let sum = 0;
      arena.forEach((_, slot) => (sum += x[slot]!));
      expect(sum).toBe(1 + 2 + 3 + 5 + 6 + 7 + 8);
    });
  });

  it("cursors check the generation on every access", () => {
    inSlotArena("nano", Entity, (arena) => {
      const a = arena.insert({ x: 1, hp: 1, team: 1 });
      const b = arena.insert({ x: 2, hp: 2, team: 2 });
      const c = arena.at(a);
      c.hp += 5;
      expect(arena.get(a, "hp")).toBe(6);
      expect(c.at(b).x).toBe(2);
      expect(c.handle).toBe(b);
      arena.remove(b);
      arena.insert({ x: 3, hp: 3, team: 3 }); // reuses b's slot
      expect(() => c.x).toThrow(StaleHandleError);
      expect(() => (c.x = 1)).toThrow(StaleHandleError);
      expect(() => c.handle).toThrow(StaleHandleError);
    });
  });

  it("clear() makes every handle stale for good and keeps the slots", () => {
    inSlotArena("tiny", Entity, (arena) => {
      const old = Array.from({ length: 100 }, (_, i) => arena.insert({ x: i, hp: 0, team: 0 }));
      arena.clear();
      expect([arena.size, arena.slots]).toEqual([0, 100]);
      const fresh = Array.from({ length: 100 }, (_, i) => arena.insert({ x: i, hp: 0, team: 0 }));
      expect(arena.slots).toBe(100); // reused, not appended
      for (const h of old) expect(arena.has(h)).toBe(false);
      for (const h of fresh) expect(arena.has(h)).toBe(true);
      expect(() => arena.remove(old[0]!)).toThrow(StaleHandleError);
    });
  });

  it.each<SlotReuse>(["lifo", "fifo"])("reuses free slots in %s order", (reuse) => {
    inSlotArena({ kind: "tiny", reuse }, Entity, (arena) => {
      const hs = Array.from({ length: 4 }, () => arena.insert({ x: 0, hp: 0, team: 0 }));
      arena.remove(hs[1]!);
      arena.remove(hs[3]!);
      arena.remove(hs[0]!);
      const order = [0, 1, 2].map(() => arena.slotOf(arena.insert({ x: 0, hp: 0, team: 0 })));
      expect(order).toEqual(reuse === "lifo" ? [0, 3, 1] : [1, 3, 0]);
      expect(arena.reuse).toBe(reuse);
    });
  });

  it("reuses in FIFO order by default (the benchmark's choice)", () => {
    expect(inSlotArena("tiny", Entity, (arena) => arena.reuse)).toBe("fifo");
  });
});

describe("capacity edges", () => {
  it.each<[ArenaKind, number]>([
    ["nano", 256],
    ["tiny", 65536],
  ])("a %s arena holds %i live records, refuses one more, and takes it after a remove", (kind, cap) => {
    inSlotArena({ kind, initialCapacity: 2 }, { v: "u32" }, (arena) => {
      expect(arena.capacity).toBe(cap);
      const hs: Handle<typeof arena.brand>[] = [];
      for (let i = 0; i < cap; i++) hs.push(arena.insert({ v: i }));
      expect(arena.size).toBe(cap);
      // Record cap + 1 does not fit: a typed error, nothing stored, nothing lost.
      expect(() => arena.insert({ v: 1 })).toThrow(CapacityError);
      expect(arena.tryInsert({ v: 1 })).toBeInstanceOf(CapacityError);
      expect(arena.size).toBe(cap);
      expect(arena.get(hs[cap - 1]!, "v")).toBe(cap - 1);
      // Remove some, reinsert as many: every slot is reused, old handles stay refused.
      const removed = [0, 1, cap >> 1, cap - 2, cap - 1];
      for (const k of removed) arena.remove(hs[k]!);
      const again = removed.map((k, j) => (j === 0 ? (arena.tryInsert({ v: 1_000_000 + k }) as Handle<typeof arena.brand>) : arena.insert({ v: 1_000_000 + k })));
      expect(() => arena.insert({ v: 1 })).toThrow(CapacityError);
      expect(arena.slots).toBe(cap);
      for (const k of removed) expect(arena.has(hs[k]!)).toBe(false);
      again.forEach((h, j) => expect(arena.get(h, "v")).toBe(1_000_000 + removed[j]!));
      let sum = 0;
      arena.forEach((h) => (sum += arena.get(h, "v") >= 1_000_000 ? 0 : 1));
      expect(sum).toBe(cap - removed.length);
    });
  });

  it("a small arena goes past 65 536 and 65 537 slots and keeps every handle apart", () => {
    inSlotArena({ kind: "small", initialCapacity: 2 }, { v: "u32" }, (arena) => {
      const hs: Handle<typeof arena.brand>[] = [];
      for (let i = 0; i < 65537; i++) hs.push(arena.insert({ v: i }));
      expect(arena.slotOf(hs[65536]!)).toBe(65536);
      arena.remove(hs[65535]!);
      arena.remove(hs[65536]!);
      const a = arena.insert({ v: 7 });
      const b = arena.insert({ v: 8 });
      expect(new Set([arena.slotOf(a), arena.slotOf(b)])).toEqual(new Set([65535, 65536]));
      expect(arena.has(hs[65535]!) || arena.has(hs[65536]!)).toBe(false);
      expect(arena.slots).toBe(65537);
      expect(arena.get(hs[256]!, "v")).toBe(256);
      expect(arena.get(hs[257]!, "v")).toBe(257);
    });
  });

  it("retires a slot whose generations ran out instead of reissuing an old handle", () => {
    // A tiny slot holds 2^15 records in turn (16-bit generations, odd ones occupied).
    const turns = 2 ** (GENERATION_BITS.tiny - 1);
    inSlotArena("tiny", { v: "u8" }, (arena) => {
      const seen = new Set<number>();
      let first = -1;
      for (let k = 0; k < turns; k++) {
        const h = arena.insert({ v: 1 });
        if (k === 0) first = h;
        expect(arena.slotOf(h)).toBe(0);
        seen.add(h);
        arena.remove(h);
      }
      expect(seen.size).toBe(turns); // every handle distinct
      expect(arena.retired).toBe(1);
      const next = arena.insert({ v: 2 });
      expect(arena.slotOf(next)).toBe(1); // slot 0 is never used again
      expect(() => arena.get(first as never, "v")).toThrow(StaleHandleError);
      expect(() => arena.get(first as never, "v")).toThrow(/retired/);
      arena.clear();
      expect(arena.retired).toBe(1); // clear() does not revive it
      expect(arena.slotOf(arena.insert({ v: 3 }))).toBe(1);
    });
  });
});

describe("bad input gets a typed error and loses nothing", () => {
  function fill<B extends symbol>(arena: SlotArena<B, Entity>): Handle<B>[] {
    return [arena.insert({ x: 1, hp: 1, team: 1 }), arena.insert({ x: 2, hp: 2, team: 2 })];
  }
  function intact<B extends symbol>(arena: SlotArena<B, Entity>, hs: Handle<B>[]): void {
    expect(arena.size).toBe(2);
    expect(hs.map((h) => arena.get(h, "x"))).toEqual([1, 2]);
  }

  it("forged numbers are IndexErrors (or stale), never another record", () => {
    inSlotArena("small", Entity, (arena) => {
      const hs = fill(arena);
      const forged: unknown[] = [0, 1, -1, 1.5, NaN, Infinity, 2 ** 53, 0.5, 1e300, -0.5, hs[1]! + 1, hs[1]! + 2 ** 32 * 2, "0", null, undefined, {}, Symbol("h"), 1n];
      for (const f of forged) {
        expect(() => arena.get(f as never, "x")).toThrow(IndexError);
        expect(arena.has(f as never)).toBe(false);
        expect(() => arena.remove(f as never)).toThrow(IndexError);
      }
      intact(arena, hs);
    });
  });

  it("a handle of another arena is refused at runtime (here: same kind and schema, types erased)", () => {
    inSlotArena("tiny", Entity, (a) =>
      inSlotArena("tiny", Entity, (b) => {
        const ha = fill(a);
        const hb = fill(b);
        for (const h of ha as number[]) {
          expect(b.has(h)).toBe(false);
          expect(() => b.get(h as never, "x")).toThrow(IndexError);
          expect(() => b.remove(h as never)).toThrow(IndexError);
        }
        intact(a, ha);
        intact(b, hb);
      }),
    );
  });

  it("a double remove throws StaleHandleError", () => {
    inSlotArena("nano", Entity, (arena) => {
      const hs = fill(arena);
      const extra = arena.insert({ x: 3, hp: 3, team: 3 });
      arena.remove(extra);
      expect(() => arena.remove(extra)).toThrow(StaleHandleError);
      const err = (() => {
        try {
          arena.remove(extra);
        } catch (e) {
          return e as StaleHandleError;
        }
        return undefined;
      })();
      expect(err?.code).toBe("ERR_COMPACT_STALE");
      expect(err?.handle).toBe(extra);
      intact(arena, hs);
    });
  });

  it("values that do not fit, non-records and unknown fields store nothing", () => {
    inSlotArena("tiny", Entity, (arena) => {
      const hs = fill(arena);
      expect(() => arena.insert({ x: 1, hp: 70000, team: 1 })).toThrow(InvalidValueError);
      expect(() => arena.insert({ x: "1", hp: 1, team: 1 } as never)).toThrow(InvalidValueError);
      expect(() => arena.insert(null as never)).toThrow(InvalidValueError);
      expect(() => arena.set(hs[0]!, "team", 256)).toThrow(InvalidValueError);
      expect(() => arena.set(hs[0]!, "nope" as never, 1)).toThrow(InvalidArgumentError);
      expect(() => arena.get(hs[0]!, "toString" as never)).toThrow(InvalidArgumentError);
      intact(arena, hs);
      expect(arena.slots).toBe(2);
      // The failed inserts did not consume a slot or a generation.
      const h = arena.insert({ x: 3, hp: 3, team: 3 });
      expect(arena.slotOf(h)).toBe(2);
    });
  });

  it("use after the scope ended (or dispose) is a ReleasedError", () => {
    let kept: SlotArena<symbol, Entity> | undefined;
    const h = inSlotArena("small", Entity, (arena) => {
      kept = arena as unknown as SlotArena<symbol, Entity>;
      return arena.insert({ x: 1, hp: 1, team: 1 }) as number;
    });
    expect(() => kept!.get(h as never, "x")).toThrow(ReleasedError);
    expect(() => kept!.has(h)).toThrow(ReleasedError);
    expect(() => kept!.insert({ x: 1, hp: 1, team: 1 })).toThrow(ReleasedError);
    expect(() => kept!.remove(h as never)).toThrow(ReleasedError);
    expect(() => kept!.size).toThrow(ReleasedError);
    inSlotArena("tiny", Entity, (arena) => {
      const s = arena.secondary({ tag: "u8" });
      const x = arena.insert({ x: 1, hp: 1, team: 1 });
      arena[Symbol.dispose]();
      expect(() => arena.get(x, "x")).toThrow(ReleasedError);
      expect(() => s.get(x, "tag")).toThrow(ReleasedError);
      expect(() => s.has(x)).toThrow(ReleasedError);
    });
  });

  it("bad kinds, options and schemas are refused up front", () => {
    expect(() => inSlotArena("big" as never, Entity, () => 0)).toThrow(InvalidArgumentError);
    expect(() => inSlotArena({ kind: "tiny", reuse: "random" as never }, Entity, () => 0)).toThrow(InvalidArgumentError);
    expect(() => inSlotArena({ kind: "tiny", layout: "segmented" as never }, Entity, () => 0)).toThrow(InvalidArgumentError);
    expect(() => inSlotArena({ kind: "tiny", initialCapacity: 1000 }, Entity, () => 0)).toThrow(InvalidArgumentError);
    expect(() => inSlotArena("tiny", { parent: "idx" } as never, () => 0)).toThrow(SchemaError);
    expect(() => inSlotArena("tiny", {}, () => 0)).toThrow(SchemaError);
    expect(() => inSlotArena("tiny", Entity, (a) => a.share())).toThrow(InvalidArgumentError);
    expect(() => inSharedSlotArena({ type: "nope" }, "tiny", Entity, () => 0)).toThrow(InvalidArgumentError);
    expect(() => inSlotArena("tiny", Entity, 42 as never)).toThrow(InvalidArgumentError);
    expect(() => inSlotArena("tiny", Entity, (a) => a.forEach(null as never))).toThrow(InvalidArgumentError);
  });

  it("a damaged or mismatched descriptor is refused before any memory is read", () => {
    inSlotArena({ kind: "tiny", shared: true }, Entity, (arena) => {
      const h = arena.insert({ x: 1, hp: 1, team: 1 });
      const d = arena.share();
      const damaged: unknown[] = [
        null,
        { ...d, type: "arenakit.compact-arena" },
        { ...d, kind: "small" },
        { ...d, schema: { x: "f64", hp: "u16" } },
        { ...d, schema: { hp: "u16", x: "f64", team: "u8" } },
        { ...d, header: new SharedArrayBuffer(4) },
        { ...d, generations: new ArrayBuffer(8) },
        { ...d, generations: new SharedArrayBuffer(3) },
        { ...d, columns: d.columns.slice(1) },
        { ...d, columns: [new SharedArrayBuffer(8), d.columns[1], d.columns[2]] },
        { ...d, base: 2 },
        { ...d, base: 2 ** 16 + 1 },
        { ...d, base: "1" },
        { ...d, layout: "segmented" },
      ];
      for (const bad of damaged) {
        expect(() => inSharedSlotArena(bad, "tiny", Entity, () => 0)).toThrow(InvalidArgumentError);
      }
      expect(inSharedSlotArena(d, "tiny", Entity, (view) => view.get(view.handle(h), "hp"))).toBe(1);
    });
  });

  it("a view refuses writes", () => {
    inSlotArena({ kind: "tiny", shared: true }, Entity, (arena) => {
      const h = arena.insert({ x: 1, hp: 1, team: 1 });
      inSharedSlotArena(arena.share(), "tiny", Entity, (view) => {
        const w = view as unknown as SlotArena<symbol, Entity>;
        expect(() => w.insert({ x: 1, hp: 1, team: 1 })).toThrow(ReadOnlyError);
        expect(() => w.remove(h as never)).toThrow(ReadOnlyError);
        expect(() => w.set(h as never, "x", 2)).toThrow(ReadOnlyError);
      });
      expect(arena.get(h, "x")).toBe(1);
    });
  });
});

describe("secondary columns", () => {
  it("hold side data per live record; a removed or replaced record has none", () => {
    inSlotArena("tiny", Entity, (arena) => {
      const names = arena.secondary({ score: "u32", rank: "u8" });
      const a = arena.insert({ x: 1, hp: 1, team: 1 });
      const b = arena.insert({ x: 2, hp: 2, team: 2 });
      names.set(a, { score: 10, rank: 1 });
      expect(names.get(a, "score")).toBe(10);
      expect(names.get(b, "score")).toBeUndefined();
      expect([names.has(a), names.has(b), names.size]).toEqual([true, false, 1]);
      arena.remove(a);
      expect(names.has(a)).toBe(false);
      expect(() => names.get(a, "score")).toThrow(StaleHandleError);
      expect(() => names.set(a, { score: 1, rank: 1 })).toThrow(StaleHandleError);
      const c = arena.insert({ x: 3, hp: 3, team: 3 }); // a's slot
      expect(names.get(c, "score")).toBeUndefined(); // a's value does not leak to c
      expect(names.size).toBe(0);
      names.set(c, { score: 30, rank: 3 });
      expect(names.delete(c)).toBe(true);
      expect(names.delete(c)).toBe(false);
      expect(() => names.set(c, { score: 256 ** 4, rank: 1 })).toThrow(InvalidValueError);
      expect(() => names.get(c, "x" as never)).toThrow(InvalidArgumentError);
    });
  });

  it("grow to slots far beyond their first allocation", () => {
    inSlotArena({ kind: "small", initialCapacity: 2 }, { v: "u32" }, (arena) => {
      const side = arena.secondary({ w: "f64" });
      const hs = Array.from({ length: 5000 }, (_, i) => arena.insert({ v: i }));
      side.set(hs[4999]!, { w: 0.5 });
      side.set(hs[3]!, { w: 3 });
      expect(side.get(hs[4999]!, "w")).toBe(0.5);
      expect(side.get(hs[3]!, "w")).toBe(3);
      expect(side.get(hs[100]!, "w")).toBeUndefined();
    });
  });
});
