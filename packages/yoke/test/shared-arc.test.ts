// SharedArc on one thread: the lease protocol, descriptors and their
// validation. The cross-thread behaviour is in workers.test.ts.
import { threadId } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import {
  Arc,
  CONTROL_BYTES,
  DescriptorError,
  DoubleReleaseError,
  LeaseError,
  LeaseLimitError,
  MAX_LEASES,
  SharedArc,
  UseAfterReleaseError,
  YokeArgumentError,
  type SharedArcDescriptor,
} from "../src/index.ts";

const bytes = (n: number): Uint8Array => new Uint8Array(new SharedArrayBuffer(n));
const describeBytes = (b: Uint8Array): SharedArrayBuffer => b.buffer as SharedArrayBuffer;

describe("SharedArc on one thread", () => {
  it("counts handles locally and holds one lease", () => {
    let drops = 0;
    const a = SharedArc.new(bytes(8), { onDrop: () => drops++, describe: describeBytes });
    const b = a.clone();
    const c = b.retain();
    expect(c).toBeInstanceOf(SharedArc);
    expect(c).toBeInstanceOf(Arc);
    expect(a.strongCount).toBe(3);
    expect(a.holderCount).toBe(1);
    a.release();
    b.release();
    expect(() => b.release()).toThrow(DoubleReleaseError);
    expect(drops).toBe(0);
    const weak = c.downgrade();
    expect(weak.leaseSlotsInUse).toBe(1);
    c.release();
    expect(drops).toBe(1);
    expect(weak.holderCount).toBe(0);
    expect(weak.leaseSlotsInUse).toBe(0);
    expect(weak.tryAcquire()).toBeUndefined();
    expect(weak.dropped).toBe(true);
  });

  it("a descriptor is a small cloneable object", () => {
    const a = SharedArc.new(bytes(1 << 20), { describe: describeBytes, name: "one MiB" });
    const desc = a.share(threadId);
    const copy = structuredClone(desc);
    expect(copy.kind).toBe("arenakit.arc");
    expect(copy.control.byteLength).toBe(CONTROL_BYTES);
    // The control block travels by reference (shared memory), never copied; it is allocated once per Arc.
    expect(CONTROL_BYTES).toBeLessThanOrEqual(16 * 1024);
    expect(copy.payload).toBeInstanceOf(SharedArrayBuffer);
    expect(copy.name).toBe("one MiB");
    expect(a.holderCount).toBe(2); // this thread + the descriptor in flight
    const h = SharedArc.attach(copy, (sab) => new Uint8Array(sab));
    // Attached on the thread that holds it already: merged into the same box, the extra lease given back.
    expect(a.holderCount).toBe(1);
    expect(a.strongCount).toBe(2);
    expect(h.get()).toBe(a.get()); // the home thread gets its own value back, not a materialized copy
    expect(h.ptrEq(a)).toBe(true);
    h.release();
    a.release();
  });

  it("a descriptor attaches once", () => {
    const a = SharedArc.new(bytes(4), { describe: describeBytes });
    const desc = a.share(threadId);
    SharedArc.attach(desc, (s) => new Uint8Array(s)).release();
    expect(() => SharedArc.attach(desc, (s) => new Uint8Array(s))).toThrow(LeaseError);
    expect(() => SharedArc.attach(desc, (s) => new Uint8Array(s))).toThrow(/already attached or reclaimed/);
    a.release();
  });

  it("a descriptor addressed to another thread cannot be attached here", () => {
    const a = SharedArc.new(bytes(4), { describe: describeBytes });
    const desc = a.share(threadId + 1000);
    expect(() => SharedArc.attach(desc, (s) => new Uint8Array(s))).toThrow(/addressed to thread/);
    expect(a.holderCount).toBe(2);
    // That thread "exited" without attaching: reclaiming it gives the lease back.
    expect(a.reclaimThread(threadId + 1000)).toBe(1);
    expect(a.holderCount).toBe(1);
    expect(() => SharedArc.attach(desc, (s) => new Uint8Array(s))).toThrow(LeaseError);
    a.release();
  });

  it("reclaiming the last holder drops the value on the home thread", () => {
    let drops = 0;
    const a = SharedArc.new(bytes(4), { describe: describeBytes, onDrop: () => drops++ });
    const weak = a.downgrade();
    a.share(threadId + 2000); // in flight to a thread that will never attach it
    a.release();
    expect(drops).toBe(0);
    expect(weak.holderCount).toBe(1);
    expect(weak.reclaimThread(threadId + 2000)).toBe(1);
    expect(drops).toBe(1);
    expect(weak.tryAcquire()).toBeUndefined();
    expect(weak.reclaimThread(threadId + 2000)).toBe(0);
  });

  it("the home thread can give up its own lease and take one again while others hold", () => {
    let drops = 0;
    const a = SharedArc.new(bytes(4), { describe: describeBytes, onDrop: () => drops++ });
    const weak = a.downgrade();
    a.share(threadId + 3000);
    a.release();
    const again = weak.tryAcquire();
    expect(again?.get().byteLength).toBe(4);
    expect(weak.holderCount).toBe(2);
    again!.release();
    weak.reclaimThread(threadId + 3000);
    expect(drops).toBe(1);
  });

  it("a home thread that waited, took a reference again and dropped it itself wakes its own waiter", async () => {
    let drops = 0;
    const a = SharedArc.new(bytes(4), { describe: describeBytes, onDrop: () => drops++ });
    const weak = a.downgrade();
    a.share(threadId + 5000);
    a.release(); // home holds nothing: it starts waiting for the count to reach zero
    const again = weak.tryAcquire()!;
    weak.reclaimThread(threadId + 5000); // the other holder is gone; home holds the last reference
    again.release(); // dropped synchronously, here
    expect(drops).toBe(1);
    await new Promise((r) => setTimeout(r, 10)); // the woken waiter must not drop again
    expect(drops).toBe(1);
  });

  it("throws LeaseLimitError when every lease slot is taken, and recovers", () => {
    const a = SharedArc.new(bytes(4), { describe: describeBytes });
    const sent: SharedArcDescriptor<SharedArrayBuffer>[] = [];
    for (let i = 1; i < MAX_LEASES; i++) sent.push(a.share(threadId));
    expect(a.holderCount).toBe(MAX_LEASES);
    expect(() => a.share(threadId)).toThrow(LeaseLimitError);
    expect(a.holderCount).toBe(MAX_LEASES);
    const handles = sent.map((d) => SharedArc.attach(d, (s) => new Uint8Array(s)));
    expect(a.holderCount).toBe(1);
    for (const h of handles) h.release();
    a.share(threadId + 4000);
    expect(a.reclaimThread(threadId + 4000)).toBe(1);
    a.release();
  });

  it("a weak descriptor attached on the home thread upgrades to the home value", () => {
    let drops = 0;
    let materialized = 0;
    const a = SharedArc.new(bytes(4), { describe: describeBytes, onDrop: () => drops++ });
    const w = SharedArc.attachWeak(a.shareWeak(), (s) => {
      materialized++;
      return new Uint8Array(s);
    });
    const h = w.tryAcquire();
    expect(h?.get()).toBe(a.get());
    expect(materialized).toBe(0);
    a.release(); // h still holds it
    expect(drops).toBe(0);
    h!.release();
    expect(drops).toBe(1);
    expect(w.tryAcquire()).toBeUndefined();
  });

  it("any lease slot can hold the last reference (first, last and the sign bit of every group word included)", () => {
    const edges = [0, 1, 30, 31, 32, 33, 63, 64, 511, 512, 1023, 1024, MAX_LEASES - 33, MAX_LEASES - 32, MAX_LEASES - 1];
    expect(MAX_LEASES).toBeGreaterThan(1024);
    for (const last of edges) {
      let drops = 0;
      const a = SharedArc.new(bytes(4), { describe: describeBytes, onDrop: () => drops++ });
      const weak = a.downgrade();
      const bySlot = new Map<number, number>(); // slot -> fake thread id holding it
      for (let i = 1; i < MAX_LEASES; i++) bySlot.set(a.share(threadId + 10_000 + i).lease, threadId + 10_000 + i);
      expect(weak.holderCount).toBe(MAX_LEASES);
      if (bySlot.has(last)) {
        // Move slot `last` to this thread: free it, and share again (the only free slot is `last`).
        weak.reclaimThread(bySlot.get(last)!);
        bySlot.delete(last);
        const mine = a.share(threadId);
        expect(mine.lease).toBe(last);
        a.release();
        for (const thread of bySlot.values()) expect(weak.reclaimThread(thread)).toBe(1);
        expect(drops).toBe(0);
        const h = SharedArc.attach(mine, (s) => new Uint8Array(s)); // adopts lease `last`
        expect(weak.holderCount).toBe(1);
        h.release(); // clears bit `last`: must be seen as the last reference
      } else {
        for (const thread of bySlot.values()) expect(weak.reclaimThread(thread)).toBe(1);
        expect(drops).toBe(0);
        a.release(); // the home thread's own slot is `last`
      }
      expect(drops).toBe(1);
      expect(weak.holderCount).toBe(0);
      expect(weak.leaseSlotsInUse).toBe(0);
    }
  });

  it("validates descriptors and arguments", () => {
    const a = SharedArc.new(bytes(4), { describe: describeBytes });
    const good = a.share(threadId);
    expect(() => SharedArc.attach({} as never, (s) => s)).toThrow(DescriptorError);
    expect(() => SharedArc.attach({ ...good, control: new SharedArrayBuffer(8) }, (s) => s)).toThrow(/control block/);
    expect(() => SharedArc.attach({ ...good, lease: MAX_LEASES }, (s) => s)).toThrow(/lease\/token/);
    expect(() => SharedArc.attach(good, 5 as never)).toThrow(YokeArgumentError);
    expect(() => SharedArc.attachWeak(good as never, (s) => s)).toThrow(DescriptorError);
    expect(() => a.share("main" as never)).toThrow(YokeArgumentError);
    expect(() => a.share({ threadId: -1 })).toThrow(/already exited/);
    expect(() => a.reclaimThread(-3)).toThrow(YokeArgumentError);
    expect(() => SharedArc.new(1, { describe: "x" as never })).toThrow(/describe must be a function/);
    SharedArc.attach(good, (s) => s).release(); // the good descriptor still works after the bad attempts
    a.release();
    expect(() => a.share(threadId)).toThrow(UseAfterReleaseError);
    expect(() => a.shareWeak()).toThrow(UseAfterReleaseError);
  });

  it("describes the value once, lazily", () => {
    let described = 0;
    const a = SharedArc.new({ buf: new SharedArrayBuffer(4) }, {
      describe: (v) => {
        described++;
        return v.buf;
      },
    });
    expect(described).toBe(0);
    const d1 = a.share(threadId);
    const d2 = a.shareWeak();
    expect(described).toBe(1);
    expect(d1.payload).toBe(d2.payload);
    SharedArc.attach(d1, (b) => ({ buf: b })).release();
    a.release();
  });
});
