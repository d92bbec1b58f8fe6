import { InvalidArgumentError, ReadOnlyError, type Allocator, type Memory, type Ptr } from "@arenakit/bump";
import { describe } from "./values.js";

function refuse(what: string): never {
  throw new ReadOnlyError(`${what}: this map reads memory it does not own (attached from a handle)`);
}

/**
 * An `Allocator` over memory this thread may only read (an `ArenaReader`):
 * reads are delegated, every allocation and write throws `ReadOnlyError`.
 * Attached maps use it so that a mistaken write can never reach memory that
 * another thread owns.
 */
export function readOnlyAllocator(memory: Memory): Allocator {
  if (memory === null || typeof memory !== "object" || typeof (memory as Partial<Memory>).readU8 !== "function") {
    throw new InvalidArgumentError(`attach: memory must be arena memory (a Bump, FreeListAllocator or ArenaReader), got ${describe(memory)}`, "memory");
  }
  return {
    shared: memory.shared,
    canFree: false,
    isLive: (p) => memory.isLive(p),
    readU8: (p) => memory.readU8(p),
    readU16: (p) => memory.readU16(p),
    readU32: (p) => memory.readU32(p),
    readI32: (p) => memory.readI32(p),
    readF32: (p) => memory.readF32(p),
    readF64: (p) => memory.readF64(p),
    readU64: (p) => memory.readU64(p),
    readI64: (p) => memory.readI64(p),
    readStr: (p) => memory.readStr(p),
    strByteLength: (p) => memory.strByteLength(p),
    strEquals: (p, s) => memory.strEquals(p, s),
    bytes: (p) => memory.bytes(p),
    bytesLength: (p) => memory.bytesLength(p),
    memoryOf: (p) => memory.memoryOf(p),
    dataViewOf: (p) => memory.dataViewOf(p),
    alloc: (): Ptr => refuse("alloc"),
    tryAlloc: (): Ptr => refuse("tryAlloc"),
    free: () => refuse("free"),
    allocStr: () => refuse("allocStr"),
    allocBytes: () => refuse("allocBytes"),
    writeU8: () => refuse("writeU8"),
    writeU16: () => refuse("writeU16"),
    writeU32: () => refuse("writeU32"),
    writeI32: () => refuse("writeI32"),
    writeF32: () => refuse("writeF32"),
    writeF64: () => refuse("writeF64"),
    writeU64: () => refuse("writeU64"),
    writeI64: () => refuse("writeI64"),
  };
}
