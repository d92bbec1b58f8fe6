import { fc, test as fcTest } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { hashBytes, hashString, lastHadSurrogate, lastUtf8Length, utf8Length } from "../src/hash.ts";

// Workers hash lookup keys from strings; the owner rehashes nothing, but a stored
// key's hash must equal the hash of its UTF-8 bytes for both to find the same bucket.
describe("key hashing", () => {
  fcTest.prop([fc.string({ unit: "binary" })])("a string hashes like its UTF-8 bytes, and its UTF-8 length is exact", (s) => {
    fc.pre(s.isWellFormed());
    const bytes = new TextEncoder().encode(s);
    expect(hashString(s)).toBe(hashBytes(bytes, 0, bytes.length));
    expect(lastUtf8Length).toBe(bytes.length);
    expect(utf8Length(s)).toBe(bytes.length);
  });

  it("flags surrogates so only those keys pay for the well-formedness check", () => {
    hashString("plain ascii é 日本");
    expect(lastHadSurrogate).toBe(false);
    for (const s of ["😀", "a\ud800", "\udc00b", "x\ud800"]) {
      hashString(s);
      expect(lastHadSurrogate).toBe(true);
    }
  });
});
