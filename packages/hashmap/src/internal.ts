/**
 * What `@arenakit/hashmap` shares with the packages built on it
 * (`@arenakit/lru`): not part of its public API, left out of the API
 * reference, and free to change in any release. Import it only from
 * arenakit's own packages.
 *
 * @example
 * ```ts
 * import { StampedMemory } from "@arenakit/hashmap/internal";
 * ```
 *
 * @packageDocumentation
 */
export { StampedMemory } from "./guarded.js";
