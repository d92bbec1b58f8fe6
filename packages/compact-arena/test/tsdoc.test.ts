// Every @example in the TSDoc of src/ must compile: the examples are extracted
// and type-checked as modules of this package (so `@arenakit/compact-arena`
// resolves to the source), with the package's own strict compiler options.
import { readFileSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const pkg = fileURLToPath(new URL("../", import.meta.url));
const srcDir = new URL("../src/", import.meta.url);

/** The ```ts blocks of the @example tags of one source file. */
function examplesOf(file: string): string[] {
  const text = readFileSync(new URL(file, srcDir), "utf8");
  const out: string[] = [];
  for (const m of text.matchAll(/@example\s*\n((?:[ \t]*\*.*\n)*?)[ \t]*\*\//g)) {
    const body = m[1]!.split("\n").map((l) => l.replace(/^[ \t]*\* ?/, "")).join("\n");
    const code = /```ts\n([\s\S]*?)```/.exec(body);
    if (code !== null) out.push(code[1]!);
  }
  return out;
}

describe("TSDoc examples", () => {
  const files = readdirSync(srcDir).filter((f) => f.endsWith(".ts"));
  const examples = files.flatMap((f) => examplesOf(f).map((code, i) => ({ name: `${f.replace(/\.ts$/, "")}-${i}`, code })));

  it("every exported function, class and type in src has at least one example", () => {
    expect(examples.length).toBeGreaterThanOrEqual(40);
  });

  it("all of them compile under the package's strict options", () => {
    const config = ts.getParsedCommandLineOfConfigFile(`${pkg}tsconfig.json`, {}, {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, "\n"));
      },
    })!;
    const virtual = new Map(examples.map((e) => [`${pkg}test/__tsdoc__/${e.name}.ts`, `export {};\n${e.code}`]));
    const options = { ...config.options, noEmit: true, isolatedDeclarations: false };
    const host = ts.createCompilerHost(options);
    const read = host.readFile.bind(host);
    const exists = host.fileExists.bind(host);
    host.readFile = (f) => virtual.get(f) ?? read(f);
    host.fileExists = (f) => virtual.has(f) || exists(f);
    const getSource = host.getSourceFile.bind(host);
    host.getSourceFile = (f, lang, onError, create) => {
      const text = virtual.get(f);
      return text === undefined ? getSource(f, lang, onError, create) : ts.createSourceFile(f, text, lang);
    };
    const program = ts.createProgram([...virtual.keys()], options, host);
    const problems = ts
      .getPreEmitDiagnostics(program)
      .filter((d) => d.file !== undefined && virtual.has(d.file.fileName))
      .map((d) => `${d.file!.fileName.slice(pkg.length)}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`);
    expect(problems).toEqual([]);
  }, 120_000); // one type-check of every example: ~30 s on a busy 2-core machine
});
