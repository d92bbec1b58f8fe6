import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import {
  BorrowError,
  CellArgumentError,
  CellDisposedError,
  SelfCell,
  SelfCellError,
  isSuppressedError,
  suppressedError,
} from "../src/index.ts";

/** A resource that records when it is disposed, in one shared log. */
class Tracked implements Disposable {
  disposed = 0;
  constructor(
    readonly name: string,
    private readonly log: string[],
    private readonly failWith?: Error,
  ) {}
  [Symbol.dispose](): void {
    this.disposed++;
    this.log.push(this.name);
    if (this.failWith !== undefined) throw this.failWith;
  }
}

describe("drop order", () => {
  it("disposes the dependent before the owner, exactly once each", () => {
    const log: string[] = [];
    const owner = new Tracked("owner", log);
    let dep: Tracked | undefined;
    const cell = SelfCell.new(owner, (o) => {
      dep = new Tracked(`dependent of ${o.name}`, log);
      return dep;
    });
    expect(log).toEqual([]);
    cell[Symbol.dispose]();
    expect(log).toEqual(["dependent of owner", "owner"]);
    cell[Symbol.dispose](); // idempotent, like DisposableStack
    expect(owner.disposed).toBe(1);
    expect(dep!.disposed).toBe(1);
    expect(cell.disposed).toBe(true);
  });

  it("the dependent's disposer can still read the owner", () => {
    const seen: string[] = [];
    const cell = SelfCell.new(["a", "b"], (xs) => ({ first: 0 }), {
      disposeDependent: (dep, owner) => seen.push(owner[dep.first]!),
      disposeOwner: (owner) => seen.push(`owner(${owner.length})`),
    });
    cell[Symbol.dispose]();
    expect(seen).toEqual(["a", "owner(2)"]);
  });

  it("`using` disposes at scope exit, in reverse order of declaration", () => {
    const log: string[] = [];
    {
      using a = SelfCell.new(new Tracked("a-owner", log), () => new Tracked("a-dep", log));
      using b = SelfCell.new(new Tracked("b-owner", log), () => new Tracked("b-dep", log));
      expect(a.disposed || b.disposed).toBe(false);
    }
    expect(log).toEqual(["b-dep", "b-owner", "a-dep", "a-owner"]);
  });

  it("non-disposable halves are simply dropped", () => {
    const cell = SelfCell.new(new Uint8Array([1, 2, 3]), (bytes) => ({ sum: bytes.reduce((a, b) => a + b, 0) }));
    expect(cell.borrowDependent().sum).toBe(6);
    expect(() => cell[Symbol.dispose]()).not.toThrow();
    expect(cell.disposed).toBe(true);
  });
});

describe("builder failure", () => {
  it("new(): a throwing builder disposes the owner and rethrows its error", () => {
    const log: string[] = [];
    const owner = new Tracked("owner", log);
    const boom = new Error("builder failed");
    expect(() =>
      SelfCell.new(owner, () => {
        throw boom;
      }),
    ).toThrow(boom);
    expect(owner.disposed).toBe(1);
  });

  it("new(): a partially built dependent is the builder's to clean up; the owner is still disposed", () => {
    const log: string[] = [];
    const owner = new Tracked("owner", log);
    expect(() =>
      SelfCell.new(owner, (o) => {
        using partial = new Tracked("partial", log);
        if (o.name === "owner") throw new RangeError("halfway");
        return partial;
      }),
    ).toThrow(RangeError);
    expect(log).toEqual(["partial", "owner"]);
  });

  it("tryNew(): returns the error and disposes the owner", () => {
    const log: string[] = [];
    const owner = new Tracked("owner", log);
    const r = SelfCell.tryNew(owner, (): number => {
      throw new TypeError("bad input");
    });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toBeInstanceOf(TypeError);
    expect(owner.disposed).toBe(1);
    const good = SelfCell.tryNew(new Tracked("o2", log), (o) => o.name.length);
    expect(good.ok && good.cell.borrowDependent()).toBe(2);
  });

  it("tryNewOrRecover(): returns the owner untouched", () => {
    const log: string[] = [];
    const owner = new Tracked("owner", log);
    const r = SelfCell.tryNewOrRecover(owner, (): number => {
      throw new Error("nope");
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.owner).toBe(owner);
    expect(owner.disposed).toBe(0);
    using retry = SelfCell.new(r.owner, (o) => o.name);
    expect(retry.borrowDependent()).toBe("owner");
  });

  it("a builder failure plus an owner-disposal failure keeps both errors", () => {
    const log: string[] = [];
    const ownerErr = new Error("owner dispose failed");
    const builderErr = new Error("builder failed");
    let caught: unknown;
    try {
      SelfCell.new(new Tracked("owner", log, ownerErr), () => {
        throw builderErr;
      });
    } catch (err) {
      caught = err;
    }
    expect(isSuppressedError(caught)).toBe(true);
    if (!isSuppressedError(caught)) return;
    expect(caught.error).toBe(ownerErr);
    expect(caught.suppressed).toBe(builderErr);
    const r = SelfCell.tryNew(new Tracked("owner", log, ownerErr), () => {
      throw builderErr;
    });
    expect(!r.ok && isSuppressedError(r.error) && r.error.suppressed).toBe(builderErr);
  });

  it("validates its arguments before touching the owner", () => {
    const log: string[] = [];
    const owner = new Tracked("owner", log);
    expect(() => SelfCell.new(owner, 42 as never)).toThrow(CellArgumentError);
    expect(() => SelfCell.new(owner, (o) => o, { disposeOwner: "x" as never })).toThrow(/disposeOwner/);
    expect(() => SelfCell.tryNew(owner, (o) => o, null as never)).toThrow(/options must be an object/);
    expect(owner.disposed).toBe(0);
    try {
      SelfCell.new(owner, undefined as never);
    } catch (err) {
      expect(err).toBeInstanceOf(SelfCellError);
      expect((err as SelfCellError).code).toBe("ERR_CELL_INVALID_ARGUMENT");
    }
  });
});

describe("intoOwner", () => {
  it("disposes the dependent only and hands the owner back", () => {
    const log: string[] = [];
    const owner = new Tracked("owner", log);
    const cell = SelfCell.new(owner, () => new Tracked("dep", log));
    expect(cell.intoOwner()).toBe(owner);
    expect(log).toEqual(["dep"]);
    expect(owner.disposed).toBe(0);
    expect(() => cell.borrowOwner()).toThrow(/consumed by intoOwner/);
    expect(() => cell.intoOwner()).toThrow(CellDisposedError);
    cell[Symbol.dispose](); // a no-op: the owner now belongs to the caller
    expect(owner.disposed).toBe(0);
  });

  it("when the dependent's disposer throws, the owner is disposed too and the error surfaces", () => {
    const log: string[] = [];
    const owner = new Tracked("owner", log);
    const err = new Error("dep dispose failed");
    const cell = SelfCell.new(owner, () => new Tracked("dep", log, err));
    expect(() => cell.intoOwner()).toThrow(err);
    expect(log).toEqual(["dep", "owner"]);
    expect(cell.disposed).toBe(true);
  });

  it("is refused while borrowed", () => {
    const cell = SelfCell.new("x", (s) => s.length);
    cell.withDependent(() => expect(() => cell.intoOwner()).toThrow(BorrowError));
    cell.withDependentMut(() => expect(() => cell.intoOwner()).toThrow(/mutably borrowed/));
    expect(cell.intoOwner()).toBe("x");
  });
});

describe("nested cells", () => {
  it("a cell can own a cell; disposal runs innermost dependent first", () => {
    const log: string[] = [];
    const inner = SelfCell.new(new Tracked("inner-owner", log), () => new Tracked("inner-dep", log));
    const outer = SelfCell.new(inner, (c) => {
      expect(c.borrowDependent().name).toBe("inner-dep");
      return new Tracked("outer-dep", log);
    });
    outer.withDependent((cell, dep) => {
      expect(cell.borrowOwner().name).toBe("inner-owner");
      expect(dep.name).toBe("outer-dep");
    });
    outer[Symbol.dispose]();
    expect(log).toEqual(["outer-dep", "inner-dep", "inner-owner"]);
    expect(inner.disposed).toBe(true);
  });

  it("intoOwner on the outer cell returns a live inner cell", () => {
    const log: string[] = [];
    const inner = SelfCell.new(new Tracked("inner-owner", log), (o) => o.name.toUpperCase());
    const outer = SelfCell.new(inner, (c) => new Tracked(`view of ${c.borrowDependent()}`, log));
    const back = outer.intoOwner();
    expect(log).toEqual(["view of INNER-OWNER"]);
    expect(back.borrowDependent()).toBe("INNER-OWNER");
    back[Symbol.dispose]();
    expect(log).toEqual(["view of INNER-OWNER", "inner-owner"]);
  });

  it("an inner cell that refuses disposal (it is borrowed) surfaces as the outer's owner-disposal error", () => {
    const inner = SelfCell.new([1, 2], (xs) => ({ n: xs.length }));
    const outer = SelfCell.new(inner, (c) => c.borrowDependent().n * 10);
    inner.withDependent(() => {
      expect(() => outer[Symbol.dispose]()).toThrow(BorrowError);
    });
    // The outer cell is gone; the inner one was left intact and its holder can still dispose it.
    expect(outer.disposed).toBe(true);
    expect(inner.disposed).toBe(false);
    inner[Symbol.dispose]();
    expect(inner.disposed).toBe(true);
  });
});

describe("throwing disposers", () => {
  const native = (globalThis as { SuppressedError?: unknown }).SuppressedError;
  afterEach(() => {
    (globalThis as { SuppressedError?: unknown }).SuppressedError = native;
  });

  it("a throwing dependent disposer still disposes the owner, then rethrows", () => {
    const log: string[] = [];
    const err = new Error("dep");
    const owner = new Tracked("owner", log);
    const cell = SelfCell.new(owner, () => new Tracked("dep", log, err));
    expect(() => cell[Symbol.dispose]()).toThrow(err);
    expect(log).toEqual(["dep", "owner"]);
    expect(cell.disposed).toBe(true);
    expect(() => cell[Symbol.dispose]()).not.toThrow(); // nothing is disposed twice
    expect(owner.disposed).toBe(1);
  });

  it("a throwing owner disposer surfaces its error; the cell is disposed", () => {
    const log: string[] = [];
    const err = new Error("owner");
    const cell = SelfCell.new(new Tracked("owner", log, err), () => new Tracked("dep", log));
    expect(() => cell[Symbol.dispose]()).toThrow(err);
    expect(log).toEqual(["dep", "owner"]);
    expect(cell.disposed).toBe(true);
  });

  it("both throwing: a SuppressedError with the owner's error on top (the `using` convention)", () => {
    const log: string[] = [];
    const depErr = new Error("dep");
    const ownerErr = new Error("owner");
    const cell = SelfCell.new(new Tracked("owner", log, ownerErr), () => new Tracked("dep", log, depErr));
    let caught: unknown;
    try {
      cell[Symbol.dispose]();
    } catch (e) {
      caught = e;
    }
    expect(isSuppressedError(caught)).toBe(true);
    const s = caught as { error: unknown; suppressed: unknown; name: string };
    expect(s.name).toBe("SuppressedError");
    expect(s.error).toBe(ownerErr);
    expect(s.suppressed).toBe(depErr);
    if (typeof native === "function") expect(caught).toBeInstanceOf(native as new () => Error);
  });

  it("matches what `using` itself throws for the same two failures", () => {
    const log: string[] = [];
    const depErr = new Error("dep");
    const ownerErr = new Error("owner");
    let fromUsing: unknown;
    try {
      using _owner = new Tracked("owner", log, ownerErr);
      using _dep = new Tracked("dep", log, depErr);
    } catch (e) {
      fromUsing = e;
    }
    let fromCell: unknown;
    try {
      SelfCell.new(new Tracked("owner", log, ownerErr), () => new Tracked("dep", log, depErr))[Symbol.dispose]();
    } catch (e) {
      fromCell = e;
    }
    const shape = (e: unknown): unknown => {
      const s = e as { name: string; error: unknown; suppressed: unknown };
      return { name: s.name, error: s.error, suppressed: s.suppressed, proto: Object.getPrototypeOf(e) };
    };
    expect(shape(fromCell)).toEqual(shape(fromUsing));
  });

  it("uses the native SuppressedError when the runtime has one, the documented fallback otherwise", () => {
    class FakeSuppressed extends Error {
      constructor(
        readonly error: unknown,
        readonly suppressed: unknown,
        message?: string,
      ) {
        super(message);
        this.name = "SuppressedError";
      }
    }
    (globalThis as { SuppressedError?: unknown }).SuppressedError = FakeSuppressed;
    expect(suppressedError(1, 2, "m")).toBeInstanceOf(FakeSuppressed);
    delete (globalThis as { SuppressedError?: unknown }).SuppressedError;
    const fallback = suppressedError(1, 2, "m");
    expect(Object.getPrototypeOf(fallback)).toBe(Error.prototype);
    expect({ name: fallback.name, error: fallback.error, suppressed: fallback.suppressed, message: fallback.message }).toEqual(
      { name: "SuppressedError", error: 1, suppressed: 2, message: "m" },
    );
    expect(isSuppressedError(fallback)).toBe(true);
    expect(isSuppressedError(new Error("x"))).toBe(false);
  });
});

describe("borrow checks (RefCell rules)", () => {
  it("shared borrows nest; a mutable borrow inside one is refused", () => {
    const cell = SelfCell.new([3, 1, 2], (xs) => [...xs].sort());
    const r = cell.withDependent((owner, sorted) =>
      cell.withDependent((_, again) => {
        expect(cell.borrowCount).toBe(2);
        expect(() => cell.withDependentMut(() => 0)).toThrow(/already borrowed \(2 shared borrows active\)/);
        return owner.length + sorted.length + again.length;
      }),
    );
    expect(r).toBe(9);
    expect(cell.borrowCount).toBe(0);
  });

  it("a mutable borrow is exclusive and not re-entrant", () => {
    const cell = SelfCell.new("owner", () => ({ hits: 0 }));
    cell.withDependentMut((owner, dep) => {
      dep.hits++;
      expect(cell.borrowOwner()).toBe(owner); // the owner is never borrowed mutably
      expect(cell.borrowCount).toBe(-1);
      expect(() => cell.withDependentMut(() => 0)).toThrow(BorrowError);
      expect(() => cell.withDependent(() => 0)).toThrow(/mutably borrowed/);
      expect(() => cell.borrowDependent()).toThrow(BorrowError);
      expect(() => cell[Symbol.dispose]()).toThrow(BorrowError);
    });
    expect(cell.borrowDependent().hits).toBe(1);
  });

  it("a throwing callback ends its borrow", () => {
    const cell = SelfCell.new(1, (n) => ({ n }));
    expect(() =>
      cell.withDependentMut(() => {
        throw new Error("inside");
      }),
    ).toThrow("inside");
    expect(() =>
      cell.withDependent(() => {
        throw new Error("inside shared");
      }),
    ).toThrow("inside shared");
    expect(cell.borrowCount).toBe(0);
    expect(cell.withDependentMut((_, d) => ++d.n)).toBe(2);
  });

  it("disposing inside a callback is refused and the cell stays intact", () => {
    const log: string[] = [];
    const cell = SelfCell.new(new Tracked("o", log), () => new Tracked("d", log));
    cell.withDependent(() => expect(() => cell[Symbol.dispose]()).toThrow(/borrowed \(1 shared borrow active\)/));
    expect(log).toEqual([]);
    cell[Symbol.dispose]();
    expect(log).toEqual(["d", "o"]);
  });

  it("every accessor throws after dispose", () => {
    const cell = SelfCell.new({ a: 1 }, (o) => o.a);
    cell[Symbol.dispose]();
    for (const use of [
      () => cell.borrowOwner(),
      () => cell.borrowDependent(),
      () => cell.withDependent(() => 0),
      () => cell.withDependentMut(() => 0),
      () => cell.intoOwner(),
    ]) {
      expect(use).toThrow(CellDisposedError);
      expect(use).toThrow(/was disposed/);
    }
  });

  it("matches a RefCell model for any sequence of operations", () => {
    type Op = "borrow" | "mut" | "owner" | "dep" | "dispose" | "into";
    const op = fc.constantFrom<Op>("borrow", "mut", "owner", "dep", "dispose", "into");
    // A program is a tree: each node runs an op, and borrow/mut nodes run their children inside the callback.
    type Node = { op: Op; children: Node[] };
    const nodeAt = (depth: number): fc.Arbitrary<Node> =>
      fc.record({ op, children: depth === 0 ? fc.constant([]) : fc.array(nodeAt(depth - 1), { maxLength: 3 }) });
    const node = nodeAt(3);
    fc.assert(
      fc.property(fc.array(node, { maxLength: 6 }), (program) => {
        const log: string[] = [];
        const cell = SelfCell.new(new Tracked("owner", log), () => new Tracked("dep", log));
        // The model: shared count, mutably borrowed flag, dead flag.
        const m = { shared: 0, mut: false, dead: false };
        const run = (n: Node): void => {
          const expectErr = (f: () => void, cls: new (...a: never[]) => Error): void => {
            expect(f).toThrow(cls);
          };
          switch (n.op) {
            case "borrow":
              if (m.dead) return expectErr(() => cell.withDependent(() => 0), CellDisposedError);
              if (m.mut) return expectErr(() => cell.withDependent(() => 0), BorrowError);
              cell.withDependent(() => {
                m.shared++;
                n.children.forEach(run);
                m.shared--;
              });
              return;
            case "mut":
              if (m.dead) return expectErr(() => cell.withDependentMut(() => 0), CellDisposedError);
              if (m.mut || m.shared > 0) return expectErr(() => cell.withDependentMut(() => 0), BorrowError);
              cell.withDependentMut(() => {
                m.mut = true;
                n.children.forEach(run);
                m.mut = false;
              });
              return;
            case "owner":
              if (m.dead) return expectErr(() => cell.borrowOwner(), CellDisposedError);
              expect(cell.borrowOwner().name).toBe("owner");
              return;
            case "dep":
              if (m.dead) return expectErr(() => cell.borrowDependent(), CellDisposedError);
              if (m.mut) return expectErr(() => cell.borrowDependent(), BorrowError);
              expect(cell.borrowDependent().name).toBe("dep");
              return;
            case "dispose":
              if (m.dead) {
                cell[Symbol.dispose]();
                return;
              }
              if (m.mut || m.shared > 0) return expectErr(() => cell[Symbol.dispose](), BorrowError);
              cell[Symbol.dispose]();
              m.dead = true;
              return;
            case "into":
              if (m.dead) return expectErr(() => cell.intoOwner(), CellDisposedError);
              if (m.mut || m.shared > 0) return expectErr(() => cell.intoOwner(), BorrowError);
              cell.intoOwner()[Symbol.dispose]();
              m.dead = true;
              return;
          }
        };
        program.forEach(run);
        expect(cell.disposed).toBe(m.dead);
        cell[Symbol.dispose]();
        // Whatever happened, each half was disposed exactly once, dependent first.
        expect(log).toEqual(["dep", "owner"]);
      }),
      { numRuns: 300 },
    );
  });
});
