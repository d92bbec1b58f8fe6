// Recipe: a string-interning table.
//
// Log lines, metric labels, account owners: the same few thousand strings
// arrive millions of times. An interning table stores each distinct string
// once, in an arena, and hands out a small integer id for it; the rest of the
// program keeps ids (4 bytes, no object) instead of strings, compares them
// with ===, and turns an id back into the string only when it prints it.
//
// Run it from the repository root:
//   npx tsx --conditions=@arenakit/source \
//     packages/hashmap/examples/recipes/string-interning.ts
// #region table
import { pathToFileURL } from "node:url";
import { Bump, t, type StrPtr } from "@arenakit/bump";
import { ArenaHashMap, type EntryPtr } from "@arenakit/hashmap";

/** Distinct strings → dense ids 0, 1, 2, … and back, all in one arena. */
export class Interner implements Disposable {
  private readonly arena = new Bump();
  private readonly ids = new ArenaHashMap(this.arena, { value: t.u32 });
  /** id → pointer of the stored string (the map's key, so it is stored only once). */
  private ptrs = new Float64Array(1024);

  /** The id of `s`, adding it on first sight. */
  intern(s: string): number {
    const found = this.ids.find(s); // no allocation on a hit
    if (found !== 0) return this.ids.valueAt(found);
    const id = this.ids.size;
    this.ids.set(s, id);
    if (id === this.ptrs.length) {
      const grown = new Float64Array(id * 2);
      grown.set(this.ptrs);
      this.ptrs = grown;
    }
    // keyPtr: the stored key's StrPtr, readable with the arena
    this.ptrs[id] = this.ids.keyPtr(this.ids.find(s) as EntryPtr);
    return id;
  }

  /** The string of an id. */
  lookup(id: number): string {
    if (!Number.isInteger(id) || id < 0 || id >= this.ids.size) {
      throw new RangeError(`no interned string has id ${id}`);
    }
    return this.arena.readStr(this.ptrs[id] as StrPtr);
  }

  get size(): number {
    return this.ids.size;
  }

  /** Bytes of arena memory the table holds. */
  get bytes(): number {
    return this.arena.allocatedBytes + this.ptrs.byteLength;
  }

  [Symbol.dispose](): void {
    this.ids.release();
    this.arena.release();
  }
}
// #endregion table

// #region main
/**
 * Interns the owners of a million log lines; returns how many distinct strings there
 * were.
 */
export function main(lines = 1_000_000): {
  lines: number;
  distinct: number;
  bytes: number;
  sample: string;
} {
  using table = new Interner();
  const column = new Uint32Array(lines); // what the program keeps: one id per line
  for (let i = 0; i < lines; i++) {
    // arrives as a fresh string each time
    const owner = `program-${(i * 2654435761) % 4999}`;
    column[i] = table.intern(owner);
  }
  return {
    lines,
    distinct: table.size,
    bytes: table.bytes,
    sample: table.lookup(column[lines - 1]!),
  };
}

if (
  process.argv[1] !== undefined &&
  import.meta.url === pathToFileURL(process.argv[1]).href
) {
  const r = main();
  console.log(`${r.lines} lines, ${r.distinct} distinct owners`);
  // → 1000000 lines, 4999 distinct owners
  console.log(`the table holds ${(r.bytes / 1024).toFixed(0)} KiB`);
  // → the table holds 256 KiB
  console.log(`last line's owner: ${r.sample}`); // → last line's owner: program-4115
}
// #endregion main
