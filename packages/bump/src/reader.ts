import type { ArenaDescriptor } from "./bump.js";
import { InvalidArgumentError } from "./errors.js";
import { ChunkedMemory } from "./memory.js";
import { CHUNK_BITS, GENERATIONS } from "./ptr.js";

/**
 * Read-only access, from another thread, to the memory of a shared
 * {@link Bump}: the receiving side of {@link Bump.share}. Reads are checked
 * like the owner's (a pointer of another generation or chunk throws), and
 * nothing is copied: the reader indexes the same SharedArrayBuffers.
 *
 * Gotcha: the reader cannot see the owner reset the arena. Keep the owner's
 * memory alive while readers use it: that is what the reference counts of
 * `@arenakit/yoke` are for.
 *
 * @example
 * ```ts
 * import { ArenaReader, Bump } from "@arenakit/bump";
 * const bump = new Bump({ shared: true });
 * const p = bump.allocStr("hello");
 * const reader = ArenaReader.attach(bump.share()); // normally inside a Worker
 * reader.readStr(p); // "hello"
 * ```
 */
export class ArenaReader extends ChunkedMemory {
  readonly shared: boolean = true;

  private constructor(desc: ArenaDescriptor) {
    super();
    for (const buf of desc.buffers) {
      this._u8.push(new Uint8Array(buf));
      this._dv.push(new DataView(buf));
    }
    this._n = desc.buffers.length;
    this._gen = desc.generation;
    this._highBase = desc.generation << CHUNK_BITS;
    this._setFloor(this._gen, Infinity);
  }

  /** Attaches to a descriptor from {@link Bump.share} (possibly received through `postMessage`). */
  static attach(desc: ArenaDescriptor): ArenaReader {
    if (
      desc === null ||
      typeof desc !== "object" ||
      desc.kind !== "arenakit.arena" ||
      !Array.isArray(desc.buffers) ||
      !desc.buffers.every((b) => b instanceof SharedArrayBuffer) ||
      !Number.isInteger(desc.generation) ||
      desc.generation < 1 ||
      desc.generation >= GENERATIONS
    ) {
      throw new InvalidArgumentError("ArenaReader.attach expects the descriptor returned by Bump.share()");
    }
    return new ArenaReader(desc);
  }

  /** Number of chunks visible to this reader. */
  get chunkCount(): number {
    return this._n;
  }
}
