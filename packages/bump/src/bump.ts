import type { Allocator, BumpOptions, Checkpoint, GrowthStrategy } from "./api.js";
import {
  DEFAULT_INITIAL,
  DEFAULT_MAX_CHUNK,
  DEFAULT_RESERVE,
  MAX_CHUNK_BYTES,
  MIN_MAX_CHUNK,
  badAlloc,
  checkBool,
  checkLimit,
  checkPool,
  checkSize,
  isDetached,
  roundUp8,
} from "./bump-options.js";
import { ChunkTable, IN_USE, type AnyBuffer } from "./chunk-table.js";
import { detach } from "./detach.js";
import { AllocationLimitError, InvalidArgumentError, ReleasedError } from "./errors.js";
import { describeValue } from "./memory.js";
import { CHUNK_BITS, MAX_CHUNKS, OFFSET_SPAN, type BytesPtr, type Ptr, type StrPtr } from "./ptr.js";
import { encodeUtf8, encodeUtf8Into } from "./utf8.js";

/** Strings longer than this are encoded natively first, then copied at their exact size. */
const LONG_STRING = 4096;

/** Shape of the descriptor produced by {@link Bump.share} and consumed by `ArenaReader.attach`. */
export interface ArenaDescriptor {
  /** Marks the object as an arenakit arena descriptor. */
  readonly kind: "arenakit.arena";
  /** The chunk buffers, in slot order. */
  readonly buffers: readonly SharedArrayBuffer[];
  /** Generation stamp of the pointers that are valid in these buffers. */
  readonly generation: number;
}

/**
 * A bump arena: allocation is a pointer increment inside the current chunk of
 * ArrayBuffer (or SharedArrayBuffer) memory, and everything is freed at once by
 * `reset()` or `release()`. The TypeScript counterpart of bumpalo's `Bump` and
 * Zig's `std.heap.ArenaAllocator`.
 *
 * When to use: many small records with one shared lifetime (a request, a
 * cache entry, a slot). Cost: `alloc` is O(1), a new chunk is one ArrayBuffer;
 * `reset()` and `release()` are O(chunks), independent of how many records
 * were allocated. The garbage collector sees a handful of buffers, not one
 * object per record.
 *
 * Gotchas: pointers are plain numbers valid until `reset()`, a `resetTo()` that
 * rewinds past them, or `release()`; checked reads throw
 * {@link StalePointerError} after that. `alloc` does not zero memory that an
 * earlier generation used (use {@link Bump.allocZeroed}).
 *
 * @example
 * ```ts
 * import { Bump } from "@arenakit/bump";
 * using bump = new Bump();
 * const name = bump.allocStr("acct-sparky");
 * const data = bump.allocBytes(new Uint8Array([0, 3, 6, 9]));
 * bump.readStr(name); // "acct-sparky"
 * bump.bytes(data);   // Uint8Array [0, 3, 6, 9], zero-copy
 * ```
 */
export class Bump extends ChunkTable implements Allocator, Disposable {
  readonly shared: boolean;
  readonly canFree: boolean = false;
  /** The growth strategy in use. */
  readonly growth: GrowthStrategy;

  private _limit: number;
  private _epoch = 0;
  private readonly _initial: number;
  private readonly _maxChunk: number;
  private readonly _reserve: number;

  constructor(options: BumpOptions = {}) {
    super();
    if (options === null || typeof options !== "object") {
      throw new InvalidArgumentError(`Bump options must be an object, got ${String(options)}`);
    }
    this.shared = checkBool("shared", options.shared ?? false);
    if (this.shared && typeof SharedArrayBuffer === "undefined") {
      throw new InvalidArgumentError(
        "shared: true needs SharedArrayBuffer, which this environment does not expose (browsers require cross-origin isolation)",
      );
    }
    this.growth = options.growth ?? "chunks";
    if (this.growth !== "chunks" && this.growth !== "reserve") {
      throw new InvalidArgumentError(`growth must be "chunks" or "reserve", got ${describe(this.growth)}`, "growth");
    }
    this._limit = checkLimit(options.allocationLimit ?? Infinity);
    this._initial = checkSize("initialChunkSize", options.initialChunkSize ?? DEFAULT_INITIAL, 1, MAX_CHUNK_BYTES);
    // An arena holds at most MAX_CHUNKS chunks, so maxChunkSize bounds its capacity (256 × maxChunkSize).
    this._maxChunk = checkSize("maxChunkSize", options.maxChunkSize ?? DEFAULT_MAX_CHUNK, MIN_MAX_CHUNK, MAX_CHUNK_BYTES);
    this._reserve = checkSize(
      "reserve",
      options.reserve ?? Math.max(1, Math.min(this._limit, DEFAULT_RESERVE)),
      1,
      MAX_CHUNK_BYTES,
    );
    this._pool = checkPool(options.pool, this.shared);
    this._floor[this._gen] = Infinity;
  }

  /**
   * An arena whose first chunk holds exactly `bytes` bytes, allocated now (like
   * bumpalo's `Bump::with_capacity`). Allocations that fit never grow the arena.
   */
  static withCapacity(bytes: number, options: BumpOptions = {}): Bump {
    const size = checkSize("capacity", bytes, 0, MAX_CHUNK_BYTES);
    const bump = new Bump(size > 0 ? { ...options, initialChunkSize: size } : options);
    if (size > 0) bump._grow(size, 1, true);
    return bump;
  }

  // ---------------------------------------------------------------- allocation

  alloc(size: number, align = 1): Ptr {
    if (typeof size !== "number" || typeof align !== "number") throw badAlloc(size, align);
    // SAFETY: n and a equal size and align once checked; the arithmetic below uses
    // them, never size and align, so it stays integer even when a caller's size
    // arrives as a double (a size that was once a heap number would otherwise
    // turn the whole fast path into float arithmetic: measured twice as slow).
    const n = size >>> 0;
    const a = align >>> 0;
    if (n !== size || a !== align || a === 0 || (a & (a - 1)) !== 0) throw badAlloc(size, align);
    const top = this._top;
    const start = top + (-top & (a - 1));
    const end = start + n;
    if (end <= this._cap) {
      this._top = end;
      return (this._ptrBase + start) as Ptr;
    }
    return this._allocSlow(n, a, true)!;
  }

  tryAlloc(size: number, align = 1): Ptr | undefined {
    if (typeof size !== "number" || typeof align !== "number") throw badAlloc(size, align);
    // The same checks and integer arithmetic as alloc (see there).
    const n = size >>> 0;
    const a = align >>> 0;
    if (n !== size || a !== align || a === 0 || (a & (a - 1)) !== 0) throw badAlloc(size, align);
    const top = this._top;
    const start = top + (-top & (a - 1));
    const end = start + n;
    if (end <= this._cap) {
      this._top = end;
      return (this._ptrBase + start) as Ptr;
    }
    return this._allocSlow(n, a, false);
  }

  /** Like {@link Bump.alloc}, and the bytes are set to zero. */
  allocZeroed(size: number, align = 1): Ptr {
    const p = this.alloc(size, align);
    this._u8[this._cur]!.fill(0, p >>> 0, (p >>> 0) + size);
    return p;
  }

  /**
   * Takes back `p` if it is the most recent allocation (bumpalo does the same);
   * otherwise does nothing: a bump arena frees everything at once.
   */
  free(p: Ptr, size: number): void {
    const c = this._slot(p);
    if (typeof size !== "number" || size >>> 0 !== size) {
      throw new InvalidArgumentError(`free: size must be a whole number of bytes >= 0, got ${describe(size)}`, "size");
    }
    const o = p >>> 0;
    if (c === this._cur && o + size === this._top) this._top = o;
  }

  /**
   * Resizes an allocation. The most recent allocation grows or shrinks in
   * place when its chunk has room; anything else is copied to a new allocation.
   * Returns the (possibly new) pointer.
   */
  realloc(p: Ptr, oldSize: number, newSize: number, align = 1): Ptr {
    const c = this._slot(p);
    const o = p >>> 0;
    if (typeof oldSize !== "number" || oldSize >>> 0 !== oldSize || o + oldSize > this._u8[c]!.length) {
      throw new InvalidArgumentError(`realloc: oldSize must be the size of the allocation at ${p}, got ${describe(oldSize)}`, "oldSize");
    }
    if (typeof newSize !== "number" || newSize >>> 0 !== newSize) throw badAlloc(newSize, align);
    if (c === this._cur && o + oldSize === this._top && o + newSize <= this._cap) {
      this._top = o + newSize;
      return p;
    }
    if (newSize <= oldSize) return p;
    const q = this.alloc(newSize, align);
    const src = this._u8[c]!;
    this._u8[this._cur]!.set(src.subarray(o, o + oldSize), q >>> 0);
    return q;
  }

  allocStr(s: string): StrPtr {
    if (typeof s !== "string") throw new InvalidArgumentError(`allocStr expects a string, got ${typeof s}`);
    const n = s.length;
    if (n > LONG_STRING) return this._allocPrefixed(encodeUtf8(s)) as StrPtr;
    const p = this.alloc(4 + n * 3);
    const c = this._cur;
    const o = p >>> 0;
    let len: number;
    try {
      len = encodeUtf8Into(s, this._u8[c]!, o + 4);
    } catch (err) {
      this._top = o; // give the space back: nothing was stored
      throw err;
    }
    this._dv[c]!.setUint32(o, len, true);
    this._top = o + 4 + len; // SAFETY: p is the most recent allocation, in the current chunk
    return p as StrPtr;
  }

  allocBytes(bytes: Uint8Array): BytesPtr {
    if (!(bytes instanceof Uint8Array)) {
      throw new InvalidArgumentError(`allocBytes expects a Uint8Array, got ${describe(bytes)}`);
    }
    return this._allocPrefixed(bytes) as BytesPtr;
  }

  private _allocPrefixed(bytes: Uint8Array): Ptr {
    const len = bytes.length;
    if (len === 0 && isDetached(bytes)) {
      throw new InvalidArgumentError("allocBytes: the Uint8Array's buffer is detached (transferred or released)", "bytes");
    }
    const p = this.alloc(4 + len);
    const o = p >>> 0;
    this._dv[this._cur]!.setUint32(o, len, true);
    this._u8[this._cur]!.set(bytes, o + 4);
    return p;
  }


  // ------------------------------------------------------------------- growth

  private _allocSlow(size: number, align: number, throws: boolean): Ptr | undefined {
    if (this._releasedWhy !== undefined) throw new ReleasedError("cannot allocate: the arena was released");
    if (!this._grow(size, align, throws)) return undefined;
    const top = this._top;
    const start = top + (-top & (align - 1));
    this._top = start + size;
    return (this._ptrBase + start) as Ptr;
  }

  /** Makes room for `size` bytes at `align` in the current chunk. */
  private _grow(size: number, align: number, throws: boolean): boolean {
    const need = size + align - 1;
    if (this.growth === "reserve") return this._growReserve(need, throws);
    if (this._n >= MAX_CHUNKS) {
      return this._fail(throws, size, `the arena already has ${MAX_CHUNKS} chunks (raise initialChunkSize or maxChunkSize)`);
    }
    if (need > MAX_CHUNK_BYTES) {
      return this._fail(throws, size, `a single allocation of ${size} bytes does not fit a chunk (at most ${MAX_CHUNK_BYTES} bytes)`);
    }
    const last = this._cur >= 0 ? this._buffers[this._cur]!.byteLength : 0;
    let chunk = Math.max(last > 0 ? nextChunkSize(last, this._allocated, this._maxChunk) : this._initial, roundUp8(need));
    chunk = Math.min(chunk, MAX_CHUNK_BYTES);
    const spare = this._spare;
    let buf: AnyBuffer | undefined;
    if (spare !== undefined && spare.byteLength >= need) {
      buf = spare;
      this._spare = undefined;
      this._allocated -= spare.byteLength; // counted again below
    } else {
      // Like bumpalo, fall back to the smallest chunk that fits before giving up on the limit.
      if (this._allocated + chunk > this._limit) chunk = roundUp8(need);
      if (this._allocated + chunk > this._limit) {
        return this._fail(
          throws,
          size,
          `allocating ${size} bytes needs a new chunk of ${chunk} bytes, which would take the arena to ` +
            `${this._allocated + chunk} bytes, over its allocation limit of ${this._limit}`,
        );
      }
      buf = this._takeFromPool(chunk) ?? (this.shared ? new SharedArrayBuffer(chunk) : new ArrayBuffer(chunk));
    }
    if (this._cur >= 0) this._usedOf[this._cur] = this._top;
    this._install(buf);
    return true;
  }

  private _growReserve(need: number, throws: boolean): boolean {
    const max = Math.min(this._reserve, this._limit);
    if (this._cur < 0) {
      const len = Math.max(Math.min(this._initial, max), roundUp8(need));
      if (len > max) {
        return this._fail(throws, need, `the reserved buffer holds at most ${max} bytes; ${need} were requested`);
      }
      const buf = this.shared
        ? new SharedArrayBuffer(len, { maxByteLength: this._reserve })
        : new ArrayBuffer(len, { maxByteLength: this._reserve });
      this._install(buf);
      return true;
    }
    const buf = this._buffers[0]!;
    const want = this._top + need;
    if (want > max) {
      return this._fail(
        throws,
        need,
        `the reserved buffer would need ${want} bytes, over its maximum of ${max} (reserve ${this._reserve}, limit ${this._limit})`,
      );
    }
    const len = Math.min(Math.max(buf.byteLength * 2, roundUp8(want)), max);
    // SAFETY: growing a resizable buffer never moves it; length-tracking views stay valid.
    if (buf instanceof ArrayBuffer) buf.resize(len);
    else buf.grow(len);
    this._allocated = len;
    this._cap = len;
    return true;
  }

  private _fail(throws: boolean, size: number, why: string): false {
    if (throws) throw new AllocationLimitError(why, size, this._limit);
    return false;
  }

  // -------------------------------------------------------- reset and rewind

  /**
   * A position to rewind to with {@link Bump.resetTo}: allocations made after
   * it can be dropped at once while earlier ones stay valid (scoped scratch memory).
   */
  checkpoint(): Checkpoint {
    this._assertUsable("checkpoint");
    return Object.freeze({ owner: this, epoch: this._epoch, position: this._position() });
  }

  /**
   * Drops every allocation made after `cp`. Pointers allocated before it stay
   * valid; pointers allocated after it become stale (checked reads throw)
   * and their memory is reused. Chunks added after the checkpoint are freed
   * (the largest is kept as a spare for the next growth).
   * @throws {@link InvalidArgumentError} for a checkpoint of another arena, of
   * an earlier `reset()`, or one already rewound past.
   */
  resetTo(cp: Checkpoint): void {
    this._assertUsable("resetTo");
    if (cp === null || typeof cp !== "object" || cp.owner !== this) {
      throw new InvalidArgumentError("resetTo: the checkpoint was not taken from this arena");
    }
    if (cp.epoch !== this._epoch) {
      throw new InvalidArgumentError("resetTo: the checkpoint was taken before the arena was last reset");
    }
    const now = this._position();
    if (cp.position > now) {
      throw new InvalidArgumentError("resetTo: the arena was already rewound past this checkpoint");
    }
    if (cp.position === now) return;
    const slot = Math.floor(cp.position / OFFSET_SPAN);
    const offset = cp.position % OFFSET_SPAN;
    for (let c = this._n - 1; c > slot; c--) this._dropChunk(c, true);
    if (this._n === 0) return;
    this._n = slot + 1;
    this._cur = slot;
    this._top = offset;
    this._cap = this._buffers[slot]!.byteLength;
    this._buffers.length = this._n;
    this._u8.length = this._n;
    this._dv.length = this._n;
    this._usedOf.length = this._n;
    this._nextGeneration(cp.position);
  }

  /**
   * Runs `fn` and then rewinds every allocation it made (a checkpoint/resetTo
   * pair that cannot be forgotten). Returns what `fn` returns; do not return
   * pointers allocated inside it.
   */
  scope<R>(fn: (bump: this) => R): R {
    if (typeof fn !== "function") throw new InvalidArgumentError(`scope: fn must be a function, got ${describeValue(fn)}`, "fn");
    const cp = this.checkpoint();
    try {
      return fn(this);
    } finally {
      if (this._releasedWhy === undefined && cp.epoch === this._epoch && cp.position <= this._position()) {
        this.resetTo(cp);
      }
    }
  }

  /**
   * Frees every allocation at once. Keeps the largest chunk for reuse (as
   * bumpalo does) and gives the others back (to the pool, if any). Every
   * pointer and view from before becomes stale; raw `Uint8Array`s of a
   * non-shared arena are detached. O(chunks).
   */
  reset(): void {
    this._assertUsable("reset");
    if (this._n === 1 && this._spare === undefined && !this._escaped) {
      // The common steady state (one chunk, no raw view handed out): a new
      // generation and an empty chunk, without touching buffers or arrays.
      this._nextGeneration(0);
      this._epoch++;
      this._top = 0;
      this._usedOf[0] = 0;
      return;
    }
    let keep = -1;
    for (let c = 0; c < this._n; c++) {
      if (keep < 0 || this._buffers[c]!.byteLength > this._buffers[keep]!.byteLength) keep = c;
    }
    const kept = keep >= 0 ? this._buffers[keep]! : undefined;
    const keptU8 = keep >= 0 ? this._u8[keep]! : undefined;
    const keptDv = keep >= 0 ? this._dv[keep]! : undefined;
    for (let c = this._n - 1; c >= 0; c--) if (c !== keep) this._dropChunk(c, false);
    this._dropSpare();
    this._nextGeneration(0);
    this._epoch++;
    this._n = 0;
    this._cur = -1;
    this._top = 0;
    this._cap = -1;
    this._allocated = 0;
    this._buffers.length = 0;
    this._u8.length = 0;
    this._dv.length = 0;
    this._usedOf.length = 0;
    if (kept !== undefined) {
      if (kept instanceof ArrayBuffer && this._escaped) {
        // SAFETY: moving the kept chunk to a new ArrayBuffer object detaches every
        // old view of it, so a stale Uint8Array reads as empty, never as new data.
        this._install(detach(kept));
      } else {
        // SAFETY: no raw view of this memory left the arena since the last reset (or it is
        // shared and cannot be detached), so nothing outside can see the reuse: keep the
        // buffer and its views. Detaching costs more than a thousand small allocations.
        this._install(kept, keptU8, keptDv);
      }
    }
    this._escaped = false;
  }

  /**
   * Frees all memory (to the pool, if any). The arena cannot allocate again;
   * every pointer becomes stale. Calling it twice is harmless.
   */
  release(): void {
    if (this._releasedWhy !== undefined) return;
    for (let c = this._n - 1; c >= 0; c--) this._dropChunk(c, false);
    this._dropSpare();
    this._releasedWhy = "released";
    this._n = 0;
    this._cur = -1;
    this._top = 0;
    this._cap = -1;
    this._allocated = 0;
    this._buffers.length = 0;
    this._u8.length = 0;
    this._dv.length = 0;
    this._usedOf.length = 0;
  }

  /**
   * Shrinks the last chunk to the bytes it uses: copies them into an
   * exact-size buffer (or a pooled one within `slack`) that takes the chunk's place, and gives the old buffer
   * (and a spare chunk kept by `resetTo`) back, to the pool or to the GC.
   * Returns the bytes given back.
   *
   * When to use: an arena that is done allocating (a frozen cache entry),
   * whose last chunk may be partly empty.
   *
   * Cost: one copy of the used part of the last chunk. Pointers stay valid (a
   * pointer is a chunk slot plus an offset, and the copy keeps both); views
   * made before (`memoryOf`, `bytes`, the windows an `ArenaHashMap` keeps)
   * do not follow: a shared arena's still see the old buffer, a non-shared
   * arena's are detached (length 0), so make them again when the result is
   * above 0. The arena can allocate afterwards (into a new chunk). A no-op
   * with `growth: "reserve"`.
   *
   * @param toPool - give the old buffer to the arena's pool (the default), or
   *   drop it for the GC even when there is a pool (so that an idle pool does
   *   not keep the memory the trim was meant to free)
   * @param slack - bytes the new last chunk may have beyond the used ones: when
   *   above 0 and the arena's pool holds a buffer that fits within them (for
   *   example the trimmed chunk of an arena of about the same size that was
   *   released), the bytes are copied into it instead of into a new buffer,
   *   which the system would first have to give zeroed pages. Its bytes past
   *   the used ones are whatever the pool's buffer held.
   *   @defaultValue 0 (always a new buffer of exactly the used bytes)
   */
  trim(toPool = true, slack = 0): number {
    this._assertUsable("trim");
    checkSize("slack", slack, 0, MAX_CHUNK_BYTES);
    let freed = 0;
    if (this._spare !== undefined) {
      freed += this._spare.byteLength;
      this._dropSpare();
    }
    const c = this._cur;
    if (c < 0 || this.growth !== "chunks") return freed;
    const old = this._buffers[c]!;
    // SAFETY: read the old size now: giving a non-shared buffer back (to the pool or
    // the GC) may detach it, and a detached buffer's byteLength is 0.
    const oldBytes = old.byteLength;
    const used = roundUp8(this._top);
    if (used === 0 || used >= oldBytes) return freed;
    const most = Math.min(used + slack, oldBytes - 1);
    let buf = slack > 0 ? this._takeFromPool(used, most) : undefined;
    if (buf !== undefined && buf.byteLength > most) {
      this._giveBack(buf); // a pool that ignores maxBytes: too large to save anything, left for an arena that needs its size
      buf = undefined;
    }
    buf ??= this.shared ? new SharedArrayBuffer(used) : new ArrayBuffer(used);
    const size = buf.byteLength;
    const u8 = new Uint8Array(buf);
    u8.set(this._u8[c]!.subarray(0, used));
    IN_USE.add(buf);
    this._buffers[c] = buf;
    this._u8[c] = u8;
    this._dv[c] = new DataView(buf);
    this._cap = size;
    this._allocated += size - oldBytes;
    this._giveBack(old, toPool);
    return freed + oldBytes - size;
  }

  /** Same as {@link Bump.release}: lets `using bump = new Bump()` free the arena at scope exit. */
  [Symbol.dispose](): void {
    this.release();
  }

  // -------------------------------------------------------------- inspection

  /**
   * The allocation limit in bytes (`Infinity` when unlimited). It may be set
   * below `allocatedBytes`: live allocations stay valid and only new chunks are refused.
   */
  get allocationLimit(): number {
    return this._limit;
  }
  set allocationLimit(limit: number) {
    this._limit = checkLimit(limit);
  }

  /**
   * @internal What a snapshot saves: the used part of each chunk, the pointer
   * generation and the rewind floors of older generations (pointers made before a
   * `resetTo` stay valid below them).
   */
  _snapshotState(): { chunks: Uint8Array[]; generation: number; floors: [number, number][] } {
    this._assertUsable("save");
    this._escaped = true; // the chunk views below leave the arena
    const chunks: Uint8Array[] = [];
    for (let c = 0; c < this._n; c++) chunks.push(this._u8[c]!.subarray(0, c === this._cur ? this._top : this._usedOf[c]!));
    const floors: [number, number][] = [];
    for (let g = 1; g < this._floor.length; g++) {
      const f = this._floor[g]!;
      if (g !== this._gen && f > 0 && f !== Infinity) floors.push([g, f]);
    }
    return { chunks, generation: this._gen, floors };
  }

  /**
   * @internal An arena over loaded chunk buffers (snapshot load): every chunk is
   * full at its loaded length, so the next allocation opens a new chunk, and
   * pointers of `generation` (and of older generations below their floors) read
   * the same bytes they did when saved. Arguments were checked by the loader.
   */
  static _adopt(
    buffers: readonly (ArrayBuffer | SharedArrayBuffer)[],
    used: readonly number[],
    generation: number,
    floors: readonly (readonly [number, number])[],
    options: BumpOptions,
  ): Bump {
    const bump = new Bump(options);
    bump._gen = generation;
    bump._highBase = generation << CHUNK_BITS;
    bump._floor.fill(0);
    for (const [g, f] of floors) bump._setFloor(g, f);
    bump._setFloor(generation, Infinity);
    for (let c = 0; c < buffers.length; c++) {
      if (c > 0) bump._usedOf[c - 1] = bump._top;
      bump._install(buffers[c]!);
      bump._top = used[c]!;
      // A loaded chunk is never appended to: its bytes past `used` are padding.
      bump._cap = used[c]!;
    }
    return bump;
  }

  /**
   * A small, postMessage-able description of the arena's memory, for
   * `ArenaReader.attach` in a Worker. Needs `shared: true`. The reader sees the
   * chunks that exist now; do not reset or release the arena while readers use it.
   */
  share(): ArenaDescriptor {
    this._assertUsable("share");
    if (!this.shared) {
      throw new InvalidArgumentError("share() needs an arena created with { shared: true }");
    }
    return Object.freeze({
      kind: "arenakit.arena" as const,
      buffers: Object.freeze(this._buffers.slice(0, this._n) as SharedArrayBuffer[]),
      generation: this._gen,
    });
  }
}

const describe = describeValue;

/** Chunks double up to this size; past it they grow with the arena (see {@link nextChunkSize}). */
const STEADY_CHUNK = 16 * 1024 * 1024;

/**
 * The size of the next chunk: double the last one up to 16 MiB, then the largest power of two at most an
 * eighth of what the arena already holds (never under 16 MiB), bounded by `maxChunkSize`. Plain doubling
 * leaves the last chunk up to half empty, which at a few hundred MiB is most of the overhead per record;
 * growing by an eighth keeps that part within about an eighth of the arena, and still reaches the largest
 * chunks long before the 256-chunk limit.
 */
function nextChunkSize(last: number, allocated: number, max: number): number {
  const doubled = Math.min(last * 2, STEADY_CHUNK);
  const eighth = allocated >= 8 * STEADY_CHUNK ? 2 ** Math.floor(Math.log2(allocated / 8)) : 0;
  return Math.min(Math.max(doubled, eighth), max);
}
