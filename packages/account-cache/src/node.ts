/**
 * The Node.js entry of `@arenakit/account-cache`: everything the root entry
 * exports, plus {@link RollingAccountCache}, the rolling window of slots shared
 * with `worker_threads` Workers.
 *
 * The rolling cache announces new entries to readers over `node:worker_threads`
 * message ports, so it lives behind this subpath: the root entry
 * (`@arenakit/account-cache`) stays free of Node built-ins and bundles for
 * browsers.
 *
 * @example
 * ```ts
 * import { RollingAccountCache } from "@arenakit/account-cache/node";
 *
 * using cache = new RollingAccountCache({ window: 8 });
 * const builder = cache.builder(1n);
 * builder.insertAccount("acct-1", "owner-a", 0, new Uint8Array([1]));
 * cache.push(builder.finish());
 * ```
 *
 * @packageDocumentation
 */
export * from "./index.js";
export type { RollingCacheDescriptor, RollingCacheOptions, RollingCacheStats } from "./api.js";
export { RollingAccountCache, type CacheReaderTarget } from "./rolling.js";
