// Checking a cache's options and sizing its memory from them: shared by the
// constructor, budgetFor and load.
import { InvalidArgumentError, Layout, type AnyField } from "@arenakit/bump";
import type { KeyKind, LruOptions, ValueSpec } from "./api.js";
import { MAX_SLOTS, VALUE_BYTES, VALUE_RECORD, VALUE_STRING, metaBytes } from "./meta.js";

export const DEFAULT_AVERAGE_ENTRY = 96;
/** Per-entry bytes besides key and value, used only to size the table from the budget. */
export const ENTRY_OVERHEAD_ESTIMATE = 36;
/** Bytes per slot in the link arrays (hash, prev, next, offset, generation; shared caches add 1). */
export const SLOT_BYTES = 20;
/** Per-entry block bytes besides key and value: 4-byte entry header (also the block's header), ~4 of rounding. */
export const BLOCK_OVERHEAD_ESTIMATE = 8;
/** The table is at most this full (linear probing; any size, indexed by scaling the hash). */
export const MAX_LOAD = 0.8;
export const MIN_HEAP = 64;
/** Heap bytes outside the entries' region: the FreeListAllocator's first block starts 4 bytes in, after a 4-byte header, and ends 8 before the end. */
export const REGION_OVERHEAD = 16;
/** FreeListAllocator's largest buffer. */
export const MAX_HEAP: number = 2 ** 32 - 8;

export const defaultNow = (): number => performance.timeOrigin + performance.now();

export function checkLoadOptions(options: unknown): void {
  if (options === null || typeof options !== "object") {
    throw new InvalidArgumentError(`load options must be an object (or left out), got ${describe(options)}`);
  }
}

export function tableSizeFor(entries: number): number {
  return Math.max(8, Math.ceil(entries / MAX_LOAD));
}

export function checkTtl(ttl: unknown): void {
  if (typeof ttl !== "number" || !Number.isFinite(ttl) || ttl < 0) {
    throw new InvalidArgumentError(`ttl must be a finite number of milliseconds >= 0 (0: no expiry), got ${String(ttl)}`);
  }
}

export function checkFixedSize(layout: Layout<any>, path: string): void {
  for (const f of layout.fields) {
    const type = f.type as AnyField;
    if (type.kind === "str" || type.kind === "bytes") {
      throw new InvalidArgumentError(
        `${path}: field "${f.name}" is ${type.kind === "str" ? "t.str" : "t.bytes"}; cache values must be fixed-size records ` +
          "(store variable-length data as the \"bytes\" or \"string\" value kind instead)",
      );
    }
    if (type.kind === "struct") checkFixedSize(type as Layout<any>, `${path}.${f.name}`);
  }
}

export function describe(v: unknown): string {
  if (v === null) return "null";
  if (typeof v === "object") return (v as object).constructor?.name ?? "object";
  return typeof v;
}

/** A cache's settings, checked, with the sizes of its two buffers. */
export interface ResolvedOptions {
  readonly maxBytes: number;
  readonly max: number;
  readonly ttl: number;
  readonly key: KeyKind;
  readonly value: ValueSpec;
  readonly valueKind: number;
  readonly shared: boolean;
  readonly tableSize: number;
  /** Bytes of the meta buffer. */
  readonly mb: number;
  /** Bytes of the heap buffer. */
  readonly heapSize: number;
  /** Whether freed blocks merge with free neighbours. */
  readonly coalesce: boolean;
}

/** Checks the constructor's options (typed errors naming the option) and sizes the table, links and heap. */
export function resolveOptions(options: LruOptions<KeyKind, ValueSpec>): ResolvedOptions {
  if (options === null || typeof options !== "object") {
    throw new InvalidArgumentError(`ArenaLru options must be an object with maxBytes, got ${String(options)}`);
  }
  const maxBytes = options.maxBytes;
  if (typeof maxBytes !== "number" || !Number.isSafeInteger(maxBytes) || maxBytes <= 0) {
    throw new InvalidArgumentError(`options.maxBytes must be a positive whole number of bytes, got ${String(maxBytes)}`);
  }
  const avg = options.averageEntryBytes ?? DEFAULT_AVERAGE_ENTRY;
  if (typeof avg !== "number" || !Number.isFinite(avg) || avg <= 0) {
    throw new InvalidArgumentError(`averageEntryBytes must be a positive number, got ${String(avg)}`);
  }
  let max = options.max;
  let tableSize = 8;
  if (max === undefined) {
    const guess = Math.max(1, Math.min(MAX_SLOTS, Math.floor(maxBytes / (avg + ENTRY_OVERHEAD_ESTIMATE))));
    tableSize = tableSizeFor(guess);
    // With the table fixed, as many slots as average entries fit in what is left (slot arrays + block each).
    const fit = Math.floor((maxBytes - metaBytes(tableSize, 0, false)) / (avg + SLOT_BYTES + BLOCK_OVERHEAD_ESTIMATE));
    max = Math.max(1, Math.min(MAX_SLOTS, Math.floor(tableSize * MAX_LOAD), fit));
  } else if (typeof max !== "number" || !Number.isInteger(max) || max < 1 || max > MAX_SLOTS) {
    throw new InvalidArgumentError(`max must be a whole number of entries from 1 to ${MAX_SLOTS}, got ${String(max)}`);
  }
  const ttl = options.ttl ?? 0;
  checkTtl(ttl);
  const key = options.key ?? "string";
  if (key !== "string" && key !== "bytes") {
    throw new InvalidArgumentError(`key must be "string" or "bytes", got ${String(key)}`);
  }
  const value = options.value ?? "bytes";
  let valueKind: number;
  if (value === "bytes") valueKind = VALUE_BYTES;
  else if (value === "string") valueKind = VALUE_STRING;
  else if (value instanceof Layout) {
    checkFixedSize(value, "value layout");
    valueKind = VALUE_RECORD;
  } else {
    throw new InvalidArgumentError(`value must be "bytes", "string" or a Layout from struct(), got ${String(value)}`);
  }
  if (options.now !== undefined && typeof options.now !== "function") {
    throw new InvalidArgumentError("now must be a function returning milliseconds");
  }
  if (options.onEvict !== undefined && typeof options.onEvict !== "function") {
    throw new InvalidArgumentError("onEvict must be a function");
  }
  const shared = options.shared ?? false;
  if (shared && typeof SharedArrayBuffer === "undefined") {
    throw new InvalidArgumentError("shared: true needs SharedArrayBuffer, which this environment does not expose");
  }

  tableSize = tableSizeFor(max);
  const mb = metaBytes(tableSize, max, shared);
  const heapSize = Math.min(MAX_HEAP, Math.floor((maxBytes - mb) / 8) * 8);
  if (heapSize < MIN_HEAP) {
    throw new InvalidArgumentError(
      `maxBytes ${maxBytes} is too small: the table and links for ${max} entries take ${mb} bytes, ` +
        `leaving less than ${MIN_HEAP} bytes for keys and values (raise maxBytes or lower max)`,
    );
  }
  const allocator = options.allocator ?? "coalescing";
  if (allocator !== "coalescing" && allocator !== "size-classes") {
    throw new InvalidArgumentError(`allocator must be "coalescing" or "size-classes", got ${describe(allocator)}`);
  }
  return { maxBytes, max, ttl, key, value, valueKind, shared, tableSize, mb, heapSize, coalesce: allocator === "coalescing" };
}
