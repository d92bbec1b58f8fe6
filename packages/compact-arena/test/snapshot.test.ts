import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SnapshotError } from "@arenakit/bump";
import { afterAll, describe, expect, it } from "vitest";
import { firstMessage, startTsWorker } from "../../../test/support/workers.ts";
import {
  InvalidArgumentError,
  ReleasedError,
  columnsFingerprint,
  inArena,
  inLoadedArena,
  inLoadedArenaSync,
  inLoadedSlotArenaSync,
  inSharedArena,
  inSlotArena,
  loadCompactArenaSync,
  saveCompactArena,
  saveCompactArenaSync,
  saveSlotArenaSync,
  type ArenaKind,
  type Layout,
} from "../src/index.ts";
import * as example from "../examples/snapshot.ts";

const dir = mkdtempSync(join(tmpdir(), "arenakit-compact-snap-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const file = (): string => join(dir, `a${n++}.arenakit`);

const Node = { next: "idx", weight: "f64", tag: "u8", count: "u16", id: "u32", delta: "i32" } as const;
const KINDS: readonly ArenaKind[] = ["nano", "tiny", "small"];
const LAYOUTS: readonly Layout[] = ["contiguous", "segmented", "resizable"];

/** Records 0..count-1, each pointing at the previous one. */
function record(i: number) {
  return { weight: i * 1.5 - 3, tag: i & 0xff, count: (i * 7) & 0xffff, id: i * 1000 + 1, delta: -i | 0 };
}

function save(kind: ArenaKind, layout: Layout, count: number, path: string): void {
  inArena({ kind, layout, shared: true, initialCapacity: 4 }, Node, (arena) => {
    let prev = null as ReturnType<typeof arena.add> | null;
    for (let i = 0; i < count; i++) prev = arena.add({ next: prev, ...record(i) });
    saveCompactArenaSync(arena, path);
  });
}

describe("save and load", () => {
  for (const kind of KINDS) {
    for (const layout of LAYOUTS) {
      for (const count of [0, 1, 200]) {
        it(`round-trips a ${layout} ${kind} arena of ${count} records`, () => {
          const path = file();
          save(kind, layout, count, path);
          const rows = inLoadedArenaSync(path, { kind, layout }, Node, (view) => {
            const out: unknown[] = [];
            for (let i = 0; i < view.length; i++) {
              const at = view.idx(i);
              const next = view.get(at, "next");
              out.push({ next: next === null ? null : Number(next), ...Object.fromEntries(Object.keys(record(0)).map((f) => [f, view.get(at, f as "tag")])) });
            }
            return out;
          });
          expect(rows).toEqual(Array.from({ length: count }, (_, i) => ({ next: i === 0 ? null : i - 1, ...record(i) })));
        });
      }
    }
  }

  it("writes a flat column up to the arena's length, not its capacity", () => {
    const small = file();
    const big = file();
    inArena({ kind: "small", shared: true, initialCapacity: 1024 }, { v: "f64" }, (arena) => {
      arena.add({ v: 1 });
      saveCompactArenaSync(arena, small);
      for (let i = 1; i < 1000; i++) arena.add({ v: i });
      saveCompactArenaSync(arena, big);
    });
    expect(readFileSync(big).length - readFileSync(small).length).toBe(999 * 8 + 3); // and 3 more digits of the length in the section
  });

  it("loads asynchronously, and the loaded descriptor opens with inSharedArena", async () => {
    const path = file();
    await inArena({ kind: "tiny", shared: true }, { v: "u32" }, async (arena) => {
      arena.add({ v: 41 });
      arena.add({ v: 42 });
      await saveCompactArena(arena, path);
    });
    expect(await inLoadedArena(path, "tiny", { v: "u32" }, (view) => view.get(view.idx(1), "v"))).toBe(42);
    const desc = structuredClone(loadCompactArenaSync(path, "tiny", { v: "u32" }));
    expect(inSharedArena(desc, "tiny", { v: "u32" }, (view) => view.length)).toBe(2);
  });
});

describe("refusals", () => {
  const path = join(tmpdir(), `arenakit-compact-snap-${process.pid}.arenakit`);
  afterAll(() => rmSync(path, { force: true }));
  const saveOne = (): void =>
    inArena({ kind: "tiny", layout: "segmented", shared: true }, { a: "u16", b: "f64" }, (arena) => {
      for (let i = 0; i < 50; i++) arena.add({ a: i, b: i / 2 });
      saveCompactArenaSync(arena, path);
    });

  const problem = (f: () => unknown): string | undefined => {
    try {
      f();
    } catch (err) {
      expect(err).toBeInstanceOf(SnapshotError);
      return (err as SnapshotError).problem;
    }
    return undefined;
  };

  it('another schema, kind or layout is a "schema" error', () => {
    saveOne();
    expect(problem(() => inLoadedArenaSync(path, "tiny", { a: "u16", b: "f64", c: "u8" }, () => 0))).toBe("schema");
    expect(problem(() => inLoadedArenaSync(path, "tiny", { b: "f64", a: "u16" }, () => 0))).toBe("schema");
    expect(problem(() => inLoadedArenaSync(path, "tiny", { a: "u32", b: "f64" }, () => 0))).toBe("schema");
    expect(problem(() => inLoadedArenaSync(path, "small", { a: "u16", b: "f64" }, () => 0))).toBe("schema");
    expect(problem(() => inLoadedArenaSync(path, { kind: "tiny", layout: "contiguous" }, { a: "u16", b: "f64" }, () => 0))).toBe("schema");
    expect(inLoadedArenaSync(path, { kind: "tiny", layout: "segmented" }, { a: "u16", b: "f64" }, (v) => v.length)).toBe(50);
  });

  it("a damaged or truncated file is a SnapshotError, never a view", () => {
    saveOne();
    const good = readFileSync(path);
    const load = (): number => inLoadedArenaSync(path, "tiny", { a: "u16", b: "f64" }, (v) => v.length);
    const flipped = Buffer.from(good);
    flipped[good.length - 3]! ^= 0x10;
    writeFileSync(path, flipped);
    expect(problem(load)).toBe("checksum");
    writeFileSync(path, good.subarray(0, good.length - 100));
    expect(problem(load)).toBe("truncated");
    writeFileSync(path, good.subarray(0, 10));
    expect(problem(load)).toBeDefined();
    writeFileSync(path, Buffer.alloc(0));
    expect(problem(load)).toBe("empty");
    expect(problem(() => inLoadedArenaSync(join(dir, "missing"), "tiny", { a: "u16", b: "f64" }, () => 0))).toBe("io");
  });

  it("only a shared, live arena can be saved; bad arguments are typed errors", () => {
    expect(problem(() => inArena("nano", { v: "u8" }, (arena) => saveCompactArenaSync(arena, file())))).toBe("unsupported");
    expect(problem(() => saveCompactArenaSync({} as never, file()))).toBe("unsupported");
    let kept: Parameters<typeof saveCompactArenaSync>[0] | undefined;
    inArena({ kind: "nano", shared: true }, { v: "u8" }, (arena) => void (kept = arena as never));
    expect(() => saveCompactArenaSync(kept!, file())).toThrow(ReleasedError);
    expect(() => inLoadedArenaSync(path, "huge" as never, { v: "u8" }, () => 0)).toThrow(InvalidArgumentError);
    expect(() => inLoadedArenaSync(path, "nano", { v: "u8" }, undefined as never)).toThrow(InvalidArgumentError);
    expect(() => columnsFingerprint("nano", { v: "u64" } as never)).toThrow(/u64/);
  });
});

describe("examples/snapshot.ts (the Arenas on disk chapter)", () => {
  it("saves 101 particles and reads their x column back; another schema is refused", () => {
    const d = mkdtempSync(join(dir, "example-"));
    const r = example.saveAndLoad(d);
    expect(r.records).toBe(101);
    expect(r.sumX).toBe(5050);
    expect(r.bytes).toBe(readFileSync(join(d, "particles.arenakit")).length);
    expect(example.wrongSchema(d)).toBe("schema");
  });

  it("the chapter imports regions that exist", () => {
    const page = readFileSync(new URL("../../../docs/guide/arenas-on-disk.md", import.meta.url), "utf8");
    const src = readFileSync(new URL("../examples/snapshot.ts", import.meta.url), "utf8");
    const regions = [...page.matchAll(/<<< @\/\.\.\/packages\/compact-arena\/examples\/snapshot\.ts#([\w-]+)/g)].map((m) => m[1]!);
    expect(regions).toEqual(["save-load", "schema"]);
    for (const r of regions) {
      expect(src).toContain(`// #region ${r}\n`);
      expect(src).toContain(`// #endregion ${r}\n`);
    }
  });
});

describe("a loaded arena goes to a Worker", () => {
  const Tree = { left: "idx", right: "idx", value: "u32" } as const;
  for (const layout of LAYOUTS) {
    it(`a ${layout} tree saved, loaded and walked by a real Worker`, async () => {
      const path = file();
      let root = 0;
      let sum = 0;
      inArena({ kind: "small", layout, shared: true, initialCapacity: 64 }, Tree, (arena) => {
        // A complete tree of 255 nodes, children before parents; value = depth from the leaves.
        let level = Array.from({ length: 128 }, () => arena.add({ left: null, right: null, value: 1 }));
        for (let d = 2; level.length > 1; d++) {
          const next = [];
          for (let i = 0; i < level.length; i += 2) next.push(arena.add({ left: level[i]!, right: level[i + 1]!, value: d }));
          level = next;
        }
        root = Number(level[0]!);
        for (let d = 1; d <= 8; d++) sum += d * 2 ** (8 - d);
        saveCompactArenaSync(arena, path);
      });
      const desc = loadCompactArenaSync(path, { kind: "small", layout }, Tree);
      const worker = startTsWorker(new URL("./fixtures/tree-reader.ts", import.meta.url), { desc, layout });
      try {
        const reply = firstMessage(worker);
        worker.postMessage({ root });
        expect(await reply).toEqual({ length: 255, count: 255, sum });
        worker.postMessage({ stop: true });
      } finally {
        await worker.terminate();
      }
    });
  }
});

describe("slot arenas", () => {
  const Conn = { port: "u16", bytes: "f64" } as const;
  for (const kind of KINDS) {
    for (const layout of ["contiguous", "resizable"] as const) {
      it(`a ${layout} ${kind} slot arena: live handles find their records after a load, removed ones stay refused`, () => {
        const path = file();
        const live = new Map<number, number>();
        const removed: number[] = [];
        inSlotArena({ kind, layout, shared: true }, Conn, (arena) => {
          const hs = Array.from({ length: 40 }, (_, i) => arena.insert({ port: 1000 + i, bytes: i / 4 }));
          for (let i = 0; i < 40; i += 3) {
            arena.remove(hs[i]!);
            removed.push(hs[i]!);
          }
          const reused = arena.insert({ port: 9, bytes: 9 }); // takes a freed slot with a new generation
          for (const h of arena) live.set(h, arena.get(h, "port"));
          expect(live.has(reused)).toBe(true);
          saveSlotArenaSync(arena, path);
        });
        const seen = inLoadedSlotArenaSync(path, kind, Conn, (view) => {
          expect(view.size).toBe(live.size);
          for (const h of removed) expect(view.has(h)).toBe(false);
          return new Map([...view].map((h) => [h as number, view.get(h, "port")]));
        });
        expect(seen).toEqual(live);
      });
    }
  }

  it("another schema is a schema error, a damaged file a SnapshotError", () => {
    const path = file();
    inSlotArena({ kind: "tiny", shared: true }, Conn, (arena) => {
      arena.insert({ port: 1, bytes: 2 });
      saveSlotArenaSync(arena, path);
    });
    const problem = (f: () => unknown): string | undefined => {
      try {
        f();
      } catch (err) {
        expect(err).toBeInstanceOf(SnapshotError);
        return (err as SnapshotError).problem;
      }
      return undefined;
    };
    expect(problem(() => inLoadedSlotArenaSync(path, "tiny", { port: "u32", bytes: "f64" }, () => 0))).toBe("schema");
    expect(problem(() => inLoadedArenaSync(path, "tiny", Conn, () => 0))).toBe("kind");
    const bytes = readFileSync(path);
    writeFileSync(path, bytes.subarray(0, bytes.length - 1));
    expect(problem(() => inLoadedSlotArenaSync(path, "tiny", Conn, () => 0))).toBe("truncated");
    expect(problem(() => inArena("nano", { v: "u8" }, (a) => saveSlotArenaSync(a as never, file())))).toBe("unsupported");
    expect(problem(() => inSlotArena("nano", { v: "u8" }, (a) => saveSlotArenaSync(a, file())))).toBe("unsupported");
  });
});
