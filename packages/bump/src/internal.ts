/**
 * What `@arenakit/bump` shares with the packages built on it
 * (`@arenakit/lru`'s entry arena): not part of its public API, left out of
 * the API reference, and free to change in any release. Import it only from
 * arenakit's own packages.
 *
 * @example
 * ```ts
 * import { FreeBins } from "@arenakit/bump/internal";
 * ```
 *
 * @packageDocumentation
 */
export { FreeBins } from "./bins.js";
