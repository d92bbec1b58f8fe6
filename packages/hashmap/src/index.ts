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
