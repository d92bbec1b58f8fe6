export type {
  EvictReason,
  KeyKind,
  KeyOf,
  LruDescriptor,
  LruOptions,
  LruStats,
  SetOptions,
  ValueInput,
  ValueOwned,
  ValueSpec,
  ValueView,
} from "./api.js";
export { ArenaLru } from "./cache.js";
export { LruReader, type LruReaderOptions } from "./reader.js";
export { CacheBusyError, CacheReleasedError, EntryTooLargeError, LruError, type LruErrorCode } from "./errors.js";
