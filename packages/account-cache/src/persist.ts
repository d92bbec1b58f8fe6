// Persisting a rolling cache's window: one snapshot file per slot in a
// directory, named so that names sort like slots. Node-only (node:fs), used by
// RollingAccountCache.persist/reopen, which live behind the `./node` subpath.
import { readdir, mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { SnapshotError } from "@arenakit/bump";
import { FrozenAccounts } from "./frozen.js";
import type { AccountsLoadOptions } from "./snapshot.js";

const SLOT_FILE = /^slot-(\d{20})\.arenakit$/;

/** The file name of a slot's snapshot in a persisted window: zero-padded, so names sort like slots. */
export function slotFileName(slot: bigint): string {
  return `slot-${slot.toString().padStart(20, "0")}.arenakit`;
}

/** What persisting needs from a cache: its slots and a reference to each. */
interface Window {
  slots(): bigint[];
  get(slot: bigint): FrozenAccounts | undefined;
}

/** Saves every slot of `cache` into `dir` (oldest first) and removes files of slots that left the window. */
export async function persistWindow(cache: Window, dir: string): Promise<string[]> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (err) {
    throw new SnapshotError("io", `creating the directory failed: ${(err as Error).message}`, { path: dir, cause: err });
  }
  const slots = cache.slots().reverse();
  const written: string[] = [];
  for (const slot of slots) {
    const frozen = cache.get(slot);
    if (frozen === undefined) continue; // evicted meanwhile
    try {
      const path = join(dir, slotFileName(slot));
      await frozen.save(path);
      written.push(path);
    } finally {
      frozen.release();
    }
  }
  const keep = new Set(slots.map(slotFileName));
  for (const name of await readdir(dir)) {
    if (SLOT_FILE.test(name) && !keep.has(name)) await rm(join(dir, name), { force: true });
  }
  return written;
}

/** The newest `window` slot files of `dir`, oldest first. */
export async function slotFiles(dir: string, window: number): Promise<{ slot: bigint; path: string }[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    throw new SnapshotError("io", `reading the directory failed: ${(err as Error).message}`, { path: dir, cause: err });
  }
  return names
    .map((name) => SLOT_FILE.exec(name))
    .filter((m) => m !== null)
    .map((m) => ({ slot: BigInt(m[1]!), path: join(dir, m[0]) }))
    .sort((a, b) => (a.slot < b.slot ? -1 : a.slot > b.slot ? 1 : 0))
    .slice(-window);
}

/** Loads the slot files of `dir` into `push`, oldest first; a file whose slot differs from its name is refused. */
export async function reopenWindow(dir: string, window: number, push: (f: FrozenAccounts) => void, options: AccountsLoadOptions): Promise<void> {
  for (const { slot, path } of await slotFiles(dir, window)) {
    const frozen = await FrozenAccounts.load(path, options);
    if (frozen.slot !== slot) {
      frozen.release();
      throw new SnapshotError("malformed", `holds slot ${frozen.slot}, but its name says ${slot}`, { path });
    }
    push(frozen);
  }
}
