import { fc, test as fcTest } from "@fast-check/vitest";
import { Bump, t } from "@arenakit/bump";
import { describe, expect, it } from "vitest";
import { HASH_STATE, fold, hashBytes, hashString, keysFromSeed, randomSeed } from "../src/hash.ts";
import { ArenaBytesMap, ArenaHashMap } from "../src/index.ts";

const enc = new TextEncoder();

function hashOf(s: string, seed: number): number {
  const { k0, k1, k2, k3 } = keysFromSeed(seed);
  return hashString(s, k0, k1, k2, k3);
}

describe("fold", () => {
  fcTest.prop([fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 })])(
    "is the high half xor the low half of the exact 64-bit product",
    (x, y) => {
      const p = BigInt(x >>> 0) * BigInt(y >>> 0);
      const want = Number(BigInt.asIntN(32, (p >> 32n) ^ (p & 0xffffffffn)));
      expect(fold(x, y)).toBe(want);
    },
  );
});

describe("key hash", () => {
  const strings = fc.oneof(
    fc.string({ maxLength: 40 }),
    fc.string({ unit: "grapheme", maxLength: 30 }),
    fc.string({ unit: "binary", minLength: 1000, maxLength: 1100 }),
    fc.constantFrom("", "a", "x".repeat(1024), "x".repeat(1025), "é".repeat(3000), "🦀".repeat(2100), "y".repeat(9000)),
  );

  fcTest.prop([strings, fc.integer()])("a string hashes like its UTF-8 bytes (so stored keys can be rehashed)", (s, seed) => {
    const { k0, k1, k2, k3 } = keysFromSeed(seed);
    const bytes = enc.encode(s);
    expect(hashString(s, k0, k1, k2, k3)).toBe(hashBytes(bytes, 0, bytes.length, k0, k1, k2, k3));
  });

  it("keeps the words of short ASCII keys for word-wise comparison, and says when it does not", () => {
    hashOf("abcdefgh-ascii", 1);
    expect(HASH_STATE[0]).toBe(1);
    hashOf("non-ascii é", 1);
    expect(HASH_STATE[0]).toBe(0);
    hashOf("z".repeat(2000), 1);
    expect(HASH_STATE[0]).toBe(0);
  });

  it("depends on the seed; each map draws its own random seed", () => {
    expect(hashOf("acct-sparky", 1)).toBe(hashOf("acct-sparky", 1));
    const seen = new Set<number>();
    for (let seed = 0; seed < 200; seed++) seen.add(hashOf("acct-sparky", seed));
    expect(seen.size).toBeGreaterThan(195);
    const a = new ArenaHashMap(new Bump(), { value: t.u8 });
    const b = new ArenaHashMap(new Bump(), { value: t.u8 });
    expect(a.seed).not.toBe(b.seed);
    expect(Number.isSafeInteger(randomSeed())).toBe(true);
  });

  it("spreads sequential keys evenly over the table", () => {
    const counts = new Uint32Array(1024);
    for (let i = 0; i < 102_400; i++) counts[hashOf(`key${i}`, 99) & 1023]!++;
    const expected = 100;
    let chi = 0;
    for (const c of counts) chi += (c - expected) ** 2 / expected;
    // 1023 degrees of freedom: the 99.9th percentile of chi-square is about 1170.
    expect(chi).toBeLessThan(1170);
    const tags = new Uint32Array(128);
    for (let i = 0; i < 12_800; i++) tags[hashOf(`key${i}`, 99) >>> 25]!++;
    expect(Math.max(...tags)).toBeLessThan(150);
  });

  it("has no seed-independent collisions for top-bit differences (the attack on seeded murmur-style chains)", () => {
    // Two byte keys that differ in the top bit of one word and in bits 31 and 15 of the next word:
    // under h = imul(h ^ w, C); h ^= h >>> 16 they collide for every seed.
    const a = new Uint8Array(16);
    const b = new Uint8Array(16);
    for (let i = 0; i < 16; i++) a[i] = b[i] = (i * 37) & 0xff;
    b[3]! ^= 0x80;
    b[5]! ^= 0x80;
    b[7]! ^= 0x80;
    const murmurish = (k: Uint8Array, seed: number): number => {
      let h = seed;
      for (let i = 0; i < k.length; i += 4) {
        h = Math.imul(h ^ new DataView(k.buffer).getInt32(i, true), 0xcc9e2d51);
        h ^= h >>> 16;
      }
      return h;
    };
    for (let seed = 0; seed < 100; seed++) expect(murmurish(a, seed)).toBe(murmurish(b, seed)); // the weakness is real
    let collisions = 0;
    for (let seed = 0; seed < 20_000; seed++) {
      const { k0, k1, k2, k3 } = keysFromSeed(seed);
      if (hashBytes(a, 0, 16, k0, k1, k2, k3) === hashBytes(b, 0, 16, k0, k1, k2, k3)) collisions++;
    }
    expect(collisions).toBeLessThanOrEqual(1);
  });
});

describe("HashDoS resistance", () => {
  it("keys crafted to collide under one seed spread out under a map's own seed", () => {
    const victim = 424242;
    const { k0, k1, k2, k3 } = keysFromSeed(victim);
    // An attacker who knew the seed: 200 keys that all start probing at group 0 of a 4096-slot table.
    const evil: string[] = [];
    for (let i = 0; evil.length < 200; i++) {
      const k = `evil-${i}`;
      if ((hashString(k, k0, k1, k2, k3) & 1023) === 0) evil.push(k);
    }
    // 3584 = 7/8 of 4096 slots: the table is exactly 4096 slots.
    const known = new ArenaHashMap(new Bump(), { value: t.u32, seed: victim, capacity: 3584 });
    const fresh = new ArenaHashMap(new Bump(), { value: t.u32, capacity: 3584 });
    expect(known.stats().buckets).toBe(4096);
    for (const k of evil) {
      known.set(k, 1);
      fresh.set(k, 1);
    }
    // The attack works against a known seed (this is what a fixed hash would suffer)...
    expect(known.probeStats().maxGroups).toBeGreaterThan(40);
    // ...and does nothing against a random one.
    expect(fresh.probeStats().maxGroups).toBeLessThanOrEqual(4);
    expect(fresh.probeStats().meanGroups).toBeLessThan(1.2);
  });

  it("byte keys of 32 bytes (account ids) keep short probe sequences", () => {
    const map = new ArenaBytesMap(new Bump(), { value: t.u32 });
    const key = new Uint8Array(32);
    for (let i = 0; i < 20_000; i++) {
      new DataView(key.buffer).setUint32(28, i); // ids that differ only in their last bytes
      map.set(key, i);
    }
    expect(map.size).toBe(20_000);
    expect(map.probeStats().maxGroups).toBeLessThanOrEqual(12);
    expect(map.probeStats().meanGroups).toBeLessThan(1.5);
  });
});
