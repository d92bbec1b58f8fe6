import { fc, test as fcTest } from "@fast-check/vitest";
import { expect } from "vitest";
import {
  AllocationLimitError,
  Bump,
  type Checkpoint,
  type GrowthStrategy,
  type Ptr,
  type StrPtr,
} from "../src/index.ts";

// Model-based test: random sequences of Bump operations run against a plain
// model (the list of live allocations and what was written into each) and
// checked after every step. Stale pointers of rewound or reset allocations are
// kept too: they must never read as live again.

interface Rec {
  readonly p: Ptr;
  readonly kind: "bytes" | "str";
  readonly size: number;
  /** The byte pattern written into an alloc'd block, or the string stored. */
  readonly content: number | string;
}

interface Model {
  live: Rec[];
  stale: Ptr[];
  /** Checkpoints still usable, oldest first, with the number of live records when taken. */
  cps: { cp: Checkpoint; live: number }[];
  limit: number;
  seq: number;
}

interface Real {
  bump: Bump;
}

type Cmd = fc.Command<Model, Real>;

function check(m: Model, r: Real): void {
  const b = r.bump;
  for (const rec of m.live) {
    // A zero-size block at a checkpoint's position is indistinguishable from the first block after it; it holds no bytes.
    if (rec.kind === "bytes" && rec.size === 0) continue;
    expect(b.isLive(rec.p)).toBe(true);
    if (rec.kind === "str") {
      expect(b.readStr(rec.p as StrPtr)).toBe(rec.content);
    } else if (rec.size > 0) {
      const u8 = b.memoryOf(rec.p);
      const o = rec.p >>> 0;
      expect(u8[o]).toBe(rec.content);
      expect(u8[o + rec.size - 1]).toBe(rec.content);
    }
  }
  for (const p of m.stale) expect(b.isLive(p)).toBe(false);
  expect(b.allocatedBytes).toBeGreaterThanOrEqual(0);
  if (Number.isFinite(m.limit) && b.allocatedBytes > m.limit) {
    // Lowering the limit never frees what is held; it only refuses new chunks.
    expect(m.live.length + m.stale.length).toBeGreaterThan(0);
  }
}

class AllocCmd implements Cmd {
  constructor(
    readonly size: number,
    readonly align: number,
  ) {}
  check(): boolean {
    return true;
  }
  run(m: Model, r: Real): void {
    const before = r.bump.allocatedBytes;
    let p: Ptr;
    try {
      p = r.bump.alloc(this.size, this.align);
    } catch (err) {
      expect(err).toBeInstanceOf(AllocationLimitError);
      expect(r.bump.allocatedBytes).toBe(before);
      check(m, r);
      return;
    }
    expect((p >>> 0) % this.align).toBe(0);
    const fill = (m.seq++ % 250) + 1;
    if (this.size > 0) r.bump.memoryOf(p).fill(fill, p >>> 0, (p >>> 0) + this.size);
    m.live.push({ p, kind: "bytes", size: this.size, content: fill });
    check(m, r);
  }
  toString(): string {
    return `alloc(${this.size}, ${this.align})`;
  }
}

class StrCmd implements Cmd {
  constructor(readonly s: string) {}
  check(): boolean {
    return true;
  }
  run(m: Model, r: Real): void {
    let p: StrPtr;
    try {
      p = r.bump.allocStr(this.s);
    } catch (err) {
      expect(err).toBeInstanceOf(AllocationLimitError);
      check(m, r);
      return;
    }
    m.live.push({ p, kind: "str", size: 0, content: this.s });
    check(m, r);
  }
  toString(): string {
    return `allocStr(${JSON.stringify(this.s)})`;
  }
}

class CheckpointCmd implements Cmd {
  check(): boolean {
    return true;
  }
  run(m: Model, r: Real): void {
    m.cps.push({ cp: r.bump.checkpoint(), live: m.live.length });
    check(m, r);
  }
  toString(): string {
    return "checkpoint()";
  }
}

class ResetToCmd implements Cmd {
  constructor(readonly pick: number) {}
  check(m: Readonly<Model>): boolean {
    return m.cps.length > 0;
  }
  run(m: Model, r: Real): void {
    const i = this.pick % m.cps.length;
    const { cp, live } = m.cps[i]!;
    r.bump.resetTo(cp);
    for (const rec of m.live.splice(live)) if (rec.size > 0 || rec.kind === "str") m.stale.push(rec.p);
    m.cps.length = i + 1; // later checkpoints were rewound past
    check(m, r);
  }
  toString(): string {
    return `resetTo(#${this.pick})`;
  }
}

class ResetCmd implements Cmd {
  check(): boolean {
    return true;
  }
  run(m: Model, r: Real): void {
    r.bump.reset();
    for (const rec of m.live) if (rec.size > 0 || rec.kind === "str") m.stale.push(rec.p);
    m.live = [];
    m.cps = [];
    check(m, r);
  }
  toString(): string {
    return "reset()";
  }
}

class LimitCmd implements Cmd {
  constructor(readonly limit: number) {}
  check(): boolean {
    return true;
  }
  run(m: Model, r: Real): void {
    r.bump.allocationLimit = this.limit;
    m.limit = this.limit;
    expect(r.bump.allocationLimit).toBe(this.limit);
    check(m, r);
  }
  toString(): string {
    return `allocationLimit = ${this.limit}`;
  }
}

const commands = [
  fc
    .tuple(fc.oneof(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 20_000 })), fc.integer({ min: 0, max: 6 }))
    .map(([size, shift]) => new AllocCmd(size, 2 ** shift) as Cmd),
  fc.string({ unit: "grapheme", maxLength: 30 }).map((s) => new StrCmd(s) as Cmd),
  fc.constant(new CheckpointCmd() as Cmd),
  fc.nat().map((n) => new ResetToCmd(n) as Cmd),
  fc.constant(new ResetCmd() as Cmd),
  fc.constantFrom(Infinity, 0, 4096, 64 * 1024, 1 << 20).map((l) => new LimitCmd(l) as Cmd),
];

fcTest.prop([fc.commands(commands, { maxCommands: 120 }), fc.constantFrom<GrowthStrategy>("chunks", "reserve")], {
  numRuns: 60,
})("Bump matches a model of its live allocations after every step", (cmds, growth) => {
  const bump = new Bump({ initialChunkSize: 1024, growth, reserve: 8 << 20 });
  fc.modelRun(() => ({ model: { live: [], stale: [], cps: [], limit: Infinity, seq: 0 }, real: { bump } }), cmds);
  bump.release();
  expect(bump.released).toBe(true);
});
