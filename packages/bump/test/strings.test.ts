import { fc, test as fcTest } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { Bump, EncodingError, decodeUtf8, encodeUtf8, utf8Equals } from "../src/index.ts";

const samples = [
  "",
  "a",
  "acct-sparky",
  "Sparky-11",
  "größe",
  "日本語のキー",
  "emoji 🦀🦎 pair",
  "e\u0301 combining",
  "x".repeat(47),
  "y".repeat(48),
  "z".repeat(5000),
  "🦀".repeat(3000),
];

describe("allocStr / readStr", () => {
  it.each(samples.map((s) => [s.slice(0, 20), s]))("round-trips %j", (_, s) => {
    const bump = new Bump();
    const p = bump.allocStr(s);
    expect(bump.readStr(p)).toBe(s);
    expect(bump.strByteLength(p)).toBe(new TextEncoder().encode(s).length);
    expect(bump.strEquals(p, s)).toBe(true);
  });

  fcTest.prop([fc.array(fc.string({ unit: "binary", maxLength: 80 }), { maxLength: 50 })])(
    "well-formed strings of any code points read back identical",
    (strings) => {
      const bump = new Bump({ initialChunkSize: 128 });
      const ptrs = strings.map((s) => bump.allocStr(s));
      strings.forEach((s, i) => expect(bump.readStr(ptrs[i]!)).toBe(s));
    },
  );

  it("uses exactly UTF-8 length + 4 bytes (the spare worst-case room is given back)", () => {
    const bump = new Bump();
    bump.allocStr("héllo"); // 6 UTF-8 bytes
    expect(bump.usedBytes).toBe(10);
  });

  it("rejects lone surrogates with EncodingError and stores nothing", () => {
    const bump = new Bump();
    const keep = bump.allocStr("kept");
    const used = bump.usedBytes;
    for (const bad of ["\ud800", "a\udc00b", "x".repeat(10) + "\ud83e", "\ud83e" + "y".repeat(5000)]) {
      expect(() => bump.allocStr(bad)).toThrow(EncodingError);
    }
    expect(() => bump.allocStr("ab\udfff")).toThrow(/lone surrogate at index 2/);
    expect(bump.usedBytes).toBe(used);
    expect(bump.readStr(keep)).toBe("kept");
  });

  it("rejects non-strings", () => {
    expect(() => new Bump().allocStr(42 as unknown as string)).toThrow(/expects a string/);
  });
});

describe("utf8Equals", () => {
  fcTest.prop([fc.string({ unit: "binary", maxLength: 40 }), fc.string({ unit: "binary", maxLength: 40 })])(
    "agrees with string equality without decoding",
    (a, b) => {
      const bytes = encodeUtf8(a);
      expect(utf8Equals(bytes, 0, bytes.length, a)).toBe(true);
      expect(utf8Equals(bytes, 0, bytes.length, b)).toBe(a === b);
    },
  );

  it("never equates a lone surrogate with a stored string", () => {
    const replacement = new TextEncoder().encode("\ud800"); // what TextEncoder would store: U+FFFD
    expect(utf8Equals(replacement, 0, replacement.length, "\ud800")).toBe(false);
    expect(utf8Equals(replacement, 0, replacement.length, "\ufffd")).toBe(true);
  });

  it("decodes non-ASCII after an ASCII prefix", () => {
    const b = encodeUtf8("abc→déf");
    expect(decodeUtf8(b, 0, b.length)).toBe("abc→déf");
  });
});

describe("allocBytes / bytes", () => {
  it("copies the input and returns zero-copy views", () => {
    const bump = new Bump();
    const src = new Uint8Array([1, 2, 3, 4]);
    const p = bump.allocBytes(src);
    src[0] = 99;
    const view = bump.bytes(p);
    expect(Array.from(view)).toEqual([1, 2, 3, 4]);
    view[1] = 42;
    expect(bump.bytes(p)[1]).toBe(42);
    expect(bump.bytesLength(p)).toBe(4);
  });

  it("stores empty slices and large ones", () => {
    const bump = new Bump({ initialChunkSize: 1024 });
    const e = bump.allocBytes(new Uint8Array(0));
    const big = new Uint8Array(10 * 1024 * 1024).map((_, i) => i & 0xff);
    const b = bump.allocBytes(big);
    expect(bump.bytes(e).length).toBe(0);
    expect(Buffer.compare(bump.bytes(b), big)).toBe(0);
  });

  it("rejects what is not a Uint8Array", () => {
    const bump = new Bump();
    expect(() => bump.allocBytes([1, 2] as unknown as Uint8Array)).toThrow(/expects a Uint8Array, got Array/);
    expect(() => bump.allocBytes(new Uint16Array(2) as unknown as Uint8Array)).toThrow(/Uint16Array/);
  });
});
