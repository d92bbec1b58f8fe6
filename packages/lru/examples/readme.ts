// The first example of the package README (README.md shows the region below
// verbatim; test/readme.test.ts runs this file and checks what it prints).
// #region example
import { ArenaLru } from "@arenakit/lru";

// A byte budget, not an entry count: table, recency links and entries share 64 KiB.
const cache = new ArenaLru({ maxBytes: 64 * 1024, value: "string" });
cache.set("greeting", "hello");
cache.set("farewell", "goodbye");

console.log(cache.get("greeting"), cache.size); // → hello 2
console.log(cache.has("unknown")); // → false
console.log(cache.stats().bytesUsed <= cache.maxBytes); // → true

cache.release(); // returns the memory; any further use throws CacheReleasedError
// #endregion example
