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
