import { createWriteStream, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { SnapshotError, crc32 } from "@arenakit/bump";
import { firstMessage, startTsWorker } from "../../../test/support/workers.ts";
import { AccountsBuilder, FrozenAccounts } from "../src/index.ts";
import { expected, idOf, sameBytes } from "./fixtures/gen.ts";

const dir = mkdtempSync(join(tmpdir(), "arenakit-accounts-snap-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const file = (): string => join(dir, `a${n++}.arenakit`);

function build(slot: bigint, count: number, seed?: number): FrozenAccounts {
  const b = new AccountsBuilder(slot, { capacity: count, ...(seed !== undefined ? { seed } : {}) });
  for (let i = 0; i < count; i++) {
    const e = expected(slot, i);
    b.insertAccount(idOf(slot, i), e.owner, e.index, e.data);
  }
  return b.finish();
}

function matches(frozen: FrozenAccounts, slot: bigint, count: number): number {
  let ok = 0;
  for (let i = 0; i < count; i++) {
    const a = frozen.get(idOf(slot, i));
    const want = expected(slot, i);
    if (a !== undefined && a.owner === want.owner && a.index === want.index && sameBytes(a.data, want.data)) ok++;
  }
  return ok;
}

function problemOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof SnapshotError) return err.problem;
    throw err;
  }
  throw new Error("expected a SnapshotError");
}

describe("FrozenAccounts save and load", () => {
  it("every account reads back the same after saveSync/loadSync and save/load", async () => {
    using built = build(9n, 3000);
    const a = file();
    const b = file();
    built.saveSync(a);
    expect(await built.save(b)).toBe(statSync(b).size);
    using one = FrozenAccounts.loadSync(a);
    using two = await FrozenAccounts.load(b);
    for (const f of [one, two]) {
      expect(f.slot).toBe(9n);
      expect(f.size).toBe(3000);
      expect(matches(f, 9n, 3000)).toBe(3000);
      expect(f.get("absent")).toBeUndefined();
      expect(f.has(idOf(9n, 5))).toBe(true);
    }
    expect([...one.keys()].sort()).toEqual([...built.keys()].sort());
  });

  it("the file is the arena's used bytes plus a small header (well under 1.05x)", () => {
    using built = build(3n, 2000);
    const path = file();
    const written = built.saveSync(path);
    const used = built._arc.get().home!.cell.borrowOwner().usedBytes;
    expect(written).toBeLessThanOrEqual(used * 1.05);
    expect(written).toBeGreaterThan(used);
  });

  it("saves to a stream and loads from bytes in memory", async () => {
    using built = build(4n, 500);
    const path = file();
    const stream = createWriteStream(path);
    await built.save(stream);
    await new Promise((resolve) => stream.end(resolve));
    using loaded = FrozenAccounts.fromBytes(new Uint8Array(readFileSync(path)));
    expect(matches(loaded, 4n, 500)).toBe(500);
  });

  it("a loaded FrozenAccounts is reference-counted and goes to a real Worker zero-copy", async () => {
    using built = build(77n, 2000);
    const path = file();
    built.saveSync(path);
    const loaded = FrozenAccounts.loadSync(path);
    const again = loaded.clone();
    loaded.release();
    let dropped = false;
    again._arc.get().home!.dropped.add(() => (dropped = true));
    const worker = startTsWorker(new URL("./fixtures/frozen-reader.ts", import.meta.url), { count: 2000 });
    const reply = firstMessage<{ ok: number; size: number }>(worker);
    worker.postMessage(again.share(worker));
    expect(await reply).toEqual({ ok: 2000, size: 2000 });
    await worker.terminate();
    again.release();
    for (let i = 0; i < 200 && !dropped; i++) await new Promise((r) => setTimeout(r, 10));
    expect(dropped).toBe(true);
  });

  it("the id hash seed is kept, and can be required", () => {
    using built = build(5n, 100, 1234);
    const path = file();
    built.saveSync(path);
    using ok = FrozenAccounts.loadSync(path, { seed: 1234 });
    expect(matches(ok, 5n, 100)).toBe(100);
    expect(problemOf(() => FrozenAccounts.loadSync(path, { seed: 1 }))).toBe("seed");
  });

  it("bad files are SnapshotErrors: another kind, damage, truncation, limits, a directory, an empty file", () => {
    using built = build(6n, 300);
    const path = file();
    built.saveSync(path);
    const good = new Uint8Array(readFileSync(path));
    const at = (bytes: Uint8Array): string => {
      const p = file();
      writeFileSync(p, bytes);
      return p;
    };
    const flipped = good.slice();
    flipped[good.length - 100]! ^= 4;
    expect(problemOf(() => FrozenAccounts.loadSync(at(flipped)))).toBe("checksum");
    expect(problemOf(() => FrozenAccounts.loadSync(at(good.subarray(0, good.length - 1))))).toBe("truncated");
    expect(problemOf(() => FrozenAccounts.loadSync(path, { maxBytes: 1000 }))).toBe("too-large");
    expect(problemOf(() => FrozenAccounts.loadSync(at(new Uint8Array(0))))).toBe("empty");
    expect(problemOf(() => FrozenAccounts.loadSync(dir))).toBe("not-a-file");
    // The same bytes relabelled as another kind (checksum resealed): refused by kind.
    const other = good.slice();
    other.set(new TextEncoder().encode("arena\0\0\0"), 16);
    new DataView(other.buffer).setUint32(60, crc32(other.subarray(0, 60)), true);
    expect(problemOf(() => FrozenAccounts.loadSync(at(other)))).toBe("kind");
  });

  it("an async load of a bad file rejects with a SnapshotError", async () => {
    await expect(FrozenAccounts.load(join(dir, "missing"))).rejects.toBeInstanceOf(SnapshotError);
  });

  it("a released FrozenAccounts cannot be saved", () => {
    const built = build(8n, 10);
    built.release();
    expect(() => built.saveSync(file())).toThrow(/released/);
  });
});
