import { InvalidArgumentError } from "@arenakit/bump";

/**
 * Error codes raised by `@arenakit/hashmap` itself. Bad keys and values raise
 * the errors of `@arenakit/bump` (`InvalidArgumentError`, `EncodingError`),
 * and allocation failures raise the allocator's `AllocationLimitError`, so a
 * caller branches on `err.code` the same way across packages.
 */
export type HashMapErrorCode =
  | "ERR_HASHMAP_CONCURRENT_MODIFICATION"
  | "ERR_HASHMAP_CAPACITY_OVERFLOW"
  | "ERR_HASHMAP_RELEASED";

/**
 * Base class of the errors raised by the hash maps of `@arenakit/hashmap`.
 *
 * @example
 * ```ts
 * import { Bump, t } from "@arenakit/bump";
 * import { ArenaHashMap, HashMapError } from "@arenakit/hashmap";
 * const map = new ArenaHashMap(new Bump(), { value: t.u32 });
 * map.set("a", 1);
 * try {
 *   for (const key of map.keys()) map.set(key + "!", 2);
 * } catch (err) {
 *   if (err instanceof HashMapError) console.log(err.code); // "ERR_HASHMAP_CONCURRENT_MODIFICATION"
 * }
 * ```
 */
export class HashMapError extends Error {
  /** Machine-readable code naming the problem. */
  readonly code: HashMapErrorCode;

  constructor(code: HashMapErrorCode, message: string) {
    super(message);
    this.code = code;
    this.name = new.target.name;
  }
}

/**
 * A key was inserted or removed (or the map was cleared, grown or rehashed)
 * while an iterator or `forEach` over it was running. The iteration stops with
 * this error instead of silently skipping or repeating keys. Replacing the
 * value of an existing key is not a structural change and is allowed.
 * Use `retain()` to remove entries while walking the map.
 */
export class ConcurrentModificationError extends HashMapError {
  constructor(message: string) {
    super("ERR_HASHMAP_CONCURRENT_MODIFICATION", message);
  }
}

/**
 * The map would need more than it can address: more than 2^27 slots in its
 * table, or entries spread over more than 16 GiB of its allocator's memory.
 * Nothing was changed.
 */
export class CapacityOverflowError extends HashMapError {
  constructor(message: string) {
    super("ERR_HASHMAP_CAPACITY_OVERFLOW", message);
  }
}

/** The map was released (or disposed) and can no longer be used. */
export class MapReleasedError extends HashMapError {
  constructor(message: string) {
    super("ERR_HASHMAP_RELEASED", message);
  }
}

/**
 * A key of the wrong type was given (`get(123)` on a map with string keys, a
 * string for a byte-keyed map). It is an `InvalidArgumentError` of
 * `@arenakit/bump` (code `ERR_ARENA_INVALID_ARGUMENT`, `argument` is `"key"`),
 * so code that catches those keeps working. Every method that takes a key
 * throws it, on reads as on writes: a wrong-typed key is a bug, not a miss.
 *
 * @example
 * ```ts
 * import { Bump, t } from "@arenakit/bump";
 * import { ArenaHashMap, InvalidKeyError } from "@arenakit/hashmap";
 * const map = new ArenaHashMap(new Bump(), { value: t.u32 });
 * try {
 *   map.get(123 as unknown as string);
 * } catch (err) {
 *   console.log(err instanceof InvalidKeyError); // true
 * }
 * ```
 */
export class InvalidKeyError extends InvalidArgumentError {
  constructor(message: string) {
    super(message, "key");
  }
}
