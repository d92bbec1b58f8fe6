import { ArenaError } from "@arenakit/bump";
import { describe, expect, it } from "vitest";
import { AccountValue, AccountsBuilder, AccountsReleasedError, projectAccount } from "../src/index.ts";

// Reading an account's fields: the edges of each field's encoding, many owners, accounts spread over many chunks,
// and what a read does when the entry's bytes were overwritten.

const enc = new TextEncoder();

/** The offset in `bytes` of the stored key `id` (its u32 length prefix, then the UTF-8 key), or -1. */
function entryOffset(bytes: Uint8Array, id: string): number {
  const key = enc.encode(id);
  outer: for (let o = 0; o + 4 + key.length <= bytes.length; o += 4) {
    if (new DataView(bytes.buffer, bytes.byteOffset).getUint32(o, true) !== key.length) continue;
    for (let j = 0; j < key.length; j++) if (bytes[o + 4 + j] !== key[j]) continue outer;
    return o;
  }
  return -1;
}

describe("AccountView fields", () => {
  it("reads every index at the edges of its encoding back exactly", () => {
    const edges = [0n, 1n, 2n ** 32n - 1n, 2n ** 32n, 2n ** 52n, 2n ** 53n - 1n, 2n ** 53n, 2n ** 53n + 1n, 2n ** 63n, 2n ** 64n - 1n];
    const b = new AccountsBuilder(1n);
    edges.forEach((index, i) => b.insertAccount(`acct-${i}`, "o", index, new Uint8Array([i])));
    using f = b.finish();
    edges.forEach((index, i) => {
      const a = f.get(`acct-${i}`)!;
      expect(a.index).toBe(index);
      expect(typeof a.index).toBe("bigint");
    });
  });

  it("returns the right owner for each of 1,000 owners, in any order, twice", () => {
    // More owners than the per-thread owner cache has slots, so slots are shared and refilled.
    const n = 3000;
    const ownerOf = (i: number): string => `owner-${(i * 7919) % 1000}-${"x".repeat(i % 13)}`;
    const b = new AccountsBuilder(2n, { initialChunkSize: 4096 });
    for (let i = 0; i < n; i++) b.insertAccount(`acct-${i}`, ownerOf(i % 1000), i, new Uint8Array(i % 50));
    using f = b.finish();
    for (let pass = 0; pass < 2; pass++) {
      for (let k = 0; k < n; k++) {
        const i = (k * 1543 + pass * 17) % n;
        const a = f.get(`acct-${i}`)!;
        expect(a.owner).toBe(ownerOf(i % 1000));
        expect(a.data.length).toBe(i % 50);
        expect(a.index).toBe(BigInt(i));
      }
    }
  });

  it("data is a view of the entry's shared memory, also when the accounts span many chunks", () => {
    const b = new AccountsBuilder(3n, { initialChunkSize: 1024 });
    for (let i = 0; i < 500; i++) b.insertAccount(`a${i}`, "o", i, new Uint8Array(i % 300).fill(i & 0xff));
    using f = b.finish();
    for (let i = 0; i < 500; i++) {
      const d = f.get(`a${i}`)!.data;
      expect(d.length).toBe(i % 300);
      expect(d.every((x) => x === (i & 0xff))).toBe(true);
      expect(d.buffer).toBeInstanceOf(SharedArrayBuffer);
    }
    // Two reads of the same account alias the same bytes.
    const x = f.get("a299")!.data;
    const y = f.get("a299")!.data;
    expect(x.buffer).toBe(y.buffer);
    expect(x.byteOffset).toBe(y.byteOffset);
  });

  it("a view read through a selection checks the selection, not the frozen reference", () => {
    const f = new AccountsBuilder(4n).insertAccount("a", "owner-a", 2n ** 60n, new Uint8Array([4, 5])).finish();
    const sel = projectAccount(f, "a")!;
    const view = sel.account;
    f.release();
    expect(view.owner).toBe("owner-a");
    expect(view.index).toBe(2n ** 60n);
    expect(Array.from(view.data)).toEqual([4, 5]);
    sel.release();
    for (const read of [() => view.owner, () => view.data, () => view.index]) expect(read).toThrow(AccountsReleasedError);
  });

  it("a pointer overwritten in shared memory is a typed arena error on read, never a wrong value", () => {
    using f = new AccountsBuilder(5n).insertAccount("acct-victim", "owner-v", 9, new Uint8Array([1, 2, 3])).finish();
    const before = f.get("acct-victim")!;
    expect(before.owner).toBe("owner-v"); // decoded and cached before the damage
    // JavaScript cannot make shared memory read-only: anything holding the buffer can write into the entry.
    const data = before.data;
    const whole = new Uint8Array(data.buffer);
    const at = entryOffset(whole, "acct-victim");
    expect(at).toBeGreaterThanOrEqual(0);
    const value = at + 4 + "acct-victim".length;
    const dv = new DataView(data.buffer);
    const ownerPtr = dv.getFloat64(value + AccountValue.offsetOf("owner"), true);
    const dataPtr = dv.getFloat64(value + AccountValue.offsetOf("data"), true);
    // The owner pointer now names a chunk the arena does not have; the data pointer runs past its chunk.
    dv.setFloat64(value + AccountValue.offsetOf("owner"), ownerPtr + 200 * 2 ** 32, true);
    dv.setFloat64(value + AccountValue.offsetOf("data"), dataPtr - (dataPtr % 2 ** 32) + (2 ** 32 - 8), true);
    const after = f.get("acct-victim")!;
    expect(() => after.owner).toThrow(ArenaError);
    expect(() => after.data).toThrow(ArenaError);
    expect(after.index).toBe(9n);
  });
});
