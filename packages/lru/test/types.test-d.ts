import { struct, t, type Owned, type View } from "@arenakit/bump";
import { describe, expectTypeOf, it } from "vitest";
import { ArenaLru, LruReader } from "../src/index.ts";

describe("ArenaLru types follow its key and value kinds", () => {
  it("bytes values under string keys by default", () => {
    const cache = new ArenaLru({ maxBytes: 1 << 16 });
    expectTypeOf(cache.get("k")).toEqualTypeOf<Uint8Array | undefined>();
    // @ts-expect-error a string is not a bytes value
    cache.set("k", "v");
    // @ts-expect-error string keys only
    cache.get(new Uint8Array(1));
  });

  it("string values, byte keys", () => {
    const cache = new ArenaLru({ maxBytes: 1 << 16, key: "bytes", value: "string" });
    expectTypeOf(cache.get(new Uint8Array(1))).toEqualTypeOf<string | undefined>();
    expectTypeOf([...cache.keys()]).toEqualTypeOf<Uint8Array[]>();
    // @ts-expect-error byte keys only
    cache.has("k");
  });

  it("records: views from get, plain objects from getCopy, inputs checked by set", () => {
    const Quote = struct({ price: t.f64, qty: t.u32 });
    const cache = new ArenaLru({ maxBytes: 1 << 16, value: Quote });
    expectTypeOf(cache.get("q")).toEqualTypeOf<View<typeof Quote.schema> | undefined>();
    expectTypeOf(cache.getCopy("q")).toEqualTypeOf<Owned<typeof Quote.schema> | undefined>();
    cache.set("q", { price: 1, qty: 2 });
    // @ts-expect-error qty is missing
    cache.set("q", { price: 1 });
  });

  it("onEvict sees the cache's key and value types", () => {
    new ArenaLru({
      maxBytes: 1 << 16,
      value: "string",
      onEvict: (value, key, reason) => {
        expectTypeOf(value).toEqualTypeOf<string>();
        expectTypeOf(key).toEqualTypeOf<string>();
        expectTypeOf(reason).toEqualTypeOf<"evict" | "expire" | "set" | "delete">();
      },
    });
  });

  it("readers return owned values", () => {
    const reader = LruReader.attach<"string", "bytes">({} as never);
    expectTypeOf(reader.get("k")).toEqualTypeOf<Uint8Array | undefined>();
  });
});
