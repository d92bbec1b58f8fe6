// Examples shown in the "Owner and dependent: self-cell" chapter. Each region
// is imported by the docs and each function is run by test/examples.test.ts.

// #region owner
import { BorrowError, SelfCell, isSuppressedError } from "@arenakit/self-cell";

/**
 * A toy arena: strings are appended to one byte buffer and named by their offset and
 * length.
 */
export class TextArena implements Disposable {
  private bytes = new Uint8Array(256);
  private used = 0;
  released = false;

  store(s: string): { offset: number; length: number } {
    const encoded = new TextEncoder().encode(s);
    if (this.used + encoded.length > this.bytes.length) {
      const size = Math.max(this.bytes.length * 2, this.used + encoded.length);
      const grown = new Uint8Array(size);
      grown.set(this.bytes);
      this.bytes = grown;
    }
    this.bytes.set(encoded, this.used);
    const span = { offset: this.used, length: encoded.length };
    this.used += encoded.length;
    return span;
  }

  read(span: { offset: number; length: number }): string {
    if (this.released) throw new Error("read from a released arena");
    const bytes = this.bytes.subarray(span.offset, span.offset + span.length);
    return new TextDecoder().decode(bytes);
  }

  [Symbol.dispose](): void {
    this.released = true;
    this.bytes = new Uint8Array(0);
  }
}
// #endregion owner

// #region new
type Span = { offset: number; length: number };
/**
 * The dependent: an index whose values only mean something inside the arena that owns
 * the bytes.
 */
type Accounts = Map<string, { owner: Span; index: number }>;

export function buildAccounts(): { owner: string | undefined; size: number } {
  // The builder receives the owner and returns the dependent: both now live and die
  // together.
  const cell = SelfCell.new(new TextArena(), (): Accounts => new Map());

  // Inserting needs the arena (to store bytes) and the map (to index them): an
  // exclusive borrow.
  cell.withDependentMut((arena, accounts) => {
    accounts.set("acct-rusty", { owner: arena.store("Rusty-03"), index: 7 });
    accounts.set("acct-sparky", { owner: arena.store("Sparky-11"), index: 11 });
  });

  // Reading is a shared borrow: the dependent is typed Readonly here.
  const owner = cell.withDependent((arena, accounts) => {
    const a = accounts.get("acct-sparky");
    return a === undefined ? undefined : arena.read(a.owner);
  });
  const size = cell.borrowDependent().size;
  cell[Symbol.dispose](); // the map first, then the arena
  return { owner, size }; // → { owner: "Sparky-11", size: 2 }
}
// #endregion new

// #region borrow-error
export function borrowRules(): string[] {
  const cell = SelfCell.new(new TextArena(), (): Accounts => new Map());
  const seen: string[] = [];
  cell.withDependent((_arena, accounts) => {
    try {
      // Mutating while someone iterates: Rust rejects this at compile time, the cell at
      // run time.
      cell.withDependentMut((_a, m) => m.clear());
    } catch (err) {
      if (err instanceof BorrowError) seen.push(`${err.code}: ${err.message}`);
    }
    seen.push(`still ${accounts.size} accounts`);
  });
  cell[Symbol.dispose]();
  try {
    cell.borrowDependent();
  } catch (err) {
    seen.push((err as BorrowError).code);
  }
  return seen;
  // → ["ERR_CELL_BORROWED: withDependentMut: the dependent is already borrowed" +
  //       " (1 shared borrow active)",
  //     "still 0 accounts", "ERR_CELL_DISPOSED"]
}
// #endregion borrow-error

// #region drop-order
export function dropOrder(): string[] {
  const log: string[] = [];
  {
    const build = (arena: TextArena) => ({ greeting: arena.store("hello arena") });
    using cell = SelfCell.new(new TextArena(), build, {
      // The dependent is disposed first, while the owner is still intact...
      disposeDependent: (dep, arena) =>
        log.push(`dependent disposed, could still read "${arena.read(dep.greeting)}"`),
      // ...then the owner.
      disposeOwner: (arena) => {
        arena[Symbol.dispose]();
        log.push("arena released");
      },
    });
    log.push(cell.withDependent((arena, dep) => arena.read(dep.greeting)));
  } // `using`: disposed here, also when the block throws
  return log;
  // → ["hello arena", 'dependent disposed, could still read "hello arena"',
  //     "arena released"]
}
// #endregion drop-order

// #region try-new
export function fallibleBuild(json: string): { ok: boolean; detail: string } {
  const arena = new TextArena();
  const r = SelfCell.tryNew(arena, (a) => {
    const parsed = JSON.parse(json) as { id: string };
    return { id: a.store(parsed.id) };
  });
  if (!r.ok) {
    const detail = `${(r.error as Error).name}; arena released: ${arena.released}`;
    return { ok: false, detail };
  }
  using cell = r.cell;
  return { ok: true, detail: cell.withDependent((a, dep) => a.read(dep.id)) };
}

export function recoverOwner(): string {
  const r = SelfCell.tryNewOrRecover(new TextArena(), (): Span => {
    throw new Error("the first builder gave up");
  });
  if (r.ok) return "built";
  // The owner comes back untouched: try another builder with it.
  using cell = SelfCell.new(r.owner, (arena) => arena.store("second try"));
  return cell.withDependent((arena, span) => arena.read(span)); // → "second try"
}
// #endregion try-new

// #region into-owner
export function intoOwner(): { text: string; released: boolean } {
  const cell = SelfCell.new(new TextArena(), (arena) => arena.store("kept"));
  const span = cell.borrowDependent();
  const arena = cell.intoOwner(); // the dependent is dropped, the arena is ours again
  // spans are plain numbers; the arena still holds the bytes
  const text = arena.read(span);
  arena[Symbol.dispose]();
  return { text, released: arena.released }; // → { text: "kept", released: true }
}
// #endregion into-owner

// #region suppressed
type Both = { name: string; error: string; suppressed: string };

export function bothDisposersThrow(): Both {
  const cell = SelfCell.new("owner", () => "dependent", {
    disposeDependent: () => {
      throw new Error("dependent failed");
    },
    disposeOwner: () => {
      throw new Error("owner failed");
    },
  });
  try {
    cell[Symbol.dispose]();
  } catch (err) {
    // A real SuppressedError on Node 24; on Node 20 an Error with the same name and
    // fields.
    if (isSuppressedError(err)) {
      return {
        name: err.name,
        error: (err.error as Error).message,
        suppressed: (err.suppressed as Error).message,
      };
    }
  }
  return { name: "none", error: "", suppressed: "" };
  // → { name: "SuppressedError", error: "owner failed",
  //     suppressed: "dependent failed" }
}
// #endregion suppressed
