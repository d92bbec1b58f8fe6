import { describe, expect, it } from "vitest";
import {
  AllocationLimitError,
  ArenaError,
  Bump,
  ChunkPool,
  FreeListAllocator,
  InvalidArgumentError,
  InvalidPointerError,
  struct,
  t,
  type BufferPool,
  type Ptr,
  type StrPtr,
} from "../src/index.ts";

/** Runs `fn`, expects an error of `cls` whose message matches `names`, and returns it. */
function expectTyped<E extends Error>(fn: () => unknown, cls: abstract new (...args: never[]) => E, names: RegExp): E {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(cls);
  expect(caught).toBeInstanceOf(ArenaError);
  expect((caught as Error).message).toMatch(names);
  return caught as E;
}

const allocators = [
  ["Bump", () => new Bump({ initialChunkSize: 1024 })],
  ["FreeListAllocator", () => new FreeListAllocator({ size: 1 << 16 })],
] as const;

describe.each(allocators)("pointers and writes of a %s", (_name, make) => {
  it("refuses a fractional pointer in isLive and every checked read", () => {
    const a = make();
    const p = a.allocStr("hello");
    const half = (p + 0.5) as StrPtr;
    expect(a.isLive(p)).toBe(true);
    expect(a.isLive(half)).toBe(false);
    expectTyped(() => a.readStr(half), InvalidPointerError, /not a pointer/);
    expectTyped(() => a.readU8(half), InvalidPointerError, /not a pointer/);
    expectTyped(() => a.strEquals(half, "hello"), InvalidPointerError, /not a pointer/);
    expect(a.readStr(p)).toBe("hello");
  });

  it("refuses pointers that are not numbers with InvalidPointerError", () => {
    const a = make();
    for (const bad of [10n, "x", null, undefined, {}, Number.NaN, -1, 2 ** 53]) {
      expect(a.isLive(bad as unknown as Ptr)).toBe(false);
      expectTyped(() => a.readU32(bad as unknown as Ptr), InvalidPointerError, /not a pointer/);
    }
  });

  it("refuses a read or write that runs past the end of its chunk", () => {
    const a = make();
    const p = a.alloc(8, 8);
    const far = (p + 65534) as Ptr;
    expectTyped(() => a.readU32(far), InvalidPointerError, /past the end/);
    expectTyped(() => a.readU8((p + 70000) as Ptr), InvalidPointerError, /past the end/);
    expectTyped(() => a.writeU8((p + 70000) as Ptr, 1), InvalidPointerError, /past the end/);
    expectTyped(() => a.writeF64(far, 1), InvalidPointerError, /past the end/);
  });

  it("refuses a string whose length prefix runs past its chunk (a pointer into the middle of data)", () => {
    const a = make();
    const p = a.alloc(8, 4);
    a.writeU32(p, 0xffffff00);
    expectTyped(() => a.readStr(p as StrPtr), InvalidPointerError, /past the end/);
    expectTyped(() => a.bytesLength(p as never), InvalidPointerError, /past the end/);
  });

  it("refuses values that would wrap, be coerced or overflow, and writes nothing", () => {
    const a = make();
    const p = a.alloc(8, 8);
    a.writeU32(p, 7);
    const cases: [string, () => void][] = [
      ["writeU8", () => a.writeU8(p, 256)],
      ["writeU8", () => a.writeU8(p, -1)],
      ["writeU8", () => a.writeU8(p, 1.5)],
      ["writeU16", () => a.writeU16(p, 65536)],
      ["writeU32", () => a.writeU32(p, "abc" as unknown as number)],
      ["writeU32", () => a.writeU32(p, 2 ** 32)],
      ["writeU32", () => a.writeU32(p, Number.NaN)],
      ["writeI32", () => a.writeI32(p, 2 ** 31)],
      ["writeF32", () => a.writeF32(p, 1e40)],
      ["writeF64", () => a.writeF64(p, "1" as unknown as number)],
      ["writeU64", () => a.writeU64(p, -1n)],
      ["writeU64", () => a.writeU64(p, 2n ** 64n)],
      ["writeU64", () => a.writeU64(p, 1.5)],
      ["writeI64", () => a.writeI64(p, 2n ** 63n)],
    ];
    for (const [method, write] of cases) {
      const err = expectTyped(write, InvalidArgumentError, new RegExp(`${method}: the value must be`));
      expect(err.argument).toBe("value");
      expect(a.readU32(p)).toBe(7);
    }
  });

  it("accepts numbers for 64-bit writes, as record layouts do", () => {
    const a = make();
    const p = a.alloc(8, 8);
    a.writeU64(p, 5);
    expect(a.readU64(p)).toBe(5n);
    a.writeI64(p, -5);
    expect(a.readI64(p)).toBe(-5n);
    a.writeF32(p, Infinity); // an explicit infinity is a float like any other
    expect(a.readF32(p)).toBe(Infinity);
  });

  it("refuses a bigint size with InvalidArgumentError naming the size", () => {
    const a = make();
    const err = expectTyped(() => a.alloc(10n as unknown as number), InvalidArgumentError, /allocation size/);
    expect(err.argument).toBe("size");
    expectTyped(() => a.alloc(8, 2n as unknown as number), InvalidArgumentError, /alignment/);
  });

  it("refuses the bytes of a detached buffer", () => {
    const a = make();
    const buf = new ArrayBuffer(8);
    const bytes = new Uint8Array(buf);
    structuredClone(buf, { transfer: [buf] });
    expectTyped(() => a.allocBytes(bytes), InvalidArgumentError, /detached/);
    expect(a.bytes(a.allocBytes(new Uint8Array(0))).length).toBe(0);
  });
});

describe("Bump options", () => {
  it("refuses a non-boolean shared", () => {
    const err = expectTyped(() => new Bump({ shared: "yes" as unknown as boolean }), InvalidArgumentError, /shared must be true or false/);
    expect(err.argument).toBe("shared");
    expectTyped(() => new FreeListAllocator({ shared: 1 as unknown as boolean }), InvalidArgumentError, /shared/);
  });

  it("refuses a pool that is not a BufferPool, with one clear message", () => {
    for (const pool of [{}, { take: 1, give: () => {}, shared: false }, { take: () => undefined, give: () => {} }, null]) {
      const err = expectTyped(() => new Bump({ pool: pool as unknown as BufferPool }), InvalidArgumentError, /pool must be a BufferPool/);
      expect(err.argument).toBe("pool");
    }
  });

  it("refuses a maxChunkSize so small that 256 chunks would hold almost nothing", () => {
    expectTyped(() => new Bump({ maxChunkSize: 1 }), InvalidArgumentError, /maxChunkSize must be an integer from 1024/);
    expect(() => new Bump({ maxChunkSize: 1024, initialChunkSize: 64 })).not.toThrow();
  });

  it("alloc(2**32 - 1) is over the largest chunk (AllocationLimitError); 2**32 is not a size (InvalidArgumentError)", () => {
    const bump = new Bump();
    expect(() => bump.alloc(2 ** 32 - 1)).toThrow(AllocationLimitError);
    expect(() => bump.alloc(2 ** 32)).toThrow(InvalidArgumentError);
  });
});

describe("layouts", () => {
  it("refuse an f32 field that would be stored as Infinity", () => {
    const P = struct({ x: t.f32 });
    const bump = new Bump();
    expectTyped(() => P.write(bump, { x: 1e40 }), InvalidArgumentError, /field "x" is too large for a 32-bit float/);
    expect(P.read(bump, P.write(bump, { x: 1.5 })).x).toBe(1.5);
  });
});

/** A pool that returns whatever `next` says, to play a buggy or hostile pool. */
class ScriptedPool implements BufferPool {
  next: unknown;
  constructor(readonly shared: boolean) {}
  take(): ArrayBuffer | SharedArrayBuffer | undefined {
    return this.next as ArrayBuffer | undefined;
  }
  give(): void {}
}

describe("custom BufferPools are checked", () => {
  it("refuses a buffer smaller than asked, and the arena keeps what it stored", () => {
    const pool = new ScriptedPool(false);
    const bump = new Bump({ pool, initialChunkSize: 1024 });
    const p = bump.allocStr("kept");
    pool.next = new ArrayBuffer(16);
    expectTyped(() => bump.alloc(4096), InvalidArgumentError, /smaller than asked/);
    expect(bump.readStr(p)).toBe("kept");
    pool.next = undefined;
    expect(bump.isLive(bump.alloc(4096))).toBe(true);
  });

  it("refuses a buffer of the wrong kind", () => {
    const pool = new ScriptedPool(false);
    const bump = new Bump({ pool });
    pool.next = new SharedArrayBuffer(1 << 16);
    expectTyped(() => bump.alloc(8), InvalidArgumentError, /SharedArrayBuffer to a non-shared arena/);
    pool.next = new Uint8Array(1 << 16);
    expectTyped(() => bump.alloc(8), InvalidArgumentError, /not an ArrayBuffer/);
    pool.next = new ArrayBuffer(1 << 16, { maxByteLength: 1 << 20 });
    expectTyped(() => bump.alloc(8), InvalidArgumentError, /resizable/);
  });

  it("refuses the same buffer handed to two arenas", () => {
    const pool = new ScriptedPool(true);
    const buf = new SharedArrayBuffer(1 << 16);
    pool.next = buf;
    const a = new Bump({ pool, shared: true });
    const b = new Bump({ pool, shared: true });
    const p = a.allocStr("mine");
    expectTyped(() => b.alloc(8), InvalidArgumentError, /handed out twice/);
    expect(a.readStr(p)).toBe("mine");
    a.release(); // gives buf back: now it may be handed out again
    expect(b.isLive(b.alloc(8))).toBe(true);
  });

  it("a ChunkPool never trips the checks across many arenas", () => {
    const pool = new ChunkPool({ shared: true });
    for (let i = 0; i < 20; i++) {
      const bump = new Bump({ pool, shared: true, initialChunkSize: 1024 });
      for (let j = 0; j < 50; j++) bump.alloc(100);
      bump.reset();
      bump.alloc(10);
      bump.release();
    }
    expect(pool.stats().reused).toBeGreaterThan(0);
  });
});

describe("ChunkPool arguments", () => {
  it("refuses a non-boolean shared, a bad minBytes and something that is not a buffer", () => {
    expect(() => new ChunkPool({ shared: "yes" as unknown as boolean })).toThrow(/shared must be true or false/);
    const pool = new ChunkPool();
    expect(() => pool.take(-1)).toThrow(InvalidArgumentError);
    expect(() => pool.take("x" as unknown as number)).toThrow(InvalidArgumentError);
    expect(() => pool.give(5 as unknown as ArrayBuffer)).toThrow(/ChunkPool.give: buffer must be an ArrayBuffer/);
    expect(() => pool.give(new Uint8Array(8) as unknown as ArrayBuffer)).toThrow(InvalidArgumentError);
    pool.give(new ArrayBuffer(1024));
    expect(pool.stats()).toMatchObject({ buffers: 1, bytes: 1024 });
    expect(pool.take(512)?.byteLength).toBe(1024);
  });

  it("takes the best fit within maxBytes, and refuses a maxBytes below minBytes or not a number", () => {
    const pool = new ChunkPool();
    pool.give(new ArrayBuffer(4096));
    pool.give(new ArrayBuffer(2048));
    for (const bad of [100, Number.NaN, "x" as unknown as number]) {
      expect(() => pool.take(512, bad)).toThrow(/maxBytes must be a number >= minBytes/);
    }
    expect(pool.take(512, 1024)).toBeUndefined(); // nothing small enough: a miss, nothing taken
    expect(pool.stats()).toMatchObject({ buffers: 2, reused: 0, misses: 1 });
    expect(pool.take(512, 3000)?.byteLength).toBe(2048);
    expect(pool.take(512)?.byteLength).toBe(4096);
  });
});
