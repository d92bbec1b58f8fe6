export { SnapshotError, type SnapshotProblem } from "./errors.js";
export {
  HEADER_BYTES,
  SNAPSHOT_MAGIC,
  SNAPSHOT_VERSION,
  TABLE_ROW_BYTES,
  fingerprintOf,
  type LoadedSnapshot,
  type SnapshotInfo,
  type SnapshotParts,
  type SnapshotReadOptions,
} from "./format.js";
export { crc32 } from "./crc32.js";
export {
  encodeSnapshot,
  readSnapshotBytes,
  readSnapshotFile,
  readSnapshotFileSync,
  writeSnapshotFile,
  writeSnapshotFileSync,
  type SnapshotSink,
} from "./file.js";
export {
  ARENA_KIND,
  arenaFromBytes,
  arenaSnapshot,
  bumpFrom,
  checkArena,
  loadArena,
  loadArenaReader,
  loadArenaReaderSync,
  loadArenaSync,
  readerFrom,
  saveArena,
  saveArenaSync,
  type ArenaLoadOptions,
  type ArenaSnapshotExtra,
  type CheckedArena,
} from "./arena.js";
