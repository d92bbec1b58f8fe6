import { StalePointerError, type BytesPtr, type Memory, type Ptr, type StrPtr } from "@arenakit/bump";

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
export class GuardedMemory implements Memory {
  readonly shared: boolean;

  constructor(
    private readonly _m: Memory,
    private readonly _map: RemovalSource,
    /** The removal count this memory is valid for. */
    readonly stamp: number,
  ) {
    this.shared = _m.shared;
  }

  private _ok(): Memory {
    if (this._map._removalCount !== this.stamp) {
      throw new StalePointerError(
        "this view of a hash map entry is stale: the map removed entries after the view was made (delete, clear, retain, " +
          "a set that moved the entry, or release), and the entry's memory may now hold another key; look the key up again",
      );
    }
    return this._m;
  }

  isLive(p: Ptr): boolean {
    return this._map._removalCount === this.stamp && this._m.isLive(p);
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
