import { describe, expectTypeOf, it } from "vitest";
import { SelfCell, type SuppressedErrorLike, type TryNewOrRecoverResult, type TryNewResult, isSuppressedError } from "../src/index.ts";

class Arena implements Disposable {
  readonly bytes: Uint8Array = new Uint8Array(16);
  [Symbol.dispose](): void {}
}
interface Spans {
  starts: number[];
  label: string;
}

describe("SelfCell types", () => {
  it("infers owner and dependent from the builder", () => {
    const cell = SelfCell.new(new Arena(), (arena) => {
      expectTypeOf(arena).toEqualTypeOf<Arena>();
      return { starts: [0], label: "x" } satisfies Spans as Spans;
    });
    expectTypeOf(cell).toEqualTypeOf<SelfCell<Arena, Spans>>();
    expectTypeOf(cell.borrowOwner()).toEqualTypeOf<Arena>();
    expectTypeOf(cell.borrowDependent()).toEqualTypeOf<Readonly<Spans>>();
    expectTypeOf(cell.intoOwner()).toEqualTypeOf<Arena>();
  });

  it("passes both halves to the callbacks and returns their result type", () => {
    const cell = SelfCell.new("text", (t) => t.split(""));
    const n = cell.withDependent((owner, chars) => {
      expectTypeOf(owner).toEqualTypeOf<string>();
      expectTypeOf(chars).toEqualTypeOf<readonly string[]>();
      return chars.length;
    });
    expectTypeOf(n).toEqualTypeOf<number>();
    const s = cell.withDependentMut((_, chars) => {
      expectTypeOf(chars).toEqualTypeOf<string[]>();
      chars.push("!");
      return chars.join("");
    });
    expectTypeOf(s).toEqualTypeOf<string>();
  });

  it("shared borrows are read-only, the exclusive borrow is not", () => {
    const cell = SelfCell.new(new Arena(), (): Spans => ({ starts: [], label: "" }));
    cell.withDependent((_, dep) => {
      // @ts-expect-error a shared borrow cannot assign fields
      dep.label = "changed";
    });
    cell.withDependentMut((_, dep) => {
      dep.label = "changed";
    });
    const arr = SelfCell.new(0, () => [1, 2, 3]);
    // @ts-expect-error a shared borrow of an array has no push
    arr.borrowDependent().push(4);
  });

  it("checks the builder against the owner type", () => {
    // @ts-expect-error the builder expects a number, the owner is a string
    SelfCell.new("owner", (n: number) => n + 1);
    // @ts-expect-error options are typed by owner and dependent
    SelfCell.new("owner", (s) => s.length, { disposeDependent: (d: string) => d });
    SelfCell.new("owner", (s) => s.length, { disposeDependent: (d, o) => void (d + o.length) });
  });

  it("narrows fallible construction results", () => {
    const r = SelfCell.tryNew(new Arena(), (a) => a.bytes.length);
    expectTypeOf(r).toEqualTypeOf<TryNewResult<Arena, number>>();
    if (r.ok) expectTypeOf(r.cell).toEqualTypeOf<SelfCell<Arena, number>>();
    else {
      expectTypeOf(r.error).toBeUnknown();
      // @ts-expect-error tryNew disposes the owner, so there is none to recover
      void r.owner;
    }
    const rr = SelfCell.tryNewOrRecover(new Arena(), (a) => a.bytes);
    expectTypeOf(rr).toEqualTypeOf<TryNewOrRecoverResult<Arena, Uint8Array>>();
    if (!rr.ok) expectTypeOf(rr.owner).toEqualTypeOf<Arena>();
  });

  it("nests", () => {
    const inner = SelfCell.new(new Arena(), (a) => a.bytes);
    const outer = SelfCell.new(inner, (c) => c.borrowDependent().length);
    expectTypeOf(outer).toEqualTypeOf<SelfCell<SelfCell<Arena, Uint8Array>, number>>();
    expectTypeOf(outer.intoOwner().borrowDependent()).toEqualTypeOf<Readonly<Uint8Array>>();
  });

  it("is Disposable, so `using` accepts it", () => {
    expectTypeOf<SelfCell<Arena, number>>().toExtend<Disposable>();
    const e: unknown = new Error();
    if (isSuppressedError(e)) expectTypeOf(e).toEqualTypeOf<SuppressedErrorLike>();
  });
});
