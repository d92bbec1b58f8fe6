// The examples the "An LRU cache in an arena" chapter shows, region by region.
// test/examples.test.ts runs every function here.
import { struct, t } from "@arenakit/bump";
import { ArenaLru, EntryTooLargeError, StaleViewError } from "@arenakit/lru";

export function switching(): { hit: string | undefined; size: number } {
  // #region switch
  // lru-cache:  new LRUCache({ maxSize: 64 << 20, sizeCalculation: (v, k) => v.length +
  // k.length })
  const cache = new ArenaLru({ maxBytes: 64 << 20, value: "string" });
  cache.set("/users/42", '{"name":"Ada"}');
  // '{"name":"Ada"}', now the most recently used entry
  const hit = cache.get("/users/42");
  cache.peek("/users/42"); // read without touching recency
  cache.has("/nope"); // false
  cache.delete("/users/42");
  // #endregion switch
  const size = cache.size;
  cache.release();
  return { hit, size };
}

type Budget = { bytesUsed: number; maxBytes: number; refused: boolean; kept: boolean };

export function budget(): Budget {
  // #region budget
  // 1 MiB for everything: table, links, keys, values
  const cache = new ArenaLru({ maxBytes: 1 << 20 });
  for (let i = 0; i < 100_000; i++) cache.set(`key-${i}`, new Uint8Array(100));
  const s = cache.stats();
  s.bytesUsed <= s.maxBytes; // always true: the budget is the memory, not an estimate
  s.evictions; // the oldest entries made room for the newest

  let refused = false;
  try {
    cache.set("key-99999", new Uint8Array(2 << 20)); // larger than the whole budget
  } catch (err) {
    refused = err instanceof EntryTooLargeError; // refused before anything was evicted
  }
  const kept = cache.get("key-99999")?.length === 100; // the old value is still there
  // #endregion budget
  cache.release();
  return { bytesUsed: s.bytesUsed, maxBytes: s.maxBytes, refused, kept };
}

export function views(): { first: number; afterChange: number; copy: number } {
  // #region views
  const cache = new ArenaLru({ maxBytes: 1 << 16 });
  cache.set("k", new Uint8Array([1, 2, 3]));
  const view = cache.get("k")!; // aliases the entry's bytes in the arena: no copy
  const copy = cache.getCopy("k")!; // a Uint8Array of your own
  const first = view[0]!;
  cache.set("k", new Uint8Array([9, 9, 9])); // same size: written in place
  // view[0] is now 9: a view shows whatever the entry holds now, so do not keep one
  // #endregion views
  const out = { first, afterChange: view[0]!, copy: copy[0]! };
  cache.release();
  return out;
}

type Owned = { price: number; qty: number; updated: bigint };

export function records(): { price: number; owned: Owned; stale: boolean } {
  // #region records
  const Quote = struct({ price: t.f64, qty: t.u32, updated: t.u64 });
  const quotes = new ArenaLru({ maxBytes: 1 << 20, value: Quote });
  quotes.set("EURUSD", { price: 1.0842, qty: 5, updated: 1_700_000_000_000n });
  // a view: each field is read from the arena on access
  const view = quotes.get("EURUSD")!;
  const price = view.price;
  const owned = quotes.getCopy("EURUSD")!; // a plain object
  quotes.delete("EURUSD"); // or replaced, evicted, expired: the view's entry is gone
  let stale = false;
  try {
    console.log(view.price); // never shows bytes that now belong to another key
  } catch (err) {
    stale = err instanceof StaleViewError;
  }
  // #endregion records
  quotes.release();
  return { price, owned, stale };
}

type Ttl = { before: string | undefined; after: string | undefined; reasons: string[] };

export function ttl(): Ttl {
  // #region ttl
  // a clock you control; by default performance.timeOrigin + performance.now()
  let now = 0;
  const reasons: string[] = [];
  const sessions = new ArenaLru({
    maxBytes: 1 << 16,
    value: "string",
    ttl: 60_000,
    now: () => now,
    onEvict: (_value, key, reason) => reasons.push(`${key}: ${reason}`),
  });
  sessions.set("s1", "alice");
  sessions.set("s2", "bob", { ttl: 0 }); // never expires
  now += 60_000;
  const before = sessions.get("s2");
  const after = sessions.get("s1"); // undefined: expired, and removed ("s1: expire")
  // #endregion ttl
  sessions.release();
  return { before, after, reasons };
}

export function iterate(): { keys: string[]; oldestFirst: string[] } {
  // #region iterate
  const cache = new ArenaLru({ maxBytes: 1 << 16, value: "string" });
  cache.set("a", "1").set("b", "2").set("c", "3");
  cache.get("a");
  const keys = [...cache.keys()]; // ["a", "c", "b"]: most recently used first
  const oldestFirst = [...cache.rkeys()]; // ["b", "c", "a"]
  // peek, not get, inside the loop
  for (const [key, value] of cache.entries()) cache.peek(key) === value;
  // #endregion iterate
  cache.release();
  return { keys, oldestFirst };
}

type WarmStart = { keys: string[]; hits: number; remaining: number | undefined };

export function warmStart(path: string): WarmStart {
  // #region persist
  const cache = new ArenaLru({ maxBytes: 1 << 20, value: "string", ttl: 60_000 });
  cache.set("/a", "page a").set("/b", "page b");
  cache.get("/a");
  cache.saveSync(path); // buffers as they are, with checksums: no per-entry encoding
  cache.release();

  // after a restart: same entries, same recency order, same counters
  const again = ArenaLru.loadSync<"string", "string">(path);
  const keys = [...again.keys()]; // ["/a", "/b"]
  const hits = again.stats().hits; // 1
  // about 60_000: the TTL goes on with the time it had left
  const remaining = again.getRemainingTTL("/b");
  // a damaged or truncated file throws SnapshotError, and nothing is loaded
  // #endregion persist
  again.release();
  return { keys, hits, remaining };
}
