import { Bump, struct, t, type Ptr } from "@arenakit/bump";
import { MemPool } from "@thi.ng/malloc";
import { defineSuite } from "../api.ts";
import { accounts, keysHeldByApp, rng } from "../workload.ts";
import { CopyOnGrowArena } from "./support/copy-on-grow.ts";

const Account = struct({ owner: t.str, data: t.bytes, index: t.u64 });

/** 1,000 request sizes from 8 to 256 bytes, the same every run. */
function smallSizes(): number[] {
  const next = rng(1);
  return Array.from({ length: 1000 }, () => 8 + Math.floor(next() * 249));
}

export default defineSuite({
  id: "bump",
  title: "@arenakit/bump",
  cases: [
    {
      kind: "time",
      id: "small-allocs",
      title: "Many small allocations (8–256 B), then free them all",
      op: "1,000 allocations + free all",
      baseline: "new Uint8Array(n)",
      note:
        "Each call makes 1,000 allocations and then drops them: the arena with reset(), @thi.ng/malloc with freeAll(), " +
        "the Uint8Arrays by letting them go (their GC cost is paid inside the timed loop as tinybench runs).",
      setup: () => {
        const sizes = smallSizes();
        const bump = new Bump();
        const pool = new MemPool({ size: 1 << 20 });
        let sink = 0;
        return {
          "new Uint8Array(n)": () => {
            let keep: Uint8Array[] = [];
            for (const n of sizes) keep.push(new Uint8Array(n));
            sink += keep.length;
            keep = [];
          },
          "Bump.alloc": () => {
            let acc = 0;
            for (const n of sizes) acc += bump.alloc(n, 8);
            sink += acc;
            bump.reset();
          },
          "@thi.ng/malloc MemPool": () => {
            let acc = 0;
            for (const n of sizes) acc += pool.malloc(n);
            sink += acc;
            pool.freeAll();
          },
        };
      },
      targets: [
        { subject: "Bump.alloc", metric: "speedup", atLeast: 20, source: "project goal" },
      ],
    },
    {
      kind: "time",
      id: "vs-malloc-free",
      title: "Small allocations vs @thi.ng/malloc used as a general allocator (free each block)",
      op: "1,000 allocations + free",
      baseline: "@thi.ng/malloc malloc + free each",
      note:
        "A general-purpose allocator frees blocks one by one; MemPool keeps its free list sorted by address, so 1,000 " +
        "frees cost far more than the allocations.",
      setup: () => {
        const sizes = smallSizes();
        const bump = new Bump();
        const pool = new MemPool({ size: 1 << 20 });
        const held = new Int32Array(sizes.length);
        let sink = 0;
        return {
          "@thi.ng/malloc malloc + free each": () => {
            for (let i = 0; i < sizes.length; i++) held[i] = pool.malloc(sizes[i]!);
            for (let i = 0; i < sizes.length; i++) pool.free(held[i]!);
            sink += held[0]!;
          },
          "Bump.alloc": () => {
            let acc = 0;
            for (const n of sizes) acc += bump.alloc(n, 8);
            sink += acc;
            bump.reset();
          },
        };
      },
      targets: [{ subject: "Bump.alloc", metric: "speedup", atLeast: 2, source: "project goal" }],
    },
    {
      kind: "time",
      id: "vs-malloc-arena",
      title: "Small allocations vs @thi.ng/malloc used as an arena (freeAll)",
      op: "1,000 allocations + free all",
      baseline: "@thi.ng/malloc malloc + freeAll",
      note:
        "With freeAll() MemPool's free list stays empty and malloc is itself a pointer bump: the two are the same " +
        "algorithm, given the same 1,000 sizes at 8-byte alignment (MemPool also writes an 8-byte header before each " +
        "block). Bump.reset() detaches the chunk it keeps (about 1.4 µs on Node 20) only when a raw view of it was handed " +
        "out (bytes, memoryOf, chunks), so stale views cannot read new data; here none was, and reset is a generation bump.",
      setup: () => {
        const sizes = smallSizes();
        const bump = new Bump();
        const pool = new MemPool({ size: 1 << 20 });
        let sink = 0;
        return {
          "@thi.ng/malloc malloc + freeAll": () => {
            let acc = 0;
            for (const n of sizes) acc += pool.malloc(n);
            sink += acc;
            pool.freeAll();
          },
          "Bump.alloc": () => {
            let acc = 0;
            for (const n of sizes) acc += bump.alloc(n, 8);
            sink += acc;
            bump.reset();
          },
        };
      },
      targets: [{ subject: "Bump.alloc", metric: "speedup", atLeast: 1, source: "project goal" }],
    },
    {
      kind: "time",
      id: "strings-in",
      title: "Strings in: 1,000 account ids (44 chars) stored",
      op: "1,000 strings stored",
      baseline: "array.push(string)",
      note:
        "Keeping a JS string is a pointer copy; the arena copies and encodes the string to UTF-8. The arena's win is " +
        "not here but in what the GC no longer has to trace (see the GC case).",
      setup: () => {
        const ids = keysHeldByApp(accounts(1000, { dataLength: 0 }).map((a) => a.id));
        const bump = new Bump();
        let sink = 0;
        return {
          "array.push(string)": () => {
            const arr: string[] = [];
            for (const s of ids) arr.push(s);
            sink += arr.length;
          },
          "Bump.allocStr": () => {
            for (const s of ids) sink += bump.allocStr(s);
            bump.reset();
          },
        };
      },
    },
    {
      kind: "time",
      id: "strings-out",
      title: "Strings out: 1,000 stored ids read back",
      op: "1,000 strings read",
      baseline: "array[i]",
      setup: () => {
        const ids = accounts(1000, { dataLength: 0 }).map((a) => a.id);
        const bump = new Bump();
        const ptrs = ids.map((s) => bump.allocStr(s));
        let sink = 0;
        return {
          "array[i]": () => {
            for (let i = 0; i < ids.length; i++) sink += ids[i]!.length;
          },
          "Bump.readStr": () => {
            for (let i = 0; i < ptrs.length; i++) sink += bump.readStr(ptrs[i]!).length;
          },
          "Bump.strEquals (no decode)": () => {
            for (let i = 0; i < ptrs.length; i++) sink += bump.strEquals(ptrs[i]!, ids[i]!) ? 1 : 0;
          },
        };
      },
    },
    {
      kind: "time",
      id: "build-and-drop",
      title: "Build 10,000 account records, then drop them all",
      op: "10,000 records built + freed",
      baseline: "objects, then dropped",
      note: "The objects' cost includes the garbage collection their drop causes, amortised over the run.",
      setup: ({ quick }) => {
        const recs = accounts(quick ? 2000 : 10_000, { dataLength: 128 });
        const bump = new Bump();
        let sink = 0;
        return {
          "objects, then dropped": () => {
            let arr: { owner: string; data: Uint8Array; index: bigint }[] = [];
            for (const r of recs) arr.push({ owner: r.owner.slice(0), data: r.data.slice(), index: BigInt(r.index) });
            sink += arr.length;
            arr = [];
          },
          "Bump records, then reset()": () => {
            for (const r of recs) sink += Account.write(bump, r);
            bump.reset();
          },
        };
      },
    },
    {
      kind: "time",
      id: "growth",
      title: "Growth: fill 16 MiB with 64-byte records from an empty arena, each allocated and written with a checked write",
      op: "262,144 allocations + writes",
      baseline: "copy-on-grow buffer",
      note:
        "A copy-on-grow buffer moves its data on every doubling, so earlier views go stale: it breaks the arena's promise " +
        "and is here only as the yardstick. The arena checks every write (pointer generation, chunk, bounds, value range). " +
        "The 'reserve' strategy has its own cases below: a process that uses both strategies makes V8 optimise the shared " +
        "read/write code for both kinds of buffer, which slows the chunked arena's writes (1.5–2.5× measured), and " +
        "tinybench warms up every task of a case before timing any.",
      setup: ({ quick }) => {
        const n = quick ? 16_384 : 262_144;
        return {
          "copy-on-grow buffer": () => {
            const a = new CopyOnGrowArena(64 * 1024);
            for (let i = 0; i < n; i++) a.writeU32(a.alloc(64, 8), i);
          },
          "chunks (default)": () => {
            const b = new Bump();
            for (let i = 0; i < n; i++) b.writeU32(b.alloc(64, 8), i);
            b.release();
          },
        };
      },
      targets: [{ subject: "chunks (default)", metric: "speedup", atLeast: 0.5, source: "project goal" }],
    },
    {
      kind: "time",
      id: "growth-reads",
      title: "Growth: 100,000 random checked u32 reads from a filled arena",
      op: "100,000 reads",
      baseline: "copy-on-grow buffer",
      setup: ({ quick }) => {
        const n = quick ? 20_000 : 262_144;
        const cog = new CopyOnGrowArena(64 * 1024);
        const chunks = new Bump();
        const pc: number[] = [];
        const pb: Ptr[] = [];
        for (let i = 0; i < n; i++) {
          const a = cog.alloc(64, 8);
          cog.writeU32(a, i);
          pc.push(a);
          const b = chunks.alloc(64, 8);
          chunks.writeU32(b, i);
          pb.push(b);
        }
        const next = rng(3);
        const order = Array.from({ length: 100_000 }, () => Math.floor(next() * n));
        let sink = 0;
        return {
          "copy-on-grow buffer": () => {
            for (const i of order) sink += cog.readU32(pc[i]!);
          },
          "chunks (default)": () => {
            for (const i of order) sink += chunks.readU32(pb[i]!);
          },
        };
      },
      targets: [{ subject: "chunks (default)", metric: "speedup", atLeast: 1, source: "project goal" }],
    },
    {
      kind: "time",
      id: "growth-reserve",
      title: "Growth strategies: the same 16 MiB fill with one resizable buffer reserved up front",
      op: "262,144 allocations + writes",
      baseline: "copy-on-grow buffer",
      note:
        "'reserve' grows one resizable ArrayBuffer in place (maxByteLength reserved up front). It runs after the default " +
        "strategy's cases so that each is measured with the code V8 optimised for it alone.",
      setup: ({ quick }) => {
        const n = quick ? 16_384 : 262_144;
        return {
          "copy-on-grow buffer": () => {
            const a = new CopyOnGrowArena(64 * 1024);
            for (let i = 0; i < n; i++) a.writeU32(a.alloc(64, 8), i);
          },
          "reserve (resizable buffer)": () => {
            const b = new Bump({ growth: "reserve", reserve: 64 << 20 });
            for (let i = 0; i < n; i++) b.writeU32(b.alloc(64, 8), i);
            b.release();
          },
        };
      },
    },
    {
      kind: "time",
      id: "growth-reserve-reads",
      title: "Growth strategies: 100,000 random checked u32 reads from one resizable buffer",
      op: "100,000 reads",
      baseline: "copy-on-grow buffer",
      setup: ({ quick }) => {
        const n = quick ? 20_000 : 262_144;
        const cog = new CopyOnGrowArena(64 * 1024);
        const reserve = new Bump({ growth: "reserve", reserve: 64 << 20 });
        const pc: number[] = [];
        const pr: Ptr[] = [];
        for (let i = 0; i < n; i++) {
          const a = cog.alloc(64, 8);
          cog.writeU32(a, i);
          pc.push(a);
          const c = reserve.alloc(64, 8);
          reserve.writeU32(c, i);
          pr.push(c);
        }
        const next = rng(3);
        const order = Array.from({ length: 100_000 }, () => Math.floor(next() * n));
        let sink = 0;
        return {
          "copy-on-grow buffer": () => {
            for (const i of order) sink += cog.readU32(pc[i]!);
          },
          "reserve (resizable buffer)": () => {
            for (const i of order) sink += reserve.readU32(pr[i]!);
          },
        };
      },
    },
    {
      kind: "time",
      id: "handoff",
      title: "Hand 100,000 records to another thread: clone the objects, or post an arena descriptor",
      op: "one structuredClone of what postMessage would send",
      baseline: "structuredClone(objects)",
      requires: ["sharedArrayBuffer"],
      note:
        "structuredClone is what postMessage does to its payload. A shared arena's descriptor holds SharedArrayBuffers, " +
        "which are shared, not copied; the receiver reads the same memory. See the yoke and account-cache suites for real Worker round trips.",
      setup: ({ quick }) => {
        const n = quick ? 10_000 : 100_000;
        const recs = accounts(n, { dataLength: 128 });
        const objects = recs.map((r) => ({ owner: r.owner, data: r.data, index: BigInt(r.index) }));
        const bump = new Bump({ shared: true });
        const ptrs = new Float64Array(n);
        recs.forEach((r, i) => (ptrs[i] = Account.write(bump, r)));
        const shared = new Float64Array(new SharedArrayBuffer(ptrs.byteLength));
        shared.set(ptrs);
        let sink = 0;
        return {
          "structuredClone(objects)": () => {
            sink += (structuredClone(objects) as unknown[]).length;
          },
          "structuredClone(arena descriptor)": () => {
            const msg = structuredClone({ arena: bump.share(), ptrs: shared });
            sink += msg.ptrs.length;
          },
        };
      },
    },
    {
      kind: "isolated",
      id: "gc",
      title: "Full GC while small account records are held",
      module: new URL("../isolated/bump-records.ts", import.meta.url),
      variants: ["objects", "bump"],
      baseline: "objects",
      records: [10_000, 100_000, 1_000_000, 4_000_000],
      // A newcomer's run: both ends of the curve up to 1M.
      defaultRecords: [10_000, 1_000_000],
      quickRecords: [10_000],
      note:
        "Records are { owner: string, data: Uint8Array (16–64 B), index: bigint }. The objects variant keeps one JS object " +
        "and one Uint8Array per record; the arena variant keeps the same data in a Bump and only a Float64Array of pointers.",
      targets: [{ subject: "bump", metric: "gcSpeedup", atLeast: 50, records: 1_000_000, source: "project goal" }],
    },
  ],
});
