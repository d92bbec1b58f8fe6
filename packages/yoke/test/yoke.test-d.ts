import type { Worker } from "node:worker_threads";
import { describe, expectTypeOf, it } from "vitest";
import {
  Arc,
  SharedArc,
  Yoke,
  type CartValue,
  type SharedArcDescriptor,
  type SharedWeakArc,
  type WeakArc,
  type WeakArcDescriptor,
} from "../src/index.ts";

interface Profile {
  readonly id: string;
  readonly owner: string;
}
interface Spans {
  readonly id: readonly [number, number];
}
declare const bytes: Uint8Array;
declare const worker: Worker;

describe("Arc types", () => {
  it("keeps the value type through clone, retain and weak references", () => {
    const a = Arc.new(bytes, { onDrop: (v) => expectTypeOf(v).toEqualTypeOf<Uint8Array>() });
    expectTypeOf(a).toEqualTypeOf<Arc<Uint8Array>>();
    expectTypeOf(a.clone()).toEqualTypeOf<Arc<Uint8Array>>();
    expectTypeOf(a.retain().get()).toEqualTypeOf<Uint8Array>();
    expectTypeOf(a.downgrade()).toEqualTypeOf<WeakArc<Uint8Array>>();
    expectTypeOf(a.downgrade().tryAcquire()).toEqualTypeOf<Arc<Uint8Array> | undefined>();
    expectTypeOf(a).toExtend<Disposable>();
  });

  it("only a SharedArc can be shared", () => {
    const local = Arc.new(1);
    // @ts-expect-error a local Arc has no share()
    local.share(worker);
    const shared = SharedArc.new({ buf: new SharedArrayBuffer(8) }, { describe: (v) => v.buf });
    expectTypeOf(shared).toEqualTypeOf<SharedArc<{ buf: SharedArrayBuffer }, SharedArrayBuffer>>();
    expectTypeOf(shared.share(worker)).toEqualTypeOf<SharedArcDescriptor<SharedArrayBuffer>>();
    expectTypeOf(shared.share(3)).toEqualTypeOf<SharedArcDescriptor<SharedArrayBuffer>>();
    expectTypeOf(shared.shareWeak()).toEqualTypeOf<WeakArcDescriptor<SharedArrayBuffer>>();
    expectTypeOf(shared.clone()).toEqualTypeOf<SharedArc<{ buf: SharedArrayBuffer }, SharedArrayBuffer>>();
    expectTypeOf(shared.downgrade()).toEqualTypeOf<SharedWeakArc<{ buf: SharedArrayBuffer }, SharedArrayBuffer>>();
    expectTypeOf(shared).toExtend<Arc<{ buf: SharedArrayBuffer }>>();
    // @ts-expect-error share() needs to know the thread it is for
    shared.share();
    // without describe, the payload is the value itself
    expectTypeOf(SharedArc.new(new SharedArrayBuffer(4))).toEqualTypeOf<SharedArc<SharedArrayBuffer, SharedArrayBuffer>>();
  });

  it("attach rebuilds the value type from the payload type", () => {
    const desc = {} as SharedArcDescriptor<SharedArrayBuffer>;
    const h = SharedArc.attach(desc, (sab) => {
      expectTypeOf(sab).toEqualTypeOf<SharedArrayBuffer>();
      return new Int32Array(sab);
    });
    expectTypeOf(h).toEqualTypeOf<SharedArc<Int32Array<SharedArrayBuffer>, SharedArrayBuffer>>();
    // @ts-expect-error materialize must accept the payload type
    SharedArc.attach(desc, (n: number) => n);
    const w = SharedArc.attachWeak({} as WeakArcDescriptor<SharedArrayBuffer>, (sab) => new Float64Array(sab));
    expectTypeOf(w.tryAcquire()).toEqualTypeOf<SharedArc<Float64Array<SharedArrayBuffer>, SharedArrayBuffer> | undefined>();
  });
});

describe("Yoke types", () => {
  it("infers projection and cart", () => {
    const y = Yoke.attachToCart(Arc.new(bytes), (b) => {
      expectTypeOf(b).toEqualTypeOf<Uint8Array>();
      return { id: [0, 4] } as Spans;
    });
    expectTypeOf(y).toEqualTypeOf<Yoke<Spans, Arc<Uint8Array>>>();
    expectTypeOf(y.get()).toEqualTypeOf<Spans>();
    expectTypeOf(y.backingCart()).toEqualTypeOf<Arc<Uint8Array>>();
    expectTypeOf(y.clone()).toEqualTypeOf<Yoke<Spans, Arc<Uint8Array>>>();
    expectTypeOf(y.intoBackingCart()).toEqualTypeOf<Arc<Uint8Array>>();
    expectTypeOf(y).toExtend<Disposable>();
  });

  it("keeps Yoke<Y, C> through mapProject and friends", () => {
    const y = Yoke.attachToCart(Arc.new(bytes), (): Spans => ({ id: [0, 4] }));
    const p = y.mapProject((spans, b) => {
      expectTypeOf(spans).toEqualTypeOf<Spans>();
      expectTypeOf(b).toEqualTypeOf<Uint8Array>();
      return { id: "x", owner: "y" } as Profile;
    });
    expectTypeOf(p).toEqualTypeOf<Yoke<Profile, Arc<Uint8Array>>>();
    const owner = p.mapProject((profile) => profile.owner);
    expectTypeOf(owner).toEqualTypeOf<Yoke<string, Arc<Uint8Array>>>();
    expectTypeOf(owner.mapProjectCloned((s) => s.length)).toEqualTypeOf<Yoke<number, Arc<Uint8Array>>>();
    expectTypeOf(owner.tryMapProject((s) => (s === "" ? undefined : s.length))).toEqualTypeOf<
      Yoke<number, Arc<Uint8Array>> | undefined
    >();
    // @ts-expect-error the projection is a string now, not Spans
    owner.mapProject((s: Spans) => s.id);
  });

  it("tryAttachToCart strips undefined from the projection", () => {
    const m = Arc.new(new Map<string, Profile>());
    const y = Yoke.tryAttachToCart(m, (map) => map.get("acct"));
    expectTypeOf(y).toEqualTypeOf<Yoke<Profile, Arc<Map<string, Profile>>> | undefined>();
  });

  it("a shared cart stays a SharedArc through the yoke", () => {
    const cart = SharedArc.new(bytes, { describe: (b) => b.byteLength });
    const y = Yoke.attachToCart(cart, (b) => b[0]);
    expectTypeOf(y).toEqualTypeOf<Yoke<number | undefined, SharedArc<Uint8Array, number>>>();
    const z = y.mapProject((first, b) => (first ?? 0) + b.length);
    expectTypeOf(z.backingCart()).toEqualTypeOf<SharedArc<Uint8Array, number>>();
    expectTypeOf(z.backingCart().share(worker)).toEqualTypeOf<SharedArcDescriptor<number>>();
    expectTypeOf<CartValue<SharedArc<Uint8Array, number>>>().toEqualTypeOf<Uint8Array>();
  });

  it("is covariant: a narrower projection or cart is assignable to a wider one", () => {
    expectTypeOf<SharedArc<Int32Array<SharedArrayBuffer>, number>>().toExtend<SharedArc<Int32Array, number>>();
    expectTypeOf<SharedArc<Uint8Array, number>>().toExtend<Arc<Uint8Array>>();
    expectTypeOf<Yoke<"a", SharedArc<Uint8Array, number>>>().toExtend<Yoke<string, Arc<Uint8Array>>>();
    expectTypeOf<Yoke<string, Arc<Uint8Array>>>().not.toExtend<Yoke<number, Arc<Uint8Array>>>();
  });

  it("rejects carts that are not Arcs", () => {
    // @ts-expect-error a plain value is not a cart
    Yoke.attachToCart(bytes, (b) => b);
    // @ts-expect-error the projection receives the cart's value type
    Yoke.attachToCart(Arc.new(bytes), (s: string) => s);
  });
});
