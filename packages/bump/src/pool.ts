import type { BufferPool } from "./api.js";
import { InvalidArgumentError } from "./errors.js";
import { detach } from "./detach.js";
import { describeValue } from "./memory.js";

/** Options of {@link ChunkPool}. */
export interface ChunkPoolOptions {
  /**
   * Hold SharedArrayBuffers (for arenas created with `shared: true`).
   * @defaultValue false
   */
  readonly shared?: boolean;
  /**
   * Most bytes the pool keeps; buffers offered beyond it are dropped for the GC.
   * @defaultValue 268435456 (256 MiB)
   */
  readonly maxBytes?: number;
}

/**
 * A bounded pool of chunk buffers that arenas take from and give back to, so
 * a steady workload (a rolling window of arenas) stops allocating new
 * ArrayBuffers once warm. Pass it as `new Bump({ pool })`.
 *
 * A non-shared buffer given back is moved into a fresh `ArrayBuffer` object
 * (a zero-copy transfer), so every old view of it is detached and can never
 * read the next arena's bytes. Shared buffers cannot be detached: see the
 * "Sharing memory with Workers" chapter for how references guard them.
 *
 * @example
 * ```ts
 * import { Bump, ChunkPool } from "@arenakit/bump";
 * const pool = new ChunkPool({ maxBytes: 64 << 20 });
 * for (let slot = 0; slot < 3; slot++) {
 *   using bump = new Bump({ pool });
 *   bump.allocStr(`slot ${slot}`);
 * } // each release returns the chunk; the next Bump reuses it
 * console.log(pool.stats().reused >= 2);
 * ```
 */
export class ChunkPool implements BufferPool {
  readonly shared: boolean;
  readonly maxBytes: number;
  private readonly _free: (ArrayBuffer | SharedArrayBuffer)[] = [];
  private _bytes = 0;
  private _reused = 0;
  private _dropped = 0;
  private _misses = 0;

  constructor(options: ChunkPoolOptions = {}) {
    if (options === null || typeof options !== "object") {
      throw new InvalidArgumentError(`ChunkPool options must be an object, got ${describeValue(options)}`, "options");
    }
    const maxBytes = options.maxBytes ?? 256 * 1024 * 1024;
    if (!(maxBytes >= 0) || !Number.isFinite(maxBytes)) {
      throw new InvalidArgumentError(`ChunkPool maxBytes must be a finite number >= 0, got ${describeValue(maxBytes)}`, "maxBytes");
    }
    const shared = options.shared ?? false;
    if (typeof shared !== "boolean") {
      throw new InvalidArgumentError(`ChunkPool shared must be true or false, got ${describeValue(shared)}`, "shared");
    }
    this.shared = shared;
    this.maxBytes = maxBytes;
  }

  take(minBytes: number, maxBytes: number = Infinity): ArrayBuffer | SharedArrayBuffer | undefined {
    if (typeof minBytes !== "number" || !Number.isSafeInteger(minBytes) || minBytes < 0) {
      throw new InvalidArgumentError(`ChunkPool.take: minBytes must be a whole number >= 0, got ${describeValue(minBytes)}`, "minBytes");
    }
    if (typeof maxBytes !== "number" || !(maxBytes >= minBytes)) {
      throw new InvalidArgumentError(`ChunkPool.take: maxBytes must be a number >= minBytes (${minBytes}), got ${describeValue(maxBytes)}`, "maxBytes");
    }
    // Best fit: the smallest pooled buffer that is large enough, and no larger than maxBytes.
    let best = -1;
    for (let i = 0; i < this._free.length; i++) {
      const len = this._free[i]!.byteLength;
      if (len >= minBytes && len <= maxBytes && (best < 0 || len < this._free[best]!.byteLength)) best = i;
    }
    if (best < 0) {
      this._misses++;
      return undefined;
    }
    const buf = this._free[best]!;
    this._free[best] = this._free[this._free.length - 1]!;
    this._free.pop();
    this._bytes -= buf.byteLength;
    this._reused++;
    return buf;
  }

  give(buffer: ArrayBuffer | SharedArrayBuffer): void {
    const isShared = typeof SharedArrayBuffer !== "undefined" && buffer instanceof SharedArrayBuffer;
    if (!isShared && !(buffer instanceof ArrayBuffer)) {
      throw new InvalidArgumentError(`ChunkPool.give: buffer must be an ArrayBuffer or SharedArrayBuffer, got ${describeValue(buffer)}`, "buffer");
    }
    if (buffer.byteLength === 0) {
      this._dropped++; // empty or already detached: nothing worth keeping
      return;
    }
    if (isShared !== this.shared || this._bytes + buffer.byteLength > this.maxBytes) {
      this._dropped++;
      if (!isShared) detach(buffer as ArrayBuffer);
      return;
    }
    const kept = isShared ? buffer : detach(buffer as ArrayBuffer);
    this._free.push(kept);
    this._bytes += kept.byteLength;
  }

  /**
   * Buffers and bytes held; takes served from the pool (`reused`) and not
   * (`misses`: the arena made a new buffer); buffers offered back but dropped
   * by the bound or a type mismatch (`dropped`). Once every arena using the
   * pool is released, `buffers + dropped === misses`.
   */
  stats(): { buffers: number; bytes: number; reused: number; misses: number; dropped: number } {
    return { buffers: this._free.length, bytes: this._bytes, reused: this._reused, misses: this._misses, dropped: this._dropped };
  }

  /** Drops every pooled buffer. */
  clear(): void {
    this._free.length = 0;
    this._bytes = 0;
  }
}
