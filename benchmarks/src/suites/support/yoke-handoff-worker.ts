// Worker of the yoke handoff benchmark: receives 100k account records either
// as objects (structured clone) or as a SharedArc descriptor of a shared
// arena, reads one record, and replies. Each message is one timed round trip.
import { parentPort } from "node:worker_threads";
import { ArenaReader, struct, t, type ArenaDescriptor, type Ptr } from "@arenakit/bump";
import { SharedArc, setLeakReporting, type SharedArcDescriptor } from "@arenakit/yoke";

const Account = struct({ owner: t.str, data: t.bytes, index: t.u64 });

/** What the SharedArc describes its value as: the arena and the record pointers, all shared memory. */
export interface Payload {
  readonly arena: ArenaDescriptor;
  readonly ptrs: Float64Array;
}

export type Msg =
  | { readonly kind: "objects"; readonly records: readonly { owner: string; data: Uint8Array; index: bigint }[]; readonly k: number }
  | { readonly kind: "arc"; readonly desc: SharedArcDescriptor<Payload>; readonly k: number };

setLeakReporting(false);
const port = parentPort!;
port.on("message", (m: Msg) => {
  if (m.kind === "objects") {
    const r = m.records[m.k]!;
    port.postMessage(r.owner.length + r.data.length);
    return;
  }
  using arc = SharedArc.attach(m.desc, (p) => ({ reader: ArenaReader.attach(p.arena), ptrs: p.ptrs }));
  const { reader, ptrs } = arc.get();
  const v = Account.view(reader, ptrs[m.k] as Ptr);
  port.postMessage(v.owner.length + v.data.length);
});
port.postMessage("ready");
