// Tests that resolve sources never prove dist/ is fresh: import every
// package's built entry point the way a user would and compare its exports
// with the sources, and check what `npm publish` would ship.
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("..", import.meta.url));
const pkgs = readdirSync(join(root, "packages")).filter((p) => existsSync(join(root, "packages", p, "src", "index.ts")));

/** Runtime (non-type) names a source module exports, following `export * from "./x.js"`. */
function runtimeNames(file: string, seen = new Set<string>()): Set<string> {
  const names = new Set<string>();
  if (seen.has(file)) return names;
  seen.add(file);
  const src = readFileSync(file, "utf8").replace(/\/\*[\s\S]*?\*\//g, "");
  for (const m of src.matchAll(/export\s*\{([^}]*)\}\s*from/g)) {
    for (const part of m[1]!.split(",")) {
      const n = part.trim();
      if (n === "" || n.startsWith("type ")) continue;
      names.add(n.split(/\s+as\s+/).pop()!.trim());
    }
  }
  for (const m of src.matchAll(/export\s+(?:const|function|class)\s+(\w+)/g)) names.add(m[1]!);
  for (const m of src.matchAll(/export\s+\*\s+from\s+["'](\.[^"']+)["']/g)) {
    const target = join(dirname(file), m[1]!.replace(/\.js$/, ".ts"));
    for (const n of runtimeNames(existsSync(target) ? target : join(dirname(file), m[1]!, "index.ts"), seen)) names.add(n);
  }
  return names;
}

describe.each(pkgs)("@arenakit/%s as published", (name) => {
  const dir = join(root, "packages", name);
  const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as {
    name: string;
    type: string;
    sideEffects: boolean;
    files: string[];
    exports: Record<string, Record<string, string> | string>;
    publishConfig: { access: string; exports: Record<string, Record<string, string> | string> };
  };
  const entries = Object.entries(manifest.exports).filter((e): e is [string, Record<string, string>] => typeof e[1] === "object");

  it("has a manifest users can consume", () => {
    expect(manifest.name).toBe(`@arenakit/${name}`);
    expect(manifest.type).toBe("module");
    expect(manifest.sideEffects).toBe(false);
    expect(manifest.files).toContain("dist");
    expect(entries.map(([k]) => k)).toContain(".");
    for (const [, exp] of entries) {
      expect(Object.keys(exp)).toEqual(["@arenakit/source", "types", "default"]);
      expect(existsSync(join(dir, exp.types!))).toBe(true);
      expect(existsSync(join(dir, exp.default!))).toBe(true);
    }
  });

  it("publishes the same exports without the source condition, with public access", () => {
    expect(manifest.publishConfig.access).toBe("public");
    const expected = Object.fromEntries(
      Object.entries(manifest.exports).map(([k, v]) => [k, typeof v === "string" ? v : { types: v.types, default: v.default }]),
    );
    expect(manifest.publishConfig.exports).toEqual(expected);
  });

  it.each(entries.map(([k, v]) => [k, v] as const))("dist of %s exports exactly what its source exports", async (_entry, exp) => {
    const built = await import(pathToFileURL(join(dir, exp.default!)).href);
    const names = runtimeNames(join(dir, exp["@arenakit/source"]!));
    expect(names.size).toBeGreaterThan(0);
    expect(Object.keys(built).sort()).toEqual([...names].sort());
  });
});

// A declaration that names a type `stripInternal` removed (an @internal class
// used by a public interface) builds without error here and breaks every
// user whose tsconfig has skipLibCheck false.
it("every package's published declarations type-check on their own (skipLibCheck false)", () => {
  const files = pkgs.flatMap((p) => {
    const dir = join(root, "packages", p);
    const exp = (JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { exports: Record<string, unknown> }).exports;
    return Object.values(exp).flatMap((v) => (typeof v === "object" && v !== null && "types" in v ? [join(dir, String(v.types))] : []));
  });
  expect(files.length).toBeGreaterThanOrEqual(pkgs.length);
  const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
  const args = [tsc, "--ignoreConfig", "--noEmit", "--pretty", "false", "--strict", "--skipLibCheck", "false", "--module", "NodeNext",
    "--moduleResolution", "NodeNext", "--target", "ES2022", "--lib", "ES2024,ESNext.Disposable,DOM", "--types", "node", ...files];
  let out = "";
  try {
    execFileSync(process.execPath, args, { cwd: root, encoding: "utf8", stdio: "pipe" });
  } catch (e) {
    out = String((e as { stdout?: string }).stdout ?? e);
  }
  expect(out.split("\n").filter((l) => /error TS\d+/.test(l))).toEqual([]);
});
