import { Bump, ChunkPool, t, type BufferPool } from "@arenakit/bump";
import { ArenaHashMap, type EntryPtr } from "@arenakit/hashmap";
import { SelfCell } from "@arenakit/self-cell";
import { trackLeak, untrackLeak } from "@arenakit/yoke";
import type { AccountsBuilderOptions, U64 } from "./api.js";
import { AccountValue, type Entry, type Tables } from "./entry.js";
import { BuilderFinishedError, DataTooLargeError, InvalidAccountError } from "./errors.js";
import { FrozenAccounts, freeze } from "./frozen.js";
import { checkText, checkU64, toU64 } from "./validate.js";

const DEFAULT_MAX_DATA = 10 * 1024 * 1024;
const DEFAULT_POOL_BYTES = 256 * 1024 * 1024;
const NO_POOL_MAX_CHUNK = 64 * 1024 * 1024;
/**
 * Bytes per account the trimmed last chunk may have beyond its used bytes, when a pooled buffer that fits saves a
 * new one (a new buffer's pages are faulted in and zeroed as the copy writes them: on the machine measured, several
 * times the copy itself).
 */
const TRIM_SLACK_PER_ACCOUNT = 8;

// Whether this platform has shared memory. A browser page that is not cross-origin isolated has no
// `SharedArrayBuffer`: there, entries live in plain ArrayBuffers and cannot be shared with Workers.
const SHARED_MEMORY = typeof SharedArrayBuffer === "function";

/**
 * Builds the accounts of one slot in one arena: the Zig `Accounts.init` +
 * `insertAccount`, the Rust `AccountsBuilder`. Every id, owner and data byte,
 * and the hash tables themselves, are allocated in the builder's own `Bump`
 * over SharedArrayBuffers, bound to it in a `SelfCell` (the arena is the
 * owner, the maps are the dependent); `finish()` freezes it into a
 * {@link FrozenAccounts} that any number of threads can read without copying.
 *
 * Cost: an insert is a hash-map insert plus copies of the id and data into
 * the arena; owners are interned per entry, so an owner's bytes are stored
 * once. Building allocates a handful of buffers, not objects per account.
 *
 * Gotchas: inserting an id twice replaces the earlier account; the earlier
 * account's bytes stay in the arena until the entry is dropped (an arena
 * frees everything at once). A builder that is never finished must be
 * discarded (`discard()` or `using`) to give its memory back; with the leak
 * report on (`setLeakReporting` of `@arenakit/yoke`), a builder collected
 * while neither finished nor discarded is reported as `"AccountsBuilder"`.
 *
 * @example
 * ```ts
 * import { AccountsBuilder } from "@arenakit/account-cache";
 * const builder = new AccountsBuilder(42n);
 * builder.insertAccount("acct-rusty", "Rusty-03", 7, new Uint8Array([1, 2, 3, 4]));
 * builder.insertAccount("acct-sparky", "Sparky-11", 11n, new Uint8Array([0, 3, 6, 9, 12]));
 * using accounts = builder.finish();
 * accounts.get("acct-sparky")?.owner; // "Sparky-11"
 * ```
 */
export class AccountsBuilder implements Disposable {
  /**
   * The chunk pool of builders made without a `pool` option: shared buffers,
   * at most 256 MiB kept idle. An entry's chunks come back to it when the
   * entry is dropped (its last reference on any thread released), and the next
   * builder takes them from there instead of allocating. `clear()` it to give
   * the idle memory back to the engine.
   *
   * @example
   * ```ts
   * import { AccountsBuilder } from "@arenakit/account-cache";
   * new AccountsBuilder(1n).insertAccount("a", "o", 1, new Uint8Array(64)).finish().release();
   * AccountsBuilder.defaultPool.stats().buffers; // 1: kept for the next builder
   * AccountsBuilder.defaultPool.clear();
   * ```
   */
  static readonly defaultPool: ChunkPool = new ChunkPool({ shared: SHARED_MEMORY, maxBytes: DEFAULT_POOL_BYTES });

  /** The slot these accounts belong to. */
  readonly slot: bigint;
  /** Largest `data` accepted, in bytes. */
  readonly maxDataBytes: number;
  private _cell: SelfCell<Bump, Tables> | undefined;
  private readonly _pool: BufferPool;
  /** Trim the last chunk at finish(): the arena takes its chunks from the default pool. */
  private readonly _trim: boolean;
  /** Owner string → pointer of its interned copy, for this build only (dropped at finish). */
  private readonly _ownerPtrs = new Map<string, number>();
  /** The default pool's count of buffers reused, when this builder started. */
  private readonly _reusedAtStart: number;

  constructor(slot: U64, options: AccountsBuilderOptions = {}) {
    this.slot = toU64(slot, "slot");
    if (options === null || typeof options !== "object") throw new InvalidAccountError("AccountsBuilder options must be an object");
    const max = options.maxDataBytes ?? DEFAULT_MAX_DATA;
    if (!Number.isSafeInteger(max) || max < 0) {
      throw new InvalidAccountError(`maxDataBytes must be a whole number >= 0, got ${String(max)}`);
    }
    this.maxDataBytes = max;
    // Trimming copies the last chunk; without shared memory the old chunk is detached under the maps, so only
    // shared arenas are trimmed.
    this._trim = options.pool === undefined && SHARED_MEMORY;
    this._pool = options.pool ?? AccountsBuilder.defaultPool;
    this._reusedAtStart = AccountsBuilder.defaultPool.stats().reused;
    const bump = new Bump({
      shared: this._pool.shared,
      pool: this._pool,
      // Without a pool of the caller's, chunks stop doubling at 64 MiB: the last chunk, which finish() copies to trim
      // it, stays small, and 4M accounts of ~1.4 KiB still fit the arena's 256 chunks.
      ...(this._trim ? { maxChunkSize: NO_POOL_MAX_CHUNK } : {}),
      ...(options.allocationLimit !== undefined ? { allocationLimit: options.allocationLimit } : {}),
      ...(options.initialChunkSize !== undefined ? { initialChunkSize: options.initialChunkSize } : {}),
    });
    const seed = options.seed !== undefined ? { seed: options.seed } : {};
    // If a map cannot be created (bad capacity or seed), SelfCell.new releases the arena.
    this._cell = SelfCell.new(
      bump,
      (arena): Tables => ({
        // Kept hashes: growing the table does not read and hash every stored id again (dropped at finish).
        accounts: new ArenaHashMap(arena, { value: AccountValue, capacity: options.capacity ?? 0, keepHashes: true, ...seed }),
        owners: new ArenaHashMap(arena, { value: t.bool, ...seed }),
      }),
      {
        disposeDependent: (tables) => {
          tables.accounts.release();
          tables.owners.release();
        },
      },
    );
    trackLeak(this, "AccountsBuilder", `AccountsBuilder(slot ${this.slot})`);
  }

  /**
   * Adds an account (or replaces the account with the same id). Everything is
   * checked before anything is stored, so a rejected account leaves the
   * builder exactly as it was.
   *
   * @throws {@link InvalidAccountError} for an id or owner that is not a
   * well-formed string, or an index that is not a u64;
   * {@link DataTooLargeError} when `data` is over `maxDataBytes`;
   * {@link BuilderFinishedError} after `finish()` or `discard()`;
   * `AllocationLimitError` (from `@arenakit/bump`) when the arena would pass
   * its `allocationLimit`; `CapacityOverflowError` (from `@arenakit/hashmap`)
   * past the largest table a map can have. After either of the last two the
   * builder holds exactly the accounts it held before the call.
   */
  insertAccount(id: string, owner: string, index: U64, data: Uint8Array): this {
    const cell = this._live("insertAccount");
    checkText(id, "account id");
    if (typeof owner !== "string") checkText(owner, "owner");
    const idx = checkU64(index, "index");
    if (!(data instanceof Uint8Array)) {
      throw new InvalidAccountError(`data must be a Uint8Array, got ${data === null ? "null" : typeof data}`);
    }
    if (data.length > this.maxDataBytes) {
      throw new DataTooLargeError(
        `data of account ${id} is ${data.length} bytes, over the limit of ${this.maxDataBytes}`,
        data.length,
        this.maxDataBytes,
      );
    }
    // Interning: an owner's bytes are stored once per entry; accounts keep a pointer to them. The pointers of
    // owners already seen are kept in a JS Map for the build: the caller's owner strings are usually the same few
    // string objects, whose hash V8 has cached, so this skips hashing and checking the owner in the arena.
    let ownerPtr = this._ownerPtrs.get(owner);
    if (ownerPtr === undefined) {
      checkText(owner, "owner");
      ownerPtr = cell.withDependentMut((_arena, { owners }) => {
        const found = owners.find(owner);
        return owners.keyPtr(found !== 0 ? found : owners.set(owner, true).find(owner) as EntryPtr);
      });
      this._ownerPtrs.set(owner, ownerPtr);
    }
    const value = { index: idx, owner: ownerPtr, data };
    cell.withDependentMut((_arena, { accounts }) => accounts.set(id, value));
    return this;
  }

  /** Number of distinct account ids inserted so far. */
  get size(): number {
    return this._cell?.borrowDependent().accounts.size ?? 0;
  }

  /** Bytes the builder's arena holds so far. */
  get byteLength(): number {
    return this._cell?.borrowOwner().allocatedBytes ?? 0;
  }

  /**
   * Freezes the accounts into a read-only, reference-counted
   * {@link FrozenAccounts} holding the one reference. The builder cannot be
   * used afterwards.
   *
   * Cost: one pass over the arena's bytes to take the entry's checksum
   * (see {@link FrozenAccounts.verify}).
   */
  finish(): FrozenAccounts {
    const cell = this._live("finish");
    this._cell = undefined;
    this._ownerPtrs.clear();
    cell.borrowDependent().accounts.dropHashes();
    untrackLeak(this);
    // An arena of its own (no pool) grows its chunks by doubling, so its last chunk is half empty on average: copy
    // it to an exact-size buffer (pointers are chunk slot + offset, so they stay valid). Pooled chunks are kept
    // as they are, for the next builder to reuse.
    // The copy goes into a pooled buffer when one fits within a few bytes per account (the trimmed chunk of a
    // dropped entry of about this size). The replaced chunk goes back to the default pool only when the pool
    // served this build (entries are being dropped and rebuilt: the next build takes it instead of a new buffer);
    // a first build, or one after `defaultPool.clear()`, leaves it to the GC, so the pool does not start holding
    // idle memory just because one entry was built.
    const recycling = AccountsBuilder.defaultPool.stats().reused > this._reusedAtStart;
    const slack = TRIM_SLACK_PER_ACCOUNT * cell.borrowDependent().accounts.size;
    if (this._trim && cell.borrowOwner().trim(recycling, slack) > 0) {
      cell.withDependentMut((arena, tables) => {
        // The maps keep views of the old buffer: view the new one instead, read-only (the entry is frozen).
        const maps = tables as { accounts: Tables["accounts"]; owners: Tables["owners"] };
        const accountsHandle = maps.accounts.handle();
        const ownersHandle = maps.owners.handle();
        maps.accounts.release();
        maps.owners.release();
        maps.accounts = ArenaHashMap.attach(arena, accountsHandle, { value: AccountValue });
        maps.owners = ArenaHashMap.attach(arena, ownersHandle, { value: t.bool });
      });
    }
    const { accounts } = cell.borrowDependent();
    const entry: Entry = {
      slot: this.slot,
      size: accounts.size,
      memory: cell.borrowOwner(),
      accounts,
      home: { cell, dropped: new Set(), pool: this._pool },
    };
    return freeze(entry); // takes the checksum
  }

  /** Gives the builder's memory back without finishing. Calling it again does nothing. */
  discard(): void {
    const cell = this._cell;
    if (cell === undefined) return;
    this._cell = undefined;
    this._ownerPtrs.clear();
    untrackLeak(this);
    cell[Symbol.dispose]();
  }

  /** Discards the builder if it was not finished (for `using`). */
  [Symbol.dispose](): void {
    this.discard();
  }

  private _live(what: string): SelfCell<Bump, Tables> {
    if (this._cell === undefined) {
      throw new BuilderFinishedError(`${what}: the builder of slot ${this.slot} was already finished or discarded`);
    }
    return this._cell;
  }
}

export { FrozenAccounts };
