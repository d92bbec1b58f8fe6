// The safety net of principle 6: a FinalizationRegistry that names every Arc
// handle and Yoke the garbage collector took while it was still unreleased.
import { YokeArgumentError } from "./errors.js";

/** One handle that was garbage-collected without being released. */
export interface LeakReport {
  /**
   * What leaked: `"Arc"`, `"SharedArc"` and `"Yoke"` from this package, or the
   * kind a higher package gave {@link trackLeak} (such as `"AccountsBuilder"`).
   */
  readonly kind: string;
  /** The name given at creation (`options.name`) or a generated one such as `Arc#3`. */
  readonly name: string;
  /** Where the handle was created, when `captureStacks` was on at the time. */
  readonly stack?: string;
}

/** Options of {@link setLeakReporting}. */
export interface LeakReportingOptions {
  /**
   * Called once per leaked handle, some time after the collection (never
   * synchronously; the engine decides when).
   * @defaultValue emits a process warning of type `ArenakitLeakWarning` (or `console.warn` outside Node)
   */
  readonly onLeak?: (report: LeakReport) => void;
  /**
   * Record a stack trace when each handle is created, so a report says where
   * the leaked handle came from. Costs a few microseconds per handle.
   * @defaultValue false
   */
  readonly captureStacks?: boolean;
}

const ENV = "ARENAKIT_LEAK_REPORT";

function envDefault(): boolean {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  const v = env?.[ENV]?.toLowerCase();
  if (v === "1" || v === "true" || v === "on") return true;
  if (v === "0" || v === "false" || v === "off") return false;
  return env?.NODE_ENV === "test";
}

function defaultReport(r: LeakReport): void {
  const message = `${r.kind} "${r.name}" was garbage-collected without being released${r.stack === undefined ? "" : `; created at\n${r.stack}`}`;
  const proc = (globalThis as { process?: { emitWarning?: (m: string, o: object) => void } }).process;
  if (typeof proc?.emitWarning === "function") proc.emitWarning(message, { type: "ArenakitLeakWarning", code: "ARENAKIT_LEAK" });
  else console.warn(message);
}

/** Whether new handles are registered; read on every handle creation, so it is a plain module variable. */
export let tracking: boolean = envDefault();
let onLeak: (r: LeakReport) => void = defaultReport;
let stacks = false;
let registry: FinalizationRegistry<LeakReport> | undefined;

/**
 * Turns the leak report on or off for this thread (each Worker has its own
 * setting, which starts from the same environment).
 *
 * When to use: in tests and while debugging. A report names every `Arc`
 * handle, `SharedArc` handle and `Yoke` that the garbage collector took while
 * it was still unreleased — a reference that was forgotten, so its count can
 * never reach zero and its `onDrop` never runs.
 *
 * Default: off, except when the environment variable `ARENAKIT_LEAK_REPORT`
 * is `1`/`true`/`on`, or when `NODE_ENV` is `test` (vitest and jest set it) and
 * the variable is not `0`/`false`/`off`.
 *
 * Cost: registering a handle costs a few hundred nanoseconds, so keep it off
 * in production hot paths. Handles created while reporting was off are never
 * reported.
 *
 * Gotchas: the report says that a handle leaked, it does not release it: the
 * count stays where the leak left it (a leak is a bug to fix, not a state to
 * paper over). Reports arrive only after a garbage collection, whenever the
 * engine runs one.
 *
 * @example
 * ```ts
 * import { Arc, setLeakReporting } from "@arenakit/yoke";
 * const leaks: string[] = [];
 * setLeakReporting({ onLeak: (r) => leaks.push(`${r.kind} ${r.name}`) });
 * Arc.new(new Uint8Array(8), { name: "forgotten" }); // never released: reported after a GC
 * ```
 */
export function setLeakReporting(enabled: boolean | LeakReportingOptions): void {
  if (typeof enabled === "boolean") {
    tracking = enabled;
    return;
  }
  if (enabled === null || typeof enabled !== "object") {
    throw new YokeArgumentError(`setLeakReporting expects a boolean or an options object, got ${String(enabled)}`);
  }
  if (enabled.onLeak !== undefined && typeof enabled.onLeak !== "function") {
    throw new YokeArgumentError("setLeakReporting: onLeak must be a function");
  }
  tracking = true;
  onLeak = enabled.onLeak ?? defaultReport;
  stacks = enabled.captureStacks ?? false;
}

/** Whether handles created now are registered for the leak report (see {@link setLeakReporting}). */
export function leakReportingEnabled(): boolean {
  return tracking;
}

/** Registers `handle`; its report fires if it is collected before {@link untrack}. */
export function track(handle: object, kind: string, name: string): void {
  const report: LeakReport = stacks ? { kind, name, stack: new Error().stack?.split("\n").slice(3).join("\n") ?? "" } : { kind, name };
  (registry ??= new FinalizationRegistry((r) => onLeak(r))).register(handle, report, handle);
}

/** Forgets `handle` (it was released or moved). Free when reporting was never on. */
export function untrack(handle: object): void {
  if (registry !== undefined) registry.unregister(handle);
}

/**
 * Registers an object of your own with the leak report, when reporting is on
 * for this thread (see {@link setLeakReporting}): if the garbage collector
 * takes it before {@link untrackLeak} is called, a {@link LeakReport} names it.
 *
 * When to use: a type that holds memory and must be finished, released or
 * discarded explicitly (a builder that owns an arena). Call it when the object
 * is made, and `untrackLeak` in every method that ends its life.
 *
 * Cost: nothing while reporting is off; a FinalizationRegistry entry (a few
 * hundred nanoseconds) while it is on.
 *
 * @example
 * ```ts
 * import { trackLeak, untrackLeak } from "@arenakit/yoke";
 * class Builder {
 *   constructor() { trackLeak(this, "Builder", "builder of slot 7"); }
 *   finish(): void { untrackLeak(this); }
 * }
 * new Builder().finish(); // finished: never reported
 * ```
 */
export function trackLeak(handle: object, kind: string, name: string): void {
  checkHandle("trackLeak", handle);
  if (tracking) track(handle, kind, name);
}

/** Forgets an object registered with {@link trackLeak} (its life ended properly). Free when reporting was never on. */
export function untrackLeak(handle: object): void {
  checkHandle("untrackLeak", handle);
  untrack(handle);
}

function checkHandle(call: string, handle: unknown): void {
  if (handle === null || (typeof handle !== "object" && typeof handle !== "function")) {
    throw new YokeArgumentError(`${call}: handle must be an object, got ${handle === null ? "null" : typeof handle}`);
  }
}
