// Arenas on disk, at the bump level: the code shown in the "Arenas on disk"
// chapter. Every function is run by test/snapshot-examples.test.ts.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

// #region round-trip
import {
  Bump,
  loadArenaReaderSync,
  loadArenaSync,
  saveArenaSync,
} from "@arenakit/bump";

export function roundTrip(dir: string): { name: string; again: string; more: string } {
  const bump = new Bump();
  // a pointer: chunk slot + offset, not an address
  const name = bump.allocStr("acct-sparky");
  const file = join(dir, "names.arenakit");
  // the used bytes of each chunk, a header and a checksum per chunk
  saveArenaSync(bump, file);

  const reader = loadArenaReaderSync(file); // read-only, in SharedArrayBuffers
  const writable = loadArenaSync(file); // a Bump that keeps allocating
  // lands in a new chunk; loaded chunks are never moved
  const more = writable.allocStr("acct-rusty");
  // → { name: "acct-sparky", again: "acct-sparky", more: "acct-rusty" }
  return {
    name: bump.readStr(name),
    again: reader.readStr(name),
    more: writable.readStr(more),
  };
}
// #endregion round-trip

// #region bad-file
import { SnapshotError } from "@arenakit/bump";
import { writeFileSync, readFileSync } from "node:fs";

export function damaged(dir: string): string[] {
  const file = join(dir, "damaged.arenakit");
  const bump = new Bump();
  bump.allocStr("x".repeat(1000));
  saveArenaSync(bump, file);
  const bytes = readFileSync(file);
  const problems: string[] = [];
  const truncated = bytes.subarray(0, bytes.length - 1);
  const flipped = flip(bytes, bytes.length - 10);
  for (const bad of [truncated, flipped, Buffer.alloc(0)]) {
    writeFileSync(file, bad);
    try {
      loadArenaSync(file);
    } catch (err) {
      // what was wrong, in one word
      if (err instanceof SnapshotError) problems.push(err.problem);
    }
  }
  return problems; // → ["truncated", "checksum", "empty"]
}

function flip(bytes: Uint8Array, at: number): Uint8Array {
  const copy = bytes.slice();
  copy[at]! ^= 1;
  return copy;
}
// #endregion bad-file

/** Runs `fn` with a fresh temporary directory, removed afterwards. */
export function inTempDir<R>(fn: (dir: string) => R): R {
  const dir = mkdtempSync(join(tmpdir(), "arenakit-example-"));
  try {
    return fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
