// Epoch-based reclamation between a rolling cache's owner and its reader Workers: the pool front that holds back
// chunks a reader may still be probing without a reference.
import type { BufferPool, ChunkPool } from "@arenakit/bump";

/** Words of a reader's state buffer: set while attached; the epoch of a lookup in progress (0 when none). */
export const ATTACHED = 0;
export const EPOCH = 1;

/**
 * The pool the cache's builders use: a front for `cache.pool` that holds back
 * chunks given while a reader is reading without a reference (`latest`).
 *
 * Why: a reader's `latest(id)` reads the entries its directory lists without
 * taking a lease, so that no thread count limit applies to it. The owner
 * keeps every listed entry alive, but an entry evicted while such a read is in
 * progress could be dropped and its chunks handed to the next builder, which
 * would overwrite bytes the reader is still probing. So a chunk given back is
 * stamped with the directory's sequence number; it goes to the real pool only
 * once every reader is idle or has started a lookup after that sequence
 * number (and so reads a directory that no longer lists the entry). This is
 * epoch-based reclamation, with one epoch word per reader; a reader that
 * exits is forgotten with its Worker.
 */
export class ReaderGate implements BufferPool {
  readonly shared = true;
  private readonly _held: { buf: ArrayBuffer | SharedArrayBuffer; stamp: number }[] = [];

  constructor(
    private readonly _pool: ChunkPool,
    private readonly _readers: ReadonlySet<{ readonly state: Int32Array }>,
    private readonly _seq: () => number,
  ) {}

  take(minBytes: number, maxBytes?: number): ArrayBuffer | SharedArrayBuffer | undefined {
    this.flush();
    return this._pool.take(minBytes, maxBytes);
  }

  give(buffer: ArrayBuffer | SharedArrayBuffer): void {
    const stamp = this._seq() + 2;
    if (this._safe(stamp)) this._pool.give(buffer);
    else this._held.push({ buf: buffer, stamp });
  }

  /** Hands every chunk that no reader can still be reading to the real pool. */
  flush(): void {
    if (this._held.length === 0) return;
    const keep: { buf: ArrayBuffer | SharedArrayBuffer; stamp: number }[] = [];
    for (const h of this._held) {
      if (this._safe(h.stamp)) this._pool.give(h.buf);
      else keep.push(h);
    }
    this._held.length = 0;
    this._held.push(...keep);
  }

  /** Chunks held back now. */
  get heldBack(): number {
    return this._held.length;
  }

  /** Drops what is held back (the cache was released and nothing is pinned). */
  clear(): void {
    this._held.length = 0;
  }

  private _safe(stamp: number): boolean {
    // SAFETY: a reader stores its epoch, then checks that the directory's sequence is still the one it
    // stored (sequentially consistent atomics). If this load misses that store, the reader's check comes
    // after the directory write that evicted the entry, so it retries with a directory without it.
    for (const r of this._readers) {
      const e = Atomics.load(r.state, EPOCH);
      if (e !== 0 && e < stamp) return false;
    }
    return true;
  }
}
