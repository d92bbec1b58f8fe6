// Examples shown in the yoke chapter (projections). Each function is run by
// test/examples.test.ts.

// #region attach
import { Arc, UseAfterReleaseError, Yoke } from "@arenakit/yoke";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Where a field's bytes are in the cart: two numbers, no string. */
type Span = readonly [start: number, end: number];

/** Splits "id,owner" bytes into spans without decoding anything. */
function spansOf(bytes: Uint8Array): { id: Span; owner: Span } {
  const comma = bytes.indexOf(0x2c);
  return { id: [0, comma], owner: [comma + 1, bytes.length] };
}

export function projectFields(): { owner: string; count: number } {
  const cart = Arc.new(encoder.encode("acct-sparky,Sparky-11"));
  // The projection borrows from the cart; the yoke keeps the cart alive while
  // it lives.
  using fields = Yoke.attachToCart(cart, spansOf);
  const [start, end] = fields.get().owner;
  const owner = decoder.decode(fields.backingCart().get().subarray(start, end));
  return { owner, count: fields.backingCart().strongCount };
  // → { owner: "Sparky-11", count: 1 }
}
// #endregion attach

// #region map-project
export function narrow(): string {
  const cart = Arc.new(encoder.encode("acct-rusty,Rusty-03"));
  const fields = Yoke.attachToCart(cart, spansOf);
  // A narrower projection over the same cart: `fields` is consumed, the cart is not
  // copied.
  using owner = fields.mapProject((spans, bytes) =>
    decoder.decode(bytes.subarray(...spans.owner)),
  );
  return owner.get(); // → "Rusty-03"
}
// #endregion map-project

// #region try-attach
interface Account {
  readonly owner: string;
  readonly index: number;
}

/** The source article's `project_account`: a yoke over one account, or undefined. */
type Accounts = Arc<Map<string, Account>>;

function projectAccount(
  accounts: Accounts,
  id: string,
): Yoke<Account, Accounts> | undefined {
  // tryAttachToCart consumes the clone; when the account is missing it releases it
  // again.
  return Yoke.tryAttachToCart(accounts.clone(), (map) => map.get(id));
}

type Selected = { found: string | undefined; missing: boolean; references: number };

export function selectAccount(): Selected {
  const accounts = Arc.new(
    new Map<string, Account>([
      ["acct-rusty", { owner: "Rusty-03", index: 7 }],
      ["acct-sparky", { owner: "Sparky-11", index: 11 }],
    ]),
  );
  using selected = projectAccount(accounts, "acct-sparky");
  const missing = projectAccount(accounts, "acct-nobody") === undefined;
  const references = accounts.strongCount; // accounts + selected
  accounts.release(); // the selected account keeps the whole map alive
  return { found: selected?.get().owner, missing, references };
  // → { found: "Sparky-11", missing: true, references: 2 }
}
// #endregion try-attach

// #region stale
export function getAfterRelease(): string {
  const y = Yoke.attachToCart(Arc.new(encoder.encode("k,v")), spansOf);
  y.release();
  try {
    y.get();
    return "read a released projection";
  } catch (err) {
    return err instanceof UseAfterReleaseError ? err.code : String(err);
  }
  // → "ERR_YOKE_USE_AFTER_RELEASE"
}
// #endregion stale
