// What `new AccountsBuilder(slot)` does without options: chunks from the
// process-wide default pool, the last chunk trimmed to its used bytes at
// finish(), every pointer still valid afterwards.
import { describe, expect, it } from "vitest";
import { AccountsBuilder, projectAccount } from "../src/index.ts";

function build(slot: bigint, n: number, options?: { initialChunkSize: number }): ReturnType<AccountsBuilder["finish"]> {
  const b = new AccountsBuilder(slot, options);
  for (let i = 0; i < n; i++) b.insertAccount(`acct-${slot}-${i}`, `owner-${i % 7}`, i, new Uint8Array(i % 300).fill(i & 255));
  return b.finish();
}

describe("AccountsBuilder without options", () => {
  it("trims the last chunk: the entry holds its used bytes, not the doubled chunk", () => {
    const b = new AccountsBuilder(1n, { initialChunkSize: 4096 });
    for (let i = 0; i < 3000; i++) b.insertAccount(`acct-${i}`, `owner-${i % 7}`, i, new Uint8Array(i % 300).fill(i & 255));
    const untrimmed = b.byteLength;
    using frozen = b.finish();
    const used = frozen.byteLength;
    expect(used).toBeLessThan(untrimmed);
    // Only alignment is left beyond the used bytes: every chunk but the last was full when the next one came.
    const chunks = frozen._arc.get().chunks!;
    expect(chunks.reduce((n, c) => n + c.length, 0)).toBeGreaterThan(used * 0.9);
    // Every pointer is still valid, through every way of reading.
    for (let i = 0; i < 3000; i++) {
      const a = frozen.get(`acct-${i}`)!;
      expect(a.index).toBe(BigInt(i));
      expect(a.owner).toBe(`owner-${i % 7}`);
      expect(a.data.length).toBe(i % 300);
      if (a.data.length > 0) expect(a.data[a.data.length - 1]).toBe(i & 255);
    }
    expect(new Set(frozen.keys()).size).toBe(3000);
    using sel = projectAccount(frozen, "acct-2999");
    expect(sel?.account.data.length).toBe(2999 % 300);
    frozen.verify();
  });

  it("takes its chunks from the default pool, so the next slot reuses the memory of a dropped one", () => {
    AccountsBuilder.defaultPool.clear();
    build(1n, 2000).release();
    const before = AccountsBuilder.defaultPool.stats();
    expect(before.buffers).toBeGreaterThan(0);
    using second = build(2n, 2000);
    const after = AccountsBuilder.defaultPool.stats();
    expect(after.reused).toBeGreaterThan(before.reused);
    expect(second.get("acct-2-1999")?.index).toBe(1999n);
    AccountsBuilder.defaultPool.clear();
    expect(AccountsBuilder.defaultPool.stats().buffers).toBe(0);
  });

  it("rebuilding after a drop recycles through the default pool; a first build leaves no idle memory in it", () => {
    const pool = AccountsBuilder.defaultPool;
    pool.clear();
    // A first build: every chunk is new, and the chunk finish() replaced goes to the GC, not to the pool.
    const first = build(10n, 3000, { initialChunkSize: 4096 });
    expect(pool.stats().buffers).toBe(0);
    const bytes = first.byteLength;
    first.release();
    const returned = pool.stats().bytes;
    expect(returned).toBe(bytes);

    // The same slot again: its chunks come from the pool, the trim copies into the dropped entry's exact-size
    // chunk, and the replaced chunk goes back to the pool for the next build.
    const reusedBefore = pool.stats().reused;
    const second = build(10n, 3000, { initialChunkSize: 4096 });
    expect(second.byteLength).toBe(bytes);
    expect(pool.stats().reused).toBeGreaterThan(reusedBefore);
    expect(pool.stats().bytes).toBeGreaterThan(0); // the replaced last chunk, kept for the next build
    for (const i of [0, 1500, 2999]) {
      const a = second.get(`acct-10-${i}`)!;
      expect(a.index).toBe(BigInt(i));
      expect(a.owner).toBe(`owner-${i % 7}`);
      expect(a.data.length).toBe(i % 300);
    }
    second.verify();
    second.release();
    // Nothing is lost or held twice: the pool holds what the two builds made, and a third build is served by it.
    const held = pool.stats();
    using third = build(10n, 3000, { initialChunkSize: 4096 });
    expect(third.byteLength).toBe(bytes);
    expect(pool.stats().misses).toBe(held.misses);
    pool.clear();
  });

  it("the owner read back is one string per interned owner on this thread", () => {
    using frozen = build(3n, 100);
    const a = frozen.get("acct-3-7")!.owner;
    const b = frozen.get("acct-3-14")!.owner;
    expect(a).toBe("owner-0");
    expect(b).toBe(a);
  });
});
