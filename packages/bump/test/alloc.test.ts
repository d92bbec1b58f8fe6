import { fc, test as fcTest } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import {
  AllocationLimitError,
  Bump,
  InvalidArgumentError,
  InvalidPointerError,
  ReleasedError,
  ptrOffset,
  type Ptr,
} from "../src/index.ts";

/**
 * [start, end) of an allocation. Within one generation a pointer orders by
 * chunk slot, then offset, and offsets stay below 2^32, so ranges of different
 * chunks can never touch.
 */
function range(p: Ptr, size: number): [number, number] {
  return [p, p + size];
}

describe("alloc", () => {
  it("honours every power-of-two alignment up to 2^16", () => {
    const bump = new Bump({ initialChunkSize: 64 });
    for (let shift = 0; shift <= 16; shift++) {
      const align = 2 ** shift;
      bump.alloc(1); // misalign the top
      const p = bump.alloc(3, align);
      expect(ptrOffset(p) % align).toBe(0);
    }
  });

  fcTest.prop([
    fc.array(fc.record({ size: fc.integer({ min: 0, max: 600 }), alignShift: fc.integer({ min: 0, max: 12 }) }), {
      maxLength: 200,
    }),
    fc.constantFrom<"chunks" | "reserve">("chunks", "reserve"),
  ])("allocations never overlap and stay aligned (random size/align sequences)", (reqs, growth) => {
    const bump = new Bump({ initialChunkSize: 256, growth });
    const ranges: [number, number][] = [];
    for (const { size, alignShift } of reqs) {
      const p = bump.alloc(size, 2 ** alignShift);
      expect(ptrOffset(p) % 2 ** alignShift).toBe(0);
      if (size > 0) ranges.push(range(p, size));
      // Writing the whole allocation must stay inside its chunk.
      if (size > 0) bump.memoryOf(p).fill(0xab, ptrOffset(p), ptrOffset(p) + size);
    }
    ranges.sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < ranges.length; i++) expect(ranges[i]![0]).toBeGreaterThanOrEqual(ranges[i - 1]![1]);
    expect(bump.usedBytes).toBeLessThanOrEqual(bump.allocatedBytes);
  });

  it("zero-size allocations are valid pointers that take no space", () => {
    const bump = new Bump();
    const a = bump.alloc(0);
    const b = bump.alloc(0);
    expect(bump.isLive(a)).toBe(true);
    expect(bump.usedBytes).toBe(0);
    const c = bump.alloc(4);
    expect(ptrOffset(b)).toBeLessThanOrEqual(ptrOffset(c));
  });

  it("rejects bad sizes and alignments with a typed error naming the problem", () => {
    const bump = new Bump();
    for (const size of [-1, 1.5, Number.NaN, Infinity, 2 ** 32, "8" as unknown as number]) {
      expect(() => bump.alloc(size)).toThrow(InvalidArgumentError);
    }
    expect(() => bump.alloc(-1)).toThrow(/size must be a whole number/);
    for (const align of [0, 3, 6, 1.5, -2, Number.NaN]) {
      expect(() => bump.alloc(8, align)).toThrow(/alignment must be a power of two/);
    }
    expect(bump.usedBytes).toBe(0);
  });

  it("growth never moves earlier allocations: pointers and views stay valid", () => {
    for (const growth of ["chunks", "reserve"] as const) {
      const bump = new Bump({ initialChunkSize: 64, growth });
      const first = bump.allocBytes(new Uint8Array([1, 2, 3]));
      const view = bump.bytes(first);
      for (let i = 0; i < 2000; i++) bump.allocBytes(new Uint8Array(100).fill(i & 0xff));
      expect(bump.allocatedBytes).toBeGreaterThan(200_000);
      expect(Array.from(view)).toEqual([1, 2, 3]);
      expect(Array.from(bump.bytes(first))).toEqual([1, 2, 3]);
      view[0] = 9;
      expect(bump.bytes(first)[0]).toBe(9);
      expect(bump.chunkCount).toBe(growth === "reserve" ? 1 : bump.chunkCount);
    }
  });

  it("chunks double up to maxChunkSize", () => {
    const bump = new Bump({ initialChunkSize: 1024, maxChunkSize: 4096 });
    for (let i = 0; i < 10; i++) bump.alloc(1000);
    const sizes = Array.from(bump.chunks(), (c) => c.byteLength);
    expect(sizes.slice(0, 3)).toEqual([1024, 2048, 4096]);
    expect(sizes.every((s) => s <= 4096)).toBe(true);
  });

  it("withCapacity allocates one chunk up front and fills it without growing", () => {
    const bump = Bump.withCapacity(1000);
    expect(bump.chunkCount).toBe(1);
    expect(bump.allocatedBytes).toBe(1000);
    for (let i = 0; i < 10; i++) bump.alloc(100);
    expect(bump.chunkCount).toBe(1);
    bump.alloc(1);
    expect(bump.chunkCount).toBe(2);
    expect(Bump.withCapacity(0).chunkCount).toBe(0);
  });

  it("a large allocation gets a chunk of its own size", () => {
    const bump = new Bump({ initialChunkSize: 64 });
    const p = bump.alloc(1 << 20, 16);
    expect(ptrOffset(p) % 16).toBe(0);
    expect(bump.memoryOf(p).length).toBeGreaterThanOrEqual(1 << 20);
  });
});

describe("allocation limit", () => {
  it("is never exceeded; tryAlloc returns undefined, alloc throws", () => {
    const bump = new Bump({ initialChunkSize: 1024, allocationLimit: 4096 });
    let n = 0;
    while (bump.tryAlloc(100) !== undefined) n++;
    expect(n).toBeGreaterThan(30);
    expect(bump.allocatedBytes).toBeLessThanOrEqual(4096);
    expect(() => bump.alloc(100)).toThrow(AllocationLimitError);
    try {
      bump.alloc(100);
    } catch (err) {
      expect((err as AllocationLimitError).limit).toBe(4096);
      expect((err as AllocationLimitError).requested).toBe(100);
      expect((err as Error).message).toMatch(/allocation limit of 4096/);
    }
  });

  it("a limit of zero refuses every byte but still serves zero-size allocations", () => {
    const bump = new Bump({ allocationLimit: 0 });
    expect(bump.tryAlloc(1)).toBeUndefined();
    const empty = bump.tryAlloc(0);
    expect(empty).toBeDefined();
    expect(bump.isLive(empty!)).toBe(true);
    expect(bump.tryAlloc(1)).toBeUndefined();
    expect(bump.allocatedBytes).toBe(0);
  });

  it("can be lowered below what is allocated: live data stays, new chunks are refused", () => {
    const bump = new Bump({ initialChunkSize: 1024 });
    const s = bump.allocStr("kept");
    bump.allocationLimit = 10;
    expect(bump.readStr(s)).toBe("kept");
    expect(bump.tryAlloc(8)).toBeDefined(); // fits the existing chunk
    expect(bump.tryAlloc(4096)).toBeUndefined();
    bump.allocationLimit = Infinity;
    expect(bump.tryAlloc(4096)).toBeDefined();
    expect(bump.readStr(s)).toBe("kept");
  });

  it("falls back to an exact-size chunk before failing", () => {
    const bump = new Bump({ initialChunkSize: 1000, allocationLimit: 1600 });
    bump.alloc(1000);
    // doubling would ask for 2000; 600 still fits under the limit
    expect(bump.tryAlloc(500)).toBeDefined();
    expect(bump.allocatedBytes).toBeLessThanOrEqual(1600);
  });

  it("rejects invalid limits", () => {
    expect(() => new Bump({ allocationLimit: -1 })).toThrow(InvalidArgumentError);
    expect(() => new Bump({ allocationLimit: Number.NaN })).toThrow(/allocationLimit/);
    const bump = new Bump();
    expect(() => {
      bump.allocationLimit = 1.5;
    }).toThrow(InvalidArgumentError);
  });

  it("reserve growth stops at the reservation", () => {
    const bump = new Bump({ growth: "reserve", reserve: 8192, initialChunkSize: 1024 });
    expect(bump.tryAlloc(8000)).toBeDefined();
    expect(bump.tryAlloc(1000)).toBeUndefined();
    expect(bump.chunkCount).toBe(1);
  });
});

describe("options and pointers", () => {
  it("validates options", () => {
    expect(() => new Bump({ growth: "bogus" as "chunks" })).toThrow(/growth must be/);
    expect(() => new Bump({ initialChunkSize: 0 })).toThrow(/initialChunkSize/);
    expect(() => new Bump(null as unknown as object)).toThrow(InvalidArgumentError);
  });

  it("reports numbers that were never pointers", () => {
    const bump = new Bump();
    bump.alloc(8);
    expect(() => bump.readU32(12 as Ptr)).toThrow(InvalidPointerError);
    expect(() => bump.readU32(Number.NaN as Ptr)).toThrow(InvalidPointerError);
    const p = bump.alloc(4);
    expect(() => bump.readU32((p + 5 * 2 ** 32) as Ptr)).toThrow(/chunk 5/);
    expect(bump.isLive(12 as Ptr)).toBe(false);
  });

  it("typed reads and writes round-trip", () => {
    const bump = new Bump();
    const p = bump.alloc(64, 8);
    bump.writeU8(p, 255);
    expect(bump.readU8(p)).toBe(255);
    bump.writeU16(p, 65535);
    expect(bump.readU16(p)).toBe(65535);
    bump.writeU32(p, 0xdeadbeef);
    expect(bump.readU32(p)).toBe(0xdeadbeef);
    bump.writeI32(p, -5);
    expect(bump.readI32(p)).toBe(-5);
    bump.writeF32(p, 1.5);
    expect(bump.readF32(p)).toBe(1.5);
    bump.writeF64(p, Math.PI);
    expect(bump.readF64(p)).toBe(Math.PI);
    bump.writeU64(p, 2n ** 64n - 1n);
    expect(bump.readU64(p)).toBe(2n ** 64n - 1n);
    bump.writeI64(p, -(2n ** 63n));
    expect(bump.readI64(p)).toBe(-(2n ** 63n));
  });

  it("free takes back only the most recent allocation; realloc grows in place when it can", () => {
    const bump = new Bump();
    const a = bump.alloc(16);
    const b = bump.alloc(16);
    bump.free(a, 16); // not the last: no-op
    expect(bump.usedBytes).toBe(32);
    bump.free(b, 16);
    expect(bump.usedBytes).toBe(16);
    const c = bump.alloc(8);
    bump.writeU32(c, 7);
    const c2 = bump.realloc(c, 8, 100);
    expect(c2).toBe(c);
    expect(bump.usedBytes).toBe(116);
    bump.alloc(1);
    const c3 = bump.realloc(c, 100, 200);
    expect(c3).not.toBe(c);
    expect(bump.readU32(c3)).toBe(7);
  });

  it("allocZeroed zeroes memory that a reset left dirty", () => {
    const bump = new Bump({ initialChunkSize: 64 });
    bump.memoryOf(bump.alloc(32)).fill(0xff, 0, 32);
    bump.reset();
    const p = bump.allocZeroed(32);
    expect(Array.from(bump.memoryOf(p).subarray(ptrOffset(p), ptrOffset(p) + 32)).every((b) => b === 0)).toBe(true);
  });

  it("cannot allocate after release", () => {
    const bump = new Bump();
    bump.release();
    expect(() => bump.alloc(1)).toThrow(ReleasedError);
    expect(() => bump.tryAlloc(1)).toThrow(ReleasedError);
    expect(() => bump.reset()).toThrow(ReleasedError);
    bump.release(); // idempotent
  });
});
