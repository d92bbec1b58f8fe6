import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  commentedOutput,
  commentedResults,
  commentedReturns,
  evaluateComment,
  printedMismatch,
  programOutput,
} from "../../../scripts/example-output.mjs";
import { countedCart, releaseTwice, scoped, weakLookup } from "../examples/arc.ts";
import { getAfterRelease, narrow, projectFields, selectAccount } from "../examples/yoke.ts";
import { ProfileView, projectLines, scanProfile, sharedNdjson, text } from "../examples/recipes/zero-copy-json.ts";
import { SharedArc } from "../src/index.ts";

describe("result comments (`// → `) say what each call returns", () => {
  it.each(["arc", "yoke"])("examples/%s.ts", async (name) => {
    for (const r of await commentedResults(new URL(`../examples/${name}.ts`, import.meta.url))) {
      expect(r.actual, r.what).toEqual(r.expected);
    }
  });
});

describe("chapter examples (the code the docs show)", () => {
  it("counts references and drops once", () => {
    expect(countedCart()).toEqual(["count 2", "reader still sees 1024 bytes", "dropped 1024 bytes"]);
  });
  it("releasing twice is an error that leaves the count alone", () => {
    expect(releaseTwice()).toBe('ERR_YOKE_DOUBLE_RELEASE; b still reads "cart"');
  });
  it("`using` releases at the end of the block", () => {
    expect(scoped()).toEqual(["in block: 2 references", "after block: 1 reference", "dropped"]);
  });
  it("a weak reference never brings a dropped entry back", () => {
    expect(weakLookup()).toEqual(["accounts of slot 42", undefined]);
  });
  it("projects fields out of a byte cart", () => {
    expect(projectFields()).toEqual({ owner: "Sparky-11", count: 1 });
    expect(narrow()).toBe("Rusty-03");
  });
  it("selects an account as a yoke over the whole map", () => {
    expect(selectAccount()).toEqual({ found: "Sparky-11", missing: true, references: 2 });
  });
  it("get() after release throws", () => {
    expect(getAfterRelease()).toBe("ERR_YOKE_USE_AFTER_RELEASE");
  });
  it("shares with a real Worker and reclaims a crashed one (run as a program)", async () => {
    const out = JSON.parse(await programOutput(new URL("../examples/shared.ts", import.meta.url))) as unknown;
    expect(out).toEqual({
      share: ["the Worker summed 7000 without copying", "onDrop ran on the main thread"],
      crash: ["worker error: the Worker crashed while holding a reference", "holders after the crash: 1", "dropped"],
    });
    // …which is what the chapter's `// → ` comments say each function returns.
    const returns = commentedReturns(readFileSync(new URL("../examples/shared.ts", import.meta.url), "utf8"));
    expect([...returns.keys()]).toEqual(["shareWithWorker", "crashedWorker"]);
    expect(out).toEqual({
      share: evaluateComment(returns.get("shareWithWorker")!),
      crash: evaluateComment(returns.get("crashedWorker")!),
    });
  }, 30_000);
});

describe("recipe: zero-copy JSON", () => {
  it("runs as a program: a Worker re-projects the shared bytes and the batch drops on the main thread", async () => {
    const out = await programOutput(new URL("../examples/recipes/zero-copy-json.ts", import.meta.url));
    expect(out.trim().split("\n")).toEqual([
      "first document: acct-sparky owned by Sparky-11",
      'counted by the Worker: {"Sparky-11":1,"Rusty-03":2,"Sparky-11 \\"the second\\"":1}',
      "dropped once the Worker let go: true",
    ]);
    // …which is what the program's `// → ` comments say.
    const source = readFileSync(new URL("../examples/recipes/zero-copy-json.ts", import.meta.url), "utf8");
    expect(printedMismatch(commentedOutput(source), out)).toBeUndefined();
  }, 30_000);

  it("reads the same fields as JSON.parse for any document", () => {
    const str = fc.string({ unit: "binary", maxLength: 12 }).filter((s) => s.isWellFormed());
    const other = fc.dictionary(
      fc.string({ maxLength: 6 }).filter((k) => k !== "id" && k !== "owner"),
      fc.jsonValue({ maxDepth: 2 }),
      { maxKeys: 3 },
    );
    fc.assert(
      fc.property(fc.array(fc.record({ id: str, owner: str, other }), { minLength: 1, maxLength: 5 }), (docs) => {
        const flat = docs.map(({ id, owner, other: o }) => ({ ...o, id, owner }));
        const arc = SharedArc.new(sharedNdjson(flat), { describe: (b) => b.buffer as SharedArrayBuffer });
        const yokes = projectLines(arc);
        expect(yokes.map((y) => ({ id: y.get().id, owner: y.get().owner }))).toEqual(docs.map(({ id, owner }) => ({ id, owner })));
        for (const y of yokes) y.release();
        arc.release();
      }),
      { numRuns: 200 },
    );
  }, 120_000); // ~2 s on an idle machine; over 25 s on two cores shared with a dozen busy processes

  it("decodes escapes only where they are, and rejects broken documents", () => {
    const bytes = new TextEncoder().encode('{"id":"a\\nb","owner":"plain","x":[1,{"y":"}"}]}');
    const spans = scanProfile(bytes, 0, bytes.length);
    expect(spans.id.escaped).toBe(true);
    expect(spans.owner.escaped).toBe(false);
    expect(text(bytes, spans.id)).toBe("a\nb");
    expect(new ProfileView(bytes, spans).owner).toBe("plain");
    const broken = new TextEncoder().encode('{"id":"unterminated');
    expect(() => scanProfile(broken, 0, broken.length)).toThrow(SyntaxError);
    const missing = new TextEncoder().encode('{"id":"x"}');
    expect(() => scanProfile(missing, 0, missing.length)).toThrow(/lacks "id" or "owner"/);
  });
});
