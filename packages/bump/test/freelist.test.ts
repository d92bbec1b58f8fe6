import { fc, test as fcTest } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { firstMessage, startTsWorker } from "../../../test/support/workers.ts";
import {
  AllocationLimitError,
  EncodingError,
  FreeListAllocator,
  InvalidArgumentError,
  InvalidPointerError,
  ReleasedError,
  StalePointerError,
  ptrOffset,
  struct,
  t,
  type Ptr,
} from "../src/index.ts";

/** Block size the allocator uses for a request: 4-byte header, rounded to 8, at least 16. */
const blockSize = (n: number): number => Math.max(16, Math.ceil((n + 4) / 8) * 8);

interface Live {
  readonly p: Ptr;
  readonly size: number;
  readonly fill: number;
}

/** Checks that no two live blocks overlap and every block still holds its fill byte. */
function checkLive(heap: FreeListAllocator, live: readonly Live[]): void {
  const sorted = [...live].sort((a, b) => ptrOffset(a.p) - ptrOffset(b.p));
  for (let i = 1; i < sorted.length; i++) {
    expect(ptrOffset(sorted[i]!.p)).toBeGreaterThanOrEqual(ptrOffset(sorted[i - 1]!.p) + sorted[i - 1]!.size);
  }
  for (const { p, size, fill } of live) {
    const u8 = heap.memoryOf(p);
    const o = ptrOffset(p);
    for (let i = 0; i < size; i++) if (u8[o + i] !== fill) throw new Error(`block ${p} byte ${i} was overwritten`);
  }
}

describe("FreeListAllocator: alloc and free", () => {
  fcTest.prop(
    [
      fc.array(
        fc.oneof(
          fc.record({ op: fc.constant("alloc" as const), size: fc.integer({ min: 0, max: 3000 }), shift: fc.integer({ min: 0, max: 7 }) }),
          fc.record({ op: fc.constant("free" as const), pick: fc.nat() }),
        ),
        { maxLength: 300 },
      ),
    ],
    { numRuns: 150 },
  )("random alloc/free sequences never overlap, keep data, stay aligned and account exactly", (ops) => {
    const heap = new FreeListAllocator({ size: 1 << 20 });
    const live: Live[] = [];
    let fill = 1;
    for (const op of ops) {
      if (op.op === "alloc") {
        const align = 2 ** op.shift;
        const p = heap.alloc(op.size, align);
        expect(ptrOffset(p) % align).toBe(0);
        const f = (fill++ % 255) + 1;
        heap.memoryOf(p).fill(f, ptrOffset(p), ptrOffset(p) + op.size);
        live.push({ p, size: op.size, fill: f });
      } else if (live.length > 0) {
        const [gone] = live.splice(op.pick % live.length, 1);
        heap.free(gone!.p, gone!.size);
      }
    }
    checkLive(heap, live);
    expect(heap.blockCount).toBe(live.length);
    expect(heap.usedBytes).toBeGreaterThanOrEqual(live.reduce((s, l) => s + blockSize(l.size), 0));
    for (const l of live) heap.free(l.p, l.size);
    // Everything coalesced back: one allocation of nearly the whole buffer fits again.
    expect(heap.usedBytes).toBe(0);
    expect(heap.blockCount).toBe(0);
    const big = heap.alloc((1 << 20) - 64);
    expect(ptrOffset(big)).toBe(8);
  });

  it("reuses a freed block of the same size (LIFO within a size class)", () => {
    const heap = new FreeListAllocator({ size: 4096 });
    const a = heap.alloc(100);
    heap.alloc(100); // keeps a from merging into the unused tail
    heap.free(a, 100);
    expect(heap.alloc(100)).toBe(a);
  });

  it("coalesces a freed block with both free neighbours", () => {
    const heap = new FreeListAllocator({ size: 4096 });
    const a = heap.alloc(40);
    const b = heap.alloc(40);
    const c = heap.alloc(40);
    heap.alloc(40); // fence against the tail
    heap.free(a, 40);
    heap.free(c, 40);
    heap.free(b, 40);
    // a, b and c are now one block of 3 × 48 bytes: a 140-byte request fits at a.
    expect(heap.alloc(3 * 48 - 4)).toBe(a);
  });

  it("gives a block next to the unused tail back to the tail", () => {
    const heap = new FreeListAllocator({ size: 4096 });
    const a = heap.alloc(1000);
    heap.free(a, 1000);
    expect(heap.peakBytes).toBeGreaterThan(1000);
    expect(heap.alloc(3000)).toBe(a);
  });

  it("splits a large free block and keeps the remainder usable", () => {
    const heap = new FreeListAllocator({ size: 1 << 16 });
    const big = heap.alloc(10_000);
    heap.alloc(8); // fence
    heap.free(big, 10_000);
    const small = heap.alloc(100);
    expect(small).toBe(big);
    const rest = heap.alloc(9_000);
    expect(ptrOffset(rest)).toBe(ptrOffset(big) + blockSize(100));
  });

  it("honours alignments up to 4096 and frees aligned blocks cleanly", () => {
    const heap = new FreeListAllocator({ size: 1 << 18 });
    const ps: [Ptr, number][] = [];
    for (let shift = 4; shift <= 12; shift++) {
      heap.alloc(3); // misalign the tail
      const p = heap.alloc(100, 2 ** shift);
      expect(ptrOffset(p) % 2 ** shift).toBe(0);
      ps.push([p, 100]);
    }
    for (const [p, n] of ps) heap.free(p, n);
    expect(heap.blockCount).toBe(ps.length);
  });

  it("zero-size allocations are distinct live blocks", () => {
    const heap = new FreeListAllocator({ size: 1024 });
    const a = heap.alloc(0);
    const b = heap.alloc(0);
    expect(a).not.toBe(b);
    expect(heap.usedBytes).toBe(32);
  });
});

describe("FreeListAllocator: errors", () => {
  it("detects a double free and a pointer that is not a block", () => {
    const heap = new FreeListAllocator({ size: 4096 });
    const a = heap.alloc(32);
    heap.alloc(32);
    heap.free(a, 32);
    expect(() => heap.free(a, 32)).toThrow(InvalidPointerError);
    expect(() => heap.free(a, 32)).toThrow(/double free/);
    const b = heap.alloc(64);
    expect(() => heap.free((b + 8) as Ptr, 4)).toThrow(/not the start of a block|not allocated/);
    expect(() => heap.free(b, 200)).toThrow(InvalidArgumentError);
    expect(() => heap.free(42 as Ptr, 1)).toThrow(InvalidPointerError);
  });

  it("refuses allocations that do not fit: alloc throws, tryAlloc returns undefined, nothing is lost", () => {
    const heap = new FreeListAllocator({ size: 1024 });
    const keep = heap.allocStr("kept");
    let n = 0;
    while (heap.tryAlloc(100) !== undefined) n++;
    expect(n).toBeGreaterThan(5);
    expect(() => heap.alloc(100)).toThrow(AllocationLimitError);
    expect(() => heap.alloc(4096)).toThrow(/no free block/);
    expect(heap.readStr(keep)).toBe("kept");
  });

  it("rejects bad sizes, alignments and options with typed errors", () => {
    const heap = new FreeListAllocator({ size: 1024 });
    for (const size of [-1, 1.5, Number.NaN, 2 ** 32]) expect(() => heap.alloc(size)).toThrow(InvalidArgumentError);
    for (const align of [0, 3, 1.5]) expect(() => heap.alloc(8, align)).toThrow(/alignment must be a power of two/);
    expect(() => new FreeListAllocator({ size: 10 })).toThrow(/size must be an integer/);
    expect(() => new FreeListAllocator({ size: 2 ** 33 })).toThrow(InvalidArgumentError);
    expect(() => new FreeListAllocator(null as never)).toThrow(InvalidArgumentError);
  });
});

describe("FreeListAllocator: strings, bytes, layouts", () => {
  it("stores strings at their exact UTF-8 length and reads them back", () => {
    const heap = new FreeListAllocator({ size: 1 << 16 });
    for (const s of ["", "a", "größe", "日本語", "🦀 crab", "e\u0301", "x".repeat(100), "é".repeat(60)]) {
      const p = heap.allocStr(s);
      expect(heap.readStr(p)).toBe(s);
      expect(heap.strByteLength(p)).toBe(new TextEncoder().encode(s).length);
      expect(heap.strEquals(p, s)).toBe(true);
    }
  });

  it("rejects lone surrogates before allocating", () => {
    const heap = new FreeListAllocator({ size: 4096 });
    expect(() => heap.allocStr("a\ud800")).toThrow(EncodingError);
    expect(heap.usedBytes).toBe(0);
  });

  it("writes and reads layouts; struct strings can be freed field by field", () => {
    const Account = struct({ owner: t.str, data: t.bytes, index: t.u64 });
    const heap = new FreeListAllocator({ size: 1 << 16 });
    const p = Account.write(heap, { owner: "Sparky-11", data: new Uint8Array([1, 2, 3]), index: 11 });
    expect(Account.read(heap, p)).toEqual({ owner: "Sparky-11", data: new Uint8Array([1, 2, 3]), index: 11n });
    const used = heap.usedBytes;
    const owner = heap.readF64((p + Account.offsetOf("owner")) as Ptr) as Ptr;
    heap.free(owner, 4 + 9);
    expect(heap.usedBytes).toBe(used - blockSize(13));
  });
});

describe("FreeListAllocator: reset and release", () => {
  it("reset frees everything and makes old pointers stale; raw views are detached", () => {
    const heap = new FreeListAllocator({ size: 4096 });
    const s = heap.allocStr("old");
    const raw = heap.bytes(heap.allocBytes(new Uint8Array([9, 9])));
    heap.reset();
    expect(heap.usedBytes).toBe(0);
    expect(() => heap.readStr(s)).toThrow(StalePointerError);
    expect(raw.length).toBe(0);
    const s2 = heap.allocStr("new");
    expect(heap.readStr(s2)).toBe("new");
    expect(heap.isLive(s2)).toBe(true);
    expect(heap.isLive(s)).toBe(false);
  });

  it("release gives the buffer back; later use throws a typed error", () => {
    const heap = new FreeListAllocator({ size: 4096 });
    const s = heap.allocStr("x");
    heap.release();
    heap.release();
    expect(heap.released).toBe(true);
    expect(heap.allocatedBytes).toBe(0);
    expect(() => heap.alloc(1)).toThrow(ReleasedError);
    expect(() => heap.readStr(s)).toThrow(StalePointerError);
  });

  it("`using` releases it at scope exit", () => {
    let outer: FreeListAllocator | undefined;
    {
      using heap = new FreeListAllocator({ size: 1024 });
      heap.alloc(8);
      outer = heap;
    }
    expect(outer.released).toBe(true);
  });
});

describe("FreeListAllocator: shared memory", () => {
  it("a real Worker reads records from a shared FreeListAllocator without copying", async () => {
    const Account = struct({ owner: t.str, data: t.bytes, index: t.u64 });
    const heap = new FreeListAllocator({ size: 1 << 16, shared: true });
    const junk = heap.alloc(500);
    const ptrs = Array.from({ length: 20 }, (_, i) =>
      Account.write(heap, { owner: `owner-${i}-é`, data: new Uint8Array(i).fill(1), index: BigInt(i) * 3n }),
    );
    heap.free(junk, 500);
    const worker = startTsWorker(new URL("./fixtures/reader-worker.ts", import.meta.url), { desc: heap.share(), ptrs });
    const result = await firstMessage(worker);
    await worker.terminate();
    expect(result).toEqual(ptrs.map((_, i) => ({ owner: `owner-${i}-é`, length: i, index: String(i * 3) })));
    expect(Array.from(Account.view(heap, ptrs[3]!).data)).toEqual([2, 2, 2]);
    expect(() => new FreeListAllocator({ size: 1024 }).share()).toThrow(/shared: true/);
  });
});
