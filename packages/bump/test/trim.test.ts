import { describe, expect, it } from "vitest";
import { Bump, ChunkPool, InvalidArgumentError, ReleasedError, type BufferPool, type StrPtr } from "../src/index.ts";

/** An arena whose last chunk (8 KiB) is partly used: 3,000 bytes in 30 strings. */
function partlyUsed(shared: boolean, pool?: BufferPool): { bump: Bump; ptrs: StrPtr[] } {
  const bump = new Bump({ shared, initialChunkSize: 8192, ...(pool !== undefined ? { pool } : {}) });
  const ptrs: StrPtr[] = [];
  for (let i = 0; i < 30; i++) ptrs.push(bump.allocStr(`record ${i} `.padEnd(96, "é")));
  return { bump, ptrs };
}

const readAll = (bump: Bump, ptrs: StrPtr[]): string[] => ptrs.map((p) => bump.readStr(p));

// Every combination a caller can hit: shared or not, with or without a pool, old buffer to the pool or to the GC.
const cases = [
  { name: "non-shared, pooled, to the pool", shared: false, pooled: true, toPool: true },
  { name: "non-shared, pooled, to the GC", shared: false, pooled: true, toPool: false },
  { name: "non-shared, no pool", shared: false, pooled: false, toPool: true },
  { name: "non-shared, no pool, trim(false)", shared: false, pooled: false, toPool: false },
  { name: "shared, pooled, to the pool", shared: true, pooled: true, toPool: true },
  { name: "shared, no pool", shared: true, pooled: false, toPool: false },
];

describe("Bump.trim", () => {
  for (const c of cases) {
    it(`${c.name}: returns the bytes given back, keeps every pointer and its bytes`, () => {
      const pool = c.pooled ? new ChunkPool({ shared: c.shared }) : undefined;
      const { bump, ptrs } = partlyUsed(c.shared, pool);
      const before = readAll(bump, ptrs);
      const allocated = bump.allocatedBytes;
      const used = bump.usedBytes;
      expect(allocated).toBe(8192);

      const freed = bump.trim(c.toPool);

      // The count is what left the arena: the old chunk minus its exact-size copy.
      expect(freed).toBe(8192 - Math.ceil(used / 8) * 8);
      expect(freed).toBeGreaterThan(0);
      expect(bump.allocatedBytes).toBe(allocated - freed);
      expect(bump.usedBytes).toBe(used);
      expect(readAll(bump, ptrs)).toEqual(before);
      // The old buffer went to the pool only when asked.
      if (pool !== undefined) expect(pool.stats().bytes).toBe(c.toPool ? 8192 : 0);

      // Still an arena: the next allocation opens a new chunk, old pointers stay valid.
      const q = bump.allocStr("after trim");
      expect(bump.chunkCount).toBe(2);
      expect(bump.readStr(q)).toBe("after trim");
      expect(readAll(bump, ptrs)).toEqual(before);
      bump.release();
    });
  }

  it("counts a spare chunk kept by resetTo, and trims nothing twice", () => {
    const bump = new Bump({ initialChunkSize: 1024, pool: new ChunkPool() });
    bump.alloc(100);
    const cp = bump.checkpoint();
    bump.alloc(2000); // a second chunk (2 KiB), kept as the spare by the rewind
    bump.resetTo(cp);
    const allocated = bump.allocatedBytes;
    expect(allocated).toBe(1024 + 2048); // allocatedBytes counts the spare
    const freed = bump.trim();
    expect(freed).toBe(allocated - bump.allocatedBytes);
    expect(bump.allocatedBytes).toBe(104);
    expect(bump.trim()).toBe(0);
  });

  it("a trimmed non-shared pooled arena gives its old buffer to the next arena, and old raw views go empty", () => {
    const pool = new ChunkPool();
    const { bump, ptrs } = partlyUsed(false, pool);
    const stale = bump.memoryOf(ptrs[0]!);
    expect(bump.trim()).toBeGreaterThan(0);
    expect(stale.length).toBe(0); // detached: it can never show the next arena's bytes
    const next = new Bump({ pool, initialChunkSize: 8192 });
    next.alloc(8);
    expect(pool.stats().reused).toBe(1);
    expect(bump.readStr(ptrs[0]!)).toBe(`record 0 `.padEnd(96, "é"));
    next.release();
    bump.release();
  });

  it("with slack, copies into a pooled buffer that fits instead of a new one, and leaves a larger one pooled", () => {
    for (const shared of [false, true]) {
      const pool = new ChunkPool({ shared });
      const { bump: first, ptrs: firstPtrs } = partlyUsed(shared, pool);
      const used = Math.ceil(first.usedBytes / 8) * 8;
      first.trim(false);
      expect(first.allocatedBytes).toBe(used);
      first.release(); // its exact-size chunk goes to the pool
      expect(pool.stats()).toMatchObject({ buffers: 1, bytes: used });

      // The same records again: the pooled buffer has exactly the used size, so it takes the chunk's place.
      const { bump, ptrs } = partlyUsed(shared, pool);
      const before = readAll(bump, ptrs);
      const reused = pool.stats().reused;
      expect(bump.trim(false, 64)).toBe(8192 - used);
      expect(pool.stats()).toMatchObject({ buffers: 0, reused: reused + 1 });
      expect(bump.allocatedBytes).toBe(used);
      expect(readAll(bump, ptrs)).toEqual(before);
      expect(firstPtrs.length).toBe(ptrs.length);

      // A pooled buffer more than `slack` bytes larger than the used ones stays in the pool; the copy gets a new buffer.
      pool.give(shared ? new SharedArrayBuffer(used + 128) : new ArrayBuffer(used + 128));
      const { bump: third, ptrs: thirdPtrs } = partlyUsed(shared, pool);
      const reusedBefore = pool.stats().reused;
      expect(third.trim(false, 64)).toBe(8192 - used);
      expect(third.allocatedBytes).toBe(used);
      // Never taken out at all (the pool is asked for at most used + slack bytes), so not counted as reused.
      expect(pool.stats()).toMatchObject({ buffers: 1, bytes: used + 128, reused: reusedBefore });
      expect(readAll(third, thirdPtrs)).toEqual(before);
      // The arena still allocates after a trim into a pooled buffer.
      expect(third.readStr(third.allocStr("after"))).toBe("after");
      bump.release();
      third.release();
    }
  });

  it("with a pool that ignores maxBytes, offers back a buffer too large to save anything", () => {
    const inner = new ChunkPool();
    const asked: (number | undefined)[][] = [];
    const loose: BufferPool = {
      shared: false,
      take: (min: number, max?: number) => {
        asked.push([min, max]);
        return inner.take(min); // ignores max
      },
      give: (b) => inner.give(b),
    };
    const { bump, ptrs } = partlyUsed(false, loose);
    const before = readAll(bump, ptrs);
    const used = Math.ceil(bump.usedBytes / 8) * 8;
    inner.give(new ArrayBuffer(used + 128));
    expect(bump.trim(false, 64)).toBe(8192 - used);
    expect(asked.at(-1)).toEqual([used, used + 64]);
    expect(bump.allocatedBytes).toBe(used); // a new exact-size buffer, not the pooled one
    expect(inner.stats()).toMatchObject({ buffers: 1, bytes: used + 128 });
    expect(readAll(bump, ptrs)).toEqual(before);
    bump.release();
  });

  it("refuses a slack that is not a whole number of bytes, before changing anything", () => {
    const { bump, ptrs } = partlyUsed(false);
    for (const bad of [-1, 1.5, Number.NaN, "8" as unknown as number]) {
      expect(() => bump.trim(true, bad)).toThrow(InvalidArgumentError);
    }
    expect(bump.allocatedBytes).toBe(8192);
    expect(bump.readStr(ptrs[29]!)).toBe(`record 29 `.padEnd(96, "é"));
    bump.release();
  });

  it("is refused on a released arena, and is 0 on an empty one", () => {
    const empty = new Bump();
    expect(empty.trim()).toBe(0);
    empty.release();
    expect(() => empty.trim()).toThrow(ReleasedError);
  });
});
