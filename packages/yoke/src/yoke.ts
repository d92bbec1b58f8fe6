import { Arc, arcInternals } from "./arc.js";
import { DoubleReleaseError, UseAfterReleaseError, YokeArgumentError } from "./errors.js";
import { track, tracking, untrack } from "./leaks.js";

/** The value a cart holds: `T` for an `Arc<T>` (or a `SharedArc<T, P>`). */
export type CartValue<C> = C extends Arc<infer T> ? T : never;

const LIVE = 0;
const RELEASED = 1;
const MOVED = 2;

/**
 * A projection `Y` bound to the reference-counted cart `C` it was made from:
 * Rust's `yoke::Yoke<Y, C>`. While the yoke lives it holds one reference to
 * the cart, so whatever `Y` borrows from (offsets into a byte buffer,
 * pointers into an arena, one record of a frozen map) stays alive; releasing
 * the yoke releases that reference.
 *
 * When to use: you hand out a small view of a big shared structure (one
 * account of a cache entry, the fields of a parsed message) and the view must
 * keep the structure alive without copying it.
 *
 * What TypeScript checks: the types of the projection and of the cart, through
 * `mapProject`. What it cannot check (Rust's borrow checker can): that `Y`
 * only borrows from the cart, and that a value returned by `get()` is not kept
 * after the yoke is released. At run time the yoke checks its own state:
 * `get()` after `release()` throws.
 *
 * Cost: `get()` is one integer compare and a field read. Creating a yoke moves
 * the cart handle (no count change); `clone()` adds one reference.
 *
 * Gotchas: `attachToCart`, `tryAttachToCart`, `mapProject`, `tryMapProject`
 * and `intoBackingCart` *consume* what they are given, as in Rust: the cart
 * handle passed in (or the yoke mapped) can no longer be used — pass
 * `cart.clone()` to keep yours. When the projection fails, the consumed cart
 * is released. The cart from `backingCart()` belongs to the yoke: releasing it
 * throws; clone it to keep a reference.
 *
 * @example
 * ```ts
 * import { Arc, Yoke } from "@arenakit/yoke";
 * const bytes = Arc.new(new TextEncoder().encode("acct-sparky,Sparky-11"));
 * using owner = Yoke.attachToCart(bytes, (b) => ({ start: b.indexOf(44) + 1, end: b.length }));
 * const name = owner.mapProject((span, b) => new TextDecoder().decode(b.subarray(span.start, span.end)));
 * name.get();     // "Sparky-11"
 * name.release(); // the bytes are dropped here
 * ```
 */
export class Yoke<Y, C extends Arc<unknown> = Arc<unknown>> implements Disposable {
  private _y: Y;
  private readonly _cart: C;
  private _state = LIVE;

  private constructor(y: Y, cart: C) {
    this._y = y;
    this._cart = cart;
    if (tracking) track(this, "Yoke", `Yoke(${cart.name})`);
  }

  /**
   * Projects `Y` out of the cart's value and binds the two (Rust's
   * `Yoke::attach_to_cart`). Consumes `cart`: the handle passed in is moved
   * into the yoke (using it afterwards throws; disposing it is a no-op).
   *
   * If `project` throws, the cart is released and the error propagates.
   *
   * @throws {@link UseAfterReleaseError} if `cart` was already released or moved;
   * {@link YokeArgumentError} if `project` is not a function.
   */
  static attachToCart<C extends Arc<unknown>, Y>(cart: C, project: (value: CartValue<C>) => Y): Yoke<Y, C> {
    const own = takeCart(cart, project, "attachToCart");
    let y: Y;
    try {
      y = project(own.get() as CartValue<C>);
    } catch (err) {
      arcInternals.releaseFromYoke(own);
      throw err;
    }
    return new Yoke(y, own);
  }

  /**
   * Like {@link Yoke.attachToCart} for a projection that may find nothing:
   * when `project` returns `undefined`, the cart is released and the result
   * is `undefined` (Rust's `try_attach_to_cart`, which the source article uses
   * to turn a missing account into `None`).
   *
   * @example
   * ```ts
   * import { Arc, Yoke } from "@arenakit/yoke";
   * const accounts = Arc.new(new Map([["acct-sparky", { owner: "Sparky-11" }]]));
   * const found = Yoke.tryAttachToCart(accounts.clone(), (m) => m.get("acct-sparky")); // Yoke
   * const missing = Yoke.tryAttachToCart(accounts.clone(), (m) => m.get("nope"));      // undefined, clone released
   * ```
   */
  static tryAttachToCart<C extends Arc<unknown>, Y>(
    cart: C,
    project: (value: CartValue<C>) => Y | undefined,
  ): Yoke<Y, C> | undefined {
    const own = takeCart(cart, project, "tryAttachToCart");
    let y: Y | undefined;
    try {
      y = project(own.get() as CartValue<C>);
    } catch (err) {
      arcInternals.releaseFromYoke(own);
      throw err;
    }
    if (y === undefined) {
      arcInternals.releaseFromYoke(own);
      return undefined;
    }
    return new Yoke(y, own);
  }

  /**
   * The projection. One integer compare, then a field read.
   * @throws {@link UseAfterReleaseError} after `release()`, or after `mapProject`/`intoBackingCart` consumed the yoke.
   */
  get(): Y {
    if (this._state !== LIVE) throw this._dead("get");
    return this._y;
  }

  /**
   * The cart the projection borrows from (Rust's `backing_cart`). It belongs
   * to the yoke: `release()` on it throws {@link BorrowedCartError}; call
   * `clone()` on it to get a reference of your own.
   */
  backingCart(): C {
    if (this._state !== LIVE) throw this._dead("backingCart");
    return this._cart;
  }

  /** A second yoke over the same projection; the cart's count goes up by one. */
  clone(): Yoke<Y, C> {
    if (this._state !== LIVE) throw this._dead("clone");
    return new Yoke(this._y, arcInternals.cloneForYoke(this._cart));
  }

  /**
   * Maps the projection to another one over the same cart, consuming this
   * yoke (Rust's `map_project`): `f` gets the projection and the cart's
   * value, and may return anything derived from them. No count changes.
   *
   * If `f` throws, the cart is released (the yoke was consumed) and the
   * error propagates.
   */
  mapProject<Z>(f: (y: Y, value: CartValue<C>) => Z): Yoke<Z, C> {
    const cart = this._consume(f, "mapProject");
    let z: Z;
    try {
      z = f(this._takeY(), cart.get() as CartValue<C>);
    } catch (err) {
      arcInternals.releaseFromYoke(cart);
      throw err;
    }
    return new Yoke(z, cart);
  }

  /**
   * Like {@link Yoke.mapProject}, without consuming this yoke: the new one
   * holds its own reference to the cart (Rust's `map_project_cloned`).
   */
  mapProjectCloned<Z>(f: (y: Y, value: CartValue<C>) => Z): Yoke<Z, C> {
    if (this._state !== LIVE) throw this._dead("mapProjectCloned");
    checkFunction(f, "mapProjectCloned");
    const z = f(this._y, this._cart.get() as CartValue<C>);
    return new Yoke(z, arcInternals.cloneForYoke(this._cart));
  }

  /**
   * Like {@link Yoke.mapProject} for a projection that may find nothing:
   * `undefined` releases the cart and returns `undefined`.
   */
  tryMapProject<Z>(f: (y: Y, value: CartValue<C>) => Z | undefined): Yoke<Z, C> | undefined {
    const cart = this._consume(f, "tryMapProject");
    let z: Z | undefined;
    try {
      z = f(this._takeY(), cart.get() as CartValue<C>);
    } catch (err) {
      arcInternals.releaseFromYoke(cart);
      throw err;
    }
    if (z === undefined) {
      arcInternals.releaseFromYoke(cart);
      return undefined;
    }
    return new Yoke(z, cart);
  }

  /** Drops the projection and returns the cart as an ordinary handle (Rust's `into_backing_cart`), consuming the yoke. */
  intoBackingCart(): C {
    if (this._state !== LIVE) throw this._dead("intoBackingCart");
    this._state = MOVED;
    untrack(this);
    this._y = undefined as Y;
    return arcInternals.unyoke(this._cart);
  }

  /**
   * Drops the projection and releases the yoke's reference to the cart.
   * @throws {@link DoubleReleaseError} when already released;
   * {@link UseAfterReleaseError} when the yoke was consumed.
   */
  release(): void {
    if (this._state !== LIVE) {
      throw this._state === RELEASED
        ? new DoubleReleaseError(`release: this Yoke of ${this._cart.name} was already released`)
        : this._dead("release");
    }
    this._state = RELEASED;
    untrack(this);
    this._y = undefined as Y;
    arcInternals.releaseFromYoke(this._cart);
  }

  /** Releases the yoke at the end of a `using` block; a no-op for a yoke that was consumed by `mapProject` and friends. */
  [Symbol.dispose](): void {
    if (this._state === MOVED) return;
    this.release();
  }

  /** Whether the yoke was released or consumed. */
  get released(): boolean {
    return this._state !== LIVE;
  }

  private _consume(f: unknown, what: string): C {
    if (this._state !== LIVE) throw this._dead(what);
    checkFunction(f, what);
    this._state = MOVED;
    untrack(this);
    return this._cart;
  }

  private _takeY(): Y {
    const y = this._y;
    this._y = undefined as Y;
    return y;
  }

  private _dead(what: string): UseAfterReleaseError {
    return new UseAfterReleaseError(
      this._state === MOVED
        ? `${what}: this Yoke of ${this._cart.name} was consumed (mapProject, tryMapProject or intoBackingCart)`
        : `${what}: this Yoke of ${this._cart.name} was released`,
    );
  }
}

function checkFunction(f: unknown, what: string): void {
  if (typeof f !== "function") throw new YokeArgumentError(`${what} expects a function, got ${typeof f}`);
}

function takeCart<C extends Arc<unknown>>(cart: C, project: unknown, what: string): C {
  if (!(cart instanceof Arc)) throw new YokeArgumentError(`${what}: the cart must be an Arc or a SharedArc`);
  checkFunction(project, what);
  return arcInternals.moveIntoYoke(cart);
}
