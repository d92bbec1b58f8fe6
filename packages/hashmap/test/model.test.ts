import { fc, test as fcTest } from "@fast-check/vitest";
import { expect } from "vitest";
import { Bump, FreeListAllocator, t, type Allocator } from "@arenakit/bump";
import { ArenaBytesMap, ArenaHashMap, type MapCore } from "../src/index.ts";

// Model-based tests: random command sequences run against ArenaHashMap /
// ArenaBytesMap on every allocator and against a plain Map, compared after
// every step (size, every key's value, the full iteration).

const allocators: [string, () => Allocator][] = [
  ["Bump (chunks)", () => new Bump({ initialChunkSize: 1024 })],
  ["Bump (reserve)", () => new Bump({ growth: "reserve", reserve: 16 << 20 })],
  ["FreeListAllocator", () => new FreeListAllocator({ size: 4 << 20 })],
];

/** What both maps have in common, with keys mapped to model keys. */
interface Subject<K> {
  map: MapCore<K, typeof t.str, never>;
  toModel(k: K): string;
}

type Model = Map<string, string>;
type Cmd<K> = fc.Command<Model, Subject<K>>;

function compare<K>(m: Model, r: Subject<K>): void {
  expect(r.map.size).toBe(m.size);
  for (const [k, v] of m) expect(r.map.getOwned(fromModel(r, k))).toBe(v);
  const seen = new Map<string, string>();
  for (const [k, v] of r.map) seen.set(r.toModel(k), v);
  expect(seen).toEqual(m);
  const s = r.map.stats();
  expect(s.size).toBe(m.size);
  expect(s.capacity).toBeGreaterThanOrEqual(m.size);
}

/** Model keys are the string keys themselves, or the hex of byte keys. */
function fromModel<K>(r: Subject<K>, k: string): K {
  return (r.map instanceof ArenaBytesMap ? hexToBytes(k) : k) as K;
}

function hexToBytes(h: string): Uint8Array {
  const out = new Uint8Array(h.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(h.slice(i * 2, i * 2 + 2), 16);
  return out;
}

function bytesToHex(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
}

class SetCmd<K> implements Cmd<K> {
  constructor(
    readonly key: string,
    readonly value: string,
  ) {}
  check(): boolean {
    return true;
  }
  run(m: Model, r: Subject<K>): void {
    r.map.set(fromModel(r, this.key), this.value);
    m.set(this.key, this.value);
    compare(m, r);
  }
  toString(): string {
    return `set(${JSON.stringify(this.key)}, ${JSON.stringify(this.value)})`;
  }
}

class DeleteCmd<K> implements Cmd<K> {
  constructor(readonly key: string) {}
  check(): boolean {
    return true;
  }
  run(m: Model, r: Subject<K>): void {
    expect(r.map.delete(fromModel(r, this.key))).toBe(m.delete(this.key));
    compare(m, r);
  }
  toString(): string {
    return `delete(${JSON.stringify(this.key)})`;
  }
}

class GetOrInsertCmd<K> implements Cmd<K> {
  constructor(
    readonly key: string,
    readonly value: string,
  ) {}
  check(): boolean {
    return true;
  }
  run(m: Model, r: Subject<K>): void {
    const expected = m.get(this.key) ?? this.value;
    expect(r.map.getOrInsert(fromModel(r, this.key), this.value)).toBe(expected);
    m.set(this.key, expected);
    compare(m, r);
  }
  toString(): string {
    return `getOrInsert(${JSON.stringify(this.key)}, ${JSON.stringify(this.value)})`;
  }
}

class ClearCmd<K> implements Cmd<K> {
  check(): boolean {
    return true;
  }
  run(m: Model, r: Subject<K>): void {
    r.map.clear();
    m.clear();
    compare(m, r);
  }
  toString(): string {
    return "clear()";
  }
}

class ReserveCmd<K> implements Cmd<K> {
  constructor(readonly n: number) {}
  check(): boolean {
    return true;
  }
  run(m: Model, r: Subject<K>): void {
    r.map.reserve(this.n);
    expect(r.map.capacity).toBeGreaterThanOrEqual(m.size + this.n);
    compare(m, r);
  }
  toString(): string {
    return `reserve(${this.n})`;
  }
}

class ShrinkCmd<K> implements Cmd<K> {
  constructor(readonly n: number) {}
  check(): boolean {
    return true;
  }
  run(m: Model, r: Subject<K>): void {
    r.map.shrinkTo(this.n);
    compare(m, r);
  }
  toString(): string {
    return `shrinkTo(${this.n})`;
  }
}

class RetainCmd<K> implements Cmd<K> {
  constructor(readonly parity: number) {}
  check(): boolean {
    return true;
  }
  run(m: Model, r: Subject<K>): void {
    const keep = (v: string): boolean => v.length % 2 === this.parity;
    r.map.retain((_k, v) => keep(v));
    for (const [k, v] of m) if (!keep(v)) m.delete(k);
    compare(m, r);
  }
  toString(): string {
    return `retain(length % 2 === ${this.parity})`;
  }
}

// Few distinct keys (so deletes and replaces hit), ASCII and not, short and long.
const keyArb = fc.oneof(
  fc.integer({ min: 0, max: 40 }).map((i) => `k${i}`),
  fc.constantFrom("", "é", "ключ-1", "🦀", "a".repeat(70)),
  fc.string({ maxLength: 12 }).filter((s) => s.isWellFormed()),
);
const valueArb = fc.oneof(fc.string({ maxLength: 6 }), fc.string({ maxLength: 40 })).filter((s) => s.isWellFormed());

function commands<K>(key: fc.Arbitrary<string>): fc.Arbitrary<Cmd<K>>[] {
  return [
    fc.tuple(key, valueArb).map(([k, v]) => new SetCmd<K>(k, v)),
    fc.tuple(key, valueArb).map(([k, v]) => new SetCmd<K>(k, v)),
    key.map((k) => new DeleteCmd<K>(k)),
    fc.tuple(key, valueArb).map(([k, v]) => new GetOrInsertCmd<K>(k, v)),
    fc.constant(new ClearCmd<K>()),
    fc.integer({ min: 0, max: 200 }).map((n) => new ReserveCmd<K>(n)),
    fc.integer({ min: 0, max: 50 }).map((n) => new ShrinkCmd<K>(n)),
    fc.constantFrom(0, 1).map((p) => new RetainCmd<K>(p)),
  ];
}

for (const [name, make] of allocators) {
  fcTest.prop([fc.commands(commands<string>(keyArb), { maxCommands: 150 })], { numRuns: 40 })(
    `ArenaHashMap on ${name} matches a Map after every step`,
    (cmds) => {
      const allocator = make();
      const real: Subject<string> = {
        map: new ArenaHashMap(allocator, { value: t.str }) as unknown as MapCore<string, typeof t.str, never>,
        toModel: (k) => k,
      };
      fc.modelRun(() => ({ model: new Map(), real }), cmds);
    },
  );

  // Byte keys: the model key is the hex of the bytes.
  const byteKey = fc.oneof(
    fc.integer({ min: 0, max: 40 }).map((i) => bytesToHex(new Uint8Array([i]))),
    fc.uint8Array({ maxLength: 20 }).map(bytesToHex),
  );
  fcTest.prop([fc.commands(commands<Uint8Array>(byteKey), { maxCommands: 150 })], { numRuns: 40 })(
    `ArenaBytesMap on ${name} matches a Map after every step`,
    (cmds) => {
      const allocator = make();
      const real: Subject<Uint8Array> = {
        map: new ArenaBytesMap(allocator, { value: t.str }) as unknown as MapCore<Uint8Array, typeof t.str, never>,
        toModel: bytesToHex,
      };
      fc.modelRun(() => ({ model: new Map(), real }), cmds);
    },
  );
}

class DropHashesCmd<K> implements Cmd<K> {
  check(): boolean {
    return true;
  }
  run(m: Model, r: Subject<K>): void {
    r.map.dropHashes();
    compare(m, r);
  }
  toString(): string {
    return "dropHashes()";
  }
}

// keepHashes: growth, reserve and shrinkTo place entries from the kept hashes; deletes, in-place rehashes,
// clear and retain must leave them right (or dropped). More keys than above, so the table grows several times.
const manyKeys = fc.oneof(keyArb, fc.integer({ min: 0, max: 400 }).map((i) => `key-${i}`));
for (const [name, make] of allocators) {
  fcTest.prop([fc.commands([...commands<string>(manyKeys), fc.constant(new DropHashesCmd<string>())], { maxCommands: 300 })], {
    numRuns: 25,
  })(`ArenaHashMap with keepHashes on ${name} matches a Map after every step`, (cmds) => {
    const real: Subject<string> = {
      map: new ArenaHashMap(make(), { value: t.str, keepHashes: true }) as unknown as MapCore<string, typeof t.str, never>,
      toModel: (k) => k,
    };
    fc.modelRun(() => ({ model: new Map(), real }), cmds);
  });
}
