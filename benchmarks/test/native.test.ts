import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { makeInput } from "../src/suites/support/account-cache-input.ts";
import { NATIVE_DIR, nativeUnavailable } from "../src/suites/support/native-anchor.ts";
import { decodeWorkload, encodeWorkload } from "../src/suites/support/native-workload.ts";

const dir = mkdtempSync(join(tmpdir(), "arenakit-native-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const workload = () => ({ input: makeInput(300, 5), queries: Uint32Array.from([0, 299, 17, 17, 150]) });

describe("native anchor workload file", () => {
  it("round-trips the account-cache input and the queries", () => {
    const w = workload();
    const back = decodeWorkload(encodeWorkload(w));
    expect(back.queries).toEqual(w.queries);
    expect(back.input.n).toBe(300);
    expect(back.input.idBytes).toEqual(w.input.idBytes);
    expect(Array.from(back.input.idStart)).toEqual(Array.from(w.input.idStart));
    expect(back.input.ownerOf).toEqual(w.input.ownerOf);
    expect(Array.from(back.input.dataLen)).toEqual(Array.from(w.input.dataLen));
    expect(Array.from(back.input.dataOff)).toEqual(Array.from(w.input.dataOff));
    expect(back.input.source).toEqual(w.input.source);
    expect(back.input.payloadBytes).toBeCloseTo(w.input.payloadBytes, 9);
  });

  it("reads a Buffer into plain Uint8Arrays, so a copy of an account's data is a copy", () => {
    const bytes = Buffer.from(encodeWorkload(workload()));
    const { input } = decodeWorkload(bytes);
    expect(Buffer.isBuffer(input.source)).toBe(false);
    const copy = input.source.subarray(0, 16).slice();
    copy[0] = copy[0]! ^ 0xff;
    expect(copy[0]).not.toBe(input.source[0]);
  });

  it("refuses damaged files with a message naming the problem", () => {
    const bytes = encodeWorkload(workload());
    expect(() => decodeWorkload(bytes.subarray(0, bytes.length - 3))).toThrow(/ends inside the queries/);
    const bad = bytes.slice();
    bad[0] = 0x58;
    expect(() => decodeWorkload(bad)).toThrow(/bad magic/);
    const extra = new Uint8Array(bytes.length + 1);
    extra.set(bytes);
    expect(() => decodeWorkload(extra)).toThrow(/trailing bytes/);
    const badQuery = encodeWorkload({ input: makeInput(10, 5), queries: Uint32Array.from([10]) });
    expect(() => decodeWorkload(badQuery)).toThrow(/does not exist/);
  });
});

// Runs only where cargo and Debian's crate sources are installed (the suite skips the case elsewhere).
const why = await nativeUnavailable();
describe.skipIf(why !== undefined)("native anchor program", () => {
  const bin = join(NATIVE_DIR, "target", "release", "arenakit-native-anchor");

  it("reports its figures as one JSON line for a workload file", () => {
    const file = join(dir, "w.bin");
    writeFileSync(file, encodeWorkload(workload()));
    const r = spawnSync(bin, [file, "2", "2"], { encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    const figures = JSON.parse(r.stdout.trim()) as Record<string, number>;
    expect(figures.accounts).toBe(300);
    for (const k of ["buildNs", "getNs", "getDecodedNs", "bytesPerAccount"]) expect(figures[k]).toBeGreaterThan(0);
    // Every byte of the accounts lives in the Bump: at least the payload.
    expect(figures.bytesPerAccount).toBeGreaterThanOrEqual(workload().input.payloadBytes - 8);
  });

  it("refuses a damaged workload file with one line and exit code 2", () => {
    const bytes = encodeWorkload(workload());
    const file = join(dir, "cut.bin");
    writeFileSync(file, bytes.subarray(0, 200));
    const r = spawnSync(bin, [file, "1", "1"], { encoding: "utf8" });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^arenakit-native-anchor: workload file ends inside/);
  });
});
