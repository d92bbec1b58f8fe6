import { StalePointerError, type BytesPtr, type Memory, type Ptr, type StrPtr } from "@arenakit/bump";

/**
 * A {@link Memory} that reads through another one while the stamp it was made
 * with is current, and throws once it is not: the guard that record views of
 * arena structures read through, so a view of an entry that was removed (and
 * whose memory may now hold another key) throws instead of reading garbage. A
 * subclass says what "current" means and what the stale read throws; a hash
 * map's {@link GuardedMemory} and `@arenakit/lru`'s entry memory are the two.
 *
 * Cost: one `current` check per field read (an integer compare in both
 * subclasses). Gotcha: only reads are checked; raw `memoryOf`/`dataViewOf`
 * views taken while current stay usable afterwards.
 *
 * @example
 * ```ts
 * import { Bump, StalePointerError, type Memory } from "@arenakit/bump";
 * import { StampedMemory } from "@arenakit/hashmap/internal";
 * class Versioned extends StampedMemory {
 *   constructor(m: Memory, private readonly _src: { version: number }) {
 *     super(m, _src.version);
 *   }
 *   override get current(): boolean {
 *     return this._src.version === this.stamp;
 *   }
 *   protected override _stale(): Error {
 *     return new StalePointerError("the source changed");
 *   }
 * }
 * const arena = new Bump();
 * const src = { version: 1 };
 * const mem = new Versioned(arena, src);
 * src.version++; // reads through `mem` now throw StalePointerError
 * ```
 */
export abstract class StampedMemory implements Memory {
  readonly shared: boolean;

  constructor(
    /** The memory reads go to while the stamp is current. */
    protected readonly _m: Memory,
    /** The stamp this memory is valid for. */
    readonly stamp: number,
  ) {
    this.shared = _m.shared;
  }

  /** Whether the stamp is still current (reads pass through). */
  abstract get current(): boolean;

  /** The error a read throws once the stamp is not current. */
  protected abstract _stale(): Error;

  private _ok(): Memory {
    if (!this.current) throw this._stale();
    return this._m;
  }

  isLive(p: Ptr): boolean {
    return this.current && this._m.isLive(p);
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

/** What a {@link GuardedMemory} watches: the map's removal count (-1 once released). */
interface RemovalSource {
  readonly _removalCount: number;
}

/**
 * The memory that record views of a hash map read through. It carries the
 * map's removal count from when the view was made; once the map removes any
 * entry (delete, clear, retain, a replace that moves the entry, release), the
 * count moves on and every read through an older `GuardedMemory` throws
 * {@link StalePointerError}. A removed entry's memory is reused by later
 * inserts, so without this a view of a deleted key would read another key's
 * data. Cost: one compare per field read; one object per removal, not per view.
 */
export class GuardedMemory extends StampedMemory {
  constructor(
    m: Memory,
    private readonly _map: RemovalSource,
    stamp: number,
  ) {
    super(m, stamp);
  }

  override get current(): boolean {
    return this._map._removalCount === this.stamp;
  }

  protected override _stale(): Error {
    return new StalePointerError(
      "this view of a hash map entry is stale: the map removed entries after the view was made (delete, clear, retain, " +
        "a set that moved the entry, or release), and the entry's memory may now hold another key; look the key up again",
    );
  }
}
