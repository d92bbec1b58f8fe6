/**
 * The composed account cache of the arenakit cookbook: {@link AccountsBuilder}
 * fills one arena per slot, `finish()` freezes it into a reference-counted
 * {@link FrozenAccounts} with zero-copy views, {@link projectAccount} selects one
 * account that keeps its slot alive, and {@link RollingAccountCache} keeps the
 * newest slots in a window shared zero-copy with `worker_threads` Workers.
 *
 * Two entry points: `@arenakit/account-cache` has everything except
 * `RollingAccountCache` and no Node.js built-ins, so it bundles for browsers;
 * `@arenakit/account-cache/node` (this file) re-exports it and adds
 * `RollingAccountCache`, which announces new entries to readers over
 * `node:worker_threads` message ports. This reference documents both.
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
