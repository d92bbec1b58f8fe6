// The Rust snippets of the "explicit allocators" chapter are a real cargo
// project (docs/rust): build it offline against the crate sources Debian
// ships and check what it prints. Skips, saying why, where cargo or those
// sources are missing (install: apt-get install -y cargo librust-bumpalo-dev
// librust-hashbrown-dev).
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const project = fileURLToPath(new URL("../rust", import.meta.url));
const REGISTRY = "/usr/share/cargo/registry";

function missing(): string | undefined {
  try {
    execFileSync("cargo", ["--version"], { stdio: "pipe" });
  } catch {
    return "cargo is not installed";
  }
  const crates = existsSync(REGISTRY) ? readdirSync(REGISTRY) : [];
  for (const name of ["bumpalo-3", "hashbrown-0.12"]) {
    if (!crates.some((c) => c.startsWith(name))) return `${name}* is not in ${REGISTRY} (apt-get install -y librust-bumpalo-dev librust-hashbrown-dev)`;
  }
  return undefined;
}

const why = missing();

describe("the Rust snippets (docs/rust)", () => {
  it.skipIf(why !== undefined)(`compile offline and print what the chapter says${why ? ` (skipped: ${why})` : ""}`, () => {
    execFileSync("cargo", ["build", "--offline", "--release", "--quiet"], { cwd: project, stdio: "pipe", timeout: 600_000 });
    const out = execFileSync(`${project}/target/release/arenakit-zig-idea`, { encoding: "utf8" });
    const kv = Object.fromEntries(
      out
        .trim()
        .split(/\s+/)
        .map((pair) => pair.split("=") as [string, string]),
    );
    // bumpalo's first chunk is sized for a 512-byte allocation (less its footer), not 64 KiB.
    expect(Number(kv.first_chunk_bytes)).toBeGreaterThan(0);
    expect(Number(kv.first_chunk_bytes)).toBeLessThanOrEqual(512);
    expect(kv.names).toBe("RUSTY,SPARKY");
    expect(kv.owner).toBe("Sparky-11");
    expect(kv.index).toBe("11");
    expect(kv.data_len).toBe("5");
    expect(kv.accounts).toBe("2");
    expect(kv.accounts_after_fill).toBe("10002");
    expect(kv.grew).toBe("true");
    expect(kv.kept_after_reset).toBe("true");
    expect(kv.reused).toBe("true");
  }, 600_000);
});
