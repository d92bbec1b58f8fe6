import type { AttachOptions, LeaseTarget, SharedArcDescriptor, SharedArcOptions, WeakArcDescriptor } from "./api.js";
import { Arc, WeakArc, arcInternals, checkArcOptions, type ArcBox, type WeakSource } from "./arc.js";
import { Control, LAST, MAX_LEASES, REVOKED, SELF, THREAD_ID } from "./control.js";
import { DescriptorError, LeaseError, LeaseLimitError, UseAfterReleaseError, YokeArgumentError } from "./errors.js";
import {
  boxes,
  checkAttach,
  claimOrThrow,
  reclaim,
  sharedControl,
  targetHolder,
  validateDescriptor,
  watchExit,
} from "./thread-leases.js";

const identity = <A>(a: A): A => a;

// Handles are made with Object.create(SharedArc.prototype), not `new SharedArc`: on Node 20, `new` of a
// derived class whose `name` was redefined (as tsx/esbuild's keepNames does) costs ~350 ns instead of ~6 ns.
function makeShared<T, P>(box: SharedBox<T, P>): SharedArc<T, P> {
  return arcInternals.init(Object.create(SharedArc.prototype) as SharedArc<T, P>, box);
}

/**
 * One thread's part of a shared Arc: its own count of handles (a plain
 * number), the one lease that count holds in the control block, and the
 * thread-local value.
 */
export class SharedBox<T, P> implements ArcBox<T> {
  count = 0;
  /** Lease slot whose bit this thread holds while count > 0; -1 otherwise. */
  lease = -1;
  value: T | undefined;
  readonly kind = "SharedArc" as const;
  readonly name: string;
  readonly ctl: Control;
  /** Created on this thread by SharedArc.new: owns the value and runs onDrop. */
  readonly home: boolean;
  private _payload: { value: P } | undefined;
  private readonly _describe: ((value: T) => P) | undefined;
  private readonly _onDrop: ((value: T) => void) | undefined;
  private readonly _onDetach: ((value: T) => void) | undefined;
  private _dropped = false;
  private _watching = false;

  constructor(
    ctl: Control,
    name: string,
    home: boolean,
    value: T | undefined,
    payload: { value: P } | undefined,
    describe: ((value: T) => P) | undefined,
    onDrop: ((value: T) => void) | undefined,
    onDetach: ((value: T) => void) | undefined,
  ) {
    this.ctl = ctl;
    this.name = name;
    this.home = home;
    this.value = value;
    this._payload = payload;
    this._describe = describe;
    this._onDrop = onDrop;
    this._onDetach = onDetach;
  }

  handle(): SharedArc<T, P> {
    return makeShared(this);
  }

  payload(): P {
    if (this._payload === undefined) {
      const describe = this._describe ?? (identity as (v: T) => P);
      this._payload = { value: describe(this.value as T) };
    }
    return this._payload.value;
  }

  /** This thread's count reached zero: detach the local view, give the lease back. */
  zero(): void {
    const slot = this.lease;
    this.lease = -1;
    let detachError: { error: unknown } | undefined;
    if (!this.home) {
      if (boxes.get(this.ctl.key) === this) boxes.delete(this.ctl.key);
      const v = this.value as T;
      this.value = undefined;
      try {
        this._onDetach?.(v);
      } catch (error) {
        detachError = { error };
      }
    }
    const r = this.ctl.releaseLease(slot, SELF);
    if (r === LAST) {
      if (this.home) this.drop();
      else this.ctl.notifyZero();
    } else if (this.home) {
      this.watch();
    }
    if (r === REVOKED) {
      throw new LeaseError(
        `release: the lease of thread ${THREAD_ID} on ${this.name} was reclaimed while it still held references; ` +
          "reclaim only threads that have exited",
      );
    }
    if (detachError !== undefined) throw detachError.error;
  }

  /** Takes a new lease for this thread (count 0 → 1); false when the count has reached zero. */
  acquireLease(): boolean {
    if (this.ctl.zero) return false;
    const slot = claimOrThrow(this.ctl, this.name);
    if (slot < 0) return false;
    if (!this.ctl.trySetBit(slot)) {
      this.ctl.freeSlot(slot);
      return false;
    }
    this.lease = slot;
    this.count = 1;
    return true;
  }

  /** Home thread only: runs onDrop once. */
  drop(): void {
    if (this._dropped) return;
    this._dropped = true;
    // A watcher may still be pending from an earlier turn (this thread let go, took a reference again, and
    // released the last one itself): wake it, or its waitAsync would hold this box forever.
    this.ctl.notifyZero();
    if (boxes.get(this.ctl.key) === this) boxes.delete(this.ctl.key);
    const v = this.value as T;
    this.value = undefined;
    // SAFETY: every holder's reads happened before its Atomics.and that cleared its bit, and that before
    // our sequentially consistent load of a zero mask: recycling the memory in onDrop cannot race a reader.
    this._onDrop?.(v);
  }

  /**
   * Home thread only, while other threads hold the Arc and this one does not:
   * wait (without blocking) for the count to reach zero, then drop.
   */
  watch(): void {
    if (this._dropped || this._watching) return;
    for (;;) {
      if (this.ctl.zero) {
        this.drop();
        return;
      }
      // SAFETY: the thread that moves the state to DROPPED notifies after its store; a waiter registered
      // for the state seen here wakes on that notify, and a change before it registers makes waitAsync
      // return "not-equal" synchronously, so we loop and look again.
      const r = this.ctl.waitAsync();
      if (r.async) {
        this._watching = true;
        void r.value.then(() => {
          this._watching = false;
          this.watch();
        });
        return;
      }
    }
  }
}

/**
 * An {@link Arc} whose count lives in shared memory, so that Workers hold
 * real references to the same value: the `Arc<T>` that Rust sends across
 * threads, for `worker_threads`.
 *
 * How it counts: each thread counts its own handles in a plain number, and
 * holds one *lease* in the Arc's control block (a SharedArrayBuffer) while
 * that number is above zero. The value is dropped when no lease is held. So
 * `clone()` and `release()` cost the same as for a local Arc, and only a
 * thread's first and last reference touch shared memory (one atomic
 * operation each).
 *
 * Sharing: `share(worker)` returns a small descriptor (the control block,
 * a lease reserved for that Worker, and what `describe` made of the value)
 * to post to the Worker, where `SharedArc.attach(desc, materialize)` turns it
 * into a handle. `shareWeak()` makes a descriptor that holds nothing, for
 * `attachWeak(...).tryAcquire()`, which fails once the count reached zero.
 *
 * Dropping: `onDrop` runs exactly once, on the home thread (the one that
 * called `SharedArc.new`) — synchronously if the last release happens there,
 * otherwise on the home thread's next event-loop turn (it waits with
 * `Atomics.waitAsync`, which does not keep the process alive). If the home
 * thread has exited by then, `onDrop` never runs: create shared Arcs on the
 * thread that owns (and can recycle) the memory.
 *
 * Dead Workers: a Worker that exits or crashes never releases its
 * references. Its leases name its thread, and when it was given leases with
 * `share(worker)` they are reclaimed automatically on its `exit` event; for
 * leases shared by thread id, call `reclaimThread(threadId)` once that thread
 * has exited. Never reclaim a thread that is still running.
 *
 * Gotchas: at most {@link MAX_LEASES} (1,280) leases at once (holding threads
 * plus descriptors not yet attached); past that, `share()` and a thread's
 * first `tryAcquire()` throw {@link LeaseLimitError}. A descriptor is attached once, on the thread
 * it was addressed to. `strongCount` counts this thread's handles only.
 *
 * @example
 * ```ts
 * import { Worker } from "node:worker_threads";
 * import { SharedArc } from "@arenakit/yoke";
 * const bytes = new Uint8Array(new SharedArrayBuffer(1024));
 * const arc = SharedArc.new(bytes, { describe: (b) => b.buffer as SharedArrayBuffer, onDrop: () => console.log("free") });
 * const worker = new Worker("./reader.js");
 * worker.postMessage(arc.share(worker)); // the worker: SharedArc.attach(msg, (sab) => new Uint8Array(sab))
 * arc.release(); // "free" is logged once the worker has released its reference too
 * ```
 */
export class SharedArc<T, P = T> extends Arc<T> {
  /**
   * Wraps `value` in a shared cart with a count of 1, held by this thread,
   * which becomes the Arc's home thread.
   *
   * @example
   * ```ts
   * import { SharedArc } from "@arenakit/yoke";
   * const arc = SharedArc.new({ buf: new SharedArrayBuffer(64) }); // described as itself
   * ```
   * @throws {@link YokeArgumentError} when an option has the wrong type.
   */
  static override new<T, P = T>(value: T, options?: SharedArcOptions<T, P>): SharedArc<T, P> {
    checkArcOptions(options);
    const { control, slot } = Control.create();
    const name = options?.name ?? `SharedArc#${control.key.toString(36)}`;
    const box = new SharedBox<T, P>(control, name, true, value, undefined, options?.describe, options?.onDrop, undefined);
    box.lease = slot;
    box.count = 1;
    boxes.set(control.key, box as SharedBox<unknown, unknown>);
    return box.handle();
  }

  /**
   * Turns a descriptor from {@link SharedArc.share} into a handle on this
   * thread, taking over the lease it carries. `materialize` rebuilds the
   * thread-local value from the payload (called only when this thread does
   * not hold the Arc already; on the home thread the original value is used).
   *
   * @example
   * ```ts
   * import { parentPort } from "node:worker_threads";
   * import { SharedArc, type SharedArcDescriptor } from "@arenakit/yoke";
   * parentPort!.once("message", (desc: SharedArcDescriptor<SharedArrayBuffer>) => {
   *   using arc = SharedArc.attach(desc, (sab) => new Uint8Array(sab));
   *   parentPort!.postMessage(arc.get()[0]);
   * });
   * ```
   * @throws {@link DescriptorError} for something that is not a descriptor;
   * {@link LeaseError} when it was already attached, is addressed to another
   * thread, or its lease was reclaimed. If `materialize` throws, the lease is
   * given back and the error propagates.
   */
  static attach<P, T>(
    desc: SharedArcDescriptor<P>,
    materialize: (payload: P) => T,
    options?: AttachOptions<T>,
  ): SharedArc<T, P> {
    const ctl = validateDescriptor(desc, "arenakit.arc", "SharedArc.attach");
    const slot = desc.lease;
    if (!Number.isInteger(slot) || slot < 0 || slot >= MAX_LEASES || !Number.isInteger(desc.token) || desc.token === 0) {
      throw new DescriptorError("SharedArc.attach: descriptor.lease/token are not valid");
    }
    checkAttach(materialize, options);
    const holder = ctl.holderAt(slot);
    if (holder !== SELF) {
      throw new LeaseError(
        holder === 0 || ctl.tokenAt(slot) !== desc.token
          ? `SharedArc.attach: the lease of ${desc.name} was already attached or reclaimed`
          : `SharedArc.attach: this descriptor of ${desc.name} is addressed to thread ${holder - 1}, not thread ${THREAD_ID}`,
      );
    }
    if (!ctl.takeToken(slot, desc.token)) {
      throw new LeaseError(`SharedArc.attach: this descriptor of ${desc.name} was already attached`);
    }
    const existing = boxes.get(ctl.key) as SharedBox<T, P> | undefined;
    if (existing !== undefined && existing.count > 0) {
      // This thread holds the Arc already: count one more handle and give the extra lease back.
      existing.count++;
      // SAFETY: existing holds its own bit, so releasing this one cannot make the count zero.
      ctl.releaseLease(slot, SELF);
      return existing.handle();
    }
    let box = existing;
    if (box === undefined) {
      let value: T;
      try {
        value = materialize(desc.payload);
      } catch (err) {
        if (ctl.releaseLease(slot, SELF) === LAST) ctl.notifyZero();
        throw err;
      }
      box = new SharedBox<T, P>(ctl, desc.name, false, value, { value: desc.payload }, undefined, undefined, options?.onDetach);
      boxes.set(ctl.key, box as SharedBox<unknown, unknown>);
    }
    box.lease = slot;
    box.count = 1;
    return box.handle();
  }

  /**
   * Turns a descriptor from {@link SharedArc.shareWeak} into a weak reference
   * on this thread. Nothing is held until `tryAcquire()` succeeds.
   * @throws {@link DescriptorError} for something that is not a weak descriptor.
   */
  static attachWeak<P, T>(
    desc: WeakArcDescriptor<P>,
    materialize: (payload: P) => T,
    options?: AttachOptions<T>,
  ): SharedWeakArc<T, P> {
    const ctl = validateDescriptor(desc, "arenakit.weak-arc", "SharedArc.attachWeak");
    checkAttach(materialize, options);
    const payload = desc.payload;
    return new SharedWeakArc(new SharedWeakSource<T, P>(ctl, desc.name, () => payload, materialize, options?.onDetach));
  }


  /**
   * A descriptor carrying one new reference, addressed to the thread `to`,
   * to post to it (it is a few numbers, a string and the control block, plus
   * your payload). Until it is attached, the reference belongs to `to`: if
   * `to` is a Worker, it is reclaimed when the Worker exits, attached or not.
   *
   * @throws {@link UseAfterReleaseError} after this handle was released;
   * {@link LeaseError} if the Worker already exited;
   * {@link LeaseLimitError} when every lease slot is taken.
   */
  share(to: LeaseTarget): SharedArcDescriptor<P> {
    const box = sharedBox(this, "share");
    const holder = targetHolder(to);
    const ctl = box.ctl;
    const control = sharedControl(ctl, "share");
    const payload = box.payload();
    const slot = claimOrThrow(ctl, box.name, true);
    // SAFETY: this thread holds a lease (count > 0), so the count is not zero and setting a bit cannot revive a dropped Arc.
    ctl.setBitHeld(slot);
    const token = ctl.tokenAt(slot);
    watchExit(to, ctl, holder);
    // SAFETY: handing the slot over is the last step: until then it is ours, so if this thread dies here,
    // reclaiming this thread frees it.
    ctl.assign(slot, holder);
    return { kind: "arenakit.arc", control, lease: slot, token, payload, name: box.name };
  }

  /**
   * Reclaims every lease the Worker `worker` holds on this Arc when it exits
   * (its `exit` event), however it got them: descriptors from `share(worker)`
   * (which registers this by itself) or `tryAcquire()` on a weak descriptor.
   * Register right after creating the Worker.
   *
   * @example
   * ```ts
   * import { Worker } from "node:worker_threads";
   * import { SharedArc } from "@arenakit/yoke";
   * const arc = SharedArc.new({ buf: new SharedArrayBuffer(8) });
   * const worker = new Worker("./reader.js", { workerData: arc.shareWeak() });
   * arc.reclaimOnExit(worker); // a crash or terminate() cannot pin the value
   * ```
   */
  reclaimOnExit(worker: LeaseTarget & object): void {
    const box = sharedBox(this, "reclaimOnExit");
    watchExit(worker, box.ctl, targetHolder(worker, "reclaimOnExit(worker)", "worker"), true);
  }

  /** A weak descriptor (holds nothing) that any thread can turn into a {@link SharedWeakArc}. */
  shareWeak(): WeakArcDescriptor<P> {
    const box = sharedBox(this, "shareWeak");
    return { kind: "arenakit.weak-arc", control: sharedControl(box.ctl, "shareWeak"), payload: box.payload(), name: box.name };
  }

  override downgrade(): SharedWeakArc<T, P> {
    const box = sharedBox(this, "downgrade");
    return new SharedWeakArc(new SharedWeakSource<T, P>(box.ctl, box.name, () => box.payload(), undefined, undefined));
  }

  /** Leases holding a reference now, over all threads (this thread counts as one). */
  get holderCount(): number {
    return (arcInternals.box(this) as SharedBox<T, P>).ctl.holders;
  }

  /**
   * Reclaims the leases of a thread that has exited: its references are
   * subtracted, and if they were the last ones the value is dropped. Returns
   * how many leases held a reference. `share(worker)` does this by itself
   * when the Worker exits; call it for leases shared by thread id.
   *
   * Gotcha: reclaiming a thread that still runs takes references it still
   * uses; its later release throws {@link LeaseError}.
   */
  reclaimThread(threadId: number): number {
    return reclaim((arcInternals.box(this) as SharedBox<T, P>).ctl, threadId);
  }

}

export interface SharedArc<T, P> {
  /** A new handle to the same value (see {@link Arc.clone}); counted on this thread only. */
  clone(): SharedArc<T, P>;
  /** Same as {@link SharedArc.clone}. */
  retain(): SharedArc<T, P>;
}

/** The box behind a live handle. A function, not a method, so SharedArc stays covariant in T. */
function sharedBox<T, P>(arc: SharedArc<T, P>, what: string): SharedBox<T, P> {
  if (arc.released) throw new UseAfterReleaseError(`${what}: this handle of ${arc.name} was released`);
  return arcInternals.box(arc) as SharedBox<T, P>;
}

class SharedWeakSource<T, P> implements WeakSource<T> {
  readonly ctl: Control;
  readonly name: string;
  private readonly _payload: () => P;
  private readonly _materialize: ((payload: P) => T) | undefined;
  private readonly _onDetach: ((value: T) => void) | undefined;

  constructor(
    ctl: Control,
    name: string,
    payload: () => P,
    materialize: ((payload: P) => T) | undefined,
    onDetach: ((value: T) => void) | undefined,
  ) {
    this.ctl = ctl;
    this.name = name;
    this._payload = payload;
    this._materialize = materialize;
    this._onDetach = onDetach;
  }

  tryAcquire(): SharedArc<T, P> | undefined {
    const ctl = this.ctl;
    let box = boxes.get(ctl.key) as SharedBox<T, P> | undefined;
    if (box !== undefined && box.count > 0) {
      box.count++;
      return box.handle();
    }
    if (box !== undefined) return box.acquireLease() ? box.handle() : undefined;
    if (ctl.zero) return undefined;
    const slot = claimOrThrow(ctl, this.name);
    if (slot < 0) return undefined;
    if (!ctl.trySetBit(slot)) {
      ctl.freeSlot(slot);
      return undefined;
    }
    let value: T;
    try {
      if (this._materialize === undefined) {
        throw new UseAfterReleaseError(`tryAcquire: ${this.name} has no value on this thread any more`);
      }
      value = this._materialize(this.payload);
    } catch (err) {
      if (ctl.releaseLease(slot, SELF) === LAST) ctl.notifyZero();
      throw err;
    }
    box = new SharedBox<T, P>(ctl, this.name, false, value, { value: this.payload }, undefined, undefined, this._onDetach);
    boxes.set(ctl.key, box as SharedBox<unknown, unknown>);
    box.lease = slot;
    box.count = 1;
    return box.handle();
  }

  get dropped(): boolean {
    return this.ctl.zero;
  }

  get payload(): P {
    return this._payload();
  }
}

/**
 * A weak reference to a {@link SharedArc}, usable on any thread: it holds
 * no lease, so it never keeps the value alive, and `tryAcquire()` returns a
 * strong handle only while the count (over all threads) is above zero. Once
 * it has reached zero, every `tryAcquire()` on every thread returns
 * `undefined`: a dropped Arc never comes back.
 *
 * When to use: an index of cache entries, or a descriptor broadcast to many
 * Workers, that must find an entry while it lives without pinning it.
 *
 * @example
 * ```ts
 * import { SharedArc } from "@arenakit/yoke";
 * const arc = SharedArc.new({ slot: 7 });
 * const weak = arc.downgrade(); // or SharedArc.attachWeak(arc.shareWeak(), (p) => p) in a Worker
 * weak.tryAcquire()?.release();
 * arc.release();
 * weak.tryAcquire(); // undefined
 * ```
 */
export class SharedWeakArc<T, P = T> extends WeakArc<T> {
  override tryAcquire(): SharedArc<T, P> | undefined {
    return (this._source as SharedWeakSource<T, P>).tryAcquire();
  }

  /** Leases holding a reference now, over all threads. */
  get holderCount(): number {
    return (this._source as SharedWeakSource<T, P>).ctl.holders;
  }

  /** Lease slots in use (holding, or being handed over); 0 once everything was released or reclaimed. */
  get leaseSlotsInUse(): number {
    return (this._source as SharedWeakSource<T, P>).ctl.slotsInUse;
  }

  /** A weak descriptor for another thread. */
  share(): WeakArcDescriptor<P> {
    const s = this._source as SharedWeakSource<T, P>;
    return { kind: "arenakit.weak-arc", control: sharedControl(s.ctl, "share"), payload: s.payload, name: s.name };
  }

  /** See {@link SharedArc.reclaimThread}. */
  reclaimThread(threadId: number): number {
    return reclaim((this._source as SharedWeakSource<T, P>).ctl, threadId);
  }

  /** See {@link SharedArc.reclaimOnExit}. */
  reclaimOnExit(worker: LeaseTarget & object): void {
    const ctl = (this._source as SharedWeakSource<T, P>).ctl;
    watchExit(worker, ctl, targetHolder(worker, "reclaimOnExit(worker)", "worker"), true);
  }
}
