// The live objects the hostile-argument sweep calls into: one factory per public
// class (and one per package for its exported functions). A factory builds a
// fresh subject with some stored data, hands it to the sweep, and describes the
// stored data as a plain value (its model) so the sweep can check that a refused
// call changed nothing. A class exported by a package but missing here fails the
// sweep, so a new class cannot slip past it.
import * as cache from "@arenakit/account-cache";
import * as bump from "@arenakit/bump";
import * as compact from "@arenakit/compact-arena";
import * as hashmap from "@arenakit/hashmap";
import * as lru from "@arenakit/lru";
import * as selfCell from "@arenakit/self-cell";
import * as yoke from "@arenakit/yoke";

/** A live object under test and a plain description of what it stores. */
export interface Subject {
  readonly target: object;
  readonly model: () => unknown;
  /** Values of this package's own kind that a hostile caller could pass: released or foreign ones. */
  readonly extras?: () => Record<string, unknown>;
}

/**
 * Builds a fresh subject, runs `body` with it (waiting for it when it returns a
 * promise), then frees everything it made.
 */
export type Factory = (body: (s: Subject) => void | Promise<void>) => Promise<void>;

export const PACKAGES = { bump, hashmap, "self-cell": selfCell, yoke, "compact-arena": compact, "account-cache": cache, lru } as const;

/** Every package's root error class: a refused call throws one of these (lower packages' errors may pass up). */
export const ERROR_ROOTS: readonly (abstract new (...a: never[]) => Error)[] = [
  bump.ArenaError,
  hashmap.HashMapError,
  selfCell.SelfCellError,
  yoke.YokeError,
  compact.CompactArenaError,
  cache.AccountCacheError,
  lru.LruError,
];

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

function bumpWith(make: () => bump.Bump | bump.FreeListAllocator): Factory {
  return async (body) => {
    const a = make();
    const ptrs = ["alpha", "βeta", ""].map((s) => a.allocStr(s));
    const other = make();
    const foreign = other.allocStr("foreign");
    const released = make();
    const stale = released.allocStr("stale");
    released.release();
    try {
      await body({
        target: a,
        model: () => ptrs.map((p) => a.readStr(p)),
        extras: () => ({ "a pointer of another arena": foreign, "a pointer of a released arena": stale, "a released arena": released }),
      });
    } finally {
      a.release();
      other.release();
    }
  };
}

const Account = bump.struct({ owner: bump.t.str, balance: bump.t.u64 });

function mapModel(m: hashmap.ArenaHashMap<typeof Account> | hashmap.ArenaBytesMap<typeof Account>): () => unknown {
  return () => [...m.entries()].map(([k, v]) => [typeof k === "string" ? k : [...k].join(","), v.owner, v.balance]);
}

function frozen(): cache.FrozenAccounts {
  const b = new cache.AccountsBuilder(7n);
  b.insertAccount("acct-a", "owner-a", 1, new Uint8Array([1, 2, 3]));
  b.insertAccount("acct-b", "owner-b", 2n, new Uint8Array([4]));
  return b.finish();
}

function frozenModel(f: cache.FrozenAccounts): () => unknown {
  return () => [...f.entries()].map(([k, v]) => [k, v.owner, v.index, [...v.data]]);
}

const Node = { left: "idx", value: "u32" } as const;
const Conn = { port: "u16", bytes: "f64" } as const;

/** One factory per exported class, keyed by `<package>/<export>`. */
export const FACTORIES: Record<string, Factory> = {
  "bump/Bump": bumpWith(() => new bump.Bump()),
  "bump/FreeListAllocator": bumpWith(() => new bump.FreeListAllocator()),
  "bump/ArenaReader": async (body) => {
    const a = new bump.Bump({ shared: true });
    const p = a.allocStr("shared");
    const r = bump.ArenaReader.attach(a.share());
    try {
      await body({ target: r, model: () => r.readStr(p) });
    } finally {
      a.release();
    }
  },
  "bump/ChunkPool": async (body) => {
    const pool = new bump.ChunkPool();
    const a = new bump.Bump({ pool });
    const p = a.allocStr("pooled");
    try {
      await body({ target: pool, model: () => a.readStr(p) });
    } finally {
      a.release();
    }
  },
  "bump/Layout": async (body) => {
    const a = new bump.Bump();
    const p = Account.write(a, { owner: "o", balance: 5n });
    try {
      await body({ target: Account, model: () => Account.read(a, p) });
    } finally {
      a.release();
    }
  },
  "hashmap/ArenaHashMap": async (body) => {
    const a = new bump.Bump();
    const m = new hashmap.ArenaHashMap(a, { value: Account });
    m.set("acct-a", { owner: "a", balance: 1n });
    m.set("acct-b", { owner: "b", balance: 2n });
    const other = new bump.Bump();
    const foreign = new hashmap.ArenaHashMap(other, { value: Account });
    foreign.set("x", { owner: "x", balance: 0n });
    try {
      await body({ target: m, model: mapModel(m), extras: () => ({ "a map of another arena": foreign, "an entry of another map": foreign.entryOf?.("x") }) });
    } finally {
      a.release();
      other.release();
    }
  },
  "hashmap/ArenaBytesMap": async (body) => {
    const a = new bump.Bump();
    const m = new hashmap.ArenaBytesMap(a, { value: Account });
    m.set(enc("k1"), { owner: "a", balance: 1n });
    m.set(enc("k2"), { owner: "b", balance: 2n });
    try {
      await body({ target: m, model: mapModel(m) });
    } finally {
      a.release();
    }
  },
  "self-cell/SelfCell": async (body) => {
    const cell = selfCell.SelfCell.new(enc("a b c"), (b) => new TextDecoder().decode(b).split(" "));
    try {
      await body({ target: cell, model: () => cell.withDependent((_o, d) => d.join("|")) });
    } finally {
      if (!cell.disposed) cell[Symbol.dispose]();
    }
  },
  "yoke/Arc": async (body) => {
    const arc = yoke.Arc.new({ n: 1 });
    const dead = yoke.Arc.new({ n: 2 });
    dead.release();
    try {
      await body({ target: arc, model: () => arc.released ? "released" : arc.get().n, extras: () => ({ "a released Arc": dead }) });
    } finally {
      if (!arc.released) arc.release();
    }
  },
  "yoke/WeakArc": async (body) => {
    const arc = yoke.Arc.new({ n: 1 });
    const weak = arc.downgrade();
    try {
      await body({ target: weak, model: () => arc.get().n });
    } finally {
      arc.release();
    }
  },
  "yoke/Yoke": async (body) => {
    const y = yoke.Yoke.attachToCart(yoke.Arc.new(enc("a,b")), (b) => b.subarray(2));
    try {
      await body({ target: y, model: () => (y.released ? "released" : [...y.get()]) });
    } finally {
      if (!y.released) y.release();
    }
  },
  "yoke/SharedArc": async (body) => {
    const s = yoke.SharedArc.new({ buf: new SharedArrayBuffer(8) });
    try {
      await body({ target: s, model: () => (s.released ? "released" : s.get().buf.byteLength) });
    } finally {
      if (!s.released) s.release();
    }
  },
  "yoke/SharedWeakArc": async (body) => {
    const s = yoke.SharedArc.new({ buf: new SharedArrayBuffer(8) });
    const w = s.downgrade();
    try {
      await body({ target: w, model: () => s.get().buf.byteLength });
    } finally {
      s.release();
    }
  },
  "account-cache/AccountsBuilder": async (body) => {
    const b = new cache.AccountsBuilder(1n);
    b.insertAccount("acct-a", "owner-a", 1, new Uint8Array([1]));
    try {
      await body({ target: b, model: () => b.size });
    } finally {
      b.discard?.();
    }
  },
  "account-cache/FrozenAccounts": async (body) => {
    const f = frozen();
    const dead = frozen();
    dead.release();
    try {
      await body({ target: f, model: frozenModel(f), extras: () => ({ "released accounts": dead }) });
    } finally {
      if (!f.released) f.release();
    }
  },
  "account-cache/SelectedAccount": async (body) => {
    const f = frozen();
    const s = cache.projectAccount(f, "acct-a")!;
    try {
      await body({ target: s, model: frozenModel(f) });
    } finally {
      if (!s.released) s.release();
      f.release();
    }
  },
  "account-cache/AccountView": async (body) => {
    const f = frozen();
    try {
      await body({ target: f.get("acct-a")!, model: frozenModel(f) });
    } finally {
      f.release();
    }
  },
  "lru/ArenaLru": async (body) => {
    const c = new lru.ArenaLru({ maxBytes: 64 * 1024, value: "string" });
    c.set("a", "one");
    c.set("b", "two");
    const dead = new lru.ArenaLru({ maxBytes: 64 * 1024, value: "string" });
    dead.release();
    try {
      await body({ target: c, model: () => [...c.entries()], extras: () => ({ "a released cache": dead }) });
    } finally {
      c.release();
    }
  },
  "lru/LruReader": async (body) => {
    const c = new lru.ArenaLru({ maxBytes: 64 * 1024, value: "string", shared: true });
    c.set("a", "one");
    const r = lru.LruReader.attach(c.share(), { value: "string" });
    try {
      await body({ target: r, model: () => [...c.entries()] });
    } finally {
      r.release?.();
      c.release();
    }
  },
  "compact-arena/Arena": async (body) => {
    // Scoped arenas end with their callback: their methods are synchronous, so
    // the sweep's calls finish inside it.
    compact.inArena("tiny", Node, (arena) => {
      const a = arena.add({ left: null, value: 1 });
      arena.add({ left: a, value: 2 });
      void body({ target: arena, model: () => [arena.length, arena.get(a, "value")] });
    });
  },
  "compact-arena/ArenaPool": async (body) => {
    const pool = new compact.ArenaPool("tiny", Node);
    compact.inRecycledArena(pool, (arena) => void arena.add({ left: null, value: 1 }));
    try {
      await body({ target: pool, model: () => pool.stats() });
    } finally {
      pool.clear();
    }
  },
  "compact-arena/SlotArena": async (body) => {
    compact.inSlotArena("small", Conn, (arena) => {
      const h = arena.insert({ port: 80, bytes: 1 });
      const gone = arena.insert({ port: 81, bytes: 2 });
      arena.remove(gone);
      void body({ target: arena, model: () => [arena.size, arena.get(h, "port")], extras: () => ({ "a removed handle": gone }) });
    });
  },
};
