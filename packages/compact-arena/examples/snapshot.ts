// compact-arena on disk: the code shown in the "Arenas on disk" chapter.
// Every function is run by test/snapshot.test.ts.
import { join } from "node:path";

// #region save-load
import {
  inArena,
  inLoadedArenaSync,
  saveCompactArenaSync,
} from "@arenakit/compact-arena";

const Particle = { x: "f64", y: "f64", parent: "idx" } as const;

export function saveAndLoad(
  dir: string,
): { bytes: number; records: number; sumX: number } {
  const file = join(dir, "particles.arenakit");
  // Only an arena with shared: true can be saved: its columns are written as they are.
  const options = { kind: "tiny", layout: "contiguous", shared: true } as const;
  const bytes = inArena(options, Particle, (arena) => {
    const root = arena.add({ x: 0, y: 0, parent: null });
    for (let i = 1; i <= 100; i++) arena.add({ x: i, y: -i, parent: root });
    return saveCompactArenaSync(arena, file); // temporary file, fsync, rename
  });

  // One read per column, every chunk checked, the kind and schema compared.
  const kind = { kind: "tiny", layout: "contiguous" } as const;
  return inLoadedArenaSync(file, kind, Particle, (view) => {
    let sumX = 0;
    for (const x of view.column("x")) sumX += x;
    return { bytes, records: view.length, sumX };
  }); // → { bytes: 2066, records: 101, sumX: 5050 }
}
// #endregion save-load

// #region schema
import { SnapshotError } from "@arenakit/bump";

export function wrongSchema(dir: string): string {
  const file = join(dir, "particles.arenakit");
  try {
    // Saved with { x, y, parent }: a reader that expects other fields is refused.
    inLoadedArenaSync(file, "tiny", { x: "f64", y: "f64" }, (view) => view.length);
    return "loaded";
  } catch (err) {
    if (err instanceof SnapshotError) return err.problem; // → "schema"
    throw err;
  }
}
// #endregion schema
