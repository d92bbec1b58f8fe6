// The layout-independent part of an arena: options, value checks, lifetime,
// cursors and iteration. FlatArena and SegmentedArena add the storage; their
// get/set/add are written out per layout so every hot path stays monomorphic.

import type { ArenaDescriptor, ArenaKind, Layout, Schema } from "./api.js";
import {
  AllocationError,
  CapacityError,
  IndexError,
  InvalidArgumentError,
  InvalidValueError,
  ReadOnlyError,
  ReleasedError,
} from "./errors.js";
import { F64, I32, IDX, NONE, U16, U32, U8, bytesOf, describe, type FieldSpec } from "./schema.js";

/** Any typed array a column can be. */
export type ColumnData = Uint8Array | Uint16Array | Uint32Array | Int32Array | Float64Array;
/** Constructor of a {@link ColumnData}. */
export type ColumnCtor =
  | Uint8ArrayConstructor
  | Uint16ArrayConstructor
  | Uint32ArrayConstructor
  | Int32ArrayConstructor
  | Float64ArrayConstructor;
/** A column's backing memory. */
export type AnyBuffer = ArrayBuffer | SharedArrayBuffer;

const VALUE_CTORS: readonly ColumnCtor[] = [Uint8Array, Uint16Array, Uint32Array, Int32Array, Float64Array];

/** The typed array constructor of a field in an arena of `kind`. */
export function ctorOf(code: number, kind: ArenaKind): ColumnCtor {
  if (code === IDX) return kind === "nano" ? Uint8Array : kind === "tiny" ? Uint16Array : Uint32Array;
  return VALUE_CTORS[code]!;
}

/** Fully resolved options of one arena. */
export interface Resolved {
  readonly kind: ArenaKind;
  readonly layout: Layout;
  readonly shared: boolean;
  readonly fields: readonly FieldSpec[];
  readonly schema: Schema;
  /** Records the arena may hold. */
  readonly capacity: number;
  /** log2 of the initial capacity (the first segment's size for `segmented`). */
  readonly initialBits: number;
  /** Records reserved by a `resizable` arena (its maximum storage). */
  readonly reserve: number;
  /** Why the arena's capacity is what it is, for {@link CapacityError} messages. */
  readonly limitWhy: string;
}

/** Allocates column memory, turning the engine's refusal into a typed error. */
export function allocBuffer(bytes: number, shared: boolean, maxBytes?: number): AnyBuffer {
  try {
    if (shared) {
      return maxBytes === undefined ? new SharedArrayBuffer(bytes) : new SharedArrayBuffer(bytes, { maxByteLength: maxBytes });
    }
    return maxBytes === undefined ? new ArrayBuffer(bytes) : new ArrayBuffer(bytes, { maxByteLength: maxBytes });
  } catch (err) {
    throw new AllocationError(`could not allocate ${bytes} bytes of column memory: ${(err as Error).message}`, { cause: err });
  }
}

type Transferable = ArrayBuffer & { transfer?: () => ArrayBuffer };

/**
 * Moves a non-shared buffer's memory into a new ArrayBuffer object (zero-copy)
 * and detaches the old one, so every typed array over it reads as empty.
 * Node 20 has no `ArrayBuffer.prototype.transfer`; its structuredClone transfer
 * list moves the backing store without copying.
 */
export function detach(buf: ArrayBuffer): ArrayBuffer {
  const t = buf as Transferable;
  if (typeof t.transfer === "function") return t.transfer();
  return structuredClone(buf, { transfer: [buf] });
}

/** Rejects a value that does not fit its field (the slow path of {@link fit}). */
export function badValue(field: FieldSpec, v: unknown, limit: number): never {
  let range: string;
  switch (field.code) {
    case U8:
      range = "an integer from 0 to 255";
      break;
    case U16:
      range = "an integer from 0 to 65535";
      break;
    case U32:
      range = "an integer from 0 to 4294967295";
      break;
    case I32:
      range = "an integer from -2147483648 to 2147483647";
      break;
    case F64:
      range = "a number";
      break;
    default:
      range = limit === 0 ? "null (the arena has no records to refer to yet)" : `null or an index of this arena (0 to ${limit - 1})`;
  }
  throw new InvalidValueError(`field "${field.name}" is ${field.type}: ${describe(v)} does not fit (expected ${range})`);
}

/**
 * The raw value to store for `v` in `field`, or a thrown {@link InvalidValueError}.
 * `limit` bounds `idx` values (the arena's length at the time of the write).
 */
export function fit(field: FieldSpec, v: unknown, limit: number, none: number): number {
  switch (field.code) {
    case U8:
      if (((v as number) & 0xff) === v) return v;
      break;
    case U16:
      if (((v as number) & 0xffff) === v) return v;
      break;
    case U32:
      if ((v as number) >>> 0 === v) return v;
      break;
    case I32:
      if (((v as number) | 0) === v) return v;
      break;
    case F64:
      if (typeof v === "number") return v;
      break;
    default:
      if (v === null) return none;
      if ((v as number) >>> 0 === v && v < limit) return v;
  }
  return badValue(field, v, limit);
}

/** Base of every arena object (owners and read-only views). */
export abstract class ArenaCore {
  readonly kind: ArenaKind;
  readonly layout: Layout;
  readonly schema: Schema;
  readonly shared: boolean;
  readonly none: number;
  /** @internal */
  readonly _fields: readonly FieldSpec[];
  /** @internal records the arena may hold */
  readonly _capacity: number;
  /** @internal why the capacity is what it is */
  readonly _limitWhy: string;
  /** @internal number of records (for views: as last observed) */
  _length = 0;
  /** @internal why the arena can no longer be used, or undefined while it can */
  _released: string | undefined = undefined;
  /** @internal `[length]` published with Atomics (shared arenas and views), else null */
  _header: Uint32Array | null = null;
  /** @internal true for a read-only view of another thread's arena */
  readonly _reader: boolean;
  /** @internal the cursor class of this arena, made on first use */
  _Cursor: (new (arena: ArenaCore, i: number) => object) | undefined = undefined;

  constructor(r: Resolved, reader: boolean) {
    this.kind = r.kind;
    this.layout = r.layout;
    this.schema = r.schema;
    this.shared = r.shared;
    this.none = NONE[r.kind];
    this._fields = r.fields;
    this._capacity = r.capacity;
    this._limitWhy = r.limitWhy;
    this._reader = reader;
  }

  /** Phantom brand: type-level only. */
  get brand(): undefined {
    return undefined;
  }

  get capacity(): number {
    return this._capacity;
  }

  get length(): number {
    if (this._released !== undefined) this._throwReleased();
    if (this._reader) this._refresh();
    return this._length;
  }

  // ------------------------------------------------------------ layout hooks

  /** @internal records the current storage can hold */
  abstract _storageRecords(): number;
  /** @internal bytes of column memory held */
  abstract get byteLength(): number;
  /** @internal the shared buffers of each column */
  abstract _sharedColumns(): SharedArrayBuffer[][];
  /** @internal first segment bits (segmented), else 0 */
  abstract _segmentBits(): number;
  /** @internal drops (and for non-shared memory, detaches) the storage */
  abstract _dropStorage(): void;
  /** @internal builds a getter for one field, for cursors */
  abstract _getterOf(field: FieldSpec): (this: CursorState) => number | null;
  abstract get(i: number, field: string): number | null;
  abstract set(i: number, field: string, value: unknown): void;

  // ----------------------------------------------------------------- indices

  /** @internal refreshes a view's length from the shared header */
  _refresh(): void {
    const published = Atomics.load(this._header!, 0);
    const fits = this._storageRecords();
    this._length = published < fits ? published : fits;
  }

  /**
   * @internal The slow path of every index check: returns normally when `i` is a
   * valid index after all (a view that had not seen the latest length), else throws.
   */
  _checkSlow(i: unknown): void {
    if (this._released !== undefined) this._throwReleased();
    if (this._reader && typeof i === "number" && i >>> 0 === i) {
      this._refresh();
      if ((i as number) < this._length) return;
    }
    throw this._indexError(i);
  }

  /** @internal */
  _indexError(i: unknown): IndexError {
    if (typeof i !== "number" || !Number.isInteger(i) || i < 0) {
      return new IndexError(`${describe(i)} is not an index: indices are integers from 0 to length - 1`);
    }
    return new IndexError(
      `index ${i} is out of range: the ${this.kind} arena holds ${this._length} records (valid indices 0 to ${this._length - 1})`,
    );
  }

  /** @internal */
  _throwReleased(): never {
    throw new ReleasedError(`the arena was used after ${this._released}`);
  }

  /** @internal */
  _throwReadOnly(): never {
    throw new ReadOnlyError("this is a read-only view of another thread's arena: only its owner can add or set records");
  }

  /** @internal */
  _noField(field: unknown): never {
    if (this._released !== undefined) this._throwReleased();
    throw new InvalidArgumentError(
      `${describe(field)} is not a field of this arena (fields: ${this._fields.map((f) => f.name).join(", ")})`,
    );
  }

  idx(n: number): number {
    if (typeof n !== "number" || (n >>> 0) !== n || n >= this._length) this._checkSlow(n);
    return n;
  }

  isIdx(n: number): boolean {
    if (this._released !== undefined) this._throwReleased();
    if (typeof n !== "number" || (n >>> 0) !== n) return false;
    if (n < this._length) return true;
    if (this._reader) this._refresh();
    return n < this._length;
  }

  *[Symbol.iterator](): IterableIterator<number> {
    const n = this.length;
    for (let i = 0; i < n; i++) {
      if (this._released !== undefined) this._throwReleased();
      yield i;
    }
  }

  // ---------------------------------------------------------------- cursors

  cursor(i: number): object {
    if (typeof i !== "number" || (i >>> 0) !== i || i >= this._length) this._checkSlow(i);
    let C = this._Cursor;
    if (C === undefined) C = this._Cursor = makeCursorClass(this);
    return new C(this, i);
  }

  // ------------------------------------------------------------- lifetime

  /** @internal throws unless the arena can be written */
  _writable(): void {
    if (this._released !== undefined) this._throwReleased();
    if (this._reader) this._throwReadOnly();
  }

  /** @internal capacity error for the record that did not fit */
  _full(): CapacityError {
    return new CapacityError(this.kind, this._capacity, this._limitWhy);
  }

  /** @internal publishes the length to views on other threads */
  _publish(n: number): void {
    // SAFETY: the record's fields were written before this store; a view's
    // Atomics.load of the header therefore sees them (release/acquire).
    Atomics.store(this._header!, 0, n);
  }

  /** @internal ends the arena; `reason` appears in later errors */
  _release(reason: string): void {
    if (this._released !== undefined) return;
    this._released = reason;
    this._length = 0;
    this._dropStorage();
  }

  [Symbol.dispose](): void {
    this._release("it was disposed");
  }

  share(): ArenaDescriptor {
    if (this._released !== undefined) this._throwReleased();
    if (!this.shared || this._header === null || this._reader) {
      throw new InvalidArgumentError("share() needs an arena made with shared: true (its columns must be SharedArrayBuffers)");
    }
    const schema: Record<string, string> = {};
    for (const f of this._fields) schema[f.name] = f.type;
    return {
      type: "arenakit.compact-arena",
      kind: this.kind,
      layout: this.layout,
      schema: schema as Schema,
      capacity: this._capacity,
      segmentBits: this._segmentBits(),
      header: this._header.buffer as SharedArrayBuffer,
      columns: this._sharedColumns(),
    };
  }

  /** @internal bytes per element of a field */
  _bytesOf(f: FieldSpec): number {
    return bytesOf(f.code, this.kind);
  }
}

/** What a cursor object holds. */
export interface CursorState {
  readonly _a: ArenaCore;
  _i: number;
}

class CursorImpl implements CursorState {
  readonly _a: ArenaCore;
  _i: number;
  constructor(arena: ArenaCore, i: number) {
    this._a = arena;
    this._i = i;
  }
  get idx(): number {
    const a = this._a;
    if (this._i >= a._length) a._checkSlow(this._i);
    return this._i;
  }
  at(i: number): this {
    const a = this._a;
    if ((i >>> 0) !== i || i >= a._length) a._checkSlow(i);
    this._i = i;
    return this;
  }
}

function makeCursorClass(arena: ArenaCore): new (arena: ArenaCore, i: number) => object {
  class ArenaCursor extends CursorImpl {}
  for (const f of arena._fields) {
    const name = f.name;
    Object.defineProperty(ArenaCursor.prototype, name, {
      enumerable: true,
      configurable: false,
      get: arena._getterOf(f),
      set(this: CursorState, v: unknown) {
        this._a.set(this._i, name, v);
      },
    });
  }
  return ArenaCursor;
}

/** Size checks shared by option parsing. */
export function isPowerOfTwo(n: number): boolean {
  return Number.isInteger(n) && n >= 1 && (n & (n - 1)) === 0;
}
