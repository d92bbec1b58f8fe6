// Recipe: a directory tree in a branded compact arena.
//
// Every directory and file is one record; parent, first child and next sibling
// are indices into the same arena, so the whole tree is six typed arrays however
// many entries it has. Names live in a side array indexed by the same indices.
// Sizes are summed bottom-up with one backwards pass over the columns: children
// are always added after their parent, so index order is already a topological order.
//
// Run it from the repository root:
//   npx tsx --conditions=@arenakit/source \
//     packages/compact-arena/examples/recipes/branded-tree.ts
// #region schema
import { fileURLToPath } from "node:url";
import { inArena, type Arena, type ArenaView, type Idx } from "@arenakit/compact-arena";

const Entry = {
  parent: "idx",
  firstChild: "idx",
  nextSibling: "idx",
  size: "f64", // own size (files), then total size after sumSizes()
  isDir: "u8",
  depth: "u16",
} as const;
// #endregion schema

// #region listing
/** One line of a listing: a slash-separated path and a size in bytes. */
export interface FileLine {
  readonly path: string;
  readonly size: number;
}

/**
 * A deterministic listing that looks like a source tree (the same on every machine).
 */
export function listing(files: number, seed = 7): FileLine[] {
  let s = seed >>> 0;
  const next = (): number => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const tops = ["src", "test", "docs", "vendor", "assets"];
  const out: FileLine[] = [];
  for (let i = 0; i < files; i++) {
    const depth = 1 + Math.floor(next() * 4);
    const parts = [tops[Math.floor(next() * next() * tops.length)]!];
    for (let d = 1; d < depth; d++) parts.push(`m${Math.floor(next() * 6)}`);
    parts.push(`f${i}.ts`);
    out.push({ path: parts.join("/"), size: Math.floor(200 + next() ** 4 * 200_000) });
  }
  return out;
}
// #endregion listing

// #region build
/** Adds `name` under `parent`, linking it as the parent's first child. */
function addChild<B extends symbol>(
  arena: Arena<B, typeof Entry>,
  names: string[],
  parent: Idx<B>,
  name: string,
  isDir: boolean,
  size: number,
): Idx<B> {
  const node = arena.add({
    parent,
    firstChild: null,
    nextSibling: arena.get(parent, "firstChild"),
    size,
    isDir: isDir ? 1 : 0,
    depth: arena.get(parent, "depth") + 1,
  });
  arena.set(parent, "firstChild", node);
  names[node] = name; // an Idx is a number: it indexes side arrays directly
  return node;
}

/**
 * Builds the tree; `dirs` maps a directory path to its index, typed with the arena's
 * brand.
 */
function buildTree<B extends symbol>(
  arena: Arena<B, typeof Entry>,
  names: string[],
  lines: readonly FileLine[],
): Idx<B> {
  const root = arena.add({
    parent: null,
    firstChild: null,
    nextSibling: null,
    size: 0,
    isDir: 1,
    depth: 0,
  });
  names[root] = "";
  const dirs = new Map<string, Idx<B>>([["", root]]);
  for (const { path, size } of lines) {
    const parts = path.split("/");
    let dir = root;
    let prefix = "";
    for (let p = 0; p < parts.length - 1; p++) {
      prefix = prefix === "" ? parts[p]! : `${prefix}/${parts[p]}`;
      let child = dirs.get(prefix);
      if (child === undefined) {
        child = addChild(arena, names, dir, parts[p]!, true, 0);
        dirs.set(prefix, child);
      }
      dir = child;
    }
    addChild(arena, names, dir, parts[parts.length - 1]!, false, size);
  }
  return root;
}
// #endregion build

// #region sum
/** Turns own sizes into total sizes: one backwards pass over two raw columns. */
function sumSizes<B extends symbol>(
  arena: Arena<B, typeof Entry, "small", "contiguous">,
): void {
  const parent = arena.column("parent");
  const size = arena.column("size");
  // Children have higher indices than their parent, so walking backwards
  // finishes every child's total before it is added to its parent's.
  for (let i = arena.length - 1; i > 0; i--) size[parent[i]!]! += size[i]!;
}

/** The path of a node, walking up through its parents. */
function pathOf<B extends symbol>(
  arena: ArenaView<B, typeof Entry>,
  names: readonly string[],
  node: Idx<B>,
): string {
  const parts: string[] = [];
  for (let n: Idx<B> | null = node; n !== null; n = arena.get(n, "parent")) {
    parts.push(names[n]!);
  }
  return parts.reverse().join("/") || "/";
}

// #endregion sum

// #region summarize
/** What the program prints. */
export interface Summary {
  readonly entries: number;
  readonly dirs: number;
  readonly totalBytes: number;
  readonly memoryBytes: number;
  readonly largest: readonly (readonly [path: string, bytes: number])[];
}

/**
 * Builds the tree for `lines` and reports the largest directories below the top level.
 */
export function summarize(lines: readonly FileLine[], top = 5): Summary {
  return inArena({ kind: "small", layout: "contiguous" }, Entry, (arena) => {
    const names: string[] = [];
    const root = buildTree(arena, names, lines);
    sumSizes(arena);
    const dirs = [...arena].filter((i) => arena.get(i, "isDir") === 1);
    const nested = dirs.filter((i) => arena.get(i, "depth") >= 2);
    nested.sort((a, b) => arena.get(b, "size") - arena.get(a, "size") || a - b);
    return {
      entries: arena.length,
      dirs: dirs.length,
      totalBytes: arena.get(root, "size"),
      memoryBytes: arena.byteLength,
      largest: nested
        .slice(0, top)
        .map((i) => [pathOf(arena, names, i), arena.get(i, "size")] as const),
    };
  });
}

// #endregion summarize

// #region main
function main(): void {
  const lines = listing(20_000);
  const s = summarize(lines);
  console.log(`${s.entries} entries, ${s.dirs} of them directories`);
  // → 21106 entries, 1106 of them directories
  console.log(`${s.totalBytes} bytes in total`); // → 804596579 bytes in total
  console.log(`tree memory: ${s.memoryBytes} bytes of typed arrays`);
  // → tree memory: 753664 bytes of typed arrays
  console.log("largest directories:"); // → largest directories:
  for (const [path, bytes] of s.largest) console.log(`  ${path}  ${bytes}`);
  // →   /src/m0  53477747
  // →   /src/m3  52824887
  // →   /src/m2  52823357
  // →   /src/m5  52350734
  // →   /src/m4  50845408
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main();
// #endregion main
