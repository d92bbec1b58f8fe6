import { fc, test as fcTest } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import {
  AccountsBuilder,
  AccountsReleasedError,
  BuilderFinishedError,
  DataTooLargeError,
  InvalidAccountError,
  projectAccount,
} from "../src/index.ts";

describe("AccountsBuilder → FrozenAccounts", () => {
  it("stores the source article's two accounts and reads them back", () => {
    const b = new AccountsBuilder(42);
    b.insertAccount("acct-rusty", "Rusty-03", 7, new Uint8Array([1, 2, 3, 4]));
    b.insertAccount("acct-sparky", "Sparky-11", 11n, new Uint8Array([0, 3, 6, 9, 12]));
    expect(b.size).toBe(2);
    using frozen = b.finish();
    expect(frozen.slot).toBe(42n);
    expect(frozen.size).toBe(2);
    const a = frozen.get("acct-sparky")!;
    expect(a.owner).toBe("Sparky-11");
    expect(Array.from(a.data)).toEqual([0, 3, 6, 9, 12]);
    expect(a.index).toBe(11n);
    expect(frozen.has("acct-rusty")).toBe(true);
    expect(frozen.get("nope")).toBeUndefined();
    expect(new Map(Array.from(frozen, ([id, v]) => [id, v.toOwned()]))).toEqual(
      new Map([
        ["acct-rusty", { owner: "Rusty-03", data: new Uint8Array([1, 2, 3, 4]), index: 7n }],
        ["acct-sparky", { owner: "Sparky-11", data: new Uint8Array([0, 3, 6, 9, 12]), index: 11n }],
      ]),
    );
  });

  it("inserting an id twice replaces the earlier account", () => {
    const b = new AccountsBuilder(1);
    b.insertAccount("x", "first", 1, new Uint8Array([1]));
    b.insertAccount("x", "second", 2, new Uint8Array([2, 2]));
    using f = b.finish();
    expect(f.size).toBe(1);
    expect(f.get("x")!.toOwned()).toEqual({ owner: "second", data: new Uint8Array([2, 2]), index: 2n });
  });

  fcTest.prop(
    [
      fc.array(
        fc.record({
          id: fc.string({ unit: "binary", maxLength: 50 }),
          owner: fc.constantFrom("TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA", "11111111111111111111111111111111", "日本-owner", ""),
          index: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
          data: fc.uint8Array({ maxLength: 300 }),
        }),
        { maxLength: 200 },
      ),
    ],
    { numRuns: 60 },
  )("matches a Map of plain objects built from the same inserts", (rows) => {
    const model = new Map<string, { owner: string; data: Uint8Array; index: bigint }>();
    const b = new AccountsBuilder(5n, { initialChunkSize: 512 });
    for (const r of rows) {
      b.insertAccount(r.id, r.owner, r.index, r.data);
      model.set(r.id, { owner: r.owner, data: r.data, index: r.index });
    }
    using f = b.finish();
    expect(f.size).toBe(model.size);
    for (const [id, want] of model) expect(f.get(id)!.toOwned()).toEqual(want);
    expect(new Set(f.keys())).toEqual(new Set(model.keys()));
  });

  it("rejects bad input with typed errors and keeps what was stored", () => {
    const b = new AccountsBuilder(3, { maxDataBytes: 16 });
    b.insertAccount("good", "o", 1, new Uint8Array([5]));
    const bad: [() => unknown, RegExp][] = [
      [() => b.insertAccount("\ud800", "o", 1, new Uint8Array()), /account id is not well-formed/],
      [() => b.insertAccount("a", "o\udfff", 1, new Uint8Array()), /owner is not well-formed/],
      [() => b.insertAccount("a", "o", -1, new Uint8Array()), /index must be a whole number >= 0/],
      [() => b.insertAccount("a", "o", 1.5, new Uint8Array()), /index must be a whole number/],
      [() => b.insertAccount("a", "o", 2n ** 64n, new Uint8Array()), /index must be a u64/],
      [() => b.insertAccount("a", "o", 1, [1] as unknown as Uint8Array), /data must be a Uint8Array/],
      [() => b.insertAccount(42 as unknown as string, "o", 1, new Uint8Array()), /account id must be a string/],
    ];
    for (const [f, msg] of bad) {
      expect(f).toThrow(InvalidAccountError);
      expect(f).toThrow(msg);
    }
    expect(() => b.insertAccount("big", "o", 1, new Uint8Array(17))).toThrow(DataTooLargeError);
    expect(b.size).toBe(1);
    for (const slot of [-1, 1.5, Number.NaN, "7" as unknown as number]) {
      expect(() => new AccountsBuilder(slot)).toThrow(InvalidAccountError);
    }
    using f = b.finish();
    expect(f.get("good")!.index).toBe(1n);
    expect(f.get("\ud800")).toBeUndefined();
    expect(() => b.insertAccount("late", "o", 1, new Uint8Array())).toThrow(BuilderFinishedError);
    expect(() => b.finish()).toThrow(BuilderFinishedError);
  });

  it("accepts data up to 10 MiB by default and refuses more", () => {
    const b = new AccountsBuilder(4);
    const big = new Uint8Array(10 * 1024 * 1024).fill(7);
    b.insertAccount("big", "o", 1, big);
    expect(() => b.insertAccount("bigger", "o", 1, new Uint8Array(10 * 1024 * 1024 + 1))).toThrow(/over the limit of 10485760/);
    using f = b.finish();
    expect(Buffer.compare(f.get("big")!.data, big)).toBe(0);
  });

  it("views stop working when their reference is released", () => {
    const f = new AccountsBuilder(8).insertAccount("a", "o", 1, new Uint8Array([1])).finish();
    const view = f.get("a")!;
    f.release();
    expect(() => view.owner).toThrow(AccountsReleasedError);
    expect(() => f.get("a")).toThrow(AccountsReleasedError);
    expect(() => f.release()).toThrow(/already released/);
  });

  it("discard() gives an unfinished builder's memory back", () => {
    const b = new AccountsBuilder(9);
    b.insertAccount("a", "o", 1, new Uint8Array(100));
    expect(b.byteLength).toBeGreaterThan(0);
    b.discard();
    expect(b.byteLength).toBe(0);
    expect(() => b.insertAccount("b", "o", 1, new Uint8Array())).toThrow(BuilderFinishedError);
  });
});

describe("projectAccount → SelectedAccount", () => {
  it("keeps the entry alive after the frozen reference is released", () => {
    const f = new AccountsBuilder(11).insertAccount("acct-sparky", "Sparky-11", 11, new Uint8Array([0, 3])).finish();
    const sel = projectAccount(f, "acct-sparky")!;
    expect(projectAccount(f, "missing")).toBeUndefined();
    f.release();
    expect(sel.id).toBe("acct-sparky");
    expect(sel.slot).toBe(11n);
    expect(sel.account.owner).toBe("Sparky-11");
    expect(sel.backingCart.size).toBe(1);
    expect(() => sel.backingCart.release()).toThrow(/is the cart of a Yoke/);
    const twin = sel.clone();
    sel.release();
    expect(() => sel.account).toThrow(AccountsReleasedError);
    expect(twin.account.index).toBe(11n);
    twin.release();
  });

  it("a view taken from a selection dies with it", () => {
    const f = new AccountsBuilder(12).insertAccount("a", "o", 1, new Uint8Array([1])).finish();
    const sel = projectAccount(f, "a")!;
    const account = sel.account;
    f.release();
    sel.release();
    expect(() => account.data).toThrow(AccountsReleasedError);
  });
});
