// Publication across threads: the owner writes records into a shared arena and
// publishes each one with an Atomics.store; readers Atomics.load the count
// before they read. Used by the "Sharing memory with Workers" chapter and run,
// with a real Worker reading concurrently, by test/publish.test.ts.

// #region log
import {
  ArenaReader,
  Bump,
  struct,
  t,
  type ArenaDescriptor,
  type Owned,
  type Ptr,
} from "@arenakit/bump";

export const Account = struct({ owner: t.str, data: t.bytes, index: t.u64 });

/** What the owner posts to a reader once: all shared, nothing copied later. */
export interface SharedLog {
  // the arena's memory (one growable SharedArrayBuffer)
  readonly arena: ArenaDescriptor;
  readonly count: Int32Array; // [0]: how many records are published
  readonly index: Float64Array; // pointers of the published records, in order
}

export function createLog(capacity: number): { bump: Bump; log: SharedLog } {
  // "reserve" growth keeps the arena in ONE growable SharedArrayBuffer: when the
  // owner grows it, readers see the new length without being sent anything.
  const reserve = 256 * 1024 * 1024;
  const bump = new Bump({ shared: true, growth: "reserve", reserve });
  bump.alloc(0); // create the buffer now, so the descriptor names it
  const count = new Int32Array(new SharedArrayBuffer(4));
  const index = new Float64Array(new SharedArrayBuffer(capacity * 8));
  return { bump, log: { arena: bump.share(), count, index } };
}
// #endregion log

// #region publish
type AccountRecord = Owned<typeof Account.schema>;

export function publish(bump: Bump, log: SharedLog, record: AccountRecord): void {
  const p = Account.write(bump, record); // 1. write the record's bytes
  const n = log.count[0]!; // only the owner writes the count
  log.index[n] = p; // 2. write where it is
  // 3. Publish. Atomics.store is sequentially consistent: every write above
  // happens-before any read that observes the new count through Atomics.load.
  Atomics.store(log.count, 0, n + 1);
  Atomics.notify(log.count, 0);
}
// #endregion publish

// #region read
export function readNew(
  reader: ArenaReader,
  log: SharedLog,
  seen: number,
): AccountRecord[] {
  const n = Atomics.load(log.count, 0); // acquire: records [0, n) are fully written
  const out: Owned<typeof Account.schema>[] = [];
  for (let i = seen; i < n; i++) out.push(Account.read(reader, log.index[i] as Ptr));
  return out;
}

/** One record published and read, on one thread (a Worker reads the same way). */
export function readBack(): { before: AccountRecord[]; after: AccountRecord[] } {
  const { bump, log } = createLog(4);
  const reader = ArenaReader.attach(log.arena); // a Worker attaches the same descriptor
  const before = readNew(reader, log, 0); // → []
  publish(bump, log, { owner: "Sparky-11", data: new Uint8Array([7]), index: 11n });
  const after = readNew(reader, log, 0); // → [{ owner: "Sparky-11",
  //   data: new Uint8Array([7]), index: 11n }]
  return { before, after };
}
// #endregion read
