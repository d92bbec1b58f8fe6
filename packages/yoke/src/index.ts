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
