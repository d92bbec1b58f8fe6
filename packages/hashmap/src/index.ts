/**
 * Open-addressing hash maps whose table and entries live in any
 * `@arenakit/bump` `Allocator`, after hashbrown's `HashMap::new_in(&bump)`:
 * {@link ArenaHashMap} (string keys) and {@link ArenaBytesMap} (byte keys), with
 * numbers, strings, bytes or layout records as values, read back as zero-copy
 * views.
 *
 * Cost: a lookup hashes the key's UTF-8 bytes and compares them in the arena;
 * `find` allocates nothing. Gotcha: views and entry pointers are valid only while
 * the entry exists and the arena is not reset or released.
 *
 * @example
 * ```ts
 * import { Bump, t } from "@arenakit/bump";
 * import { ArenaHashMap } from "@arenakit/hashmap";
 * const hits = new ArenaHashMap(new Bump(), { value: t.u32 });
 * hits.set("/index.html", 1);
 * hits.get("/index.html"); // 1
 * ```
 *
 * @packageDocumentation
 */
export type { EntryPtr, HashMapHandle, HashMapOptions, HashMapStats, ProbeStats } from "./api.js";
export { ArenaBytesMap } from "./bytes-map.js";
export {
  CapacityOverflowError,
  ConcurrentModificationError,
  HashMapError,
  InvalidKeyError,
  MapReleasedError,
  type HashMapErrorCode,
} from "./errors.js";
export { MapCore } from "./core.js";
export { ArenaHashMap } from "./map.js";
export {
  HASHMAP_KIND,
  checkSection,
  describeValueType,
  loadMap,
  loadMapSync,
  mapFingerprint,
  mapFrom,
  mapSnapshot,
  saveMap,
  saveMapSync,
  type MapLoadOptions,
} from "./snapshot.js";
