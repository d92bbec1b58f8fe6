// Recipe: zero-copy records loaded from a binary file.
//
// An arena is already a file format: its chunk is bytes, its pointers are
// offsets. Save the chunk (plus a small header and an index of record
// pointers), and loading is one read into a buffer: no parsing, no object per
// record. Records are read in place, through the same layout, and the buffer
// is a SharedArrayBuffer, so Workers can read the loaded file too.
//
// Run it from the repository root:
//   npx tsx --conditions=@arenakit/source \
//     packages/bump/examples/recipes/binary-file.ts
// #region layout
import { closeSync, openSync, readSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import {
  ArenaReader,
  Bump,
  ptrHigh,
  struct,
  t,
  type Owned,
  type Ptr,
} from "@arenakit/bump";

export const Trade = struct({ symbol: t.str, price: t.f64, qty: t.u32, ts: t.u64 });
export type Trade = Owned<typeof Trade.schema>;

const MAGIC = 0x4b415241; // "ARAK"
// Header: magic, generation, record count, bytes used (u32 each), index pointer (f64).
const HEADER = 32;
// #endregion layout

// #region save
/** Writes `trades` into one arena and saves it: header, then the chunk's bytes. */
export function save(path: string, trades: readonly Trade[]): number {
  // One contiguous buffer ("reserve" growth), so the file is a single chunk.
  using arena = new Bump({ growth: "reserve", reserve: 1 << 30 });
  // The index: one f64 slot per record, holding that record's pointer.
  const index = arena.alloc(trades.length * 8, 8);
  trades.forEach((tr, i) => {
    arena.writeF64((index + i * 8) as Ptr, Trade.write(arena, tr));
  });
  const chunk = [...arena.chunks()][0]!;
  const header = new DataView(new ArrayBuffer(HEADER));
  header.setUint32(0, MAGIC, true);
  header.setUint32(4, ptrHigh(index) >>> 8, true); // the pointers' generation stamp
  header.setUint32(8, trades.length, true);
  header.setUint32(12, chunk.usedBytes, true);
  header.setFloat64(16, index, true);
  const fd = openSync(path, "w");
  try {
    writeSync(fd, new Uint8Array(header.buffer));
    writeSync(fd, chunk.bytes);
  } finally {
    closeSync(fd);
  }
  return HEADER + chunk.usedBytes;
}
// #endregion save

// #region load
/** A loaded file: read-only records, in place. */
export interface Loaded {
  readonly count: number;
  at(i: number): ReturnType<typeof Trade.view>;
}

/** Reads the file into one SharedArrayBuffer and returns views over it. */
export function load(path: string): Loaded {
  const fd = openSync(path, "r");
  try {
    const header = new DataView(new ArrayBuffer(HEADER));
    readSync(fd, new Uint8Array(header.buffer), 0, HEADER, 0);
    // Check the bytes from outside before following any pointer into them.
    if (header.getUint32(0, true) !== MAGIC) {
      throw new Error(`${path} is not an arenakit trade file`);
    }
    const generation = header.getUint32(4, true);
    const count = header.getUint32(8, true);
    const used = header.getUint32(12, true);
    const index = header.getFloat64(16, true) as Ptr;
    const memory = new SharedArrayBuffer(used);
    if (readSync(fd, new Uint8Array(memory), 0, used, HEADER) !== used) {
      throw new Error(`${path} is truncated`);
    }
    // The saved generation makes the file's pointers valid in this reader.
    const reader = ArenaReader.attach({
      kind: "arenakit.arena",
      buffers: [memory],
      generation,
    });
    return {
      count,
      at(i: number) {
        if (!Number.isInteger(i) || i < 0 || i >= count) {
          throw new RangeError(`record ${i} is out of range (0..${count - 1})`);
        }
        return Trade.view(reader, reader.readF64((index + i * 8) as Ptr) as Ptr);
      },
    };
  } finally {
    closeSync(fd);
  }
}
// #endregion load

// #region main
export function main(n = 100_000): {
  bytes: number;
  perRecord: number;
  sample: Trade;
  sum: number;
} {
  const path = join(tmpdir(), `arenakit-trades-${process.pid}.bin`);
  const trades: Trade[] = Array.from({ length: n }, (_, i) => ({
    symbol: ["BTC-EUR", "ETH-EUR", "SOL-EUR"][i % 3]!,
    price: 100 + (i % 997) / 10,
    qty: i % 50,
    ts: 1_700_000_000_000n + BigInt(i),
  }));
  const bytes = save(path, trades);
  const file = load(path);
  let sum = 0;
  // read in place, field by field
  for (let i = 0; i < file.count; i++) sum += file.at(i).qty;
  const v = file.at(n - 1);
  return {
    bytes,
    perRecord: bytes / n,
    sample: { symbol: v.symbol, price: v.price, qty: v.qty, ts: v.ts },
    sum,
  };
}

if (
  process.argv[1] !== undefined &&
  import.meta.url === pathToFileURL(process.argv[1]).href
) {
  const r = main();
  console.log(`saved ${r.bytes} bytes, ${r.perRecord.toFixed(1)} per record`);
  // → saved 5600027 bytes, 56.0 per record
  console.log(JSON.stringify({ ...r.sample, ts: String(r.sample.ts) }));
  // → {"symbol":"BTC-EUR","price":129.9,"qty":49,"ts":"1700000099999"}
  console.log(`total qty ${r.sum}`); // → total qty 2450000
}
// #endregion main
