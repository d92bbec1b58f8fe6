// Isolated workload for the bump GC case: N small account records held either
// as JS objects or in one arena. Runs in a child process with --expose-gc.
import { Bump, struct, t } from "@arenakit/bump";
import type { Built } from "../api.ts";
import { OWNERS, rng } from "../workload.ts";

const Account = struct({ owner: t.str, data: t.bytes, index: t.u64 });

export function build(variant: string, records: number): Built {
  const next = rng(9);
  const data = new Uint8Array(64);
  if (variant === "objects") {
    const hold: { owner: string; data: Uint8Array; index: bigint }[] = [];
    let payload = 0;
    for (let i = 0; i < records; i++) {
      const len = 16 + Math.floor(next() * 49);
      const owner = OWNERS[i % OWNERS.length]!;
      hold.push({ owner, data: data.slice(0, len), index: BigInt(i) });
      payload += len + 8;
    }
    return { hold, payloadBytes: payload / records };
  }
  if (variant === "bump") {
    const bump = new Bump();
    const ptrs = new Float64Array(records);
    let payload = 0;
    for (let i = 0; i < records; i++) {
      const len = 16 + Math.floor(next() * 49);
      ptrs[i] = Account.write(bump, { owner: OWNERS[i % OWNERS.length]!, data: data.subarray(0, len), index: i });
      payload += len + 8;
    }
    return { hold: { bump, ptrs }, arenaBytes: bump.allocatedBytes + ptrs.byteLength, payloadBytes: payload / records };
  }
  throw new Error(`unknown variant ${variant}`);
}
