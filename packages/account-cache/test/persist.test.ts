import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { SnapshotError } from "@arenakit/bump";
import { RollingAccountCache } from "../src/node.ts";
import { expected, idOf, sameBytes } from "./fixtures/gen.ts";

const root = mkdtempSync(join(tmpdir(), "arenakit-persist-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function pushSlot(cache: RollingAccountCache, slot: bigint, n: number): void {
  const b = cache.builder(slot, { capacity: n });
  for (let i = 0; i < n; i++) {
    const e = expected(slot, i);
    b.insertAccount(idOf(slot, i), e.owner, e.index, e.data);
  }
  cache.push(b.finish());
}

function readsAll(cache: RollingAccountCache, slot: bigint, n: number): boolean {
  const f = cache.get(slot);
  if (f === undefined) return false;
  try {
    for (let i = 0; i < n; i++) {
      const a = f.get(idOf(slot, i));
      const e = expected(slot, i);
      if (a === undefined || a.owner !== e.owner || a.index !== e.index || !sameBytes(a.data, e.data)) return false;
    }
    return true;
  } finally {
    f.release();
  }
}

describe("RollingAccountCache persist and reopen (warm restart)", () => {
  it("reopens the window it persisted, and keeps rolling", async () => {
    const dir = join(root, "a");
    const cache = new RollingAccountCache({ window: 3 });
    for (let s = 1n; s <= 5n; s++) pushSlot(cache, s, 300);
    const written = await cache.persist(dir);
    expect(written.length).toBe(3);
    cache.release();

    const again = await RollingAccountCache.reopen(dir, { window: 3 });
    expect(again.slots()).toEqual([5n, 4n, 3n]);
    for (const s of [3n, 4n, 5n]) expect(readsAll(again, s, 300)).toBe(true);
    expect(again.latest(idOf(4n, 7))).toBe(4n);
    pushSlot(again, 6n, 300);
    expect(again.slots()).toEqual([6n, 5n, 4n]);
    await again.persist(dir);
    // Slot 3 left the window: its file is gone too.
    expect(readdirSync(dir).sort()).toEqual([4n, 5n, 6n].map((s) => `slot-${s.toString().padStart(20, "0")}.arenakit`));
    again.release();
  });

  it("a smaller window reopens only the newest slots; an empty directory gives an empty cache", async () => {
    const dir = join(root, "b");
    const cache = new RollingAccountCache({ window: 4 });
    for (let s = 10n; s <= 13n; s++) pushSlot(cache, s, 50);
    await cache.persist(dir);
    cache.release();
    const small = await RollingAccountCache.reopen(dir, { window: 2 });
    expect(small.slots()).toEqual([13n, 12n]);
    small.release();
    const emptyDir = join(root, "empty");
    await new RollingAccountCache({ window: 1 }).persist(emptyDir);
    const empty = await RollingAccountCache.reopen(emptyDir, { window: 2 });
    expect(empty.slots()).toEqual([]);
    empty.release();
  });

  it("a damaged file makes reopen fail with a SnapshotError naming it", async () => {
    const dir = join(root, "c");
    const cache = new RollingAccountCache({ window: 2 });
    pushSlot(cache, 1n, 100);
    pushSlot(cache, 2n, 100);
    const [, newest] = await cache.persist(dir);
    cache.release();
    const bytes = readFileSync(newest!);
    bytes[bytes.length - 5]! ^= 0x80;
    writeFileSync(newest!, bytes);
    const err = await RollingAccountCache.reopen(dir, { window: 2 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SnapshotError);
    expect((err as SnapshotError).problem).toBe("checksum");
    expect((err as SnapshotError).path).toBe(newest);
  });
});
