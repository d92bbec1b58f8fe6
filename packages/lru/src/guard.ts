import type { BytesPtr, Memory, Ptr, StrPtr } from "@arenakit/bump";
import { StaleViewError } from "./errors.js";

// EntryMemory deliberately does not share its reads with @arenakit/hashmap's GuardedMemory, which has the
// same shape: in A/B runs one shared class made record reads slower (a view is made per `get`, as a subclass
// instance, and call sites that see both packages' memories in one process turn polymorphic): 8-20% more CPU
// time for a lookup and three field reads.

/** What an {@link EntryMemory} watches: the cache's per-slot generations. */
export interface GenerationSource {
  /** @internal per-slot generation; empty once the cache is released. */
  readonly _seq: Int32Array;
}

/**
 * The memory a record view from `ArenaLru.get` reads through. It carries the
 * entry's slot and that slot's generation when the view was made; the cache
 * changes the generation whenever the slot's entry is replaced, removed
 * (evicted, expired, deleted, cleared) or the cache is released. A read
 * through an older generation throws {@link StaleViewError} instead of
 * returning bytes that may now belong to another key.
 *
 * Cost: one object per view and one integer compare per field read. Views of
 * other entries stay valid when an unrelated entry is evicted (the check is
 * per slot, not a cache-wide counter).
 */
export class EntryMemory implements Memory {
  readonly shared: boolean;

  constructor(
    private readonly _m: Memory,
    private readonly _cache: GenerationSource,
    private readonly _slot: number,
    /** The slot's generation this memory is valid for. */
    readonly stamp: number,
  ) {
    this.shared = _m.shared;
  }

  /** Whether the entry this memory was made for is still the one in its slot. */
  get current(): boolean {
    return this._cache._seq[this._slot] === this.stamp;
  }

  private _ok(): Memory {
    if (this._cache._seq[this._slot] !== this.stamp) {
      throw new StaleViewError(
        "this view of a cache entry is stale: the entry was replaced, evicted, expired or deleted after the view was made " +
          "(or the cache was cleared or released), and its memory may now hold another key; look the key up again or use getCopy()",
      );
    }
    return this._m;
  }

  isLive(p: Ptr): boolean {
    return this._cache._seq[this._slot] === this.stamp && this._m.isLive(p);
  }
  readU8(p: Ptr): number {
    return this._ok().readU8(p);
  }
  readU16(p: Ptr): number {
    return this._ok().readU16(p);
  }
  readU32(p: Ptr): number {
    return this._ok().readU32(p);
  }
  readI32(p: Ptr): number {
    return this._ok().readI32(p);
  }
  readF32(p: Ptr): number {
    return this._ok().readF32(p);
  }
  readF64(p: Ptr): number {
    return this._ok().readF64(p);
  }
  readU64(p: Ptr): bigint {
    return this._ok().readU64(p);
  }
  readI64(p: Ptr): bigint {
    return this._ok().readI64(p);
  }
  readStr(p: StrPtr): string {
    return this._ok().readStr(p);
  }
  strByteLength(p: StrPtr): number {
    return this._ok().strByteLength(p);
  }
  strEquals(p: StrPtr, s: string): boolean {
    return this._ok().strEquals(p, s);
  }
  bytes(p: BytesPtr): Uint8Array {
    return this._ok().bytes(p);
  }
  bytesLength(p: BytesPtr): number {
    return this._ok().bytesLength(p);
  }
  memoryOf(p: Ptr): Uint8Array {
    return this._ok().memoryOf(p);
  }
  dataViewOf(p: Ptr): DataView {
    return this._ok().dataViewOf(p);
  }
}
