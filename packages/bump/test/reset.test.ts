import { describe, expect, it } from "vitest";
import { Bump, ChunkPool, GENERATIONS, InvalidArgumentError, StalePointerError, type Ptr } from "../src/index.ts";

describe("reset", () => {
  it("keeps the largest chunk and frees the rest (bumpalo's policy)", () => {
    const bump = new Bump({ initialChunkSize: 1024 });
    for (let i = 0; i < 100; i++) bump.alloc(500);
    const largest = Math.max(...Array.from(bump.chunks(), (c) => c.byteLength));
    expect(bump.chunkCount).toBeGreaterThan(3);
    bump.reset();
    expect(bump.chunkCount).toBe(1);
    expect(bump.allocatedBytes).toBe(largest);
    expect(bump.usedBytes).toBe(0);
    for (let i = 0; i < 20; i++) bump.alloc(500);
    expect(bump.chunkCount).toBe(1);
  });

  it("makes every old pointer stale: checked reads throw, never return new data", () => {
    const bump = new Bump();
    const s = bump.allocStr("old");
    const n = bump.alloc(4);
    bump.writeU32(n, 1);
    bump.reset();
    const s2 = bump.allocStr("new"); // reuses the same bytes
    expect(bump.readStr(s2)).toBe("new");
    expect(() => bump.readStr(s)).toThrow(StalePointerError);
    expect(() => bump.readU32(n)).toThrow(/stale/);
    expect(bump.isLive(s)).toBe(false);
    expect(bump.isLive(s2)).toBe(true);
  });

  it("detaches raw views of a non-shared arena so they can never see new data", () => {
    const bump = new Bump();
    const view = bump.bytes(bump.allocBytes(new Uint8Array([7, 7, 7])));
    bump.reset();
    bump.allocBytes(new Uint8Array([1, 2, 3]));
    expect(view.length).toBe(0);
    expect(view[0]).toBeUndefined();
  });

  it("detaches on release every chunk a raw view was taken of, also a view taken after a reset", () => {
    // release() drops chunks without detaching them when no raw view left the arena; a view taken
    // after a reset (which clears that record) must still be caught.
    const bump = new Bump({ initialChunkSize: 1024 });
    for (let i = 0; i < 300; i++) bump.alloc(16); // several chunks
    bump.reset();
    const p = bump.allocBytes(new Uint8Array([5, 6, 7]));
    const view = bump.bytes(p);
    const whole = bump.memoryOf(p);
    for (let i = 0; i < 300; i++) bump.alloc(16);
    bump.release();
    expect(view.length).toBe(0);
    expect(whole.length).toBe(0);
  });

  it("is O(chunks): a million records reset like one", () => {
    const bump = new Bump();
    for (let i = 0; i < 1_000_000; i++) bump.alloc(16);
    const chunks = bump.chunkCount;
    expect(chunks).toBeLessThan(20);
    bump.reset();
    expect(bump.chunkCount).toBe(1);
  });
});

describe("checkpoint / resetTo", () => {
  it("drops what came after the checkpoint and keeps what came before", () => {
    const bump = new Bump({ initialChunkSize: 256 });
    const before = bump.allocStr("before");
    const cp = bump.checkpoint();
    const used = bump.usedBytes;
    const after = bump.allocStr("after");
    for (let i = 0; i < 50; i++) bump.allocStr("filler filler filler");
    expect(bump.chunkCount).toBeGreaterThan(1);
    bump.resetTo(cp);
    expect(bump.usedBytes).toBe(used);
    expect(bump.chunkCount).toBe(1);
    expect(bump.readStr(before)).toBe("before");
    expect(() => bump.readStr(after)).toThrow(StalePointerError);
    const again = bump.allocStr("again");
    expect(bump.readStr(again)).toBe("again");
    expect(bump.readStr(before)).toBe("before");
    expect(() => bump.readStr(after)).toThrow(StalePointerError);
  });

  it("supports nested checkpoints and reusing one in a loop", () => {
    const bump = new Bump();
    const keep = bump.allocStr("keep");
    const outer = bump.checkpoint();
    const stale: Ptr[] = [];
    for (let i = 0; i < 100; i++) {
      const a = bump.allocStr(`a${i}`);
      const inner = bump.checkpoint();
      stale.push(bump.allocStr(`b${i}`));
      bump.resetTo(inner);
      expect(bump.readStr(a)).toBe(`a${i}`);
      stale.push(a);
      bump.resetTo(outer);
    }
    expect(bump.readStr(keep)).toBe("keep");
    for (const p of stale) expect(bump.isLive(p)).toBe(false);
  });

  it("scope() rewinds even when the callback throws", () => {
    const bump = new Bump();
    const used = bump.usedBytes;
    expect(() =>
      bump.scope((b) => {
        b.allocStr("temporary");
        throw new Error("boom");
      }),
    ).toThrow("boom");
    expect(bump.usedBytes).toBe(used);
    expect(bump.scope((b) => b.readStr(b.allocStr("x")))).toBe("x");
  });

  it("refuses checkpoints of another arena, of an earlier reset, or already rewound past", () => {
    const a = new Bump();
    const b = new Bump();
    expect(() => a.resetTo(b.checkpoint())).toThrow(/not taken from this arena/);
    const early = a.checkpoint();
    a.alloc(8);
    const late = a.checkpoint();
    a.resetTo(early);
    expect(() => a.resetTo(late)).toThrow(/already rewound past/);
    const old = a.checkpoint();
    a.reset();
    expect(() => a.resetTo(old)).toThrow(InvalidArgumentError);
  });
});

describe("release and dispose", () => {
  it("release makes every pointer stale and is idempotent", () => {
    const bump = new Bump();
    const p = bump.allocStr("x");
    bump.release();
    expect(bump.released).toBe(true);
    expect(() => bump.readStr(p)).toThrow(/released/);
    expect(bump.allocatedBytes).toBe(0);
    bump.release();
  });

  it("`using` releases the arena at the end of the block", () => {
    let escaped: Bump;
    {
      using bump = new Bump();
      bump.allocStr("scoped");
      escaped = bump;
    }
    expect(escaped.released).toBe(true);
  });
});

describe("ChunkPool", () => {
  it("recycles released chunks into the next arena without new buffers", () => {
    const pool = new ChunkPool({ maxBytes: 1 << 20 });
    const first = new Bump({ pool, initialChunkSize: 4096 });
    const view = first.bytes(first.allocBytes(new Uint8Array([5])));
    first.release();
    expect(view.length).toBe(0); // detached on the way into the pool
    expect(pool.stats().buffers).toBe(1);
    const second = new Bump({ pool, initialChunkSize: 4096 });
    second.allocStr("reused");
    expect(pool.stats()).toMatchObject({ buffers: 0, reused: 1 });
  });

  it("is bounded and type-checked", () => {
    const pool = new ChunkPool({ maxBytes: 5000 });
    const a = new Bump({ pool, initialChunkSize: 4096 });
    const b = new Bump({ pool, initialChunkSize: 4096 });
    a.alloc(1);
    b.alloc(1);
    a.release();
    b.release();
    expect(pool.stats()).toMatchObject({ buffers: 1, dropped: 1 });
    expect(() => new Bump({ pool, shared: true })).toThrow(/pool holds non-shared/);
  });
});

describe("reset without raw views", () => {
  it("keeps its chunk in place, and every old pointer is stale", () => {
    const bump = new Bump({ initialChunkSize: 4096 });
    const ps: Ptr[] = [];
    for (let r = 0; r < 50; r++) {
      for (const p of ps) expect(bump.isLive(p)).toBe(false);
      ps.length = 0;
      for (let i = 0; i < 20; i++) ps.push(bump.alloc(16, 8));
      bump.writeU32(ps[0]!, r);
      expect(bump.readU32(ps[0]!)).toBe(r);
      bump.reset();
      expect(() => bump.readU32(ps[0]!)).toThrow(StalePointerError);
      expect(bump.chunkCount).toBe(1);
      expect(bump.usedBytes).toBe(0);
    }
  });

  it("still detaches a raw view handed out before the reset, whichever way it left", () => {
    for (const leak of ["bytes", "memoryOf", "dataViewOf", "chunks"] as const) {
      const bump = new Bump({ initialChunkSize: 4096 });
      const p = bump.allocBytes(new Uint8Array([1, 2, 3]));
      bump.reset(); // a reset with nothing leaked: cheap path
      const q = bump.allocBytes(new Uint8Array([4, 5, 6]));
      const raw =
        leak === "bytes"
          ? bump.bytes(q)
          : leak === "memoryOf"
            ? bump.memoryOf(q)
            : leak === "dataViewOf"
              ? new Uint8Array(bump.dataViewOf(q).buffer)
              : [...bump.chunks()][0]!.bytes;
      expect(raw.length).toBeGreaterThan(0);
      bump.reset();
      bump.allocBytes(new Uint8Array([7, 8, 9])); // reuses the memory
      expect(raw.length, leak).toBe(0);
      expect(bump.isLive(p)).toBe(false);
    }
  });
});

describe("generation wrap-around", () => {
  it("after every reset, across two wraps of the generation stamp, the previous pointer is stale and the new one reads back", () => {
    const bump = new Bump();
    let prev = bump.alloc(4);
    bump.writeU32(prev, 0);
    const wrong: number[] = []; // resets after which a check failed (one expect at the end keeps the loop fast)
    for (let i = 1; i <= 2 * GENERATIONS + 3; i++) {
      bump.reset();
      const p = bump.alloc(4);
      bump.writeU32(p, i);
      if (bump.isLive(prev) || bump.readU32(p) !== i) wrong.push(i);
      prev = p;
    }
    expect(wrong).toEqual([]);
    expect(() => bump.readU32(prev)).not.toThrow();
  });

  it("resetTo keeps what came before its checkpoint valid across the wrap", () => {
    const bump = new Bump();
    const kept = bump.allocStr("kept");
    const cp = bump.checkpoint();
    const wrong: number[] = [];
    for (let i = 0; i < GENERATIONS + 10; i++) {
      const scratch = bump.alloc(16);
      bump.resetTo(cp);
      if (bump.isLive(scratch) || bump.readStr(kept) !== "kept") wrong.push(i);
    }
    expect(wrong).toEqual([]);
  });
});
