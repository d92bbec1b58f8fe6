import type { EntryPtr } from "@arenakit/hashmap";
import { Yoke, type SharedArc } from "@arenakit/yoke";
import type { EntryPayload } from "./api.js";
import { lookup, viewAt, type AccountView, type Entry } from "./entry.js";
import { AccountsReleasedError, InvalidAccountError } from "./errors.js";
import { FrozenAccounts, badId } from "./frozen.js";
import type { Ptr } from "@arenakit/bump";

/** What a selected account borrows: the account's key and value, found once. */
interface AccountKeyValue {
  readonly entry: EntryPtr;
  readonly value: Ptr;
}

type EntryArc = SharedArc<Entry, EntryPayload>;

/**
 * One account projected out of a {@link FrozenAccounts}, holding its own
 * reference to the entry: the Zig `SelectedAccount` from `acquireProject`, the
 * Rust `Yoke<AccountKeyValue, Arc<FrozenAccounts>>`. It keeps the whole entry
 * alive after the entry leaves the cache, until it is released.
 *
 * The lookup is done once, at projection: `id` and `account` read the key and
 * value found then (like the source article's `get_key_value`), so the id is
 * the copy stored in the arena, not the caller's string.
 *
 * @example
 * ```ts
 * import { AccountsBuilder, projectAccount } from "@arenakit/account-cache";
 * const frozen = new AccountsBuilder(9n).insertAccount("acct-sparky", "Sparky-11", 11, new Uint8Array([0, 3])).finish();
 * const selected = projectAccount(frozen, "acct-sparky")!;
 * frozen.release(); // the selection keeps the entry alive
 * selected.account.owner; // "Sparky-11"
 * selected.release(); // now the entry is freed
 * ```
 */
export class SelectedAccount implements Disposable {
  private readonly _yoke: Yoke<AccountKeyValue, EntryArc>;
  private _view: AccountView | undefined;

  /** @internal */
  constructor(yoke: Yoke<AccountKeyValue, EntryArc>) {
    this._yoke = yoke;
  }

  private _kv(what: string): { kv: AccountKeyValue; entry: Entry } {
    if (this._yoke.released) throw new AccountsReleasedError(`${what}: this SelectedAccount was released`);
    return { kv: this._yoke.get(), entry: this._yoke.backingCart().get() };
  }

  /** The account id (decoded from the key stored in the arena). */
  get id(): string {
    const { kv, entry } = this._kv("id");
    return entry.accounts.keyAt(kv.entry);
  }

  /** The account, as a zero-copy view valid while this selection is alive. */
  get account(): AccountView {
    const { kv, entry } = this._kv("account");
    this._view ??= viewAt(entry.reader!, kv.value, this._yoke);
    return this._view;
  }

  /** The slot of the entry the account belongs to. */
  get slot(): bigint {
    return this._kv("slot").entry.slot;
  }

  /**
   * The entry this account is borrowed from. It belongs to the selection:
   * do not release it (that throws); clone it to keep a reference of your own.
   */
  get backingCart(): FrozenAccounts {
    this._kv("backingCart");
    return new FrozenAccounts(this._yoke.backingCart());
  }

  /** Whether this selection was released. */
  get released(): boolean {
    return this._yoke.released;
  }

  /** Another selection of the same account, with its own reference to the entry. */
  clone(): SelectedAccount {
    this._kv("clone");
    return new SelectedAccount(this._yoke.clone());
  }

  /** Releases the selection's reference to the entry. */
  release(): void {
    this._yoke.release();
  }

  /** Same as {@link SelectedAccount.release}, for `using`. */
  [Symbol.dispose](): void {
    if (!this._yoke.released) this._yoke.release();
  }
}

/**
 * Projects the account `id` out of `frozen` with a new reference to its entry,
 * or returns `undefined` (taking no reference) when there is no such account.
 * `frozen` itself is not consumed.
 *
 * @example
 * ```ts
 * import { AccountsBuilder, projectAccount } from "@arenakit/account-cache";
 * using frozen = new AccountsBuilder(3n).insertAccount("a", "o", 1, new Uint8Array([7])).finish();
 * using selected = projectAccount(frozen, "a");
 * selected?.account.data[0]; // 7
 * ```
 * @throws {@link InvalidAccountError} when `frozen` is not a `FrozenAccounts`
 * or `id` is not a string; {@link AccountsReleasedError} when `frozen` was released.
 */
export function projectAccount(frozen: FrozenAccounts, id: string): SelectedAccount | undefined {
  if (!(frozen instanceof FrozenAccounts)) {
    throw new InvalidAccountError(
      `projectAccount: expected a FrozenAccounts, got ${frozen === null ? "null" : typeof frozen}`,
    );
  }
  if (frozen.released) throw new AccountsReleasedError("projectAccount: the FrozenAccounts was released");
  if (typeof id !== "string") throw badId("projectAccount", id);
  if (!id.isWellFormed()) return undefined;
  const yoke = Yoke.tryAttachToCart(frozen._arc.clone(), (entry: Entry) => lookup(entry, id));
  return yoke === undefined ? undefined : new SelectedAccount(yoke);
}
