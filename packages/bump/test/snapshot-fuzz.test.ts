import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { Bump, SnapshotError, arenaFromBytes, loadArenaSync, readSnapshotBytes, saveArenaSync, type StrPtr } from "../src/index.ts";

// Damage real snapshot files and check that every load either fails with a
// SnapshotError or (only when the bytes are unchanged) reads the original values.

const dir = mkdtempSync(join(tmpdir(), "arenakit-fuzz-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const bump = new Bump({ initialChunkSize: 128 });
const ptrs: [StrPtr, string][] = [];
for (let i = 0; i < 40; i++) ptrs.push([bump.allocStr(`v${i}`.repeat(i % 5)), `v${i}`.repeat(i % 5)]);
const original = join(dir, "original.arenakit");
saveArenaSync(bump, original);
const good = new Uint8Array(readFileSync(original));

function outcome(load: () => Bump): "error" | "same" {
  let loaded: Bump;
  try {
    loaded = load();
  } catch (err) {
    expect(err).toBeInstanceOf(SnapshotError);
    return "error";
  }
  for (const [p, s] of ptrs) expect(loaded.readStr(p)).toBe(s);
  return "same";
}

describe("snapshot fuzzing", () => {
  it(`every single-bit flip of a ${good.length}-byte file is caught`, () => {
    let caught = 0;
    for (let i = 0; i < good.length; i++) {
      for (let bit = 0; bit < 8; bit++) {
        const b = good.slice();
        b[i]! ^= 1 << bit;
        // CRC-32 detects every single-bit error, and every byte is under a checksum.
        expect(outcome(() => arenaFromBytes(b))).toBe("error");
        caught++;
      }
    }
    expect(caught).toBe(good.length * 8);
  });

  it("every truncation is caught", () => {
    for (let len = 0; len < good.length; len++) {
      expect(() => readSnapshotBytes(good.subarray(0, len))).toThrow(SnapshotError);
    }
  });

  it("random damage written to disk: a typed error, or the same values when nothing changed", () => {
    const path = join(dir, "damaged.arenakit");
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat({ max: good.length - 1 }), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }),
        fc.option(fc.nat({ max: good.length }), { nil: undefined }),
        (edits, cut) => {
          const b = good.slice(0, cut ?? good.length);
          for (const [at, v] of edits) if (at < b.length) b[at] = v;
          writeFileSync(path, b);
          const same = b.length === good.length && b.every((x, i) => x === good[i]);
          expect(outcome(() => loadArenaSync(path))).toBe(same ? "same" : "error");
        },
      ),
      { numRuns: 300 },
    );
  });
});
