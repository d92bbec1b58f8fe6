import { describe, expect, it } from "vitest";
import { firstMessage, startTsWorker } from "../../../test/support/workers.ts";
import { ArenaReader, Bump, InvalidArgumentError, struct, t } from "../src/index.ts";

const Account = struct({ owner: t.str, data: t.bytes, index: t.u64 });

describe("shared arenas", () => {
  it("a real Worker reads records through the descriptor without copying", async () => {
    const bump = new Bump({ shared: true, initialChunkSize: 256 });
    const ptrs = Array.from({ length: 50 }, (_, i) =>
      Account.write(bump, { owner: `owner-${i}-é`, data: new Uint8Array(i).fill(1), index: BigInt(i) * 3n }),
    );
    expect(bump.chunkCount).toBeGreaterThan(1);
    const desc = bump.share();
    const worker = startTsWorker(new URL("./fixtures/reader-worker.ts", import.meta.url), { desc, ptrs });
    const result = await firstMessage(worker);
    await worker.terminate();
    expect(result).toEqual(ptrs.map((_, i) => ({ owner: `owner-${i}-é`, length: i, index: String(i * 3) })));
    expect(Array.from(Account.view(bump, ptrs[3]!).data)).toEqual([2, 2, 2]);
  });

  it("readers check pointers like the owner", () => {
    const bump = new Bump({ shared: true });
    const p = bump.allocStr("x");
    const reader = ArenaReader.attach(bump.share());
    expect(reader.readStr(p)).toBe("x");
    bump.reset();
    const q = bump.allocStr("y");
    expect(() => reader.readStr(q)).toThrow(/stale|does not have/); // another generation
  });

  it("share() needs shared memory; attach() validates its input", () => {
    expect(() => new Bump().share()).toThrow(/shared: true/);
    expect(() => ArenaReader.attach({} as never)).toThrow(InvalidArgumentError);
  });
});
