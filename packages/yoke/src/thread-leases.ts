// Lease bookkeeping shared by SharedArc and SharedWeakArc: this thread's registry of boxes, the Workers whose exit
// reclaims their leases, and the checks on lease targets, descriptors and attach arguments.
import type { LeaseTarget } from "./api.js";
import { Control, MAX_LEASES, SELF, holderOf } from "./control.js";
import { DescriptorError, LeaseError, LeaseLimitError, YokeArgumentError } from "./errors.js";
import type { SharedBox } from "./shared-arc.js";

/** This thread's box of every shared Arc it holds (and, on the home thread, of every Arc not yet dropped). */
export const boxes: Map<bigint, SharedBox<unknown, unknown>> = new Map();

/** Per lease target (Worker), the control blocks it was given leases of, for reclaiming at its exit. */
const watched = new WeakMap<object, Map<bigint, Control>>();

/** A free lease slot of `ctl` for this thread (-1 once the count reached zero); all slots taken is a LeaseLimitError. */
export function claimOrThrow(ctl: Control, name: string, token = false): number {
  const slot = ctl.claimSlot(SELF, token);
  if (slot < 0) {
    if (ctl.zero) return -1;
    throw new LeaseLimitError(
      `${name}: all ${MAX_LEASES} lease slots are taken (threads holding it plus descriptors not yet attached); ` +
        "attach or reclaim some before sharing more",
    );
  }
  return slot;
}

/** The count of `ctl` reached zero while this thread looked: drop it here if this is home, else wake home. */
function settleZero(ctl: Control): void {
  if (!ctl.zero) return;
  const box = boxes.get(ctl.key);
  if (box?.home === true) box.drop();
  else ctl.notifyZero();
}

/** The control block as shared memory: a block made where the platform has none cannot travel to another thread. */
export function sharedControl(ctl: Control, call: string): SharedArrayBuffer {
  if (!(ctl.sab instanceof SharedArrayBuffer)) {
    throw new YokeArgumentError(
      `${call}: this Arc was made without shared memory (no SharedArrayBuffer here: a browser page must be cross-origin isolated), so it cannot be shared with another thread`,
    );
  }
  return ctl.sab;
}

/** The holder number of a Worker or thread id given to share(to), checked. */
export function targetHolder(to: LeaseTarget, call = "share(to)", name = "to"): number {
  const id = typeof to === "number" ? to : (to as { threadId?: unknown } | null)?.threadId;
  if (typeof id !== "number" || !Number.isInteger(id)) {
    throw new YokeArgumentError(`${call}: \`${name}\` must be a Worker (anything with a threadId) or a thread id`);
  }
  if (id < 0) throw new LeaseError(`${call}: that Worker has already exited (its threadId is -1)`);
  return holderOf(id);
}

/** Reclaims `ctl`'s leases of `to` when that Worker exits (one exit listener per Worker). */
export function watchExit(to: LeaseTarget, ctl: Control, holder: number, required = false): void {
  if (typeof to !== "object" || typeof to.once !== "function") {
    if (required) throw new YokeArgumentError("reclaimOnExit expects a Worker (an object with threadId and once('exit', …))");
    return;
  }
  let map = watched.get(to);
  if (map === undefined) {
    const m = new Map<bigint, Control>();
    map = m;
    watched.set(to, m);
    to.once("exit", () => {
      watched.delete(to);
      for (const c of m.values()) {
        c.reclaim(holder);
        settleZero(c);
      }
    });
  } else if (map.size >= 64) {
    for (const [k, c] of map) if (c.zero) map.delete(k);
  }
  map.set(ctl.key, ctl);
}

/** The control block of a descriptor of `kind` made by share() or shareWeak(), checked. */
export function validateDescriptor(desc: unknown, kind: string, what: string): Control {
  const d = desc as Record<string, unknown> | null;
  if (d === null || typeof d !== "object" || d.kind !== kind || typeof d.name !== "string" || !("payload" in d)) {
    throw new DescriptorError(`${what} expects the descriptor returned by ${kind === "arenakit.arc" ? "share()" : "shareWeak()"}`);
  }
  const ctl = Control.from(d.control);
  if (ctl === undefined) throw new DescriptorError(`${what}: descriptor.control is not an Arc control block`);
  return ctl;
}

/** Takes back every lease a thread held on `ctl` (see SharedArc.reclaimThread); returns how many. */
export function reclaim(ctl: Control, threadId: number): number {
  if (!Number.isInteger(threadId) || threadId < 0) throw new YokeArgumentError(`reclaimThread: not a thread id: ${threadId}`);
  const n = ctl.reclaim(holderOf(threadId)).held;
  settleZero(ctl);
  return n;
}

/** Checks the arguments of attach() and attachWeak(). */
export function checkAttach(materialize: unknown, options: unknown): void {
  if (typeof materialize !== "function") {
    throw new YokeArgumentError(`materialize must be a function, got ${typeof materialize}`);
  }
  if (options !== undefined) {
    if (options === null || typeof options !== "object") throw new YokeArgumentError("attach options must be an object");
    const d = (options as { onDetach?: unknown }).onDetach;
    if (d !== undefined && typeof d !== "function") throw new YokeArgumentError("options.onDetach must be a function");
  }
}
