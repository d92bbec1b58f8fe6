import {
  ArenaReader,
  struct,
  t,
  type Bump,
  type BufferPool,
  type FieldType,
  type Layout,
  type Memory,
  type Ptr,
} from "@arenakit/bump";
import { ArenaHashMap, type EntryPtr } from "@arenakit/hashmap";
import type { SelfCell } from "@arenakit/self-cell";
import type { EntryPayload } from "./api.js";
import { AccountsReleasedError } from "./errors.js";
import { EntryReader } from "./reader.js";

/**
 * The value stored under each account id in an entry's hash map: the index,
 * a pointer to the owner string (interned once per entry: a few programs own
 * most accounts) and the data bytes. 24 bytes inline; the data follows
 * separately with its 4-byte length.
 */
export const AccountValue: Layout<AccountValueSchema> = struct({ index: t.u64, owner: t.f64, data: t.bytes });
/** The layout of {@link AccountValue}. */
export type AccountValue = Layout<AccountValueSchema>;
/** The schema of {@link AccountValue}. */
export type AccountValueSchema = {
  readonly index: FieldType<bigint, bigint | number>;
  readonly owner: FieldType<number>;
  readonly data: FieldType<Uint8Array>;
};

const OFF_INDEX = AccountValue.offsetOf("index");
const OFF_OWNER = AccountValue.offsetOf("owner");
const OFF_DATA = AccountValue.offsetOf("data");
const VALUE_SIZE = AccountValue.size;
/** 2^21: an index whose high word is below it is a safe integer, so `BigInt(number)` can make it. */
const SAFE_HIGH = 0x200000;

/** One slot's accounts as seen by one thread. */
export interface Entry {
  readonly slot: bigint;
  readonly size: number;
  readonly memory: Memory;
  readonly accounts: ArenaHashMap<AccountValue>;
  /**
   * The used bytes of every chunk of the entry's arena, in order (what the
   * checksum covers). Set by `freeze()` (or from the payload in a Worker).
   */
  readonly chunks?: readonly Uint8Array[];
  /** CRC-32 of `chunks`, taken when the entry was frozen. */
  readonly checksum?: number;
  /**
   * This thread's read access to the entry: its chunk views, found once, and
   * the owner strings decoded so far (owners are interned per entry and a few
   * programs own most accounts, so each is decoded once per thread instead of
   * on every read). Set by `freeze()` (or `materialize`).
   * @internal
   */
  readonly reader?: EntryReader;
  /**
   * Home thread only: the arena bound to the maps allocated in it (the Rust
   * version's `AccountsCell`), disposed dependent-first at drop, and the
   * listeners told when that happens.
   */
  readonly home?: {
    readonly cell: SelfCell<Bump, Tables>;
    readonly dropped: Set<() => void>;
    /** The pool the arena's chunks return to, if any. */
    readonly pool?: BufferPool;
  };
}

/** The maps that live in an entry's arena. */
export interface Tables {
  readonly accounts: ArenaHashMap<AccountValue>;
  /** Owner strings, interned: the key of each entry is the owner, the value unused. */
  readonly owners: ArenaHashMap<typeof t.bool>;
}

/** Rebuilds an entry on a thread that received its payload: zero-copy, read-only. */
export function materialize(payload: EntryPayload): Entry {
  const memory = ArenaReader.attach(payload.arena);
  const accounts = ArenaHashMap.attach(memory, payload.accounts, { value: AccountValue });
  const chunks = payload.arena.buffers.map((b, i) => new Uint8Array(b, 0, payload.used[i]));
  return { slot: payload.slot, size: payload.size, memory, accounts, chunks, checksum: payload.checksum, reader: new EntryReader(memory) };
}

/** Something whose `released` flag guards views taken through it. */
export interface Guard {
  readonly released: boolean;
}

/**
 * A read-only, zero-copy view of one account: each field is read from the
 * entry's memory when accessed, and `data` aliases it.
 *
 * Valid while the handle it came from (a `FrozenAccounts` or a
 * `SelectedAccount`) is alive: after that handle is released, every field
 * throws {@link AccountsReleasedError}, even if the memory was already
 * recycled into another entry.
 *
 * Cost: `owner` returns a string decoded once per owner and thread; `data`
 * makes one `Uint8Array` over the entry's memory per access (keep it rather
 * than reading it twice); `index` makes a bigint per access.
 */
export class AccountView {
  /** @internal this thread's reader of the entry */
  private readonly _r: EntryReader;
  /** @internal the DataView of the value's chunk */
  private readonly _dv: DataView;
  /** @internal the value's offset in that chunk */
  private readonly _o: number;
  /** @internal */
  private readonly _guard: Guard;

  /** @internal use viewAt or viewOfEntry */
  constructor(reader: EntryReader, dv: DataView, offset: number, guard: Guard) {
    this._r = reader;
    this._dv = dv;
    this._o = offset;
    this._guard = guard;
  }

  /**
   * The owner program's id. Owners are interned per entry, so each distinct
   * owner is decoded once per thread and the same string is returned after.
   */
  get owner(): string {
    this._live("owner");
    return this._r.owner(this._dv.getFloat64(this._o + OFF_OWNER, true));
  }

  /** The account's data: a zero-copy `Uint8Array` over the entry's (shared) memory. Do not write to it. */
  get data(): Uint8Array {
    this._live("data");
    return this._r.bytes(this._dv.getFloat64(this._o + OFF_DATA, true));
  }

  /** The account's index, a u64. */
  get index(): bigint {
    this._live("index");
    const dv = this._dv;
    const o = this._o + OFF_INDEX;
    const hi = dv.getUint32(o + 4, true);
    // BigInt of a safe integer is several times cheaper than getBigUint64 (measured on Node 20).
    if (hi < SAFE_HIGH) return BigInt(hi * 4294967296 + dv.getUint32(o, true));
    return dv.getBigUint64(o, true);
  }

  /** A plain copy: `{ owner, data, index }` with the data copied out of the arena. */
  toOwned(): { owner: string; data: Uint8Array; index: bigint } {
    return { owner: this.owner, data: this.data.slice(), index: this.index };
  }

  /** JSON form (`index` as a decimal string, `data` as its length). */
  toJSON(): { owner: string; index: string; dataLength: number } {
    return { owner: this.owner, index: this.index.toString(), dataLength: this.data.length };
  }

  private _live(field: string): void {
    if (this._guard.released) {
      throw new AccountsReleasedError(`account.${field}: the handle this account was read through was released`);
    }
  }
}

/**
 * The view of the account whose value is at `valuePtr`, read through
 * `reader` and valid while `guard` is not released. A module function rather
 * than a static, so that it is no part of the public API. @internal
 */
export function viewAt(reader: EntryReader, valuePtr: number, guard: Guard): AccountView {
  const c = reader.slotOf(valuePtr);
  const o = valuePtr >>> 0;
  // Checked once here, so the getters' DataView reads stay inside the chunk.
  if (o + VALUE_SIZE > reader.chunkLength(c)) reader.memory.readF64((valuePtr + VALUE_SIZE - 8) as Ptr); // throws
  return new AccountView(reader, reader.dataView(c), o, guard);
}

/**
 * The view of the account in the map entry `entry` (from `find`). The entry
 * was just compared with the id, so its key length is in cache. @internal
 */
export function viewOfEntry(reader: EntryReader, entry: number, guard: Guard): AccountView {
  const c = reader.slotOf(entry);
  const o = entry >>> 0;
  const dv = reader.dataView(c);
  // SAFETY: find() returned this entry after comparing its key, so its length word is inside the chunk.
  const vo = o + 4 + dv.getUint32(o, true);
  if (vo + VALUE_SIZE > reader.chunkLength(c)) reader.memory.readF64((entry + (vo - o) + VALUE_SIZE - 8) as Ptr); // throws
  return new AccountView(reader, dv, vo, guard);
}

/** Looks up `id` in an entry: the entry pointer (for the stored key) and the value pointer, or undefined. */
export function lookup(entry: Entry, id: string): { entry: EntryPtr; value: Ptr } | undefined {
  const e = entry.accounts.find(id);
  if (e === 0) return undefined;
  return { entry: e, value: entry.accounts.valuePtr(e) };
}
