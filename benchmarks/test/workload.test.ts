import { describe, expect, it } from "vitest";
import { OWNERS, accounts, base58, dataBytes, keysHeldByApp, lookupKeys, nonAsciiKeys, rng } from "../src/workload.ts";

describe("workload generator", () => {
  it("is deterministic for a seed", () => {
    expect(accounts(50, { seed: 1 })).toEqual(accounts(50, { seed: 1 }));
    expect(accounts(5, { seed: 1 })[0]!.id).not.toBe(accounts(5, { seed: 2 })[0]!.id);
    const a = rng(5);
    const b = rng(5);
    for (let i = 0; i < 100; i++) expect(a()).toBe(b());
  });

  it("makes base58 ids of 32 bytes (43–44 characters)", () => {
    for (const { id } of accounts(500)) {
      expect(id).toMatch(/^[1-9A-HJ-NP-Za-km-z]{43,44}$/);
    }
    expect(base58(new Uint8Array([0, 0, 1]))).toBe("112");
    // The seeded workload every suite and the native anchor share (its first and 2,000th ids).
    const ids = accounts(2000, { seed: 42 }).map((a) => a.id);
    expect([ids[0], ids[1999]]).toEqual(["FibGP8JKqtnVHC3RLpXYskMAAk1wAck2SACncEgc2Lxv", "GBXBWH2e5hXj86SkwHBFudszgD5MqEsCPf44oRVEfrX8"]);
  });

  it("encodes base58 as the textbook conversion does, leading zero bytes and long inputs included", () => {
    const B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    const reference = (bytes: Uint8Array): string => {
      let v = 0n;
      for (const b of bytes) v = v * 256n + BigInt(b);
      let s = "";
      do {
        s = B58[Number(v % 58n)]! + s;
        v /= 58n;
      } while (v > 0n);
      return "1".repeat(bytes.findIndex((b) => b !== 0) === -1 ? bytes.length : bytes.findIndex((b) => b !== 0)) + s;
    };
    const next = rng(9);
    for (let t = 0; t < 2000; t++) {
      const bytes = Uint8Array.from({ length: [0, 1, 5, 32, 33, 100][t % 6]! }, () => (next() * 256) | 0);
      if (t % 4 === 1) bytes.fill(0, 0, Math.min(3, bytes.length));
      if (t % 50 === 7) bytes.fill(0);
      expect(base58(bytes)).toBe(reference(bytes));
    }
  });

  it("skews owners and data lengths like a real workload", () => {
    const recs = accounts(5000);
    const top = recs.filter((r) => r.owner === OWNERS[0]).length / recs.length;
    expect(top).toBeGreaterThan(0.3);
    const small = recs.filter((r) => r.data.length <= 256).length / recs.length;
    expect(small).toBeGreaterThan(0.7);
    expect(recs.some((r) => r.data.length > 8192)).toBe(true);
    expect(accounts(10, { dataLength: 128 }).every((r) => r.data.length === 128)).toBe(true);
  });

  it("derives data bytes from a seed so readers can verify them", () => {
    expect(dataBytes(3, 64)).toEqual(dataBytes(3, 64));
    expect(dataBytes(3, 64)).not.toEqual(dataBytes(4, 64));
  });

  it("keys held by the app are equal strings and non-ASCII keys are well-formed", () => {
    const keys = nonAsciiKeys(100);
    expect(keys.every((k) => k.isWellFormed() && /[^\x00-\x7f]/.test(k))).toBe(true);
    expect(keysHeldByApp(keys)).toEqual(keys);
  });

  it("draws lookup keys deterministically, as keys held by the app or as the stored strings", () => {
    const keys = accounts(100).map((a) => a.id);
    const held = lookupKeys(keys, 50, "held", 3);
    expect(held).toEqual(lookupKeys(keys, 50, "stored", 3));
    expect(held).toEqual(lookupKeys(keys, 50, true, 3));
    expect(held.every((k) => keys.includes(k))).toBe(true);
    expect(new Set(held).size).toBeGreaterThan(20);
  });
});
