import type { ArcOptions } from "./api.js";
import { BorrowedCartError, DoubleReleaseError, UseAfterReleaseError, YokeArgumentError } from "./errors.js";
import { track, tracking, untrack } from "./leaks.js";

/**
 * What every handle of one Arc points to. A local Arc has one box for all its
 * handles; a shared Arc has one box per thread (see shared-arc.ts).
 */
export interface ArcBox<T> {
  /** Live handles on this thread. Reaching 0 calls {@link ArcBox.zero}. */
  count: number;
  /** The value; `undefined` once dropped (or detached, on a thread that is not the home thread). */
  value: T | undefined;
  readonly kind: "Arc" | "SharedArc";
  readonly name: string;
  /** Makes a new handle object over this box (the count was already incremented). */
  handle(): Arc<T>;
  /** The count on this thread reached 0. */
  zero(): void;
}

/** The source a {@link WeakArc} upgrades from. */
export interface WeakSource<T> {
  tryAcquire(): Arc<T> | undefined;
  readonly dropped: boolean;
  readonly name: string;
}

const LIVE = 0;
const RELEASED = 1;
const MOVED = 2;

let nextId = 1;

/** Package-internal access to Arc's private state (for SharedArc and Yoke). */
export interface ArcInternals {
  make<T>(box: ArcBox<T>): Arc<T>;
  /** Initializes a handle made with `Object.create(Subclass.prototype)`, as the constructor would. */
  init<A extends Arc<unknown>>(handle: A, box: ArcBox<unknown>): A;
  box<T>(arc: Arc<T>): ArcBox<T>;
  /** Moves the reference out of `arc` into a new handle that only a Yoke can release. */
  moveIntoYoke<C extends Arc<unknown>>(arc: C): C;
  /** A new yoke-held reference to the same value (count + 1). */
  cloneForYoke<C extends Arc<unknown>>(arc: C): C;
  /** Releases a yoke-held reference. */
  releaseFromYoke(arc: Arc<unknown>): void;
  /** Turns a yoke-held reference back into an ordinary handle. */
  unyoke<C extends Arc<unknown>>(arc: C): C;
}

/** @internal */
export let arcInternals: ArcInternals;

/**
 * A reference-counted handle to a value: the `Arc`/`Rc` of Rust, with the
 * `Drop` discipline made explicit. Each handle is released exactly once —
 * with `release()`, or by `using` at the end of a block — and the `onDrop`
 * callback runs when the last handle goes.
 *
 * When to use: a value with a lifetime that several holders share (an
 * arena, a frozen cache entry, a byte buffer that projections borrow from)
 * and that must be freed or recycled exactly when the last of them is done.
 * This is the local (one-thread) Arc; {@link SharedArc} keeps its count in
 * shared memory so Workers hold real references too.
 *
 * Cost: `clone()` and `release()` are an integer increment or decrement and
 * one small handle object; `get()` is one integer compare. (With leak
 * reporting on, each handle is also registered with a FinalizationRegistry.)
 *
 * Gotchas: releasing a handle twice throws {@link DoubleReleaseError} and
 * does not decrement again; using a released handle throws
 * {@link UseAfterReleaseError}. A value read with `get()` is not tracked: do
 * not keep it after the handle is released. Disposing a handle that was moved
 * into a {@link Yoke} is a no-op, so `using cart = …; Yoke.attachToCart(cart, …)`
 * is safe.
 *
 * @example
 * ```ts
 * import { Arc } from "@arenakit/yoke";
 * const bytes = Arc.new(new Uint8Array([1, 2, 3]), { onDrop: () => console.log("freed") });
 * const other = bytes.clone(); // strongCount 2
 * bytes.release();
 * other.get()[0];              // 1
 * other.release();             // "freed"
 * ```
 */
export class Arc<T> implements Disposable {
  // Declared, not defined: handles of subclasses are made by `arcInternals.init` on an
  // Object.create()d object (see SharedBox.handle), which assigns the same fields in the same order.
  private declare readonly _box: ArcBox<T>;
  private declare _state: number;
  private declare _yoked: boolean;

  /** @internal Use {@link Arc.new} (or `SharedArc.new`). */
  protected constructor(box: ArcBox<T>) {
    this._box = box;
    this._state = LIVE;
    this._yoked = false;
    if (tracking) track(this, box.kind, box.name);
  }

  static {
    arcInternals = {
      make: <T>(box: ArcBox<T>): Arc<T> => new Arc(box),
      init: <A extends Arc<unknown>>(handle: A, box: ArcBox<unknown>): A => {
        (handle as unknown as { _box: ArcBox<unknown> })._box = box;
        handle._state = LIVE;
        handle._yoked = false;
        if (tracking) track(handle, box.kind, box.name);
        return handle;
      },
      box: <T>(arc: Arc<T>): ArcBox<T> => arc._box,
      moveIntoYoke: <C extends Arc<unknown>>(arc: C): C => {
        arc._assertLive("attach to a Yoke");
        if (arc._yoked) throw new BorrowedCartError(`the cart of a Yoke cannot be moved into another Yoke; clone() it first`);
        const moved = arc._box.handle() as C;
        arc._state = MOVED;
        untrack(arc);
        moved._yoked = true;
        untrack(moved);
        return moved;
      },
      cloneForYoke: <C extends Arc<unknown>>(arc: C): C => {
        arc._box.count++;
        const c = arc._box.handle() as C;
        c._yoked = true;
        untrack(c);
        return c;
      },
      releaseFromYoke: (arc: Arc<unknown>): void => {
        arc._yoked = false;
        arc.release();
      },
      unyoke: <C extends Arc<unknown>>(arc: C): C => {
        arc._yoked = false;
        if (tracking) track(arc, arc._box.kind, arc._box.name);
        return arc;
      },
    };
  }

  /**
   * Wraps `value` in a new reference-counted cart with a count of 1.
   *
   * @example
   * ```ts
   * import { Arc } from "@arenakit/yoke";
   * using arc = Arc.new({ slot: 42 }, { name: "slot 42", onDrop: (v) => console.log("drop", v.slot) });
   * ```
   * @throws {@link YokeArgumentError} when an option has the wrong type.
   */
  static new<T>(value: T, options?: ArcOptions<T>): Arc<T> {
    checkArcOptions(options);
    return new Arc(new LocalBox(value, options?.name ?? `Arc#${nextId++}`, options?.onDrop));
  }

  /**
   * The value. One integer compare, then a field read.
   * @throws {@link UseAfterReleaseError} after this handle was released or moved.
   */
  get(): T {
    if (this._state !== LIVE) throw this._dead("get");
    return this._box.value as T;
  }

  /**
   * A new handle to the same value; the count goes up by one. Release each
   * handle once.
   * @throws {@link UseAfterReleaseError} after this handle was released or moved.
   */
  clone(): Arc<T> {
    if (this._state !== LIVE) throw this._dead("clone");
    this._box.count++;
    return this._box.handle();
  }

  /** Same as {@link Arc.clone} (the name used by reference counters in C and Zig). */
  retain(): Arc<T> {
    return this.clone();
  }

  /**
   * Gives this handle's reference back. When it was the last one, the value
   * is dropped: `onDrop` runs now, on this thread (see {@link SharedArc} for
   * the shared case).
   *
   * @throws {@link DoubleReleaseError} if this handle was already released (nothing changes);
   * {@link UseAfterReleaseError} if it was moved into a Yoke;
   * {@link BorrowedCartError} if it is the cart a Yoke lent out with `backingCart()`.
   * If `onDrop` throws, its error propagates after the value was dropped.
   */
  release(): void {
    if (this._state !== LIVE || this._yoked) throw this._badRelease();
    this._state = RELEASED;
    untrack(this);
    const box = this._box;
    if (--box.count === 0) box.zero();
  }

  /**
   * Releases the handle at the end of a `using` block. A no-op for a handle
   * that was moved into a Yoke; otherwise exactly {@link Arc.release}.
   */
  [Symbol.dispose](): void {
    if (this._state === MOVED) return;
    this.release();
  }

  /**
   * A weak reference: it does not keep the value alive, and
   * `tryAcquire()` gives a new strong handle only while the count has not
   * reached zero (Rust's `Arc::downgrade`).
   * @throws {@link UseAfterReleaseError} after this handle was released or moved.
   */
  downgrade(): WeakArc<T> {
    if (this._state !== LIVE) throw this._dead("downgrade");
    return new WeakArc(this._box as unknown as WeakSource<T>);
  }

  /**
   * References counted by this box: for a local Arc, every live handle; for a
   * {@link SharedArc}, the handles held on this thread (other threads are
   * counted as holders, see `SharedArc.holderCount`).
   */
  get strongCount(): number {
    return this._box.count;
  }

  /** Whether this handle was released or moved (other handles may still be live). */
  get released(): boolean {
    return this._state !== LIVE;
  }

  /** The name reported by errors and the leak report. */
  get name(): string {
    return this._box.name;
  }

  /** Whether both handles point to the same value (Rust's `Arc::ptr_eq`). */
  ptrEq(other: Arc<unknown>): boolean {
    if (!(other instanceof Arc)) throw new YokeArgumentError(`ptrEq: other must be an Arc, got ${other === null ? "null" : typeof other}`);
    // SAFETY: all live handles of one Arc on one thread share one box (shared Arcs merge per thread).
    return this._box === other._box;
  }

  private _assertLive(what: string): void {
    if (this._state !== LIVE) throw this._dead(what);
  }

  private _dead(what: string): UseAfterReleaseError {
    return new UseAfterReleaseError(
      this._state === MOVED
        ? `${what}: this handle of ${this._box.name} was moved into a Yoke; use the Yoke (or its backingCart())`
        : `${what}: this handle of ${this._box.name} was released`,
    );
  }

  private _badRelease(): Error {
    if (this._state === RELEASED) return new DoubleReleaseError(`release: this handle of ${this._box.name} was already released`);
    if (this._state === MOVED) return this._dead("release");
    return new BorrowedCartError(
      `release: this handle of ${this._box.name} is the cart of a Yoke; release the Yoke, or clone() the cart to keep a reference`,
    );
  }
}

/**
 * A weak reference to an {@link Arc}'s value: it does not count, so it does
 * not keep the value alive. `tryAcquire()` returns a new strong handle, or
 * `undefined` once the count has reached zero — it never brings a dropped
 * value back (the Zig `rc.acquire()` that returns a bool; Rust's `Weak::upgrade`).
 *
 * When to use: a cache index or registry that must find an entry while it is
 * alive without pinning it.
 *
 * @example
 * ```ts
 * import { Arc } from "@arenakit/yoke";
 * const arc = Arc.new("entry");
 * const weak = arc.downgrade();
 * weak.tryAcquire()?.release(); // a strong handle while arc lives
 * arc.release();
 * weak.tryAcquire();            // undefined, forever
 * ```
 */
export class WeakArc<T> {
  /** @internal */
  protected readonly _source: WeakSource<T>;

  /** @internal */
  constructor(source: WeakSource<T>) {
    this._source = source;
  }

  /** A new strong handle (count + 1), or `undefined` if the count has reached zero. */
  tryAcquire(): Arc<T> | undefined {
    return this._source.tryAcquire();
  }

  /** Whether the count has reached zero (then `tryAcquire()` always returns `undefined`). */
  get dropped(): boolean {
    return this._source.dropped;
  }

  /** The name of the Arc. */
  get name(): string {
    return this._source.name;
  }
}

class LocalBox<T> implements ArcBox<T>, WeakSource<T> {
  count = 1;
  value: T | undefined;
  readonly kind = "Arc" as const;
  readonly name: string;
  private readonly _onDrop: ((value: T) => void) | undefined;

  constructor(value: T, name: string, onDrop: ((value: T) => void) | undefined) {
    this.value = value;
    this.name = name;
    this._onDrop = onDrop;
  }

  handle(): Arc<T> {
    return arcInternals.make(this);
  }

  zero(): void {
    const v = this.value as T;
    this.value = undefined;
    if (this._onDrop !== undefined) this._onDrop(v);
  }

  tryAcquire(): Arc<T> | undefined {
    // SAFETY: a count of zero is terminal; nothing increments it again, so a dropped value never comes back.
    if (this.count === 0) return undefined;
    this.count++;
    return this.handle();
  }

  get dropped(): boolean {
    return this.count === 0;
  }
}

/** Validates the options shared by `Arc.new` and `SharedArc.new`. */
export function checkArcOptions(options: unknown): void {
  if (options === undefined) return;
  if (options === null || typeof options !== "object") {
    throw new YokeArgumentError(`options must be an object, got ${options === null ? "null" : typeof options}`);
  }
  const o = options as Record<string, unknown>;
  for (const key of ["onDrop", "describe"]) {
    if (o[key] !== undefined && typeof o[key] !== "function") {
      throw new YokeArgumentError(`options.${key} must be a function, got ${typeof o[key]}`);
    }
  }
  if (o.name !== undefined && typeof o.name !== "string") {
    throw new YokeArgumentError(`options.name must be a string, got ${typeof o.name}`);
  }
}
