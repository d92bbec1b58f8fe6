// Code shown in the "Branding" chapter. The @ts-expect-error lines are checked
// by the compiler (this file is part of the package's typecheck): if one of
// them stopped being an error, the typecheck would fail.
import {
  inArena,
  inSharedArena,
  ReleasedError,
  type ArenaView,
  type Idx,
} from "@arenakit/compact-arena";
import { Tree, topDown } from "./tree.ts";

// #region fresh-brands
/** Two arenas of the same kind and schema, one inside the other. */
export function twoArenas(): number {
  return inArena("small", Tree, (a) =>
    inArena("small", Tree, (b) => {
      const ia = a.add({ left: null, right: null, value: 1 });
      const ib = b.add({ left: null, right: null, value: 2 });
      // @ts-expect-error an index of `a` is not an index of `b`
      b.get(ia, "value");
      // @ts-expect-error nor can b's records point into `a`
      b.add({ left: ia, right: null, value: 3 });
      return a.get(ia, "value") + b.get(ib, "value");
    }),
  );
  // → 3
}
// #endregion fresh-brands

// #region generic-helper
/** Helpers are generic in the brand: the arena and the index must agree. */
export function depthOf<B extends symbol>(
  arena: ArenaView<B, typeof Tree>,
  node: Idx<B>,
): number {
  const left = arena.get(node, "left");
  return left === null ? 1 : 1 + depthOf(arena, left);
}
// #endregion generic-helper

// #region numbers
/** A plain number is not an index until the arena has checked it. */
export function fromNumber(n: number): number | "out of range" {
  return inArena("tiny", Tree, (arena) => {
    topDown(arena, 3); // 7 records
    // @ts-expect-error a number is not an Idx (and at runtime n may be out of range)
    const unchecked = (): number => arena.get(n, "value");
    if (!arena.isIdx(n)) return "out of range";
    return arena.get(n, "value"); // n is Idx<B> here
  });
}
// #endregion numbers

// #region no-escape
/** Only values without the brand leave the scope. */
export function escapes(): number {
  // @ts-expect-error the arena cannot be returned
  inArena("nano", Tree, (arena) => arena);
  // @ts-expect-error nor an index, nor anything that holds one
  inArena("nano", Tree, (a) => ({ r: a.add({ left: null, right: null, value: 0 }) }));
  return inArena("nano", Tree, (arena) => depthOf(arena, topDown(arena, 4))); // → 4
}
// #endregion no-escape

// #region holes
/** What the compiler cannot stop, and what the runtime does about it. */
export function holes(): string[] {
  const caught: string[] = [];
  // 1. A cast: the compiler believes it; the runtime checks the range.
  inArena("nano", Tree, (arena) => {
    arena.add({ left: null, right: null, value: 1 });
    try {
      arena.get(7 as Idx<typeof arena.brand>, "value");
    } catch (err) {
      caught.push((err as Error).name);
    }
  });
  // 2. A closure whose type does not mention the brand outlives the scope;
  //    the arena it captured does not.
  const late = inArena("nano", Tree, (arena) => () => arena.length);
  try {
    late();
  } catch (err) {
    if (err instanceof ReleasedError) caught.push(err.name);
  }
  return caught; // → ["IndexError", "ReleasedError"]
}
// #endregion holes

// #region post-message
/**
 * Owner and reader of a shared arena, in one thread here; across a postMessage in
 * practice.
 */
export function shareAndRead(): number {
  return inArena({ kind: "small", shared: true }, Tree, (arena) => {
    const root: number = topDown(arena, 5); // only a number crosses postMessage
    // what a Worker receives
    const message = structuredClone({ desc: arena.share(), root });
    return inSharedArena(message.desc, "small", Tree, (view) => {
      // @ts-expect-error the received number carries no brand
      view.get(message.root, "value");
      // checked, then branded for this view
      return view.get(view.idx(message.root), "value");
    });
  });
  // → 5
}
// #endregion post-message
