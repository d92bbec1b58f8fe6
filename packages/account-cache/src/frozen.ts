import { SharedArc, type LeaseTarget, type SharedWeakArc } from "@arenakit/yoke";
import type { EntryPayload, FrozenAccountsDescriptor, WeakEntryDescriptor } from "./api.js";
import { checksumOf } from "./checksum.js";
import { materialize, viewAt, viewOfEntry, type AccountView, type Entry } from "./entry.js";
import { EntryReader } from "./reader.js";
import { AccountsCorruptedError, AccountsDescriptorError, AccountsReleasedError, InvalidAccountError } from "./errors.js";
import { entryFromBytes, loadEntry, loadEntrySync, saveEntry, saveEntrySync, type AccountsLoadOptions } from "./snapshot.js";
import type { SnapshotSink } from "@arenakit/bump";

/** Runs when an entry is dropped on its home thread: give the arena back (to its pool, if any). */
function dropEntry(entry: Entry): void {
  const home = entry.home!;
  home.cell[Symbol.dispose](); // the maps first, then the arena (its chunks go back to the pool)
  for (const listener of home.dropped) listener();
}

/** Describes an entry for another thread: shared buffers and numbers only. */
function describeEntry(entry: Entry): EntryPayload {
  const home = entry.home!;
  return {
    slot: entry.slot,
    size: entry.size,
    arena: home.cell.borrowOwner().share(),
    accounts: entry.accounts.handle(),
    used: entry.chunks!.map((c) => c.length),
    checksum: entry.checksum!,
  };
}

/** @internal takes the entry's checksum (one pass over its bytes) and wraps it in a SharedArc */
export function freeze(input: Entry): FrozenAccounts {
  const chunks = input.chunks ?? Array.from(input.home!.cell.borrowOwner().chunks(), (c) => c.bytes);
  const entry: Entry = { ...input, chunks, checksum: input.checksum ?? checksumOf(chunks), reader: input.reader ?? new EntryReader(input.memory) };
  const arc = SharedArc.new<Entry, EntryPayload>(entry, {
    name: `accounts@${entry.slot}`,
    describe: describeEntry,
    onDrop: dropEntry,
  });
  return new FrozenAccounts(arc);
}

/** A reader's handle on an entry it holds no reference to: a weak reference, and the entry's views. @internal */
export interface WeakEntry {
  readonly weak: SharedWeakArc<Entry, EntryPayload>;
  /**
   * The views over the entry's memory, made once. SAFETY: reading through
   * them is only meaningful while something guarantees the memory is not
   * recycled: a reference taken with `weak.tryAcquire()`, or the rolling
   * cache's reader epoch (see rolling.ts).
   */
  views(): Entry;
}

/** @internal turns a weak descriptor into a weak reference on this thread, with views made once */
export function weakEntry(desc: WeakEntryDescriptor): WeakEntry {
  // A reader holds nothing between calls, so each acquire finds this thread's
  // count at zero and materializes again: views over every chunk plus the
  // map's windows, ~10 µs for a 20k-account entry, paid per lookup. The views
  // of one entry never change, so they are made once per weak reference.
  // SAFETY: tryAcquire calls this only after its lease bit is set on a live
  // entry, so the cached views are handed out only while the entry's memory
  // cannot be recycled; once the entry is dropped, tryAcquire fails first.
  let views: Entry | undefined;
  const make = (): Entry => (views ??= materialize(desc.payload));
  return { weak: SharedArc.attachWeak<EntryPayload, Entry>(desc, make), views: make };
}

/** @internal turns a weak descriptor into a weak reference on this thread */
export function attachWeakEntry(desc: WeakEntryDescriptor): SharedWeakArc<Entry, EntryPayload> {
  return weakEntry(desc).weak;
}

/**
 * The accounts of one slot, frozen: read-only, allocated in one arena of
 * shared memory, and reference-counted across threads (it is the *cart* that
 * {@link SelectedAccount}s borrow from). The Zig `*Accounts` with its
 * reference counter; the Rust `Arc<FrozenAccounts>`.
 *
 * Each `FrozenAccounts` object is one reference: `clone()` makes another,
 * `release()` (or `using`) gives it back, and when the last reference on every
 * thread is gone the arena returns to its pool. `share(worker)` hands a
 * reference to a Worker as a small descriptor; `FrozenAccounts.fromShared`
 * turns it back into a `FrozenAccounts` there, reading the same memory.
 *
 * Cost: `get` is a hash lookup in the arena plus one small view object;
 * nothing is copied, on any thread.
 *
 * @example
 * ```ts
 * import { AccountsBuilder } from "@arenakit/account-cache";
 * const frozen = new AccountsBuilder(7n).insertAccount("a", "owner", 1, new Uint8Array([9])).finish();
 * const again = frozen.clone();
 * frozen.release();
 * again.get("a")?.data; // Uint8Array [9]
 * again.release(); // the last reference: the arena is freed
 * ```
 */
export class FrozenAccounts implements Disposable {
  /** @internal */
  readonly _arc: SharedArc<Entry, EntryPayload>;
  /** @internal set when a RollingAccountCache took this reference over */
  private _pushed = false;

  /** @internal use AccountsBuilder.finish() or FrozenAccounts.fromShared() */
  constructor(arc: SharedArc<Entry, EntryPayload>) {
    this._arc = arc;
  }

  /** @internal moves this reference into a new object (for `RollingAccountCache.push`); this one becomes released. */
  _take(what: string): FrozenAccounts {
    this._entry(what);
    const moved = new FrozenAccounts(this._arc.clone());
    // SAFETY: the clone holds a reference on this thread, so this release only lowers the local count.
    this._arc.release();
    this._pushed = true;
    return moved;
  }

  /**
   * Turns a descriptor made by {@link FrozenAccounts.share} into a
   * `FrozenAccounts` on this thread (normally inside a Worker). It holds the
   * reference the descriptor carried: release it when done.
   * @throws {@link AccountsDescriptorError} for anything else.
   */
  static fromShared(desc: FrozenAccountsDescriptor): FrozenAccounts {
    if (desc === null || typeof desc !== "object" || desc.kind !== "arenakit.arc" || !isPayload(desc.payload)) {
      throw new AccountsDescriptorError("FrozenAccounts.fromShared expects the descriptor made by FrozenAccounts.share()");
    }
    return new FrozenAccounts(SharedArc.attach(desc, materialize));
  }

  /**
   * Loads accounts saved by {@link FrozenAccounts.save}: each chunk of the
   * arena is read straight into a SharedArrayBuffer and checked (CRC-32), and
   * the hash table is used where it lies: nothing is parsed or rebuilt per
   * account. The result is an ordinary `FrozenAccounts` holding one
   * reference, shareable with Workers zero-copy.
   *
   * Cost: one read per chunk (bound by the disk, not by the number of accounts).
   * @throws `SnapshotError` (from `@arenakit/bump`) naming the problem of a bad
   * file: truncated, damaged, another kind or version, a directory...
   *
   * @example
   * ```ts
   * import { AccountsBuilder, FrozenAccounts } from "@arenakit/account-cache";
   * const built = new AccountsBuilder(7n).insertAccount("a", "owner", 1, new Uint8Array([9])).finish();
   * await built.save("/tmp/slot-7.arenakit");
   * using loaded = await FrozenAccounts.load("/tmp/slot-7.arenakit");
   * loaded.get("a")?.owner; // "owner"
   * ```
   */
  static async load(path: string, options: AccountsLoadOptions = {}): Promise<FrozenAccounts> {
    return freeze(await loadEntry(path, options));
  }

  /** The synchronous form of {@link FrozenAccounts.load}. */
  static loadSync(path: string, options: AccountsLoadOptions = {}): FrozenAccounts {
    return freeze(loadEntrySync(path, options));
  }

  /**
   * Loads accounts from snapshot bytes already in memory (an HTTP body, a
   * message): the same checks as {@link FrozenAccounts.load}, one copy per chunk.
   */
  static fromBytes(bytes: Uint8Array, options: AccountsLoadOptions = {}): FrozenAccounts {
    return freeze(entryFromBytes(bytes, options));
  }

  /**
   * Saves the accounts (their arena's chunks, as they are) to a file, or to a
   * writable stream. A file is written to a temporary name, flushed and
   * renamed, so a crash never leaves a partial file under `target`. Resolves
   * to the number of bytes written.
   *
   * Cost: one write per chunk plus a CRC-32 pass; the file is the arena's
   * used bytes plus about a hundred bytes.
   * Gotcha: works on the thread that built (or loaded) the accounts; a Worker's
   * reference holds no arena of its own to save.
   */
  save(target: string | SnapshotSink): Promise<number> {
    let entry: Entry;
    try {
      entry = this._entry("save");
    } catch (err) {
      return Promise.reject(err);
    }
    return saveEntry(entry, target);
  }

  /** The synchronous form of {@link FrozenAccounts.save} (files only). */
  saveSync(path: string): number {
    return saveEntrySync(this._entry("saveSync"), path);
  }

  private _entry(what: string): Entry {
    if (this._arc.released) {
      throw new AccountsReleasedError(
        this._pushed
          ? `${what}: this FrozenAccounts was pushed into a RollingAccountCache, which took its reference over; use cache.get(slot)`
          : `${what}: this FrozenAccounts was released`,
      );
    }
    return this._arc.get();
  }

  /** The slot number. */
  get slot(): bigint {
    return this._entry("slot").slot;
  }

  /** Number of accounts. */
  get size(): number {
    return this._entry("size").size;
  }

  /** Whether this reference was released. */
  get released(): boolean {
    return this._arc.released;
  }

  /**
   * The account with this id, as a zero-copy view valid while this reference
   * is alive, or `undefined`. Ids that are not well-formed UTF-16 are never
   * stored, so they are never found.
   * @throws {@link InvalidAccountError} when `id` is not a string (the same
   * rule as `ArenaHashMap.get`: a key of the wrong type is a bug, not a miss);
   * {@link AccountsReleasedError} after `release()`.
   */
  get(id: string): AccountView | undefined {
    const entry = this._entry("get");
    if (typeof id !== "string") throw badId("get", id);
    if (!id.isWellFormed()) return undefined;
    const accounts = entry.accounts;
    const e = accounts.find(id);
    return e === 0 ? undefined : viewOfEntry(entry.reader!, e, this._arc);
  }

  /**
   * Whether an account with this id exists.
   * @throws {@link InvalidAccountError} when `id` is not a string;
   * {@link AccountsReleasedError} after `release()`.
   */
  has(id: string): boolean {
    const entry = this._entry("has");
    if (typeof id !== "string") throw badId("has", id);
    return id.isWellFormed() && entry.accounts.find(id) !== 0;
  }

  /**
   * Every `[id, account]`, in table order. The iterator checks this reference
   * on every step: once it is released, the next step throws
   * {@link AccountsReleasedError} (even if other references keep the entry alive).
   */
  *entries(): IterableIterator<[string, AccountView]> {
    const entry = this._entry("entries");
    const it = entry.accounts.entryPtrs();
    for (;;) {
      this._entry("entries");
      const r = it.next();
      if (r.done === true) return;
      yield [entry.accounts.keyAt(r.value), viewAt(entry.reader!, entry.accounts.valuePtr(r.value), this._arc)];
    }
  }

  /** Every account id; checked on every step like {@link FrozenAccounts.entries}. */
  *keys(): IterableIterator<string> {
    const entry = this._entry("keys");
    const it = entry.accounts.entryPtrs();
    for (;;) {
      this._entry("keys");
      const r = it.next();
      if (r.done === true) return;
      yield entry.accounts.keyAt(r.value);
    }
  }

  /** Same as {@link FrozenAccounts.entries}. */
  [Symbol.iterator](): IterableIterator<[string, AccountView]> {
    return this.entries();
  }

  /**
   * Recomputes the entry's checksum (CRC-32 of every byte of its arena) and
   * compares it with the one taken at `finish()`.
   *
   * When to use: JavaScript cannot make shared memory read-only, so a view's
   * `data` can be written through, on any thread, and every reader of the
   * entry would see the change. Call `verify()` in tests, after a soak, or
   * before trusting an entry that untrusted code could reach.
   *
   * Cost: one pass over the entry's bytes (several GB/s in Node, which computes
   * CRC-32 natively). Works on every thread that holds the entry.
   *
   * @example
   * ```ts
   * import { AccountsBuilder } from "@arenakit/account-cache";
   * using frozen = new AccountsBuilder(1n).insertAccount("a", "o", 1, new Uint8Array([1, 2])).finish();
   * frozen.verify(); // passes
   * frozen.get("a")!.data[0] = 9; // a write JavaScript cannot prevent
   * try { frozen.verify(); } catch (err) { console.log((err as Error).name); } // "AccountsCorruptedError"
   * ```
   * @throws {@link AccountsCorruptedError} when the bytes changed;
   * {@link AccountsReleasedError} after `release()`.
   */
  verify(): void {
    const entry = this._entry("verify");
    const expected = entry.checksum!;
    const actual = checksumOf(entry.chunks!);
    if (actual !== expected) {
      throw new AccountsCorruptedError(
        `the accounts of slot ${entry.slot} were modified after they were frozen (checksum ${hex(actual)}, ` +
          `expected ${hex(expected)}): something wrote into the entry's shared memory`,
        expected,
        actual,
      );
    }
  }

  /** Arena bytes this entry holds (0 in a Worker, which holds no arena of its own). */
  get byteLength(): number {
    const entry = this._entry("byteLength");
    return entry.home?.cell.borrowOwner().allocatedBytes ?? 0;
  }

  /** Another reference to the same accounts (this thread). */
  clone(): FrozenAccounts {
    this._entry("clone");
    return new FrozenAccounts(this._arc.clone());
  }

  /**
   * Gives this reference back. The last reference over all threads frees
   * the arena (on the thread that built it).
   * @throws {@link DoubleReleaseError} (from `@arenakit/yoke`) on a second release.
   */
  release(): void {
    this._arc.release();
  }

  /** Same as {@link FrozenAccounts.release}, for `using`. */
  [Symbol.dispose](): void {
    if (!this._arc.released) this._arc.release();
  }

  /**
   * A descriptor carrying a new reference for the Worker `to`: post it to that
   * Worker, which calls {@link FrozenAccounts.fromShared}. If the Worker exits
   * without releasing, its references are reclaimed on its `exit` event.
   */
  share(to: LeaseTarget): FrozenAccountsDescriptor {
    this._entry("share");
    return this._arc.share(to);
  }

  /** @internal a weak descriptor for the rolling cache's readers */
  shareWeak(): WeakEntryDescriptor {
    this._entry("shareWeak");
    return this._arc.shareWeak();
  }
}

function isPayload(p: unknown): p is EntryPayload {
  const o = p as Partial<EntryPayload> | null;
  return (
    o !== null &&
    typeof o === "object" &&
    typeof o.slot === "bigint" &&
    typeof o.size === "number" &&
    o.arena?.kind === "arenakit.arena" &&
    Array.isArray(o.used) &&
    Array.isArray(o.arena.buffers) &&
    o.used.length === o.arena.buffers.length &&
    o.used.every((u, i) => Number.isInteger(u) && u >= 0 && u <= (o.arena!.buffers[i]?.byteLength ?? -1)) &&
    typeof o.checksum === "number"
  );
}

const hex = (n: number): string => `0x${n.toString(16).padStart(8, "0")}`;

/** The error for an account id that is not a string. */
export function badId(what: string, id: unknown): InvalidAccountError {
  return new InvalidAccountError(`${what}: an account id must be a string, got ${id === null ? "null" : typeof id}`);
}
