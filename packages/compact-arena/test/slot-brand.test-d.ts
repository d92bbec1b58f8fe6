// Compile-time guarantees of slot arena handles: every `@ts-expect-error` line must
// fail to type-check, or this file fails.
import { describe, expectTypeOf, it } from "vitest";
import {
  inArena,
  inSharedSlotArena,
  inSlotArena,
  type Handle,
  type SecondaryColumns,
  type SlotArena,
  type SlotArenaView,
} from "../src/index.ts";

const Entity = { x: "f64", hp: "u16" } as const;

describe("slot arena brands", () => {
  it("handles of two slot arenas cannot be mixed, even with the same kind and schema", () => {
    inSlotArena("tiny", Entity, (a) =>
      inSlotArena("tiny", Entity, (b) => {
        const ha = a.insert({ x: 1, hp: 1 });
        const hb = b.insert({ x: 1, hp: 1 });
        a.get(ha, "x");
        b.get(hb, "x");
        // @ts-expect-error a handle of b is not a handle of a
        a.get(hb, "x");
        // @ts-expect-error nor can it be removed from a
        a.remove(hb);
        // @ts-expect-error nor used with a's secondary columns
        a.secondary({ t: "u8" }).set(hb, { t: 1 });
        expectTypeOf(ha).not.toEqualTypeOf(hb);
      }),
    );
  });

  it("a plain number, an Idx, or a handle of the arena's view are not handles", () => {
    inSlotArena({ kind: "small", shared: true }, Entity, (arena) => {
      const h = arena.insert({ x: 1, hp: 1 });
      // @ts-expect-error a number is not a handle
      arena.get(5, "x");
      inArena("small", { v: "u8" }, (plain) => {
        const i = plain.add({ v: 1 });
        // @ts-expect-error an Idx is not a Handle
        arena.get(i, "x");
        // @ts-expect-error a Handle is not an Idx
        plain.get(h, "v");
      });
      inSharedSlotArena(arena.share(), "small", Entity, (view) => {
        // @ts-expect-error the view has a fresh brand: the owner's handle must be checked in with view.handle()
        view.get(h, "x");
        view.get(view.handle(h), "x");
        // @ts-expect-error views are read-only
        view.insert({ x: 1, hp: 1 });
        // @ts-expect-error cursors of views are read-only
        view.at(view.handle(h)).x = 2;
      });
      // a handle is a number: it can be stored and sent as one
      expectTypeOf(h).toMatchTypeOf<number>();
    });
  });

  it("handles cannot leave their scope, and records are checked against the schema", () => {
    // @ts-expect-error the result type mentions the brand
    inSlotArena("nano", Entity, (arena) => arena.insert({ x: 1, hp: 1 }));
    inSlotArena("nano", Entity, (arena) => {
      // @ts-expect-error a field is missing
      arena.insert({ x: 1 });
      // @ts-expect-error unknown field name
      arena.get(arena.insert({ x: 1, hp: 1 }), "y");
      expectTypeOf(arena.get(arena.insert({ x: 1, hp: 1 }), "hp")).toEqualTypeOf<number>();
      expectTypeOf(arena.column("x")).toEqualTypeOf<Float64Array>();
      expectTypeOf(arena.column("hp")).toEqualTypeOf<Uint16Array>();
      expectTypeOf(arena.secondary({ t: "u8" })).toEqualTypeOf<SecondaryColumns<typeof arena.brand, { readonly t: "u8" }>>();
    });
    // @ts-expect-error slot arenas have no idx fields
    inSlotArena("nano", { parent: "idx" }, () => 0);
  });

  it("generic helpers take any slot arena or view", () => {
    function total<B extends symbol>(view: SlotArenaView<B, typeof Entity>): number {
      let s = 0;
      view.forEach((h) => (s += view.get(h, "hp")));
      return s;
    }
    function spawn<B extends symbol>(arena: SlotArena<B, typeof Entity>): Handle<B> {
      return arena.insert({ x: 0, hp: 1 });
    }
    expectTypeOf(inSlotArena("small", Entity, (arena) => (spawn(arena), total(arena)))).toEqualTypeOf<number>();
  });
});
