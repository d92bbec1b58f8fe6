// Model-based test of the rolling cache: fast-check drives random sequences of
// push / get / latest / project / read / release, with references held and
// dropped, against a plain model (an array of Maps), and checks the cache, a
// reader attached to it, and every held reference after every step.
import { fc } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { RollingAccountCache, SlotOrderError, type FrozenAccounts, type SelectedAccount } from "../src/node.ts";

const IDS = ["a", "b", "c", "d", "e", "日本", "acct-🦀"];

interface Account {
  readonly owner: string;
  readonly index: bigint;
  readonly data: Uint8Array;
}

interface Held {
  readonly ref: FrozenAccounts | SelectedAccount;
  readonly slot: bigint;
  /** For a selection: the account it projected. */
  readonly id?: string;
}

interface Model {
  readonly window: number;
  /** Newest first. */
  slots: { slot: bigint; accounts: Map<string, Account> }[];
  /** Every slot ever pushed, with its accounts (held references may outlive the window). */
  readonly all: Map<bigint, Map<string, Account>>;
  held: Held[];
  next: bigint;
}

interface Real {
  readonly cache: RollingAccountCache;
  readonly reader: RollingAccountCache;
}

function accountOf(slot: bigint, id: string, salt: number): Account {
  const len = (salt * 7 + id.length) % 40;
  return { owner: `owner-${(salt + id.length) % 3}`, index: slot * 100n + BigInt(salt), data: new Uint8Array(len).map((_, i) => (i + salt) & 255) };
}

function sameAccount(got: { owner: string; index: bigint; data: Uint8Array } | undefined, want: Account): void {
  expect(got?.owner).toBe(want.owner);
  expect(got?.index).toBe(want.index);
  expect(Array.from(got!.data)).toEqual(Array.from(want.data));
}

function modelLatest(m: Model, id: string): bigint | undefined {
  return m.slots.find((s) => s.accounts.has(id))?.slot;
}

/** Everything the cache, the reader and the held references must agree on after each step. */
function check(m: Model, r: Real): void {
  const slots = m.slots.map((s) => s.slot);
  expect(r.cache.slots()).toEqual(slots);
  expect(r.reader.slots()).toEqual(slots);
  for (const id of IDS) {
    expect(r.cache.latest(id)).toBe(modelLatest(m, id));
    expect(r.reader.latest(id)).toBe(modelLatest(m, id));
  }
  const inWindow = new Set(slots);
  const pinned = new Set(m.held.map((h) => h.slot).filter((s) => !inWindow.has(s)));
  const st = r.cache.stats();
  expect(st.entries).toBe(m.slots.length);
  expect(st.accounts).toBe(m.slots.reduce((n, s) => n + s.accounts.size, 0));
  expect(st.pinnedEntries).toBe(pinned.size);
  for (const h of m.held) {
    const accounts = m.all.get(h.slot)!;
    if (h.id !== undefined) {
      const sel = h.ref as SelectedAccount;
      expect(sel.slot).toBe(h.slot);
      expect(sel.id).toBe(h.id);
      sameAccount(sel.account, accounts.get(h.id)!);
    } else {
      const f = h.ref as FrozenAccounts;
      expect(f.slot).toBe(h.slot);
      expect(f.size).toBe(accounts.size);
      for (const [id, want] of accounts) sameAccount(f.get(id), want);
    }
  }
}

class Push implements fc.Command<Model, Real> {
  constructor(readonly ids: readonly string[], readonly salt: number, readonly stale: boolean) {}
  check(): boolean {
    return true;
  }
  run(m: Model, r: Real): void {
    const newest = m.slots[0]?.slot;
    const slot = this.stale && newest !== undefined ? newest - BigInt(this.salt % 2) : m.next;
    const b = r.cache.builder(slot);
    const accounts = new Map<string, Account>();
    for (const id of this.ids) {
      const a = accountOf(slot, id, this.salt);
      b.insertAccount(id, a.owner, a.index, a.data);
      accounts.set(id, a);
    }
    const frozen = b.finish();
    if (newest !== undefined && slot <= newest) {
      expect(() => r.cache.push(frozen)).toThrow(SlotOrderError);
      expect(frozen.released).toBe(false); // not consumed
      frozen.release();
    } else {
      r.cache.push(frozen);
      expect(frozen.released).toBe(true); // consumed
      m.next = slot + 1n + BigInt(this.salt % 3);
      m.all.set(slot, accounts);
      m.slots.unshift({ slot, accounts });
      m.slots.splice(m.window);
    }
    check(m, r);
  }
  toString(): string {
    return `push(${this.ids.join(",")}; salt ${this.salt}${this.stale ? ", stale" : ""})`;
  }
}

class Get implements fc.Command<Model, Real> {
  constructor(readonly pick: number, readonly viaReader: boolean, readonly keep: boolean) {}
  check(): boolean {
    return true;
  }
  run(m: Model, r: Real): void {
    const known = [...m.all.keys(), m.next + 5n];
    const slot = known[this.pick % known.length]!;
    const got = (this.viaReader ? r.reader : r.cache).get(slot);
    const inWindow = m.slots.some((s) => s.slot === slot);
    expect(got !== undefined).toBe(inWindow);
    if (got !== undefined) {
      if (this.keep) m.held.push({ ref: got, slot });
      else got.release();
    }
    check(m, r);
  }
  toString(): string {
    return `get(#${this.pick}${this.viaReader ? ", reader" : ""}${this.keep ? ", keep" : ""})`;
  }
}

class Project implements fc.Command<Model, Real> {
  constructor(readonly id: string, readonly viaReader: boolean, readonly keep: boolean) {}
  check(): boolean {
    return true;
  }
  run(m: Model, r: Real): void {
    const sel = (this.viaReader ? r.reader : r.cache).project(this.id);
    const want = modelLatest(m, this.id);
    expect(sel?.slot).toBe(want);
    if (sel !== undefined) {
      if (this.keep) m.held.push({ ref: sel, slot: sel.slot, id: this.id });
      else sel.release();
    }
    check(m, r);
  }
  toString(): string {
    return `project(${this.id}${this.viaReader ? ", reader" : ""}${this.keep ? ", keep" : ""})`;
  }
}

class Release implements fc.Command<Model, Real> {
  constructor(readonly pick: number) {}
  check(m: Readonly<Model>): boolean {
    return m.held.length > 0;
  }
  run(m: Model, r: Real): void {
    const [h] = m.held.splice(this.pick % m.held.length, 1);
    h!.ref.release();
    expect(h!.ref.released).toBe(true);
    check(m, r);
  }
  toString(): string {
    return `release(#${this.pick})`;
  }
}

const commands = [
  fc.tuple(fc.subarray(IDS), fc.nat(50), fc.boolean()).map(([ids, salt, stale]) => new Push(ids, salt, stale && salt % 5 === 0)),
  fc.tuple(fc.nat(20), fc.boolean(), fc.boolean()).map(([p, v, k]) => new Get(p, v, k)),
  fc.tuple(fc.constantFrom(...IDS), fc.boolean(), fc.boolean()).map(([id, v, k]) => new Project(id, v, k)),
  fc.nat(20).map((p) => new Release(p)),
];

/** A stand-in for a Worker that never exits; its thread id is one no thread has. */
const sameThreadReader = { threadId: 888_888, once: (): void => undefined };

describe("RollingAccountCache against a model", () => {
  it("push/get/latest/project/release with references held and dropped", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), fc.commands(commands, { maxCommands: 40 }), (window, cmds) => {
        const cache = new RollingAccountCache({ window });
        const reader = RollingAccountCache.attach(cache.share(sameThreadReader));
        const m: Model = { window, slots: [], all: new Map(), held: [], next: 1n };
        try {
          fc.modelRun(() => ({ model: m, real: { cache, reader } }), cmds);
        } finally {
          for (const h of m.held.splice(0)) h.ref.release();
          reader.release();
          cache.release();
        }
        // Every reference is back: nothing pinned, and the pool the cache made was emptied.
        expect(cache.stats().pinnedEntries).toBe(0);
        expect(cache.pool.stats().buffers).toBe(0);
      }),
      { numRuns: 60 },
    );
  });
});
