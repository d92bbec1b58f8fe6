// The control block of a shared Arc: one small SharedArrayBuffer.
//
// The count is split in two levels so that dead threads can be accounted for:
// - each thread counts its own handles in a plain JS number (its box), so
//   clone() and release() on a thread that already holds the Arc touch no
//   shared memory at all;
// - shared memory counts *holders*: one bit per lease, in 32-bit words (a
//   group of 32 leases per word). A thread (or a descriptor in flight to it)
//   holds one lease while its own count is above zero.
// Every change of a holder's contribution is ONE atomic operation on its
// group word (set or clear its bit), so there is no window in which a thread
// that dies (worker.terminate(), an uncaught error) leaves the shared count
// half updated. Its lease slot says which thread it belonged to, which is what
// reclaimThread() uses to clear the bits of a thread that exited.
//
// Whether the count is zero is no longer one word, so dropping is decided by
// a small state machine in STATE: LIVE → CLOSING → DROPPED (or back to LIVE).
// - Whoever sees every group word zero moves LIVE → CLOSING, scans again, and
//   moves CLOSING → DROPPED if still every word is zero, CLOSING → LIVE if not.
//   Anyone who finds CLOSING helps the same way, so a thread that dies while
//   closing blocks nobody. Exactly one compare-exchange reaches DROPPED: that
//   thread runs (home) or triggers (elsewhere) the drop.
// - A weak acquire sets its bit first, then reads STATE. SAFETY: if its bit
//   was set before the closer's second scan, the scan sees it and the Arc
//   stays LIVE; if after, STATE was already CLOSING when it reads it, so it
//   helps (its own bit makes it vote LIVE; whichever compare-exchange comes
//   first wins) or finds DROPPED and backs out. A dropped Arc never comes back.
import { YokeArgumentError } from "./errors.js";

/** Leases per group word. */
const GROUP = 32;
/** Group words per control block. */
const GROUPS = 40;
/**
 * Most leases (holding threads plus descriptors in flight) one shared Arc can
 * have at once: 1,280, so more than 1,024 Workers can hold one Arc together.
 */
export const MAX_LEASES: number = GROUPS * GROUP;

// Int32 word indices.
const STATE = 0;
const ID_LO = 1;
const ID_HI = 2;
const TOKEN_SEQ = 3;
const BITS = 8;
const HOLDER = BITS + GROUPS;
const TOKEN = HOLDER + MAX_LEASES;
/** Size of a control block in bytes. */
export const CONTROL_BYTES: number = (TOKEN + MAX_LEASES) * 4;

/** STATE values. */
export const LIVE = 0;
const CLOSING = 1;
export const DROPPED = 2;

/** HOLDER value while a reclaimer owns the slot. Holder ids are > 0, free is 0. */
const RECLAIMING = -1;

/** Result of {@link Control.releaseLease}. */
export const MORE = 0;
export const LAST = 1;
export const REVOKED = 2;

function ownThreadId(): number {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const wt = proc?.getBuiltinModule?.("node:worker_threads") as { threadId?: number } | undefined;
  return typeof wt?.threadId === "number" ? wt.threadId : 0;
}

/** Node's `threadId` of this thread (0 on the main thread; 0 outside Node). */
export const THREAD_ID: number = ownThreadId();

/** Holder ids are thread ids + 1, so that 0 can mean "free". */
export const holderOf = (threadId: number): number => threadId + 1;

/** This thread's holder id. */
export const SELF: number = holderOf(THREAD_ID);

function popcount32(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}

/** Views over one control block (each thread makes its own). */
export class Control {
  /** Shared memory where the platform has it; a plain ArrayBuffer in a page that is not cross-origin isolated. */
  readonly sab: SharedArrayBuffer | ArrayBuffer;
  readonly i32: Int32Array;
  /**
   * The Arc's identity on every thread: 64 random bits. SAFETY: two live Arcs with one key on one thread
   * would merge their handles; that takes about 2 * 10^8 live Arcs for a 1-in-1000 chance.
   */
  readonly key: bigint;

  private constructor(sab: SharedArrayBuffer | ArrayBuffer) {
    this.sab = sab;
    this.i32 = new Int32Array(sab);
    this.key = (BigInt(this.i32[ID_HI]! >>> 0) << 32n) | BigInt(this.i32[ID_LO]! >>> 0);
  }

  /** A fresh control block whose first lease is held by this thread (count 1). */
  static create(): { control: Control; slot: number } {
    // Without SharedArrayBuffer (a browser page that is not cross-origin isolated) the block is a plain
    // ArrayBuffer: Atomics work on it, and the Arc simply cannot be shared with another thread.
    const sab = typeof SharedArrayBuffer === "function" ? new SharedArrayBuffer(CONTROL_BYTES) : new ArrayBuffer(CONTROL_BYTES);
    const i32 = new Int32Array(sab);
    const id = new Int32Array(2);
    crypto.getRandomValues(id);
    i32[ID_LO] = id[0]!;
    i32[ID_HI] = id[1]!;
    const control = new Control(sab);
    const slot = control.claimSlot(SELF, false);
    // SAFETY: nobody else can see this block yet; the store publishes the first holder.
    Atomics.store(i32, BITS + (slot >>> 5), 1 << (slot & 31));
    return { control, slot };
  }

  /** Views over a block received from another thread; validates its size. */
  static from(sab: unknown): Control | undefined {
    if (!(sab instanceof SharedArrayBuffer) || sab.byteLength !== CONTROL_BYTES) return undefined;
    return new Control(sab);
  }

  /** Whether the value was dropped (the count over all threads reached zero). Terminal. */
  get zero(): boolean {
    return Atomics.load(this.i32, STATE) === DROPPED;
  }

  /** Number of leases holding a reference now. */
  get holders(): number {
    let n = 0;
    for (let g = 0; g < GROUPS; g++) n += popcount32(Atomics.load(this.i32, BITS + g));
    return n;
  }

  /** Number of lease slots in use (holding, or being claimed or freed). */
  get slotsInUse(): number {
    let n = 0;
    for (let b = 0; b < MAX_LEASES; b++) if (Atomics.load(this.i32, HOLDER + b) !== 0) n++;
    return n;
  }

  get state(): number {
    return Atomics.load(this.i32, STATE);
  }

  holderAt(slot: number): number {
    return Atomics.load(this.i32, HOLDER + slot);
  }

  tokenAt(slot: number): number {
    return Atomics.load(this.i32, TOKEN + slot);
  }

  /** A token no lease of this block had before (0 is reserved for "free"). */
  private mint(): number {
    const t = (Atomics.add(this.i32, TOKEN_SEQ, 1) + 1) | 0;
    return t === 0 ? this.mint() : t;
  }

  /**
   * Takes a free lease slot for `holder` (its bit is not set yet); -1 when
   * every slot is taken. `token`: give the slot a fresh token, for a lease
   * that a descriptor will carry.
   */
  claimSlot(holder: number, token: boolean): number {
    // Threads start their search at different places, so they rarely contend for one slot.
    const start = Math.imul(holder, 7) % MAX_LEASES;
    for (let i = 0; i < MAX_LEASES; i++) {
      let b = start + i;
      if (b >= MAX_LEASES) b -= MAX_LEASES;
      // SAFETY: the slot is claimed by the CAS on HOLDER, before its bit is set; a thread that dies
      // right after the CAS owns a slot with a clear bit, which reclaimThread frees.
      if (Atomics.load(this.i32, HOLDER + b) === 0 && Atomics.compareExchange(this.i32, HOLDER + b, 0, holder) === 0) {
        if (token) Atomics.store(this.i32, TOKEN + b, this.mint());
        return b;
      }
    }
    return -1;
  }

  /** Gives a claimed slot whose bit is clear back. */
  freeSlot(slot: number): void {
    Atomics.store(this.i32, TOKEN + slot, 0);
    Atomics.store(this.i32, HOLDER + slot, 0);
  }

  /** Hands a slot (bit already set) to another holder. */
  assign(slot: number, holder: number): void {
    Atomics.store(this.i32, HOLDER + slot, holder);
  }

  /** Consumes the token of a descriptor: true for the first attach, false for any other. */
  takeToken(slot: number, token: number): boolean {
    return Atomics.compareExchange(this.i32, TOKEN + slot, token, this.mint()) === token;
  }

  /** Sets `slot`'s bit. SAFETY: only for a caller that holds another bit, so the Arc cannot be dropped. */
  setBitHeld(slot: number): void {
    Atomics.or(this.i32, BITS + (slot >>> 5), 1 << (slot & 31));
  }

  /** Sets `slot`'s bit unless the Arc was dropped (then it stays dropped and the bit stays clear). */
  trySetBit(slot: number): boolean {
    const word = BITS + (slot >>> 5);
    const bit = 1 << (slot & 31);
    if (Atomics.load(this.i32, STATE) === DROPPED) return false;
    Atomics.or(this.i32, word, bit);
    for (;;) {
      const s = Atomics.load(this.i32, STATE);
      if (s === LIVE) return true;
      if (s === DROPPED) {
        Atomics.and(this.i32, word, ~bit);
        return false;
      }
      this.resolve(); // CLOSING: our own bit is set, so our vote is LIVE
    }
  }

  /** Whether any lease bit is set. */
  private anyHeld(): boolean {
    for (let g = 0; g < GROUPS; g++) if (Atomics.load(this.i32, BITS + g) !== 0) return true;
    return false;
  }

  /** Settles a CLOSING state: LIVE if any bit is set, else DROPPED. True when this call dropped it. */
  private resolve(): boolean {
    if (this.anyHeld()) {
      Atomics.compareExchange(this.i32, STATE, CLOSING, LIVE);
      return false;
    }
    return Atomics.compareExchange(this.i32, STATE, CLOSING, DROPPED) === CLOSING;
  }

  /**
   * After a bit was cleared: drops the Arc if no bit is set any more.
   * Returns {@link LAST} when this call moved it to DROPPED (the caller then
   * runs or triggers the drop), {@link MORE} otherwise.
   */
  private settle(): number {
    for (;;) {
      if (this.anyHeld()) return MORE;
      const s = Atomics.load(this.i32, STATE);
      if (s === DROPPED) return MORE;
      if (s === LIVE && Atomics.compareExchange(this.i32, STATE, LIVE, CLOSING) !== LIVE) continue;
      if (this.resolve()) {
        Atomics.notify(this.i32, STATE);
        return LAST;
      }
      // Resolved to LIVE (someone acquired meanwhile) or by another thread: look again.
    }
  }

  /**
   * Gives back the lease in `slot` held by `holder`: clears its bit, then
   * frees the slot. Returns {@link LAST} when that dropped the Arc,
   * {@link REVOKED} when the lease had been reclaimed meanwhile (nothing was
   * changed), {@link MORE} otherwise.
   */
  releaseLease(slot: number, holder: number): number {
    if (Atomics.load(this.i32, HOLDER + slot) !== holder) return REVOKED;
    const bit = 1 << (slot & 31);
    const old = Atomics.and(this.i32, BITS + (slot >>> 5), ~bit);
    // SAFETY: the slot is freed only after its bit is clear, so whoever claims it next starts from a clear bit.
    this.freeSlot(slot);
    if ((old & bit) === 0) return REVOKED;
    return this.settle();
  }

  /**
   * Clears the leases of `holder` (a thread that exited). Returns how many
   * held a reference, and whether that dropped the Arc. Safe against other
   * reclaimers: each slot is taken with a CAS before its bit is touched.
   */
  reclaim(holder: number): { held: number; last: boolean } {
    if (!Number.isInteger(holder) || holder <= 0) throw new YokeArgumentError(`not a thread's holder id: ${holder}`);
    let held = 0;
    for (let b = 0; b < MAX_LEASES; b++) {
      if (Atomics.load(this.i32, HOLDER + b) !== holder) continue;
      if (Atomics.compareExchange(this.i32, HOLDER + b, holder, RECLAIMING) !== holder) continue;
      const bit = 1 << (b & 31);
      const old = Atomics.and(this.i32, BITS + (b >>> 5), ~bit);
      if ((old & bit) !== 0) held++;
      this.freeSlot(b);
    }
    return { held, last: held > 0 && this.settle() === LAST };
  }

  /** Wakes the home thread's `waitAsync` on the state word (the Arc was dropped). */
  notifyZero(): void {
    Atomics.notify(this.i32, STATE);
  }

  /** Waits (without blocking) until the state word is no longer `LIVE`/`CLOSING` as seen now. */
  waitAsync(): { async: false; value: string } | { async: true; value: Promise<string> } {
    const s = Atomics.load(this.i32, STATE);
    if (s === DROPPED) return { async: false, value: "dropped" };
    return Atomics.waitAsync(this.i32, STATE, s) as { async: false; value: string } | { async: true; value: Promise<string> };
  }
}
