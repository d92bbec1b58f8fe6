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

  it("the owner read back is one string per interned owner on this thread", () => {
    using frozen = build(3n, 100);
    const a = frozen.get("acct-3-7")!.owner;
    const b = frozen.get("acct-3-14")!.owner;
    expect(a).toBe("owner-0");
    expect(b).toBe(a);
  });
});
