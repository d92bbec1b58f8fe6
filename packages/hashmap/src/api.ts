import type { Allocator, AnyField, Ptr } from "@arenakit/bump";

declare const entryBrand: unique symbol;

/**
 * A map entry as a number, returned by `find()` and `entryPtrs()` for hot
 * paths: read it with `valueAt`, `ownedValueAt`, `keyAt` or `valuePtr` of the
 * map that returned it. Branded so it is not mixed with other pointers.
 *
 * It is the entry's address plus a 2-bit stamp in the low bits (entries are
 * 4-byte aligned). The stamp counts removals at that address, so a pointer
 * kept past the removal of its entry (its key deleted, its value moved by a
 * `set` of another size, `clear`, `retain`) throws `StalePointerError`
 * instead of reading the key that reused the space. The check is one array
 * read and compare; a map that never removed anything stores no stamps.
 * Gotcha: the stamp has 2 bits, so the check misses when the address saw
 * exactly 4, 8, 12, … removals since the pointer was taken; then the pointer
 * reads whatever is there now (another key, or a typed error). Look keys up
 * again after removing entries rather than relying on the check.
 *
 * Not an address: use `keyPtr(entry)` for the key's `StrPtr` (`BytesPtr` for
 * an {@link ArenaBytesMap}), which the allocator and Workers can read. It
 * stays valid when the table grows (entries never move).
 */
export type EntryPtr = Ptr & { readonly [entryBrand]: true };

/** Options of {@link ArenaHashMap} and {@link ArenaBytesMap}. */
export interface HashMapOptions<V extends AnyField> {
  /**
   * The value type: a field type of `@arenakit/bump` (`t.u32`, `t.f64`,
   * `t.u64`, `t.bool`, `t.str`, `t.bytes`) or a record layout made with
   * `struct(...)`. It decides what `get` returns (see the class docs).
   */
  readonly value: V;
  /**
   * Number of entries the map holds before its table first grows. A
   * non-zero capacity allocates the table at once (hashbrown's
   * `with_capacity_in`), the smallest that holds `capacity` entries at most
   * 7/8 full (5 bytes per slot, about 5.7 per entry), where a table grown
   * from empty doubles and can be half empty.
   * @defaultValue 0 (nothing is allocated until the first insert)
   */
  readonly capacity?: number;
  /**
   * Seed of the key hash (any safe integer). Each map draws a random seed
   * from `crypto.getRandomValues` by default, so keys crafted to collide in
   * one process do not collide in another (HashDoS resistance). Give a seed
   * only for reproducible tests or to read the map from another thread.
   * @defaultValue a random seed
   */
  readonly seed?: number;
  /**
   * The allocator that holds the table, when it should not be the map's own.
   * Tables are replaced as the map grows; in a `Bump` the outgrown ones stay
   * until its reset. Growing the table in a scratch allocator and moving it
   * into the arena once with `moveTable` leaves only one exact table there.
   * @defaultValue the map's allocator
   */
  readonly tableAllocator?: Allocator;
  /**
   * Keep each entry's 32-bit hash in a JS-side array (4 bytes per slot, not
   * in the allocator) while the map is filled, so that growing the table
   * places the entries from their kept hashes instead of reading every stored
   * key again and hashing it. For a map filled without knowing its final size
   * and then only read (a cache entry being built): call `dropHashes()` when
   * the inserts are done to give the array to the GC.
   * @defaultValue false
   */
  readonly keepHashes?: boolean;
}

/** Figures about a map's memory and table, from `stats()`. */
export interface HashMapStats {
  /** Number of entries. */
  readonly size: number;
  /** Entries the map holds before its table grows (`size` + room left). */
  readonly capacity: number;
  /** Slots in the table (4 per group; 0 before the first insert). */
  readonly buckets: number;
  /** Slots marked deleted that still lengthen probe sequences until the next rehash. */
  readonly tombstones: number;
  /** Bytes of the current table (5 bytes per slot: a control byte and a 32-bit entry reference). */
  readonly tableBytes: number;
  /** Bytes of live entries (length-prefixed key, value, rounding to 4), excluding out-of-line record fields. */
  readonly entryBytes: number;
  /** Bytes of deleted entries kept for reuse by later inserts of the same size (non-freeing allocators only). */
  readonly holeBytes: number;
  /**
   * Bytes of outgrown tables left behind in an allocator that cannot free
   * (a `Bump`) and not reused yet: the map puts its next entries into the
   * space of its last outgrown table, so a map that keeps growing reuses
   * most of it. Zero with a freeing allocator (it takes tables back), or when
   * `capacity`/`reserve` sized the table up front.
   */
  readonly retiredTableBytes: number;
}

/** How far lookups travel, from `probeStats()`. */
export interface ProbeStats {
  /** Mean number of 4-slot groups a lookup of a present key reads. */
  readonly meanGroups: number;
  /** Largest number of groups any present key needs. */
  readonly maxGroups: number;
}

/**
 * What `handle()` returns: numbers only, so it can be posted to a Worker
 * together with the arena's descriptor. `ArenaHashMap.attach` (or
 * `ArenaBytesMap.attach`) turns it into a read-only map there.
 */
export interface HashMapHandle {
  /** Marks the object as an arenakit hash map handle. */
  readonly kind: "arenakit.hashmap";
  /** Which map class made it ("ArenaHashMap" or "ArenaBytesMap"). */
  readonly what: string;
  /** The hash seed (the reader must hash keys the same way). */
  readonly seed: number;
  /** Number of entries. */
  readonly size: number;
  /** Deleted slots in the table. */
  readonly tombstones: number;
  /** Groups of 4 slots in the table (0 before the first insert). */
  readonly groups: number;
  /** Pointer to the table. */
  readonly table: number;
  /** Value codec kind and inline size, checked against the reader's value type. */
  readonly valueKind: number;
  readonly valueSize: number;
  /** One pointer inside each 4 MiB window the entries occupy, in window order. */
  readonly windows: readonly number[];
}
