/**
 * The composed account cache of the arenakit cookbook: {@link AccountsBuilder}
 * fills one arena per slot, `finish()` freezes it into a reference-counted
 * {@link FrozenAccounts} with zero-copy views, and {@link projectAccount}
 * selects one account that keeps its slot alive.
 *
 * This root entry uses no Node.js built-ins, so it bundles for browsers (shared
 * memory there needs a cross-origin isolated page). The rolling window shared
 * with `worker_threads` Workers, `RollingAccountCache`, is exported from
 * `@arenakit/account-cache/node`.
 *
 * @example
 * ```ts
 * import { AccountsBuilder } from "@arenakit/account-cache";
 * const builder = new AccountsBuilder(1n);
 * builder.insertAccount("acct-1", "owner-a", 0, new Uint8Array([1]));
 * using accounts = builder.finish();
 * accounts.get("acct-1")?.owner; // "owner-a"
 * ```
 *
 * @packageDocumentation
 */
export type {
  AccountsBuilderOptions,
  FrozenAccountsDescriptor,
  U64,
} from "./api.js";
export { AccountsBuilder } from "./builder.js";
export { AccountValue, AccountView } from "./entry.js";
export {
  AccountCacheError,
  AccountsCorruptedError,
  AccountsDescriptorError,
  AccountsReleasedError,
  BuilderFinishedError,
  DataTooLargeError,
  InvalidAccountError,
  ReadOnlyCacheError,
  SlotOrderError,
  type AccountCacheErrorCode,
} from "./errors.js";
export { FrozenAccounts } from "./frozen.js";
export { SelectedAccount, projectAccount } from "./selected.js";
export { ACCOUNTS_FINGERPRINT, ACCOUNTS_KIND, type AccountsLoadOptions } from "./snapshot.js";
