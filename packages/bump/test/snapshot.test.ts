import { createWriteStream, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { crc32 as zlibCrc32 } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import {
  ArenaReader,
  Bump,
  SnapshotError,
  arenaFromBytes,
  arenaSnapshot,
  crc32,
  encodeSnapshot,
  loadArena,
  loadArenaReader,
  loadArenaReaderSync,
  loadArenaSync,
  readSnapshotBytes,
  readSnapshotFileSync,
  saveArena,
  saveArenaSync,
  writeSnapshotFileSync,
  type BytesPtr,
  type StrPtr,
} from "../src/index.ts";

const dir = mkdtempSync(join(tmpdir(), "arenakit-snap-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const file = (): string => join(dir, `s${n++}.arenakit`);

/** An arena over several chunks with strings and byte slices; returns the pointers and their values. */
function filled(shared = false): { bump: Bump; strs: [StrPtr, string][]; bytes: [BytesPtr, Uint8Array][] } {
  const bump = new Bump({ shared, initialChunkSize: 256 });
  const strs: [StrPtr, string][] = [];
  const bytes: [BytesPtr, Uint8Array][] = [];
  for (let i = 0; i < 300; i++) {
    const s = `key-${i}-ü€😀`.repeat(1 + (i % 3));
    strs.push([bump.allocStr(s), s]);
    const b = new Uint8Array(i % 17).map((_, j) => (i * 31 + j) & 0xff);
    bytes.push([bump.allocBytes(b), b]);
  }
  return { bump, strs, bytes };
}

function expectSame(m: { readStr(p: StrPtr): string; bytes(p: BytesPtr): Uint8Array }, f: ReturnType<typeof filled>): void {
  for (const [p, s] of f.strs) expect(m.readStr(p)).toBe(s);
  for (const [p, b] of f.bytes) expect(m.bytes(p)).toEqual(b);
}

function problemOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof SnapshotError) return err.problem;
    throw err;
  }
  throw new Error("expected a SnapshotError, nothing was thrown");
}

describe("arena snapshots: round trip", () => {
  it("the same pointers read the same values after save and load (as a Bump and as an ArenaReader)", () => {
    const f = filled();
    expect(f.bump.chunkCount).toBeGreaterThan(3);
    const path = file();
    const written = saveArenaSync(f.bump, path);
    expect(readFileSync(path).length).toBe(written);
    const loaded = loadArenaSync(path);
    expect(loaded.chunkCount).toBe(f.bump.chunkCount);
    expect(loaded.usedBytes).toBe(f.bump.usedBytes);
    expectSame(loaded, f);
    const reader = loadArenaReaderSync(path);
    expect(reader).toBeInstanceOf(ArenaReader);
    expectSame(reader, f);
  });

  it("a loaded Bump keeps allocating without disturbing what was loaded", () => {
    const f = filled();
    const path = file();
    saveArenaSync(f.bump, path);
    const loaded = loadArenaSync(path, { bump: { allocationLimit: 1 << 20 } });
    const fresh = Array.from({ length: 200 }, (_, i) => [loaded.allocStr(`new-${i}`), `new-${i}`] as const);
    expectSame(loaded, f);
    for (const [p, s] of fresh) expect(loaded.readStr(p)).toBe(s);
    expect(loaded.allocationLimit).toBe(1 << 20);
    loaded.reset();
    expect(() => loaded.readStr(f.strs[0]![0])).toThrow(/stale/);
  });

  it("file size is the used bytes plus a small header, table and section", () => {
    const f = filled();
    const path = file();
    const written = saveArenaSync(f.bump, path);
    expect(written - f.bump.usedBytes).toBeLessThan(64 + 8 * f.bump.chunkCount + 200);
  });

  it("pointers from before a resetTo stay valid after a load (rewind floors are saved)", () => {
    const bump = new Bump({ initialChunkSize: 128 });
    const kept = bump.allocStr("kept");
    const cp = bump.checkpoint();
    bump.allocStr("dropped".repeat(40));
    bump.resetTo(cp);
    const after = bump.allocStr("after");
    const path = file();
    saveArenaSync(bump, path);
    const loaded = loadArenaSync(path);
    expect(loaded.readStr(kept)).toBe("kept");
    expect(loaded.readStr(after)).toBe("after");
  });

  it("async forms and a stream give the same file", async () => {
    const f = filled(true);
    const a = file();
    const b = file();
    await saveArena(f.bump, a);
    const stream = createWriteStream(b);
    await saveArena(f.bump, stream);
    await new Promise((resolve) => stream.end(resolve));
    expect(readFileSync(a)).toEqual(readFileSync(b));
    expectSame(await loadArena(b), f);
    expectSame(await loadArenaReader(a), f);
  });

  it("a stream that fails or closes mid-save rejects with a SnapshotError", async () => {
    const f = filled();
    const failing = new Writable({
      highWaterMark: 16,
      write(_chunk, _enc, done) {
        setTimeout(() => done(new Error("disk on fire")), 1);
      },
    });
    failing.on("error", () => undefined);
    await expect(saveArena(f.bump, failing)).rejects.toMatchObject({ problem: "io" });
    const closing = new Writable({ highWaterMark: 16, write() {} });
    setTimeout(() => closing.destroy(), 5);
    await expect(saveArena(f.bump, closing)).rejects.toBeInstanceOf(SnapshotError);
  });

  it("loads from bytes in memory (what a process receives over HTTP)", () => {
    const f = filled();
    const bytes = encodeSnapshot(arenaSnapshot(f.bump));
    const path = file();
    saveArenaSync(f.bump, path);
    expect(bytes).toEqual(new Uint8Array(readFileSync(path)));
    expectSame(arenaFromBytes(bytes), f);
  });

  it("an empty arena and an arena after reset round-trip", () => {
    const path = file();
    saveArenaSync(new Bump(), path);
    expect(loadArenaSync(path).usedBytes).toBe(0);
    const bump = new Bump();
    bump.allocStr("gone");
    bump.reset();
    const p = bump.allocStr("after reset");
    saveArenaSync(bump, path);
    expect(loadArenaSync(path).readStr(p)).toBe("after reset");
  });

  it("loads chunks into SharedArrayBuffers by default, ArrayBuffers on request", () => {
    const f = filled();
    const path = file();
    saveArenaSync(f.bump, path);
    expect(loadArenaSync(path).shared).toBe(true);
    const local = loadArenaSync(path, { shared: false });
    expect(local.shared).toBe(false);
    expectSame(local, f);
  });

  it("crc32 is zlib's", () => {
    const data = new TextEncoder().encode("The quick brown fox jumps over the lazy dog");
    expect(crc32(data)).toBe(zlibCrc32(data));
    expect(crc32(data)).toBe(0x414fa339);
  });

  it("refuses to save what is not a Bump, or a released one", () => {
    const bump = new Bump({ shared: true });
    bump.allocStr("x");
    const reader = ArenaReader.attach(bump.share());
    expect(problemOf(() => saveArenaSync(reader as unknown as Bump, file()))).toBe("unsupported");
    bump.release();
    expect(() => saveArenaSync(bump, file())).toThrow(/released/);
  });
});

describe("arena snapshots: bad files are typed errors", () => {
  const f = filled();
  const good = encodeSnapshot(arenaSnapshot(f.bump));
  const dv = (b: Uint8Array): DataView => new DataView(b.buffer, b.byteOffset, b.byteLength);
  /** Rewrites the header checksum after an edit, so the edited field itself is what the loader sees. */
  const resealHeader = (b: Uint8Array): Uint8Array => {
    dv(b).setUint32(60, crc32(b.subarray(0, 60)), true);
    return b;
  };
  const onDisk = (bytes: Uint8Array): string => {
    const path = file();
    writeFileSync(path, bytes);
    return path;
  };

  it("an empty file", () => {
    expect(problemOf(() => loadArenaSync(onDisk(new Uint8Array(0))))).toBe("empty");
  });
  it("a directory", async () => {
    const d = join(dir, "a-directory");
    mkdirSync(d);
    expect(problemOf(() => loadArenaSync(d))).toBe("not-a-file");
    await expect(loadArena(d)).rejects.toMatchObject({ problem: "not-a-file" });
  });
  it("a missing file", () => {
    let err: SnapshotError | undefined;
    try {
      loadArenaSync(join(dir, "missing"));
    } catch (e) {
      err = e as SnapshotError;
    }
    expect(err).toBeInstanceOf(SnapshotError);
    expect(err?.problem).toBe("io");
    expect((err?.cause as { code?: string }).code).toBe("ENOENT");
  });
  it("the wrong magic (another file type)", () => {
    expect(problemOf(() => loadArenaSync(onDisk(new TextEncoder().encode('{"accounts": []}'))))).toBe("magic");
    const b = good.slice();
    b[1] = 0x42;
    expect(problemOf(() => readSnapshotBytes(b))).toBe("magic");
  });
  it("a newer version", () => {
    const b = good.slice();
    dv(b).setUint16(8, 2, true);
    expect(problemOf(() => readSnapshotBytes(resealHeader(b)))).toBe("version");
    expect(() => readSnapshotBytes(b)).toThrow(/version 2.*up to 1/);
  });
  it("the other byte order", () => {
    const b = good.slice();
    const bom = dv(b).getUint16(10, true);
    dv(b).setUint16(10, ((bom & 0xff) << 8) | (bom >> 8), true);
    expect(problemOf(() => readSnapshotBytes(resealHeader(b)))).toBe("byte-order");
  });
  it("another kind, schema fingerprint or hash seed than expected", () => {
    const path = file();
    writeSnapshotFileSync(path, { kind: "hashmap", fingerprint: 7, seed: 42, generation: 1, section: null, chunks: [] });
    expect(problemOf(() => loadArenaSync(path))).toBe("kind");
    expect(problemOf(() => readSnapshotFileSync(path, { kind: "hashmap", fingerprint: 8 }))).toBe("schema");
    expect(problemOf(() => readSnapshotFileSync(path, { kind: "hashmap", seed: 43 }))).toBe("seed");
    expect(readSnapshotFileSync(path, { kind: "hashmap", fingerprint: 7, seed: 42 }).seed).toBe(42);
  });
  it("a chunk larger than a configured limit, or than the file", () => {
    const path = onDisk(good);
    expect(problemOf(() => loadArenaSync(path, { maxChunkBytes: 64 }))).toBe("too-large");
    expect(problemOf(() => loadArenaSync(path, { maxTotalBytes: 100 }))).toBe("too-large");
    // A table that claims a 4 GiB chunk (checksums fixed): refused before anything is allocated.
    const b = good.slice();
    dv(b).setUint32(64, 0xffff0000, true);
    const table = b.subarray(64, 64 + 8 * dv(b).getUint32(48, true) + dv(b).getUint32(52, true));
    dv(b).setUint32(56, crc32(table), true);
    expect(problemOf(() => readSnapshotBytes(resealHeader(b)))).toBe("truncated");
  });
  it("a header that claims millions of chunks or a huge section", () => {
    const b = good.slice();
    dv(b).setUint32(48, 0xffffffff, true);
    expect(problemOf(() => readSnapshotBytes(resealHeader(b)))).toBe("too-large");
    const c = good.slice();
    dv(c).setUint32(52, 0xffffffff, true);
    expect(problemOf(() => readSnapshotBytes(resealHeader(c)))).toBe("too-large");
  });
  it("truncated files and trailing bytes", () => {
    for (const len of [1, 7, 8, 63, 64, 65, good.length >> 1, good.length - 1]) {
      expect(problemOf(() => loadArenaSync(onDisk(good.subarray(0, len))))).toMatch(/truncated|magic/);
    }
    const longer = new Uint8Array(good.length + 3);
    longer.set(good);
    expect(problemOf(() => readSnapshotBytes(longer))).toBe("trailing-bytes");
  });
  it("a bit flipped in the header, the table or a chunk", () => {
    for (const at of [20, 50, 66, good.length - 10]) {
      const b = good.slice();
      b[at]! ^= 0x10;
      expect(problemOf(() => loadArenaSync(onDisk(b)))).toBe("checksum");
    }
  });
  it("the message names the file and the chunk", () => {
    const b = good.slice();
    b[good.length - 10]! ^= 1;
    const path = onDisk(b);
    expect(() => loadArenaSync(path)).toThrow(new RegExp(`${path}: the checksum of chunk \\d+`));
  });
});
