import { describe, expect, it } from "vitest";
import {
  Arc,
  BorrowedCartError,
  DoubleReleaseError,
  SharedArc,
  UseAfterReleaseError,
  Yoke,
  YokeArgumentError,
} from "../src/index.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();

/** A tiny "deserializer": the projection is spans into the bytes, decoded on access. */
function spans(bytes: Uint8Array): { id: [number, number]; owner: [number, number] } {
  const comma = bytes.indexOf(44);
  return { id: [0, comma], owner: [comma + 1, bytes.length] };
}

function tracked(text: string): { cart: Arc<Uint8Array>; drops: () => number } {
  let n = 0;
  return { cart: Arc.new(enc.encode(text), { onDrop: () => n++ }), drops: () => n };
}

describe("Yoke", () => {
  it("keeps the cart alive while it lives and releases it with itself", () => {
    const { cart, drops } = tracked("acct-sparky,Sparky-11");
    const y = Yoke.attachToCart(cart, spans);
    expect(y.get().owner).toEqual([12, 21]);
    expect(y.backingCart().strongCount).toBe(1); // attach moved the handle: no count change
    const copy = y.clone();
    expect(y.backingCart().strongCount).toBe(2);
    y.release();
    expect(drops()).toBe(0);
    expect(dec.decode(copy.backingCart().get().subarray(...copy.get().id))).toBe("acct-sparky");
    copy.release();
    expect(drops()).toBe(1);
  });

  it("get() after release throws; release twice throws and does not release the cart again", () => {
    const { cart, drops } = tracked("a,b");
    const y = Yoke.attachToCart(cart, spans);
    const other = y.clone();
    y.release();
    expect(() => y.get()).toThrow(UseAfterReleaseError);
    expect(() => y.get()).toThrow(/was released/);
    expect(() => y.backingCart()).toThrow(UseAfterReleaseError);
    expect(() => y.release()).toThrow(DoubleReleaseError);
    expect(() => y[Symbol.dispose]()).toThrow(DoubleReleaseError);
    expect(other.get().id).toEqual([0, 1]);
    expect(drops()).toBe(0);
    other.release();
    expect(drops()).toBe(1);
  });

  it("attachToCart consumes the handle passed in", () => {
    const { cart, drops } = tracked("x,y");
    const keep = cart.clone();
    const y = Yoke.attachToCart(cart, spans);
    expect(cart.released).toBe(true);
    expect(() => cart.clone()).toThrow(/moved into a Yoke/);
    expect(() => Yoke.attachToCart(cart, spans)).toThrow(UseAfterReleaseError);
    cart[Symbol.dispose](); // no-op for a moved handle
    y.release();
    keep.release();
    expect(drops()).toBe(1);
  });

  it("the backing cart is lent, not given: releasing it throws, cloning it keeps a reference", () => {
    const { cart, drops } = tracked("x,y");
    const y = Yoke.attachToCart(cart, spans);
    const lent = y.backingCart();
    expect(() => lent.release()).toThrow(BorrowedCartError);
    expect(() => Yoke.attachToCart(lent, spans)).toThrow(BorrowedCartError);
    const mine = lent.clone();
    y.release();
    expect(drops()).toBe(0);
    expect(mine.get().length).toBe(3);
    mine.release();
    expect(drops()).toBe(1);
  });

  it("a throwing projection releases the consumed cart", () => {
    const { cart, drops } = tracked("x");
    expect(() =>
      Yoke.attachToCart(cart, () => {
        throw new SyntaxError("bad bytes");
      }),
    ).toThrow(SyntaxError);
    expect(drops()).toBe(1);
  });

  it("tryAttachToCart: undefined releases the cart, a value yokes it", () => {
    const accounts = Arc.new(new Map([["acct-sparky", { owner: "Sparky-11", index: 11 }]]), { name: "slot 42" });
    const weak = accounts.downgrade();
    const found = Yoke.tryAttachToCart(accounts.clone(), (m) => m.get("acct-sparky"));
    const missing = Yoke.tryAttachToCart(accounts.clone(), (m) => m.get("acct-nope"));
    expect(found?.get()).toEqual({ owner: "Sparky-11", index: 11 });
    expect(missing).toBeUndefined();
    expect(accounts.strongCount).toBe(2); // accounts + found; the missing clone was released
    accounts.release();
    expect(weak.dropped).toBe(false);
    found!.release();
    expect(weak.dropped).toBe(true);
  });

  it("mapProject consumes the yoke and keeps the cart; a failure releases it", () => {
    const { cart, drops } = tracked("acct-rusty,Rusty-03");
    const y = Yoke.attachToCart(cart, spans);
    const owner = y.mapProject((s, bytes) => dec.decode(bytes.subarray(...s.owner)));
    expect(owner.get()).toBe("Rusty-03");
    expect(() => y.get()).toThrow(/consumed/);
    y[Symbol.dispose](); // no-op: consumed
    const len = owner.mapProject((s) => s.length);
    expect(len.get()).toBe(8);
    expect(drops()).toBe(0);
    expect(() =>
      len.mapProject(() => {
        throw new Error("no");
      }),
    ).toThrow("no");
    expect(drops()).toBe(1);
  });

  it("mapProjectCloned leaves the original usable; tryMapProject can drop", () => {
    const { cart, drops } = tracked("k,v");
    const y = Yoke.attachToCart(cart, spans);
    const first = y.mapProjectCloned((s) => s.id[1]);
    expect(first.get()).toBe(1);
    expect(y.get().owner).toEqual([2, 3]);
    expect(y.backingCart().strongCount).toBe(2);
    expect(y.tryMapProject(() => undefined)).toBeUndefined();
    expect(drops()).toBe(0);
    const again = first.tryMapProject((n) => (n > 0 ? `n=${n}` : undefined));
    expect(again?.get()).toBe("n=1");
    again!.release();
    expect(drops()).toBe(1);
  });

  it("intoBackingCart hands the reference back as an ordinary handle", () => {
    const { cart, drops } = tracked("a,b");
    const y = Yoke.attachToCart(cart, spans);
    const back = y.intoBackingCart();
    expect(() => y.get()).toThrow(UseAfterReleaseError);
    expect(back.strongCount).toBe(1);
    back.release();
    expect(drops()).toBe(1);
  });

  it("works over a shared cart", () => {
    let dropped = 0;
    const arc = SharedArc.new(enc.encode("id,owner"), { onDrop: () => dropped++ });
    const y = Yoke.attachToCart(arc, spans);
    const c = y.clone();
    expect(c.backingCart().holderCount).toBe(1);
    y.release();
    c.release();
    expect(dropped).toBe(1);
  });

  it("validates its arguments", () => {
    expect(() => Yoke.attachToCart({} as never, spans)).toThrow(YokeArgumentError);
    const cart = Arc.new(enc.encode("a,b"));
    expect(() => Yoke.attachToCart(cart, 1 as never)).toThrow(/expects a function/);
    expect(cart.released).toBe(false); // bad input leaves the cart with its owner
    const y = Yoke.attachToCart(cart, spans);
    expect(() => y.mapProject(null as never)).toThrow(YokeArgumentError);
    expect(y.get().id).toEqual([0, 1]); // still usable
    y.release();
  });
});
