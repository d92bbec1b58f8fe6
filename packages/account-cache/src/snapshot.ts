import {
  Bump,
  SnapshotError,
  arenaSnapshot,
  bumpFrom,
  checkArena,
  fingerprintOf,
  readSnapshotBytes,
  readSnapshotFile,
  readSnapshotFileSync,
  t,
  writeSnapshotFile,
  writeSnapshotFileSync,
  type LoadedSnapshot,
  type SnapshotParts,
  type SnapshotReadOptions,
  type SnapshotSink,
} from "@arenakit/bump";
import { ArenaHashMap, checkSection, describeValueType, type HashMapHandle } from "@arenakit/hashmap";
import { SelfCell } from "@arenakit/self-cell";
import { AccountValue, type Entry, type Tables } from "./entry.js";

/** The kind name of a frozen-accounts snapshot. */
export const ACCOUNTS_KIND = "accounts";

/** The schema fingerprint of an accounts snapshot: the value layout and the owner map, named exactly. */
export const ACCOUNTS_FINGERPRINT: number = fingerprintOf(`accounts/1:${describeValueType(AccountValue)};owners:${describeValueType(t.bool)}`);

/**
 * Options of `FrozenAccounts.load` and `loadSync`: what the file must hold
 * and how much a loader accepts. Everything is optional.
 */
export interface AccountsLoadOptions {
  /** Largest sum of chunk bytes accepted (a file that claims more is refused before anything is allocated). @defaultValue Infinity (the file size bounds it) */
  readonly maxBytes?: number;
  /** Largest single chunk accepted, in bytes. @defaultValue 4294901760 */
  readonly maxChunkBytes?: number;
  /** The id hash seed the file must have been built with; another is a `"seed"` `SnapshotError`. @defaultValue any */
  readonly seed?: number;
}

interface AccountsSection {
  readonly slot: string;
  readonly checksum?: number;
  readonly accounts: { readonly handle: HashMapHandle; readonly capacity: number };
  readonly owners: { readonly handle: HashMapHandle; readonly capacity: number };
}

/** @internal the parts of a snapshot of an entry (home thread only: a Worker holds no arena of its own). */
export function entrySnapshot(entry: Entry): SnapshotParts {
  const home = entry.home;
  if (home === undefined) {
    throw new SnapshotError("unsupported", "save: this FrozenAccounts was attached in a Worker; save it on the thread that built or loaded it");
  }
  const arena = home.cell.borrowOwner();
  const { accounts, owners } = home.cell.borrowDependent();
  // The entry's own checksum (taken at freeze, when the entry has one) travels in the section, so a
  // load need not take it again: the file's per-chunk CRCs already prove the chunks are those bytes.
  const checksum = (entry as { readonly checksum?: number }).checksum;
  const data: AccountsSection = {
    ...(typeof checksum === "number" ? { checksum } : {}),
    slot: entry.slot.toString(),
    accounts: { handle: accounts.handle(), capacity: accounts.stats().capacity },
    owners: { handle: owners.handle(), capacity: owners.stats().capacity },
  };
  return arenaSnapshot(arena, { kind: ACCOUNTS_KIND, fingerprint: ACCOUNTS_FINGERPRINT, seed: accounts.seed, data });
}

function readOptions(options: AccountsLoadOptions): SnapshotReadOptions {
  if (options === null || typeof options !== "object") throw new SnapshotError("unsupported", "load options must be an object");
  return {
    shared: true,
    kind: ACCOUNTS_KIND,
    fingerprint: ACCOUNTS_FINGERPRINT,
    maxChunks: 256,
    ...(options.maxBytes !== undefined ? { maxTotalBytes: options.maxBytes } : {}),
    ...(options.maxChunkBytes !== undefined ? { maxChunkBytes: options.maxChunkBytes } : {}),
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
  };
}

/** @internal an entry over a loaded snapshot: its own arena (shared memory), the maps attached read-only. */
export function entryFrom(loaded: LoadedSnapshot, path?: string): Entry {
  const arena = checkArena(loaded, path);
  const s = arena.data as Partial<AccountsSection> | null;
  const bad = (): never => {
    throw new SnapshotError("malformed", "the section does not describe frozen accounts", path === undefined ? {} : { path });
  };
  if (s === null || typeof s !== "object" || typeof s.slot !== "string" || !/^\d{1,20}$/.test(s.slot)) bad();
  const slot = BigInt(s!.slot!);
  if (slot > 0xffffffffffffffffn) bad();
  const acc = checkSection(s!.accounts, path);
  const own = checkSection(s!.owners, path);
  if (acc.handle.seed !== loaded.seed) bad();
  const bump: Bump = bumpFrom(arena, { shared: true });
  const cell = SelfCell.new(
    bump,
    (memory): Tables => ({
      accounts: ArenaHashMap.attach(memory, acc.handle, { value: AccountValue }),
      owners: ArenaHashMap.attach(memory, own.handle, { value: t.bool }),
    }),
    {
      disposeDependent: (tables) => {
        tables.accounts.release();
        tables.owners.release();
      },
    },
  );
  const { accounts } = cell.borrowDependent();
  const entry: Entry = { slot, size: accounts.size, memory: bump, accounts, home: { cell, dropped: new Set() } };
  if (typeof s!.checksum === "number" && Number.isInteger(s!.checksum) && s!.checksum >= 0 && s!.checksum <= 0xffffffff) {
    const chunks = loaded.buffers.map((b, c) => new Uint8Array(b, 0, loaded.chunkBytes[c]));
    Object.assign(entry, { chunks, checksum: s!.checksum });
  }
  return entry;
}

/** @internal */
export function saveEntrySync(entry: Entry, path: string): number {
  return writeSnapshotFileSync(path, entrySnapshot(entry));
}

/** @internal */
export function saveEntry(entry: Entry, target: string | SnapshotSink): Promise<number> {
  try {
    return writeSnapshotFile(target, entrySnapshot(entry));
  } catch (err) {
    return Promise.reject(err);
  }
}

/** @internal */
export function loadEntrySync(path: string, options: AccountsLoadOptions): Entry {
  return entryFrom(readSnapshotFileSync(path, readOptions(options)), path);
}

/** @internal */
export async function loadEntry(path: string, options: AccountsLoadOptions): Promise<Entry> {
  return entryFrom(await readSnapshotFile(path, readOptions(options)), path);
}

/** @internal */
export function entryFromBytes(bytes: Uint8Array, options: AccountsLoadOptions): Entry {
  return entryFrom(readSnapshotBytes(bytes, readOptions(options)));
}
