import type { ArenaDescriptor, BufferPool, ChunkPool } from "@arenakit/bump";
import type { HashMapHandle } from "@arenakit/hashmap";
import type { SharedArcDescriptor, WeakArcDescriptor } from "@arenakit/yoke";

/** A slot number or an account index: a u64, given as a bigint or a safe-integer number. */
export type U64 = bigint | number;

/** Options of {@link AccountsBuilder}. */
export interface AccountsBuilderOptions {
  /**
   * Where the builder's arena takes its chunks from and gives them back to
   * when the entry is dropped. A {@link RollingAccountCache} passes its own
   * pool, so a steady window stops allocating buffers once warm.
   *
   * Without one, chunks come from {@link AccountsBuilder.defaultPool}, a
   * process-wide pool that keeps at most 256 MiB of idle chunks (so building
   * slot after slot reuses memory instead of allocating it), and `finish()`
   * trims the last chunk to its used bytes (copying them into a dropped
   * entry's trimmed chunk when one is within 8 bytes per account of that
   * size). With a pool of your own the last chunk is kept whole, for the next
   * builder.
   * @defaultValue {@link AccountsBuilder.defaultPool}
   */
  readonly pool?: BufferPool;
  /**
   * Largest `data` an account may have, in bytes.
   * @defaultValue 10485760 (10 MiB)
   */
  readonly maxDataBytes?: number;
  /**
   * Expected number of accounts: sizes the hash table up front, so it never
   * grows (and leaves no outgrown table behind in the arena).
   * @defaultValue 0 (the table grows as accounts arrive)
   */
  readonly capacity?: number;
  /**
   * Upper bound of the entry's arena, in bytes (see `Bump`'s `allocationLimit`).
   * @defaultValue Infinity
   */
  readonly allocationLimit?: number;
  /**
   * Size of the arena's first chunk, in bytes; later chunks double.
   * @defaultValue 65536
   */
  readonly initialChunkSize?: number;
  /**
   * Seed of the id hash (see `@arenakit/hashmap`).
   * @defaultValue a random seed
   */
  readonly seed?: number;
}

/** What a Worker needs to rebuild a frozen entry: postMessage-able, shared memory only. Hidden rather than internal: named by FrozenAccountsDescriptor, so stripInternal must keep it. @hidden */
export interface EntryPayload {
  readonly slot: bigint;
  readonly size: number;
  readonly arena: ArenaDescriptor;
  readonly accounts: HashMapHandle;
  /** Used bytes of each chunk of `arena` (what the checksum covers). */
  readonly used: readonly number[];
  /** CRC-32 of the used bytes, taken at `finish()`. */
  readonly checksum: number;
}

/**
 * A strong reference to a frozen entry in flight to a Worker: made by
 * `FrozenAccounts.share(worker)`, turned into a `FrozenAccounts` there by
 * `FrozenAccounts.fromShared`. Post it to the Worker it is addressed to and
 * attach it exactly once.
 */
export type FrozenAccountsDescriptor = SharedArcDescriptor<EntryPayload>;

/** A weak reference to a frozen entry (holds nothing). Hidden rather than internal: named by PushMessage, so stripInternal must keep it. @hidden */
export type WeakEntryDescriptor = WeakArcDescriptor<EntryPayload>;

/** Options of {@link RollingAccountCache}. */
export interface RollingCacheOptions {
  /** How many slots the cache keeps: pushing one more evicts the oldest. */
  readonly window: number;
  /**
   * The chunk pool the cache's builders share. Evicted entries give their
   * chunks back when the last reference anywhere is released.
   * @defaultValue a new `ChunkPool({ shared: true, maxBytes: 1 GiB })`
   */
  readonly pool?: ChunkPool;
}

/** Figures about a rolling cache, from `stats()`. */
export interface RollingCacheStats {
  /** Entries (slots) in the window. */
  readonly entries: number;
  /** Accounts over all entries in the window. */
  readonly accounts: number;
  /** Arena bytes of the entries in the window. */
  readonly bytesHeld: number;
  /** Arena bytes of evicted entries that a reference (a selected account, a Worker) still keeps alive. */
  readonly bytesPinned: number;
  /** Evicted entries still alive because of such references. */
  readonly pinnedEntries: number;
  /** Readers attached in Workers (owner side; 0 in a reader). */
  readonly readers: number;
  /** The chunk pool: buffers and bytes held; takes served from it (`reused`) or not (`misses`); buffers dropped. */
  readonly pool: {
    readonly buffers: number;
    readonly bytes: number;
    readonly reused: number;
    readonly misses: number;
    readonly dropped: number;
  };
}

/** The state of a shared cache directory: one message per pushed entry. Hidden rather than internal: named by RollingCacheDescriptor, so stripInternal must keep it. @hidden */
export interface PushMessage {
  readonly entryNo: number;
  readonly weak: WeakEntryDescriptor;
  /**
   * The entry's chunks go back to the cache's own pool, which holds them back
   * while a reader reads without a reference (see `RollingAccountCache.latest`).
   */
  readonly gated: boolean;
}

/**
 * What `RollingAccountCache.share(worker)` returns: post it to that Worker
 * with its `port` in the transfer list — `worker.postMessage(d, [d.port])` —
 * and call `RollingAccountCache.attach(d)` there.
 */
export interface RollingCacheDescriptor {
  /** Marks the object as an arenakit rolling cache descriptor. */
  readonly kind: "arenakit.rolling-accounts";
  /** Window size. */
  readonly window: number;
  /** The directory: which slots are in the window, published with Atomics. */
  readonly directory: SharedArrayBuffer;
  /** The channel on which the owner sends the entries it pushes. Transfer it. */
  readonly port: import("node:worker_threads").MessagePort;
  /** The entries in the window when the descriptor was made. */
  readonly entries: readonly PushMessage[];
  /** This reader's state, shared with the owner: [attached, epoch of a lookup in progress]. */
  readonly state: SharedArrayBuffer;
}
