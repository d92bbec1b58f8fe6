// The control block of a shared Arc: one small SharedArrayBuffer.
//
// The count is split in two levels so that dead threads can be accounted for:
// - each thread counts its own handles in a plain JS number (its box), so
//   clone() and release() on a thread that already holds the Arc touch no
//   shared memory at all;
// - shared memory counts *holders*: a 64-bit mask with one bit per lease. A
//   thread (or a descriptor in flight to it) holds one lease while its own
//   count is above zero. The Arc is alive while the mask is non-zero.
// Every change of a holder's contribution is ONE atomic operation on the mask
// (set or clear its bit), so there is no window in which a thread that dies
// (worker.terminate(), an uncaught error) leaves the shared count half
// updated. Its lease slot says which thread it belonged to, which is what
// reclaimThread() uses to clear the bits of a thread that exited.
import { YokeArgumentError } from "./errors.js";

/** Most leases (holding threads plus descriptors in flight) one shared Arc can have at once. */
export const MAX_LEASES = 64;

// Int32 word indices; the 64-bit mask occupies words 0-1.
const STATE = 2;
const ID_LO = 3;
const ID_HI = 4;
const TOKEN_SEQ = 5;
const HOLDER = 8;
const TOKEN = HOLDER + MAX_LEASES;
/** Size of a control block in bytes. */
export const CONTROL_BYTES: number = (TOKEN + MAX_LEASES) * 4;

/** STATE values. */
export const LIVE = 0;
export const DROPPED = 1;

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

// Precomputed so the lease path allocates no BigInt for constants. The mask is a BigInt64Array
// (Atomics.wait/notify take no unsigned 64-bit arrays), so bits are signed: slot 63 is -2^63.
const BITS: readonly bigint[] = Array.from({ length: MAX_LEASES }, (_, i) => BigInt.asIntN(64, 1n << BigInt(i)));
const CLEAR: readonly bigint[] = BITS.map((b) => ~b);

function popcount(m: bigint): number {
  let n = 0;
  for (let x = BigInt.asUintN(64, m); x !== 0n; x &= x - 1n) n++;
  return n;
}

/** Views over one control block (each thread makes its own). */
export class Control {
  readonly sab: SharedArrayBuffer;
  readonly mask: BigInt64Array;
  readonly i32: Int32Array;
  /**
   * The Arc's identity on every thread: 64 random bits. SAFETY: two live Arcs with one key on one thread
   * would merge their handles; that takes about 2 * 10^8 live Arcs for a 1-in-1000 chance.
   */
  readonly key: bigint;

  private constructor(sab: SharedArrayBuffer) {
    this.sab = sab;
    this.mask = new BigInt64Array(sab, 0, 1);
    this.i32 = new Int32Array(sab);
    this.key = (BigInt(this.i32[ID_HI]! >>> 0) << 32n) | BigInt(this.i32[ID_LO]! >>> 0);
  }

  /** A fresh control block whose first lease is held by this thread (count 1). */
  static create(): { control: Control; slot: number } {
    const sab = new SharedArrayBuffer(CONTROL_BYTES);
    const i32 = new Int32Array(sab);
    const id = new Int32Array(2);
    crypto.getRandomValues(id);
    i32[ID_LO] = id[0]!;
    i32[ID_HI] = id[1]!;
    const control = new Control(sab);
    const slot = control.claimSlot(SELF, false);
    // SAFETY: nobody else can see this block yet; the store publishes the first holder.
    Atomics.store(control.mask, 0, BITS[slot]!);
    return { control, slot };
  }

  /** Views over a block received from another thread; validates its size. */
  static from(sab: unknown): Control | undefined {
    if (!(sab instanceof SharedArrayBuffer) || sab.byteLength !== CONTROL_BYTES) return undefined;
    return new Control(sab);
  }

  /** Whether the count (over all threads) has reached zero. Terminal. */
  get zero(): boolean {
    return Atomics.load(this.mask, 0) === 0n;
  }

  /** Number of leases holding a reference now. */
  get holders(): number {
    return popcount(Atomics.load(this.mask, 0));
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

  markDropped(): void {
    Atomics.store(this.i32, STATE, DROPPED);
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
    const start = (holder * 7) % MAX_LEASES;
    for (let i = 0; i < MAX_LEASES; i++) {
      const b = (start + i) % MAX_LEASES;
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

  /** Sets `slot`'s bit. SAFETY: only for a caller that holds another bit, so the count is not zero. */
  setBitHeld(slot: number): void {
    Atomics.or(this.mask, 0, BITS[slot]!);
  }

  /** Sets `slot`'s bit unless the count has reached zero (then the Arc stays dropped). */
  trySetBit(slot: number): boolean {
    const bit = BITS[slot]!;
    for (;;) {
      const m = Atomics.load(this.mask, 0);
      if (m === 0n) return false;
      if (Atomics.compareExchange(this.mask, 0, m, m | bit) === m) return true;
    }
  }

  /**
   * Gives back the lease in `slot` held by `holder`: clears its bit, then
   * frees the slot. Returns {@link LAST} when that made the count zero,
   * {@link REVOKED} when the lease had been reclaimed meanwhile (nothing was
   * changed), {@link MORE} otherwise.
   */
  releaseLease(slot: number, holder: number): number {
    if (Atomics.load(this.i32, HOLDER + slot) !== holder) return REVOKED;
    const bit = BITS[slot]!;
    const old = Atomics.and(this.mask, 0, CLEAR[slot]!);
    // SAFETY: the slot is freed only after its bit is clear, so whoever claims it next starts from a clear bit.
    this.freeSlot(slot);
    if ((old & bit) === 0n) return REVOKED;
    return old === bit ? LAST : MORE;
  }

  /**
   * Clears the leases of `holder` (a thread that exited). Returns how many
   * held a reference. Safe against other reclaimers: each slot is taken with
   * a CAS before its bit is touched.
   */
  reclaim(holder: number): number {
    if (!Number.isInteger(holder) || holder <= 0) throw new YokeArgumentError(`not a thread's holder id: ${holder}`);
    let n = 0;
    for (let b = 0; b < MAX_LEASES; b++) {
      if (Atomics.load(this.i32, HOLDER + b) !== holder) continue;
      if (Atomics.compareExchange(this.i32, HOLDER + b, holder, RECLAIMING) !== holder) continue;
      const bit = BITS[b]!;
      const old = Atomics.and(this.mask, 0, CLEAR[b]!);
      if ((old & bit) !== 0n) n++;
      this.freeSlot(b);
    }
    return n;
  }

  /** Wakes the home thread's `waitAsync` on the mask (the count reached zero). */
  notifyZero(): void {
    Atomics.notify(this.mask, 0);
  }
}
