// Tests that resolve sources never prove dist/ is fresh: import every
// package's built entry point the way a user would and compare its exports
// with the sources, and check what `npm publish` would ship.
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("..", import.meta.url));
const pkgs = readdirSync(join(root, "packages")).filter((p) => existsSync(join(root, "packages", p, "src", "index.ts")));

describe.each(pkgs)("@arenakit/%s as published", (name) => {
  const dir = join(root, "packages", name);
  const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as {
    name: string;
    type: string;
    sideEffects: boolean;
    files: string[];
    exports: { ".": Record<string, string> };
  };

  it("has a manifest users can consume", () => {
    expect(manifest.name).toBe(`@arenakit/${name}`);
    expect(manifest.type).toBe("module");
    expect(manifest.sideEffects).toBe(false);
    expect(manifest.files).toContain("dist");
    const exp = manifest.exports["."];
    expect(Object.keys(exp)).toEqual(["@arenakit/source", "types", "default"]);
    expect(existsSync(join(dir, exp.types!))).toBe(true);
    expect(existsSync(join(dir, exp.default!))).toBe(true);
  });

  it("dist exports exactly what the sources export", async () => {
    const built = await import(pathToFileURL(join(dir, manifest.exports["."].default!)).href);
    const src = readFileSync(join(dir, "src", "index.ts"), "utf8");
    // Runtime (non-type) names re-exported by the barrel.
    const names = new Set<string>();
    for (const m of src.matchAll(/export\s*\{([^}]*)\}\s*from/g)) {
      for (const part of m[1]!.split(",")) {
        const n = part.trim();
        if (n === "" || n.startsWith("type ")) continue;
        names.add(n.split(/\s+as\s+/).pop()!.trim());
      }
    }
    for (const m of src.matchAll(/export\s+(?:const|function|class)\s+(\w+)/g)) names.add(m[1]!);
    expect(names.size).toBeGreaterThan(0);
    expect(Object.keys(built).sort()).toEqual([...names].sort());
  });
});
