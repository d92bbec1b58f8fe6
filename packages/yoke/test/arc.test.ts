import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  Arc,
  DoubleReleaseError,
  UseAfterReleaseError,
  YokeArgumentError,
  YokeError,
  Yoke,
  leakReportingEnabled,
} from "../src/index.ts";

describe("Arc (local)", () => {
  it("counts handles and drops the value exactly once, when the last one is released", () => {
    const drops: string[] = [];
    const a = Arc.new("value", { onDrop: (v) => drops.push(v) });
    const b = a.clone();
    const c = b.retain();
    expect(a.strongCount).toBe(3);
    expect(c.get()).toBe("value");
    a.release();
    b.release();
    expect(drops).toEqual([]);
    expect(c.strongCount).toBe(1);
    c.release();
    expect(drops).toEqual(["value"]);
    expect(c.strongCount).toBe(0);
  });

  it("releasing twice is an error, not a double free", () => {
    const drops: number[] = [];
    const a = Arc.new(1, { onDrop: (v) => drops.push(v) });
    const b = a.clone();
    a.release();
    expect(() => a.release()).toThrow(DoubleReleaseError);
    expect(() => a[Symbol.dispose]()).toThrow(/already released/);
    // The count was not decremented again: b still holds the value.
    expect(b.get()).toBe(1);
    expect(drops).toEqual([]);
    b.release();
    expect(drops).toEqual([1]);
    try {
      b.release();
    } catch (err) {
      expect(err).toBeInstanceOf(YokeError);
      expect((err as YokeError).code).toBe("ERR_YOKE_DOUBLE_RELEASE");
    }
  });

  it("a released handle cannot be used", () => {
    const a = Arc.new({ n: 1 }, { name: "cart-1" });
    const keep = a.clone();
    a.release();
    expect(() => a.get()).toThrow(UseAfterReleaseError);
    expect(() => a.get()).toThrow(/cart-1 was released/);
    expect(() => a.clone()).toThrow(UseAfterReleaseError);
    expect(() => a.downgrade()).toThrow(UseAfterReleaseError);
    expect(a.released).toBe(true);
    expect(keep.released).toBe(false);
    keep.release();
  });

  it("`using` releases at scope exit, including on a throw", () => {
    const drops: string[] = [];
    const outer = Arc.new("x", { onDrop: () => drops.push("dropped") });
    expect(() => {
      using inner = outer.clone();
      expect(inner.strongCount).toBe(2);
      throw new Error("boom");
    }).toThrow("boom");
    expect(outer.strongCount).toBe(1);
    {
      using last = outer;
      expect(last.get()).toBe("x");
    }
    expect(drops).toEqual(["dropped"]);
  });

  it("an onDrop that throws propagates from the release that dropped; the value is gone", () => {
    const a = Arc.new(5, {
      onDrop: () => {
        throw new Error("recycle failed");
      },
    });
    const weak = a.downgrade();
    expect(() => a.release()).toThrow("recycle failed");
    expect(weak.dropped).toBe(true);
    expect(weak.tryAcquire()).toBeUndefined();
  });

  it("tryAcquire succeeds while alive and never resurrects", () => {
    let drops = 0;
    const a = Arc.new("entry", { onDrop: () => drops++ });
    const weak = a.downgrade();
    const b = weak.tryAcquire();
    expect(b?.get()).toBe("entry");
    expect(a.strongCount).toBe(2);
    a.release();
    b!.release();
    expect(drops).toBe(1);
    for (let i = 0; i < 3; i++) expect(weak.tryAcquire()).toBeUndefined();
    expect(weak.dropped).toBe(true);
    expect(drops).toBe(1);
  });

  it("ptrEq compares carts, not values", () => {
    const a = Arc.new("same");
    const b = Arc.new("same");
    const a2 = a.clone();
    expect(a.ptrEq(a2)).toBe(true);
    expect(a.ptrEq(b)).toBe(false);
    for (const h of [a, b, a2]) h.release();
  });

  it("validates options", () => {
    expect(() => Arc.new(1, { onDrop: 3 as never })).toThrow(YokeArgumentError);
    expect(() => Arc.new(1, { name: 3 as never })).toThrow(/options.name must be a string/);
    expect(() => Arc.new(1, null as never)).toThrow(/options must be an object/);
  });

  it("matches a counter model for any interleaving of clone, release and tryAcquire", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom("clone", "release", "double", "weak"), fc.nat()), { maxLength: 60 }),
        (ops) => {
          let drops = 0;
          const first = Arc.new(42, { onDrop: () => drops++ });
          const weak = first.downgrade();
          const live: Arc<number>[] = [first];
          const dead: Arc<number>[] = [];
          for (const [op, n] of ops) {
            if (op === "clone" && live.length > 0) live.push(live[n % live.length]!.clone());
            else if (op === "release" && live.length > 0) {
              const [h] = live.splice(n % live.length, 1);
              h!.release();
              dead.push(h!);
            } else if (op === "double" && dead.length > 0) {
              expect(() => dead[n % dead.length]!.release()).toThrow(DoubleReleaseError);
            } else if (op === "weak") {
              const h = weak.tryAcquire();
              if (live.length === 0) expect(h).toBeUndefined();
              else live.push(h!);
            }
            expect(drops).toBe(live.length === 0 ? 1 : 0);
            if (live.length > 0) expect(live[0]!.strongCount).toBe(live.length);
          }
          for (const h of live) h.release();
          expect(drops).toBe(1);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("leak reporting is on by default under the test runner", () => {
    expect(process.env.NODE_ENV).toBe("test");
    expect(leakReportingEnabled()).toBe(true);
  });

  it("a moved handle's dispose is a no-op, so `using` + Yoke works", () => {
    let drops = 0;
    {
      using cart = Arc.new("bytes", { onDrop: () => drops++ });
      using y = Yoke.attachToCart(cart, (s) => s.length);
      expect(y.get()).toBe(5);
      expect(() => cart.get()).toThrow(/moved into a Yoke/);
      expect(() => cart.release()).toThrow(UseAfterReleaseError);
    }
    expect(drops).toBe(1);
  });
});
