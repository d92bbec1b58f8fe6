/** Options of `Arc.new`. */
export interface ArcOptions<T> {
  /**
   * Runs once, when the last handle is released: free or recycle what the
   * value holds (reset an arena into a pool, close a file). Its error, if it
   * throws, propagates from the `release()` that dropped the value.
   */
  readonly onDrop?: (value: T) => void;
  /**
   * Name shown in errors and leak reports.
   * @defaultValue `"Arc#<n>"`, numbered per thread
   */
  readonly name?: string;
}

/** Options of `SharedArc.new`. */
export interface SharedArcOptions<T, P> {
  /**
   * Runs once, on the thread that created the Arc (its *home* thread), when
   * the count over all threads reaches zero. If the last reference is
   * released on another thread, the home thread learns it through
   * `Atomics.waitAsync` and runs `onDrop` on its next turn of the event loop;
   * the home thread is the one that can recycle the memory. An error thrown
   * there is an unhandled rejection on the home thread.
   */
  readonly onDrop?: (value: T) => void;
  /**
   * Describes the value for another thread: returns something
   * `postMessage` can send (typically SharedArrayBuffers and numbers) from
   * which `materialize` (given to `SharedArc.attach`) rebuilds a view there.
   * Called once, the first time the Arc is shared or downgraded.
   * @defaultValue the value itself (it must then be structured-cloneable)
   */
  readonly describe?: (value: T) => P;
  /**
   * Name shown in errors and leak reports, on every thread.
   * @defaultValue `"SharedArc#<random id>"`
   */
  readonly name?: string;
}

/** Options of `SharedArc.attach` and `SharedArc.attachWeak`. */
export interface AttachOptions<T> {
  /**
   * Runs on this thread when this thread's last handle is released, before
   * its lease is given back: drop the thread-local view made by
   * `materialize`. (The value itself is dropped by `onDrop` on the home thread.)
   */
  readonly onDetach?: (value: T) => void;
}

/**
 * A thread that can hold a lease: a `worker_threads` Worker (or anything with
 * its `threadId`), or a thread id. When it has an `once("exit", …)` method, the
 * leases shared with it are reclaimed automatically when it exits.
 */
export type LeaseTarget =
  | number
  | {
      readonly threadId: number;
      once?(event: "exit", listener: (exitCode: number) => void): unknown;
    };

/**
 * A strong reference in flight: made by `SharedArc.share(to)`, posted to the
 * thread `to`, turned into a handle there by `SharedArc.attach`. It holds one
 * lease of the Arc until it is attached, so the value cannot be dropped
 * while the message travels. Attach it exactly once, on the thread it is
 * addressed to.
 */
export interface SharedArcDescriptor<P> {
  /** Marks the object as an arenakit Arc descriptor. */
  readonly kind: "arenakit.arc";
  /** The control block: the shared count, lease table and drop state. */
  readonly control: SharedArrayBuffer;
  /** Lease slot reserved for the recipient. */
  readonly lease: number;
  /** Proves the lease is the one this descriptor reserved (a lease slot is reused later). */
  readonly token: number;
  /** What `describe` returned. */
  readonly payload: P;
  /** The Arc's name. */
  readonly name: string;
}

/**
 * A weak reference that can travel: made by `SharedArc.shareWeak()`, turned
 * into a {@link SharedWeakArc} by `SharedArc.attachWeak` on any thread. It
 * holds nothing, so it can be broadcast or kept in an index; `tryAcquire()`
 * fails once the count has reached zero.
 */
export interface WeakArcDescriptor<P> {
  /** Marks the object as an arenakit weak Arc descriptor. */
  readonly kind: "arenakit.weak-arc";
  /** The control block. */
  readonly control: SharedArrayBuffer;
  /** What `describe` returned. */
  readonly payload: P;
  /** The Arc's name. */
  readonly name: string;
}
