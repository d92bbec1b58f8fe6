import {
  ArenaReader,
  struct,
  t,
  type Bump,
  type BufferPool,
  type BytesPtr,
  type FieldType,
  type Layout,
  type Memory,
  type Ptr,
  type StrPtr,
} from "@arenakit/bump";
import { ArenaHashMap, type EntryPtr } from "@arenakit/hashmap";
import type { SelfCell } from "@arenakit/self-cell";
import type { EntryPayload } from "./api.js";
import { AccountsReleasedError } from "./errors.js";

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
   * Owner strings decoded on this thread, by the pointer of the interned
   * owner: a few programs own most accounts, so each is decoded once per
   * thread instead of on every read. Set by `freeze()` (or `materialize`).
   */
  readonly owners?: Map<number, string>;
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
  return { slot: payload.slot, size: payload.size, memory, accounts, chunks, checksum: payload.checksum, owners: new Map() };
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
 */
export class AccountView {
  /** @internal */
  private readonly _m: Memory;
  /** @internal the value's pointer */
  private readonly _vp: number;
  /** @internal */
  private readonly _guard: Guard;
  /** @internal decoded owners of the entry on this thread */
  private readonly _owners: Map<number, string>;

  /** @internal */
  constructor(memory: Memory, valuePtr: Ptr, guard: Guard, owners: Map<number, string>) {
    this._m = memory;
    this._vp = valuePtr;
    this._guard = guard;
    this._owners = owners;
  }

  /**
   * The owner program's id. Owners are interned per entry, so each distinct
   * owner is decoded once per thread and the same string is returned after.
   */
  get owner(): string {
    this._live("owner");
    const p = this._m.readF64((this._vp + OFF_OWNER) as Ptr);
    let s = this._owners.get(p);
    if (s === undefined) {
      s = this._m.readStr(p as StrPtr);
      this._owners.set(p, s);
    }
    return s;
  }

  /** The account's data: a zero-copy `Uint8Array` over the entry's (shared) memory. Do not write to it. */
  get data(): Uint8Array {
    this._live("data");
    return this._m.bytes(this._m.readF64((this._vp + OFF_DATA) as Ptr) as BytesPtr);
  }

  /** The account's index, a u64. */
  get index(): bigint {
    this._live("index");
    return this._m.readU64((this._vp + OFF_INDEX) as Ptr);
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

/** Looks up `id` in an entry: the entry pointer (for the stored key) and the value pointer, or undefined. */
export function lookup(entry: Entry, id: string): { entry: EntryPtr; value: Ptr } | undefined {
  const e = entry.accounts.find(id);
  if (e === 0) return undefined;
  return { entry: e, value: entry.accounts.valuePtr(e) };
}
