import type { Memory } from "@arenakit/bump";
import { StampedMemory } from "@arenakit/hashmap/internal";
import { StaleViewError } from "./errors.js";

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
 * returning bytes that may now belong to another key (the reads and the
 * check are `@arenakit/hashmap`'s `StampedMemory`, which guards its map
 * views the same way).
 *
 * Cost: one object per view and one integer compare per field read. Views of
 * other entries stay valid when an unrelated entry is evicted (the check is
 * per slot, not a cache-wide counter).
 */
export class EntryMemory extends StampedMemory {
  constructor(
    m: Memory,
    private readonly _cache: GenerationSource,
    private readonly _slot: number,
    /** The slot's generation this memory is valid for. */
    stamp: number,
  ) {
    super(m, stamp);
  }

  /** Whether the entry this memory was made for is still the one in its slot. */
  override get current(): boolean {
    return this._cache._seq[this._slot] === this.stamp;
  }

  protected override _stale(): Error {
    return new StaleViewError(
      "this view of a cache entry is stale: the entry was replaced, evicted, expired or deleted after the view was made " +
        "(or the cache was cleared or released), and its memory may now hold another key; look the key up again or use getCopy()",
    );
  }
}
