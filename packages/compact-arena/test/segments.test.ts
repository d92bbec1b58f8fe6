import { fc, test as fcTest } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { InvalidArgumentError, segmentLength, segmentOf, segmentOffset, segmentStart } from "../src/index.ts";

describe("segment arithmetic", () => {
  it("places the article's example (64K, 64K, 128K, 256K…) at every boundary", () => {
    const b = 16;
    expect([0, 1, 2, 3, 4].map((s) => segmentLength(s, b))).toEqual([65536, 65536, 131072, 262144, 524288]);
    expect([0, 1, 2, 3, 4].map((s) => segmentStart(s, b))).toEqual([0, 65536, 131072, 262144, 524288]);
    const cases: [number, number, number][] = [
      [0, 0, 0],
      [65535, 0, 65535],
      [65536, 1, 0],
      [131071, 1, 65535],
      [131072, 2, 0],
      [262143, 2, 131071],
      [262144, 3, 0],
      [2 ** 31 - 1, 15, 2 ** 30 - 1],
      [2 ** 31, 16, 0],
      [2 ** 32 - 2, 16, 2 ** 31 - 2], // the largest index of a small arena
    ];
    for (const [i, s, off] of cases) {
      expect([segmentOf(i, b), segmentOffset(i, b)], `index ${i}`).toEqual([s, off]);
    }
  });

  fcTest.prop([fc.integer({ min: 0, max: 2 ** 32 - 2 }), fc.integer({ min: 1, max: 30 })])(
    "every index lands inside its segment: start + offset = index, offset < length",
    (i, bits) => {
      const s = segmentOf(i, bits);
      const off = segmentOffset(i, bits);
      expect(segmentStart(s, bits) + off).toBe(i);
      expect(off).toBeLessThan(segmentLength(s, bits));
      expect(off).toBeGreaterThanOrEqual(0);
    },
  );

  it("segments tile the index space without gaps (bits 1..30)", () => {
    for (let bits = 1; bits <= 30; bits++) {
      let next = 0;
      for (let s = 0; next < 2 ** 32; s++) {
        expect(segmentStart(s, bits)).toBe(next);
        next += segmentLength(s, bits);
      }
      expect(next).toBe(2 ** 32);
    }
  });

  it("rejects bad segment sizes", () => {
    for (const bits of [0, 31, 1.5, Number.NaN]) expect(() => segmentOf(1, bits)).toThrow(InvalidArgumentError);
  });
});
