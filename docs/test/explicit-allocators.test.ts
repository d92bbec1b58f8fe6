// Runs the TypeScript column of the "Explicit allocators" chapter.
import { readFileSync } from "node:fs";
import { ArenaError } from "@arenakit/bump";
import { describe, expect, it } from "vitest";
import { commentedReturns, evaluateComment } from "../../scripts/example-output.mjs";
import { afterRelease, run } from "../examples/explicit-allocators.ts";

describe("explicit-allocators examples", () => {
  it("builds names and accounts in the caller's arena and frees them in one call", () => {
    expect(run()).toEqual({ names: "RUSTY,SPARKY", owner: "Sparky-11", index: 11n, accounts: 2 });
  });

  it("the result comment (`// → `) says what run() returns", () => {
    const source = readFileSync(new URL("../examples/explicit-allocators.ts", import.meta.url), "utf8");
    const results = commentedReturns(source);
    expect([...results.keys()]).toEqual(["run"]);
    expect(run()).toEqual(evaluateComment(results.get("run")!));
  });

  it("a view read after its arena was released throws instead of reading", () => {
    const name = afterRelease();
    expect(name).not.toBe("Rusty-03");
    expect(name).toMatch(/Error$/);
  });

  it("the error is one of the arena's own classes", async () => {
    const { Bump } = await import("@arenakit/bump");
    const { accountsIn } = await import("../examples/explicit-allocators.ts");
    const arena = new Bump();
    const view = accountsIn(arena).get("acct-rusty")!;
    arena.release();
    expect(() => view.owner).toThrow(ArenaError);
  });
});
