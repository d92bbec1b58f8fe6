// Holes a hostile user found, each pinned by a test: consuming push, push that
// throws, iterators after release, wrong key types, checksums, reader counts,
// the default pool at shutdown, allocation failures mid-build.
import { describe, expect, it } from "vitest";
import { AllocationLimitError, ChunkPool } from "@arenakit/bump";
import {
  AccountsBuilder,
  AccountsCorruptedError,
  AccountsReleasedError,
  FrozenAccounts,
  InvalidAccountError,
  RollingAccountCache,
  SlotOrderError,
  projectAccount,
} from "../src/node.ts";
import { checksumOf, portableChecksum } from "../src/checksum.ts";
import { materialize } from "../src/entry.ts";

function frozenOf(slot: bigint, ids: string[]): FrozenAccounts {
  const b = new AccountsBuilder(slot);
  for (const id of ids) b.insertAccount(id, `owner-of-${id}`, slot, new Uint8Array([Number(slot % 256n), id.length]));
  return b.finish();
}

/**
 * A stand-in for a Worker whose exit the test triggers. Its thread id is one no thread has, so the exit
 * reclaims nothing of this thread's own references; the "reader" it stands for runs on this thread.
 */
function fakeWorker(): { threadId: number; once: (ev: "exit", fn: (code: number) => void) => void; exit: () => void } {
  let onExit: ((code: number) => void)[] = [];
  return {
    threadId: 999_999,
    once: (_ev, fn) => void onExit.push(fn),
    exit: () => {
      const fns = onExit;
      onExit = [];
      for (const fn of fns) fn(0);
    },
  };
}

describe("RollingAccountCache.push consumes its handle", () => {
  it("the natural `using` code leaves the cache's own reference alone", () => {
    using cache = new RollingAccountCache({ window: 1 });
    let pushed: FrozenAccounts;
    {
      const b = cache.builder(1n);
      b.insertAccount("acct", "owner", 1, new Uint8Array([1]));
      using frozen = b.finish();
      cache.push(frozen);
      pushed = frozen;
    } // `using` disposes a consumed handle: nothing happens
    expect(pushed.released).toBe(true);
    expect(() => pushed.get("acct")).toThrow(/pushed into a RollingAccountCache/);
    {
      using sel = cache.project("acct");
      expect(sel?.account.owner).toBe("owner");
      expect(cache.stats().entries).toBe(1);
    }
    // The next push evicts slot 1 without tripping over a reference released behind the cache's back.
    const b2 = cache.builder(2n);
    b2.insertAccount("acct", "owner2", 2, new Uint8Array([2]));
    cache.push(b2.finish());
    expect(cache.slots()).toEqual([2n]);
    expect(cache.stats()).toMatchObject({ entries: 1, pinnedEntries: 0 });
  });

  it("a push that throws leaves the cache and the handle exactly as they were", () => {
    using cache = new RollingAccountCache({ window: 2 });
    cache.push(frozenOf(5n, ["a"]));
    cache.push(frozenOf(6n, ["b"]));
    const before = { slots: cache.slots(), stats: cache.stats(), latest: cache.latest("a") };
    const stale = frozenOf(6n, ["c"]);
    expect(() => cache.push(stale)).toThrow(SlotOrderError);
    expect(stale.released).toBe(false); // not consumed: still the caller's
    expect(stale.get("c")?.owner).toBe("owner-of-c");
    expect({ slots: cache.slots(), stats: cache.stats(), latest: cache.latest("a") }).toEqual(before);
    stale.release();
    const released = frozenOf(7n, ["d"]);
    released.release();
    expect(() => cache.push(released)).toThrow(InvalidAccountError);
    expect(cache.slots()).toEqual(before.slots);
  });
});

describe("iterators stop with their handle", () => {
  for (const kind of ["entries", "keys", "iterator"] as const) {
    it(`${kind}(): the next step after release() throws AccountsReleasedError, even while the entry lives on`, () => {
      const frozen = frozenOf(3n, ["a", "b", "c"]);
      const other = frozen.clone();
      const it = kind === "entries" ? frozen.entries() : kind === "keys" ? frozen.keys() : frozen[Symbol.iterator]();
      expect(it.next().done).toBe(false);
      frozen.release();
      expect(() => it.next()).toThrow(AccountsReleasedError);
      other.release();
    });
  }

  it("an iterator created before release() and started after it throws on its first step", () => {
    const frozen = frozenOf(4n, ["a"]);
    const it = frozen.keys();
    frozen.release();
    expect(() => it.next()).toThrow(AccountsReleasedError);
  });
});

describe("a key of the wrong type is a typed error, never a miss", () => {
  it("FrozenAccounts.get/has, projectAccount, cache.latest/project", () => {
    using frozen = frozenOf(8n, ["a"]);
    using cache = new RollingAccountCache({ window: 1 });
    cache.push(frozenOf(9n, ["a"]));
    const bad: [string, () => unknown][] = [
      ["get(123)", () => frozen.get(123 as never)],
      ["has(null)", () => frozen.has(null as never)],
      ["projectAccount(frozen, 5)", () => projectAccount(frozen, 5 as never)],
      ["projectAccount(null, id)", () => projectAccount(null as never, "a")],
      ["projectAccount({}, id)", () => projectAccount({} as never, "a")],
      ["cache.project(null)", () => cache.project(null as never)],
      ["cache.latest(5)", () => cache.latest(5 as never)],
    ];
    for (const [what, f] of bad) expect(f, what).toThrow(InvalidAccountError);
    expect(() => frozen.get({} as never)).toThrow(/an account id must be a string, got object/);
    // Strings that cannot be stored are simply not found.
    expect(frozen.get("\ud800")).toBeUndefined();
    expect(cache.latest("\udc00")).toBeUndefined();
    // Nothing stored changed.
    expect(frozen.get("a")?.owner).toBe("owner-of-a");
    expect(cache.latest("a")).toBe(9n);
  });
});

describe("checksums and verify()", () => {
  it("an entry verifies after finish(), and a write through a view is a typed corruption error", () => {
    const frozen = frozenOf(10n, ["a", "b"]);
    frozen.verify();
    const view = frozen.get("b")!;
    const saved = view.data[0]!;
    view.data[0] = saved ^ 0xff; // JavaScript cannot stop this write into shared memory
    let caught: unknown;
    try {
      frozen.verify();
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(AccountsCorruptedError);
    const e = caught as AccountsCorruptedError;
    expect(e.code).toBe("ERR_ACCOUNTS_CORRUPTED");
    expect(e.expected).not.toBe(e.actual);
    expect(e.message).toMatch(/slot 10 were modified after they were frozen/);
    view.data[0] = saved;
    frozen.verify(); // the same bytes again: the same checksum
    frozen.release();
    expect(() => frozen.verify()).toThrow(AccountsReleasedError);
  });

  it("a reader attached through a descriptor verifies against the same checksum", () => {
    using frozen = frozenOf(11n, ["a"]);
    // Materialized from the payload alone, as a Worker does.
    const entry = materialize(frozen.shareWeak().payload);
    expect(checksumOf(entry.chunks!)).toBe(entry.checksum);
  });

  it("the native CRC-32 and the portable one agree", () => {
    const chunks = [new Uint8Array([]), new TextEncoder().encode("123456789"), new Uint8Array(1000).map((_, i) => i * 7)];
    expect(portableChecksum([chunks[1]!])).toBe(0xcbf43926); // the CRC-32 check value
    expect(checksumOf(chunks)).toBe(portableChecksum(chunks));
  });
});

describe("stats().readers counts attached, live readers", () => {
  it("a descriptor never attached does not count; release and exit stop counting", () => {
    using cache = new RollingAccountCache({ window: 1 });
    cache.push(frozenOf(1n, ["a"]));
    const w1 = fakeWorker();
    const w2 = fakeWorker();
    cache.share(w1); // e.g. its postMessage failed: never attached
    expect(cache.stats().readers).toBe(0);
    const r2 = RollingAccountCache.attach(cache.share(w2));
    expect(cache.stats().readers).toBe(1);
    expect(r2.latest("a")).toBe(1n);
    r2.release();
    expect(cache.stats().readers).toBe(0);
    const r3 = RollingAccountCache.attach(cache.share(w2));
    expect(cache.stats().readers).toBe(1);
    w2.exit(); // the Worker died without releasing
    expect(cache.stats().readers).toBe(0);
    r3.release();
    w1.exit();
  });
});

describe("shutdown", () => {
  it("release() empties the pool the cache made, once nothing is pinned", () => {
    const cache = new RollingAccountCache({ window: 1 });
    cache.push(frozenOf(1n, ["a"])); // an entry not built by cache.builder()
    const b = cache.builder(2n);
    b.insertAccount("x", "o", 1, new Uint8Array(100));
    cache.push(b.finish());
    const held = cache.get(2n)!;
    cache.release();
    expect(cache.stats().pinnedEntries).toBe(1);
    held.release(); // the last pinned entry goes: its chunks come back, and the pool is emptied
    expect(cache.stats().pinnedEntries).toBe(0);
    expect(cache.pool.stats()).toMatchObject({ buffers: 0, bytes: 0 });
  });

  it("a pool passed in is the caller's: it keeps the chunks", () => {
    const pool = new ChunkPool({ shared: true });
    const cache = new RollingAccountCache({ window: 1, pool });
    const b = cache.builder(1n);
    b.insertAccount("x", "o", 1, new Uint8Array(100));
    cache.push(b.finish());
    cache.release();
    expect(pool.stats().buffers).toBeGreaterThan(0);
    pool.clear();
  });
});

describe("AccountsBuilder under allocation failure", () => {
  it("an AllocationLimitError mid-build leaves exactly the accounts inserted before", () => {
    const b = new AccountsBuilder(1n, { allocationLimit: 200_000, initialChunkSize: 65_536 });
    const model = new Map<string, number>();
    let failed = false;
    for (let i = 0; i < 10_000 && !failed; i++) {
      try {
        b.insertAccount(`acct-${i}`, `owner-${i % 3}`, i, new Uint8Array(40).fill(i & 255));
        model.set(`acct-${i}`, i);
      } catch (err) {
        expect(err).toBeInstanceOf(AllocationLimitError);
        failed = true;
      }
    }
    expect(failed).toBe(true);
    expect(b.size).toBe(model.size);
    using frozen = b.finish();
    frozen.verify();
    expect(frozen.size).toBe(model.size);
    for (const [id, i] of model) expect(frozen.get(id)?.index).toBe(BigInt(i));
  });
});

describe("chunks are not recycled under a reader's lease-free lookup", () => {
  it("an evicted entry's chunks are held back while a reader's epoch is older, and reach the pool after", () => {
    const pool = new ChunkPool({ shared: true });
    const cache = new RollingAccountCache({ window: 1, pool });
    const w = fakeWorker();
    const desc = cache.share(w);
    const reader = RollingAccountCache.attach(desc);
    const push = (slot: bigint): void => {
      const b = cache.builder(slot);
      b.insertAccount(`id-${slot}`, "o", 1, new Uint8Array(1000));
      cache.push(b.finish());
    };
    push(1n);
    expect(reader.latest("id-1")).toBe(1n);
    // What a reader in another thread does inside latest(): its epoch word names the directory it read.
    const state = new Int32Array(desc.state);
    Atomics.store(state, 1, 2);
    const before = pool.stats().buffers;
    push(2n); // evicts and drops slot 1: its chunks must not be handed to the next builder yet
    expect(pool.stats().buffers).toBe(before);
    Atomics.store(state, 1, 0); // the lookup ended
    push(3n); // the next builder's first take() flushes what no reader can still be reading
    expect(pool.stats().reused + pool.stats().buffers).toBeGreaterThan(before);
    expect(reader.latest("id-3")).toBe(3n);
    expect(reader.latest("id-1")).toBeUndefined();
    reader.release();
    cache.release();
    w.exit();
    const st = pool.stats();
    expect(st.buffers + st.dropped).toBe(st.misses); // every chunk came back
  });
});
