import { describe, expect, it } from "vitest";
import { damaged, inTempDir, roundTrip } from "../examples/snapshot.ts";

describe("snapshot examples (the code the 'Arenas on disk' chapter shows)", () => {
  it("pointers read the same after a round trip; a loaded Bump keeps allocating", () => {
    expect(inTempDir(roundTrip)).toEqual({ name: "acct-sparky", again: "acct-sparky", more: "acct-rusty" });
  });
  it("damaged files are named", () => {
    expect(inTempDir(damaged)).toEqual(["truncated", "checksum", "empty"]);
  });
});
