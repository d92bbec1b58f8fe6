import { ChunkPool } from "@arenakit/bump";
import { MessageChannel, receiveMessageOnPort, type MessagePort } from "node:worker_threads";
import type {
  AccountsBuilderOptions,
  PushMessage,
  RollingCacheDescriptor,
  RollingCacheOptions,
  RollingCacheStats,
  U64,
} from "./api.js";
import { AccountsBuilder } from "./builder.js";
import { AccountsDescriptorError, AccountsReleasedError, InvalidAccountError, ReadOnlyCacheError, SlotOrderError } from "./errors.js";
import { FrozenAccounts, badId, weakEntry, type WeakEntry } from "./frozen.js";
import { SelectedAccount, projectAccount } from "./selected.js";
import { toU64 } from "./validate.js";
import { Directory } from "./directory.js";
import { ATTACHED, EPOCH, ReaderGate } from "./reader-gate.js";
import { persistWindow, reopenWindow } from "./persist.js";
import type { AccountsLoadOptions } from "./snapshot.js";

const DEFAULT_POOL_BYTES = 1024 * 1024 * 1024;
/** How long a reader waits for the message announcing an entry it sees in the directory. */
const MESSAGE_WAIT_MS = 5000;

/** A Worker the cache was shared with: anything with a threadId and an exit event. */
export interface CacheReaderTarget {
  readonly threadId: number;
  once(event: "exit", listener: (code: number) => void): unknown;
}

interface OwnedSlot {
  readonly frozen: FrozenAccounts;
  readonly entryNo: number;
  readonly slot: bigint;
  readonly msg: PushMessage;
}

interface ReaderLink {
  readonly port: MessagePort;
  readonly worker: CacheReaderTarget;
  readonly state: Int32Array;
}

/**
 * A rolling window of recent slots, each a {@link FrozenAccounts}: the cache
 * the source article builds its pattern for. The owner thread builds and
 * pushes entries; Workers attach read-only views that see every push and
 * eviction, and read accounts without copying them.
 *
 * Lifetimes: `push` takes over the reference it is given: the
 * `FrozenAccounts` passed in is released by the push (so `using` on it does
 * nothing afterwards); read the slot back with `get(slot)`. An entry evicted
 * from the window is released by the cache; its memory goes back to the pool
 * when the last reference on any thread (a selected account, a Worker's
 * handle) is released, and never before. `get` and `project` return new
 * references that the caller releases (`using`); `latest` returns a slot
 * number and takes no reference at all, so no thread limit applies to it.
 *
 * Shutdown: `release()` releases every entry the cache holds. The default
 * pool (made by the cache) is emptied once the last entry still pinned by a
 * reference is dropped; a pool you passed in is yours to `clear()`.
 *
 * Sharing: `share(worker)` makes a descriptor to post to that Worker with its
 * port in the transfer list; `RollingAccountCache.attach(descriptor)` there
 * returns a read-only cache. The owner announces each entry on the port,
 * then publishes the window in a shared directory with `Atomics`; a reader
 * that sees the new directory drains the port synchronously
 * (`receiveMessageOnPort`), so it never waits for an event-loop turn. Readers
 * hold only weak references between calls, so an idle Worker pins nothing,
 * and a Worker that exits loses every reference it held.
 *
 * @example
 * ```ts
 * import { RollingAccountCache } from "@arenakit/account-cache";
 * using cache = new RollingAccountCache({ window: 2 });
 * for (let slot = 1n; slot <= 3n; slot++) {
 *   const b = cache.builder(slot);
 *   b.insertAccount("acct", "owner", slot, new Uint8Array([Number(slot)]));
 *   cache.push(b.finish()); // slot 1 is evicted when slot 3 arrives
 * }
 * cache.slots(); // [3n, 2n]
 * cache.latest("acct"); // 3n
 * ```
 */
export class RollingAccountCache implements Disposable {
  /** How many slots the window keeps. */
  readonly window: number;
  /** The chunk pool shared by the cache's builders (owner side). */
  readonly pool: ChunkPool;
  /** `true` for a cache attached in a Worker. */
  readonly readOnly: boolean;

  private readonly _dir: Directory;
  private _released = false;
  // owner side
  private readonly _owned: OwnedSlot[] = [];
  private readonly _readers = new Set<ReaderLink>();
  private readonly _pinned = new Map<number, number>();
  private _nextEntryNo = 1;
  private readonly _ownsPool: boolean;
  private readonly _gate: ReaderGate | undefined;
  // reader side
  private readonly _port: MessagePort | undefined;
  private readonly _weak = new Map<number, WeakEntry & { readonly gated: boolean }>();
  private readonly _state: Int32Array | undefined;
  private _seq = -1;
  private _view: { entryNo: number; slot: bigint }[] = [];

  constructor(options: RollingCacheOptions);
  /** @internal reader side */
  constructor(options: RollingCacheOptions, reader: RollingCacheDescriptor);
  constructor(options: RollingCacheOptions, reader?: RollingCacheDescriptor) {
    if (options === null || typeof options !== "object") throw new InvalidAccountError("RollingAccountCache options must be an object");
    const w = options.window;
    if (!Number.isSafeInteger(w) || w < 1 || w > 1 << 20) {
      throw new InvalidAccountError(`window must be a whole number from 1 to 1048576, got ${String(w)}`);
    }
    this.window = w;
    this._ownsPool = options.pool === undefined;
    this.pool = options.pool ?? new ChunkPool({ shared: true, maxBytes: DEFAULT_POOL_BYTES });
    if (!(this.pool instanceof ChunkPool) || !this.pool.shared) {
      throw new InvalidAccountError("the pool of a rolling cache must be a ChunkPool of shared buffers (shared: true)");
    }
    this.readOnly = reader !== undefined;
    this._dir = new Directory(w, reader?.directory);
    if (reader !== undefined) {
      this._port = reader.port;
      this._state = new Int32Array(reader.state);
      for (const m of reader.entries) this._announce(m);
      Atomics.store(this._state, ATTACHED, 1);
    } else {
      this._gate = new ReaderGate(this.pool, this._readers, () => Atomics.load(this._dir.hdr, 0));
    }
  }

  /**
   * A read-only cache inside a Worker, from the descriptor the owner made with
   * {@link RollingAccountCache.share}.
   * @throws {@link AccountsDescriptorError} for anything else.
   */
  static attach(desc: RollingCacheDescriptor): RollingAccountCache {
    if (
      desc === null ||
      typeof desc !== "object" ||
      desc.kind !== "arenakit.rolling-accounts" ||
      !(desc.directory instanceof SharedArrayBuffer) ||
      typeof desc.port?.postMessage !== "function" ||
      !Array.isArray(desc.entries) ||
      !(desc.state instanceof SharedArrayBuffer) ||
      desc.state.byteLength !== 8
    ) {
      throw new AccountsDescriptorError("RollingAccountCache.attach expects the descriptor made by share(); post it with [descriptor.port] as transfer list");
    }
    return new RollingAccountCache({ window: desc.window }, desc);
  }

  /** A builder whose arena uses the cache's pool (`options` as for {@link AccountsBuilder}). */
  builder(slot: U64, options: Omit<AccountsBuilderOptions, "pool"> = {}): AccountsBuilder {
    this._owner("builder");
    return new AccountsBuilder(slot, { ...options, pool: this._gate! });
  }

  /**
   * Adds the newest slot and evicts (releases) the oldest slots beyond the
   * window. Consumes `frozen`: the cache takes its reference over and
   * `frozen` itself is released (`using` on it does nothing afterwards; read
   * the slot back with `get(slot)`).
   *
   * Every check happens before anything changes: a push that throws leaves
   * the cache, and `frozen`, exactly as they were.
   *
   * @example
   * ```ts
   * import { RollingAccountCache } from "@arenakit/account-cache";
   * using cache = new RollingAccountCache({ window: 4 });
   * const b = cache.builder(1n);
   * b.insertAccount("acct", "owner", 1, new Uint8Array([1]));
   * using frozen = b.finish();
   * cache.push(frozen); // frozen.released is now true; the cache holds the entry
   * cache.latest("acct"); // 1n
   * ```
   * @throws {@link SlotOrderError} when `frozen.slot` is not newer than the
   * newest slot in the cache; {@link InvalidAccountError} for anything but a
   * live `FrozenAccounts` built on this thread; {@link ReadOnlyCacheError} in
   * a reader; {@link AccountsReleasedError} after `release()`.
   */
  push(frozen: FrozenAccounts): void {
    this._owner("push");
    if (!(frozen instanceof FrozenAccounts) || frozen.released) {
      throw new InvalidAccountError("push expects a live FrozenAccounts (from AccountsBuilder.finish())");
    }
    const slot = frozen.slot;
    const newest = this._owned[0];
    if (newest !== undefined && slot <= newest.slot) {
      throw new SlotOrderError(`push: slot ${slot} is not newer than the newest slot in the cache (${newest.slot})`);
    }
    const home = frozen._arc.get().home;
    if (home === undefined) throw new InvalidAccountError("push: only entries built on this thread can be pushed");
    const entryNo = this._nextEntryNo;
    const msg: PushMessage = { entryNo, weak: frozen.shareWeak(), gated: home.pool === this._gate };
    for (const r of this._readers) frozen._arc.reclaimOnExit(r.worker);
    // Nothing below throws: the cache changes only from here on.
    const own = frozen._take("push");
    this._nextEntryNo++;
    home.dropped.add(() => this._dropped(entryNo));
    // Announce first, publish second: a reader that sees the new directory finds the message already queued.
    for (const r of this._readers) r.port.postMessage(msg);
    this._owned.unshift({ frozen: own, entryNo, slot, msg });
    const evicted = this._owned.splice(this.window);
    // SAFETY: the directory stops listing evicted entries before the cache releases them, so a reader's
    // lease-free lookup (latest) that sees the new directory never reads a dropped entry.
    this._dir.write(this._owned);
    for (const e of evicted) {
      this._pinned.set(e.entryNo, e.frozen.byteLength);
      e.frozen.release(); // frees now unless someone still holds the entry; then the drop listener unpins it
    }
  }

  /** A new reference to the accounts of `slot`, or `undefined` if it is not in the window. Release it. */
  get(slot: U64): FrozenAccounts | undefined {
    const s = toU64(slot, "slot");
    if (!this.readOnly) {
      this._live("get");
      return this._owned.find((o) => o.slot === s)?.frozen.clone();
    }
    this._sync();
    const item = this._view.find((v) => v.slot === s);
    return item === undefined ? undefined : this._acquire(item.entryNo);
  }

  /**
   * The newest slot in the window that has an account `id`, or `undefined`.
   * Takes no reference: in a reader it reads the listed entries under an epoch
   * (see the class notes), so it works with any number of reader threads.
   * @throws {@link InvalidAccountError} when `id` is not a string.
   */
  latest(id: string): bigint | undefined {
    if (typeof id !== "string") throw badId("latest", id);
    if (!this.readOnly) {
      this._live("latest");
      for (const o of this._owned) if (o.frozen.has(id)) return o.slot;
      return undefined;
    }
    if (!id.isWellFormed()) {
      this._sync();
      return undefined; // never stored, so never found
    }
    return this._latestReader(id);
  }

  /**
   * The account `id` from the newest slot that has it, with its own reference
   * to that slot's entry (release it), or `undefined`.
   * @throws {@link InvalidAccountError} when `id` is not a string;
   * `LeaseLimitError` (from `@arenakit/yoke`) in a reader when more than
   * `MAX_LEASES` (1,280) threads hold the entry at once.
   */
  project(id: string): SelectedAccount | undefined {
    if (typeof id !== "string") throw badId("project", id);
    return this._newest(id, (frozen) => projectAccount(frozen, id));
  }

  /**
   * Saves the window to `dir`: one snapshot file per slot
   * (`slot-<number>.arenakit`, written safely: temporary file, then rename),
   * and removes the files of slots that have left the window. Call it on
   * shutdown, or periodically; {@link RollingAccountCache.reopen} loads the
   * window back. Resolves to the paths written, oldest slot first.
   *
   * Cost: one write per chunk of each entry; nothing per account.
   * @throws `SnapshotError` (from `@arenakit/bump`) when the file system refuses;
   * {@link ReadOnlyCacheError} in a reader.
   */
  persist(dir: string): Promise<string[]> {
    try {
      this._owner("persist");
    } catch (err) {
      return Promise.reject(err);
    }
    return persistWindow(this, dir);
  }

  /**
   * A new cache whose window is loaded from the files {@link RollingAccountCache.persist}
   * wrote to `dir` (the newest `options.window` slots, pushed oldest first).
   * A warm restart: the entries are read chunk by chunk into shared memory and
   * checked, with no per-account work. An empty or missing-slot directory
   * gives a cache with what is there.
   * @throws `SnapshotError` naming the problem of a bad file (the cache is released first).
   */
  static async reopen(dir: string, options: RollingCacheOptions, load: AccountsLoadOptions = {}): Promise<RollingAccountCache> {
    const cache = new RollingAccountCache(options);
    try {
      await reopenWindow(dir, cache.window, (frozen) => cache.push(frozen), load);
    } catch (err) {
      cache.release();
      throw err;
    }
    return cache;
  }

  /** The slots in the window, newest first. */
  slots(): bigint[] {
    if (!this.readOnly) {
      this._live("slots");
      return this._owned.map((o) => o.slot);
    }
    this._sync();
    return this._view.map((v) => v.slot);
  }

  /**
   * Entries, accounts and bytes held, bytes pinned by outstanding references,
   * readers attached in live Workers, and the pool. Works after `release()`
   * too, to watch pinned entries drain.
   */
  stats(): RollingCacheStats {
    // Still answers after release(): what evicted entries keep pinned is the interesting part then.
    if (this.readOnly && !this._released) this._sync();
    let accounts = 0;
    let bytesHeld = 0;
    for (const o of this._owned) {
      accounts += o.frozen.size;
      bytesHeld += o.frozen.byteLength;
    }
    let bytesPinned = 0;
    for (const b of this._pinned.values()) bytesPinned += b;
    return {
      entries: this.readOnly ? this._view.length : this._owned.length,
      accounts,
      bytesHeld,
      bytesPinned,
      pinnedEntries: this._pinned.size,
      readers: this._attachedReaders(),
      pool: this.pool.stats(),
    };
  }

  /**
   * A descriptor for a read-only view of this cache in the Worker `worker`.
   * Post it with its port transferred: `worker.postMessage(d, [d.port])`.
   * When the Worker exits, the references it held are reclaimed and its port
   * is closed.
   */
  share(worker: CacheReaderTarget): RollingCacheDescriptor {
    this._owner("share");
    if (worker === null || typeof worker !== "object" || typeof worker.threadId !== "number" || typeof worker.once !== "function") {
      throw new InvalidAccountError("share(worker) expects a worker_threads Worker");
    }
    const { port1, port2 } = new MessageChannel();
    port1.unref();
    const state = new SharedArrayBuffer(8);
    const reader: ReaderLink = { port: port1, worker, state: new Int32Array(state) };
    this._readers.add(reader);
    for (const o of this._owned) o.frozen._arc.reclaimOnExit(worker);
    worker.once("exit", () => {
      this._readers.delete(reader); // its epoch no longer holds chunks back
      port1.close();
      this._gate?.flush();
    });
    return {
      kind: "arenakit.rolling-accounts",
      window: this.window,
      directory: this._dir.sab,
      port: port2,
      entries: this._owned.map((o) => o.msg),
      state,
    };
  }

  /**
   * Releases every entry the cache holds (owner), or drops the reader's view
   * (Worker). Entries still referenced elsewhere stay alive until released.
   */
  release(): void {
    if (this._released) return;
    this._released = true;
    if (this.readOnly) {
      Atomics.store(this._state!, EPOCH, 0);
      Atomics.store(this._state!, ATTACHED, 0);
      this._port?.close();
      this._weak.clear();
      return;
    }
    const owned = this._owned.splice(0);
    this._dir.write([]); // readers stop listing the entries before they are released
    for (const o of owned) {
      this._pinned.set(o.entryNo, o.frozen.byteLength);
      o.frozen.release();
    }
    for (const r of this._readers) r.port.close();
    this._readers.clear();
    this._shutdownPool();
  }

  /** Same as {@link RollingAccountCache.release}, for `using`. */
  [Symbol.dispose](): void {
    this.release();
  }

  // ---------------------------------------------------------------- internals

  private _live(what: string): void {
    if (this._released) throw new AccountsReleasedError(`${what}: the cache was released`);
  }

  private _owner(what: string): void {
    this._live(what);
    if (this.readOnly) throw new ReadOnlyCacheError(`${what}: this cache is a read-only view attached in a Worker`);
  }

  private _newest<R>(id: string, f: (frozen: FrozenAccounts) => R): R | undefined {
    if (!this.readOnly) {
      this._live("lookup");
      for (const o of this._owned) if (o.frozen.has(id)) return f(o.frozen);
      return undefined;
    }
    this._sync();
    for (const v of this._view) {
      const frozen = this._acquire(v.entryNo);
      if (frozen === undefined) continue; // evicted and dropped since the directory was read
      try {
        if (frozen.has(id)) return f(frozen);
      } finally {
        frozen.release();
      }
    }
    return undefined;
  }

  private _acquire(entryNo: number): FrozenAccounts | undefined {
    const arc = this._weak.get(entryNo)?.weak.tryAcquire();
    return arc === undefined ? undefined : new FrozenAccounts(arc);
  }

  /** Reader: `latest` without a reference (see {@link ReaderGate}). */
  private _latestReader(id: string): bigint | undefined {
    const state = this._state!;
    for (;;) {
      this._sync();
      const seq = this._seq;
      Atomics.store(state, EPOCH, seq + 2);
      // SAFETY: see ReaderGate._safe. A directory written since _sync may list other entries: look again.
      if (Atomics.load(this._dir.hdr, 0) !== seq) continue;
      let found: bigint | undefined;
      let leased = false;
      try {
        for (const v of this._view) {
          const w = this._weak.get(v.entryNo)!;
          if (!w.gated) {
            leased = true; // its chunks may be recycled outside the cache's pool: hold a reference to read it
            break;
          }
          if (w.views().accounts.find(id) !== 0) {
            found = v.slot;
            break;
          }
        }
      } finally {
        Atomics.store(state, EPOCH, 0);
      }
      if (leased) return this._newest(id, (frozen) => frozen.slot);
      return found;
    }
  }

  private _announce(m: PushMessage): void {
    this._weak.set(m.entryNo, { ...weakEntry(m.weak), gated: m.gated === true });
  }

  private _attachedReaders(): number {
    let n = 0;
    for (const r of this._readers) if (Atomics.load(r.state, ATTACHED) === 1) n++;
    return n;
  }

  /** Owner: an entry was dropped (its chunks are back in the pool, or held back by the gate). */
  private _dropped(entryNo: number): void {
    this._pinned.delete(entryNo);
    if (this._released) this._shutdownPool();
  }

  /**
   * After release(): chunks held back for readers go to the pool once no reader is mid-lookup; once nothing is
   * pinned, the pool the cache made is emptied (a pool passed in keeps its chunks).
   */
  private _shutdownPool(): void {
    this._gate?.flush();
    if (this._pinned.size !== 0 || !this._ownsPool) return;
    this._gate?.clear();
    this.pool.clear();
  }

  /** Reader: brings the local view up to the owner's directory. */
  private _sync(): void {
    this._live("read");
    const hdr = this._dir.hdr;
    for (;;) {
      const s1 = Atomics.load(hdr, 0);
      if (s1 === this._seq) return;
      if ((s1 & 1) === 1) {
        Atomics.wait(hdr, 0, s1, 1); // the owner is writing: wait for it (briefly)
        continue;
      }
      const n = Atomics.load(hdr, 1);
      const view: { entryNo: number; slot: bigint }[] = [];
      for (let i = 0; i < n; i++) {
        view.push({ entryNo: Atomics.load(hdr, 2 + i), slot: BigInt.asUintN(64, Atomics.load(this._dir.slots, i)) });
      }
      if (Atomics.load(hdr, 0) !== s1) continue; // changed while we read: read again
      this._seq = s1;
      this._view = view;
      break;
    }
    const wanted = new Set(this._view.map((v) => v.entryNo));
    const deadline = Date.now() + MESSAGE_WAIT_MS;
    for (;;) {
      let m: { message: PushMessage } | undefined;
      // Keep every announcement: one may arrive before the directory that lists it.
      while ((m = receiveMessageOnPort(this._port!) as { message: PushMessage } | undefined) !== undefined) {
        this._announce(m.message);
      }
      if ([...wanted].every((no) => this._weak.has(no))) break;
      if (Date.now() > deadline) {
        throw new AccountsDescriptorError("the owner published an entry whose announcement never arrived on this reader's port");
      }
      Atomics.wait(hdr, 0, this._seq, 1);
    }
    // Forget evicted entries (older than the newest listed, and not listed); newer ones are still to come.
    const newest = this._view[0]?.entryNo ?? 0;
    for (const no of this._weak.keys()) if (!wanted.has(no) && no < newest) this._weak.delete(no);
  }
}
