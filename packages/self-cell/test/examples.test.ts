import { describe, expect, it } from "vitest";
import { commentedResults } from "../../../scripts/example-output.mjs";
import {
  borrowRules,
  bothDisposersThrow,
  buildAccounts,
  dropOrder,
  fallibleBuild,
  intoOwner,
  recoverOwner,
} from "../examples/basics.ts";

describe("result comments (`// → `) say what each call returns", () => {
  it("examples/basics.ts", async () => {
    for (const r of await commentedResults(new URL("../examples/basics.ts", import.meta.url))) {
      expect(r.actual, r.what).toEqual(r.expected);
    }
  });
});

describe("chapter examples (the code the docs show)", () => {
  it("builds an arena-backed index and reads through it", () => {
    expect(buildAccounts()).toEqual({ owner: "Sparky-11", size: 2 });
  });
  it("refuses a mutable borrow during a shared one, and any use after dispose", () => {
    expect(borrowRules()).toEqual([
      "ERR_CELL_BORROWED: withDependentMut: the dependent is already borrowed (1 shared borrow active)",
      "still 0 accounts",
      "ERR_CELL_DISPOSED",
    ]);
  });
  it("disposes the dependent, then the owner", () => {
    expect(dropOrder()).toEqual([
      "hello arena",
      'dependent disposed, could still read "hello arena"',
      "arena released",
    ]);
  });
  it("a failed build releases the owner; tryNewOrRecover hands it back", () => {
    expect(fallibleBuild('{"id":"acct-sparky"}')).toEqual({ ok: true, detail: "acct-sparky" });
    expect(fallibleBuild("{oops")).toEqual({ ok: false, detail: "SyntaxError; arena released: true" });
    expect(recoverOwner()).toBe("second try");
  });
  it("intoOwner returns the owner alive", () => {
    expect(intoOwner()).toEqual({ text: "kept", released: true });
  });
  it("two failing disposers make a SuppressedError (native or the Node 20 fallback)", () => {
    expect(bothDisposersThrow()).toEqual({ name: "SuppressedError", error: "owner failed", suppressed: "dependent failed" });
  });
});
