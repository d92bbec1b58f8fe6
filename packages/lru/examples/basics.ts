// The examples the "An LRU cache in an arena" chapter shows, region by region.
// test/examples.test.ts runs every function here and checks its result comments
// (→): on a line that binds a name, the value the function returns under that name.
import { struct, t } from "@arenakit/bump";
import { ArenaLru, EntryTooLargeError, StaleViewError } from "@arenakit/lru";

type Switching = {
  hit: string | undefined;
  peeked: string | undefined;
  known: boolean;
  size: number;
};

export function switching(): Switching {
  // #region switch
  // lru-cache:  new LRUCache({ maxSize: 64 << 20, sizeCalculation: (v, k) => v.length +
  // k.length })
  const cache = new ArenaLru({ maxBytes: 64 << 20, value: "string" });
  cache.set("/users/42", '{"name":"Ada"}');
  // a hit: the entry is now the most recently used
  const hit = cache.get("/users/42"); // → '{"name":"Ada"}'
  // read without touching recency
  const peeked = cache.peek("/users/42"); // → '{"name":"Ada"}'
  const known = cache.has("/nope"); // → false
  cache.delete("/users/42");
  const size = cache.size; // → 0
  // #endregion switch
  cache.release();
  return { hit, peeked, known, size };
}

type Budget = {
  fits: boolean;
  held: number;
  evicted: number;
  refused: boolean;
  kept: number | undefined;
};

export function budget(): Budget {
  // #region budget
  // 1 MiB for everything: table, links, keys, values
  const cache = new ArenaLru({ maxBytes: 1 << 20 });
  for (let i = 0; i < 100_000; i++) cache.set(`key-${i}`, new Uint8Array(100));
  const s = cache.stats();
  // always true: the budget is the memory, not an estimate
  const fits = s.bytesUsed <= s.maxBytes; // → true
  const held = s.size; // → 7082
  // the oldest entries made room for the newest
  const evicted = s.evictions; // → 92918

  let refused = false;
  try {
    cache.set("key-99999", new Uint8Array(2 << 20)); // larger than the whole budget
  } catch (err) {
    // refused before anything was evicted
    refused = err instanceof EntryTooLargeError; // → true
  }
  // the old value is still there
  const kept = cache.get("key-99999")?.length; // → 100
  // #endregion budget
  cache.release();
  return { fits, held, evicted, refused, kept };
}

type Byte = number | undefined;
type Views = { first: Byte; afterChange: Byte; copied: Byte };

export function views(): Views {
  // #region views
  const cache = new ArenaLru({ maxBytes: 1 << 16 });
  cache.set("k", new Uint8Array([1, 2, 3]));
  const view = cache.get("k")!; // aliases the entry's bytes in the arena: no copy
  const copy = cache.getCopy("k")!; // a Uint8Array of your own
  const first = view[0]; // → 1
  cache.set("k", new Uint8Array([9, 9, 9])); // same size: written in place
  // a view shows whatever the entry holds now, so do not keep one
  const afterChange = view[0]; // → 9
  const copied = copy[0]; // → 1
  // #endregion views
  cache.release();
  return { first, afterChange, copied };
}

type Owned = { price: number; qty: number; updated: bigint };

export function records(): { price: number; owned: Owned; stale: boolean } {
  // #region records
  const Quote = struct({ price: t.f64, qty: t.u32, updated: t.u64 });
  const quotes = new ArenaLru({ maxBytes: 1 << 20, value: Quote });
  quotes.set("EURUSD", { price: 1.0842, qty: 5, updated: 1_700_000_000_000n });
  // a view: each field is read from the arena on access
  const view = quotes.get("EURUSD")!;
  const price = view.price; // → 1.0842
  // a plain object
  const owned = quotes.getCopy("EURUSD")!; // → { price: 1.0842, qty: 5,
  //   updated: 1_700_000_000_000n }
  quotes.delete("EURUSD"); // or replaced, evicted, expired: the view's entry is gone
  let stale = false;
  try {
    console.log(view.price); // never shows bytes that now belong to another key
  } catch (err) {
    stale = err instanceof StaleViewError; // → true
  }
  // #endregion records
  quotes.release();
  return { price, owned, stale };
}

type Ttl = {
  lasting: string | undefined;
  expired: string | undefined;
  reasons: string[];
};

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
  const lasting = sessions.get("s2"); // → "bob"
  // expired, and removed
  const expired = sessions.get("s1"); // → undefined
  reasons; // → ["s1: expire"]
  // #endregion ttl
  sessions.release();
  return { lasting, expired, reasons };
}

export function iterate(): { keys: string[]; oldestFirst: string[]; seen: string[] } {
  // #region iterate
  const cache = new ArenaLru({ maxBytes: 1 << 16, value: "string" });
  cache.set("a", "1").set("b", "2").set("c", "3");
  cache.get("a");
  // most recently used first
  const keys = [...cache.keys()]; // → ["a", "c", "b"]
  const oldestFirst = [...cache.rkeys()]; // → ["b", "c", "a"]
  // peek, not get, inside the loop: get would move entries in the list it walks
  const seen: string[] = [];
  for (const [key] of cache.entries()) seen.push(`${key}=${cache.peek(key)}`);
  seen; // → ["a=1", "c=3", "b=2"]
  // #endregion iterate
  cache.release();
  return { keys, oldestFirst, seen };
}

type WarmStart = {
  keys: string[];
  hits: number;
  page: string | undefined;
  remaining: number | undefined;
};

export function warmStart(path: string): WarmStart {
  // #region persist
  const cache = new ArenaLru({ maxBytes: 1 << 20, value: "string", ttl: 60_000 });
  cache.set("/a", "page a").set("/b", "page b");
  cache.get("/a");
  cache.saveSync(path); // buffers as they are, with checksums: no per-entry encoding
  cache.release();

  // after a restart: same entries, same recency order, same counters
  const again = ArenaLru.loadSync<"string", "string">(path);
  const keys = [...again.keys()]; // → ["/a", "/b"]
  const hits = again.stats().hits; // → 1
  const page = again.get("/b"); // → "page b"
  // about 60_000: the TTL goes on with the time it had left
  const remaining = again.getRemainingTTL("/b");
  // a damaged or truncated file throws SnapshotError, and nothing is loaded
  // #endregion persist
  again.release();
  return { keys, hits, page, remaining };
}
