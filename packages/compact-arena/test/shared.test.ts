import type { Worker } from "node:worker_threads";
import { afterEach, describe, expect, it } from "vitest";
import { firstMessage, startTsWorker } from "../../../test/support/workers.ts";
import { InvalidArgumentError, ReadOnlyError, inArena, inSharedArena, type Arena, type Idx, type Layout } from "../src/index.ts";

const Tree = { left: "idx", right: "idx", value: "u32" } as const;
const LAYOUTS: readonly Layout[] = ["contiguous", "segmented", "resizable"];

function build<B extends symbol>(arena: Arena<B, typeof Tree>, depth: number): Idx<B> {
  if (depth === 1) return arena.add({ left: null, right: null, value: 1 });
  const left = build(arena, depth - 1);
  const right = build(arena, depth - 1);
  return arena.add({ left, right, value: depth });
}

/** Sum of values of a complete tree of `depth` levels built by `build`. */
function expectedSum(depth: number): number {
  let s = 0;
  for (let d = 1; d <= depth; d++) s += d * 2 ** (depth - d);
  return s;
}

const workers: Worker[] = [];
afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.terminate()));
});

function ask<T>(worker: Worker, msg: object): Promise<T> {
  const reply = firstMessage<T>(worker);
  worker.postMessage(msg);
  return reply;
}

describe.each(LAYOUTS)("a shared %s arena read by a real Worker", (layout) => {
  it("walks the owner's tree without copying, sees later writes, and cannot write", async () => {
    await inArena({ kind: "small", layout, shared: true, initialCapacity: 4096 }, Tree, async (arena) => {
      const root = build(arena, 11); // 2047 nodes
      const worker = startTsWorker(new URL("./fixtures/tree-reader.ts", import.meta.url), { desc: arena.share(), layout });
      workers.push(worker);
      expect(await ask(worker, { root })).toEqual({ length: 2047, count: 2047, sum: expectedSum(11) });

      // Same memory on both sides: a write by the owner is what the worker reads next.
      arena.set(root, "value", 1000);
      // Records added later are published (Atomics) and visible while they fit the shared buffers.
      const second = build(arena, 4);
      expect(await ask(worker, { root })).toEqual({ length: 2062, count: 2047, sum: expectedSum(11) - 11 + 1000 });
      expect(await ask(worker, { root: second })).toEqual({ length: 2062, count: 15, sum: expectedSum(4) });

      const denied = await ask<{ error: string }>(worker, { write: true });
      expect(denied.error).toBe("ERR_COMPACT_READ_ONLY");

      // Grow past the buffers the worker was given (4096 records).
      const third = build(arena, 12); // 4095 more nodes
      expect(arena.length).toBe(2062 + 4095);
      const after = await ask<{ length?: number; count?: number; error?: string }>(worker, { root: third });
      if (layout === "resizable") {
        // A growable SharedArrayBuffer grows in place: the worker sees every record.
        expect(after).toEqual({ length: 6157, count: 4095, sum: expectedSum(12) });
      } else {
        // Contiguous growth copied into new buffers; segmented growth added segments
        // the descriptor did not list. The worker sees only what it was given, and says so.
        expect(after.error).toBe("ERR_COMPACT_INDEX");
        const fresh = startTsWorker(new URL("./fixtures/tree-reader.ts", import.meta.url), { desc: arena.share(), layout });
        workers.push(fresh);
        expect(await ask(fresh, { root: third })).toEqual({ length: 6157, count: 4095, sum: expectedSum(12) });
      }
      worker.postMessage({ stop: true });
    });
  });
});

describe("inSharedArena", () => {
  it("gives a same-thread view a fresh brand and read-only access", () => {
    inArena({ kind: "tiny", shared: true }, Tree, (arena) => {
      const root = build(arena, 3);
      inSharedArena(arena.share(), "tiny", Tree, (view) => {
        const r = view.idx(root);
        expect(view.get(r, "value")).toBe(3);
        expect(view.cursor(r).left).toBe(2);
        expect(() => (view as unknown as { add(r: object): void }).add({ left: null, right: null, value: 1 })).toThrow(ReadOnlyError);
        expect(() => (view.cursor(r) as unknown as { value: number }).value = 2).toThrow(ReadOnlyError);
        expect(arena.get(root, "value")).toBe(3);
      });
    });
  });

  it("checks the descriptor against the expected kind, layout and schema", () => {
    inArena({ kind: "tiny", shared: true, layout: "segmented" }, Tree, (arena) => {
      arena.add({ left: null, right: null, value: 1 });
      const desc = arena.share();
      const run = (d: unknown, k: never, s: never) => () => inSharedArena(d, k, s, () => 0);
      expect(run(desc, "small" as never, Tree as never)).toThrow(/descriptor is of a "tiny" arena, expected "small"/);
      expect(run(desc, { kind: "tiny", layout: "contiguous" } as never, Tree as never)).toThrow(/layout is "segmented", expected "contiguous"/);
      expect(run(desc, "tiny" as never, { left: "idx", right: "idx", value: "f64" } as never)).toThrow(/schema .* is not the expected/);
      expect(run(desc, "tiny" as never, { right: "idx", left: "idx", value: "u32" } as never)).toThrow(/same fields, types and order/);
      expect(run({}, "tiny" as never, Tree as never)).toThrow(InvalidArgumentError);
      expect(run(null, "tiny" as never, Tree as never)).toThrow(/expected the descriptor made by arena.share\(\)/);
      expect(run({ ...desc, header: new ArrayBuffer(4) }, "tiny" as never, Tree as never)).toThrow(/header/);
      expect(run({ ...desc, columns: desc.columns.slice(1) }, "tiny" as never, Tree as never)).toThrow(/2 columns for 3 fields/);
      const badSeg = { ...desc, columns: desc.columns.map((c) => [new SharedArrayBuffer(3)]) };
      expect(run(badSeg, "tiny" as never, Tree as never)).toThrow(/segment 0 of column 0 holds 3 bytes/);
      expect(run(desc, "tiny" as never, Tree as never)).not.toThrow();
    });
  });

  it("share() needs shared memory", () => {
    inArena("nano", Tree, (arena) => {
      expect(() => arena.share()).toThrow(/shared: true/);
    });
  });
});
