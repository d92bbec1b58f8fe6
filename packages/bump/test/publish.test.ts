import { describe, expect, it } from "vitest";
import { firstMessage, startTsWorker } from "../../../test/support/workers.ts";
import { createLog, publish, readNew } from "../examples/publish.ts";
import { ArenaReader } from "../src/index.ts";

describe("publication across threads (the Workers chapter's example)", () => {
  it("a reader on the same thread sees exactly what was published", () => {
    const { bump, log } = createLog(10);
    const reader = ArenaReader.attach(log.arena);
    expect(readNew(reader, log, 0)).toEqual([]);
    publish(bump, log, { owner: "a", data: new Uint8Array([1]), index: 0n });
    expect(readNew(reader, log, 0)).toEqual([{ owner: "a", data: new Uint8Array([1]), index: 0n }]);
  });

  it("a real Worker reading while the owner publishes and grows the arena never sees a torn record", async () => {
    const total = 20_000;
    const { bump, log } = createLog(total);
    const worker = startTsWorker(new URL("./fixtures/publish-reader.ts", import.meta.url), { log, total });
    expect(await firstMessage(worker)).toBe("ready");
    const done = firstMessage<{ seen: number; torn: number; polls: number }>(worker);
    const before = bump.allocatedBytes;
    for (let i = 0; i < total; i++) {
      publish(bump, log, { owner: `owner-${i % 7}`, data: new Uint8Array(i % 50).fill(i & 0xff), index: BigInt(i) });
      if (i % 500 === 0) await new Promise((r) => setTimeout(r, 1)); // let the reader interleave
    }
    const result = await done;
    await worker.terminate();
    expect(bump.allocatedBytes).toBeGreaterThan(before); // the buffer grew while the reader read
    expect(bump.chunkCount).toBe(1);
    expect(result.seen).toBe(total);
    expect(result.torn).toBe(0);
    expect(result.polls).toBeGreaterThan(1); // it really read concurrently, not once at the end
  });
});
