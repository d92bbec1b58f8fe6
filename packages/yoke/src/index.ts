/**
 * Reference-counted carts and projections that borrow from them, after Rust's
 * yoke and `Arc`: {@link Arc} counts references explicitly, {@link Yoke} keeps a
 * projection together with a reference to its cart, and {@link SharedArc} keeps
 * its count in shared memory so Worker threads hold real references.
 *
 * Gotcha: releasing twice is a {@link DoubleReleaseError}; using a released
 * value is a {@link UseAfterReleaseError}.
 *
 * @example
 * ```ts
 * import { Arc, Yoke } from "@arenakit/yoke";
 * const cart = Arc.new(new TextEncoder().encode("id,owner"));
 * using owner = Yoke.attachToCart(cart, (bytes) => bytes.subarray(3));
 * owner.get().length; // 5
 * ```
 *
 * @packageDocumentation
 */
export type {
  ArcOptions,
  AttachOptions,
  LeaseTarget,
  SharedArcDescriptor,
  SharedArcOptions,
  WeakArcDescriptor,
} from "./api.js";
export { Arc, WeakArc } from "./arc.js";
export { CONTROL_BYTES, MAX_LEASES } from "./control.js";
export {
  BorrowedCartError,
  DescriptorError,
  DoubleReleaseError,
  LeaseError,
  LeaseLimitError,
  UseAfterReleaseError,
  YokeArgumentError,
  YokeError,
  type YokeErrorCode,
} from "./errors.js";
export {
  leakReportingEnabled,
  setLeakReporting,
  trackLeak,
  untrackLeak,
  type LeakReport,
  type LeakReportingOptions,
} from "./leaks.js";
export { SharedArc, SharedWeakArc } from "./shared-arc.js";
export { Yoke, type CartValue } from "./yoke.js";
