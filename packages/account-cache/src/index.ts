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
