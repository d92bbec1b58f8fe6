// The leak report of @arenakit/yoke covers builders too: an AccountsBuilder
// collected while neither finished nor discarded holds an arena nobody can
// give back, and is reported by name.
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { setLeakReporting, type LeakReport } from "@arenakit/yoke";
import { describe, expect, it } from "vitest";
import { AccountsBuilder } from "../src/index.ts";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

function makeGarbage(): void {
  new AccountsBuilder(1n).insertAccount("a", "o", 1, new Uint8Array(8)); // forgotten
  new AccountsBuilder(2n).insertAccount("a", "o", 1, new Uint8Array(8)).finish().release();
  new AccountsBuilder(3n).discard();
  using _b = new AccountsBuilder(4n); // disposed at the end of the scope
}

describe("leak report", () => {
  it("names an AccountsBuilder collected without finish() or discard(), and only that one", async () => {
    const reports: LeakReport[] = [];
    setLeakReporting({ onLeak: (r) => reports.push(r) });
    makeGarbage();
    for (let i = 0; i < 50 && reports.length === 0; i++) {
      gc();
      await new Promise((r) => setTimeout(r, 10));
    }
    for (let i = 0; i < 5; i++) {
      gc(); // a few more rounds: a wrong report of a finished builder would show up here
      await new Promise((r) => setTimeout(r, 10));
    }
    setLeakReporting(false);
    expect(reports.map((r) => `${r.kind} ${r.name}`)).toEqual(["AccountsBuilder AccountsBuilder(slot 1)"]);
  });
});
