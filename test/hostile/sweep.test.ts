// The hostile-argument sweep: every public method, static method, exported
// function and constructor of every package, called with each kind of bad
// argument a careless or hostile caller could pass. The list of calls is made from
// the packages' exports at run time, so a new method is covered without anyone
// adding it here. Each call passes the bad value as the first argument (later
// arguments need a valid first one to be reached, which a generic sweep cannot
// make). Two things must hold for every call that is refused:
//   1. what is thrown is one of the packages' own error classes, with a message
//      that names what it refuses: the argument, the call, the value, or the
//      field of a refused record;
//   2. the stored data is unchanged afterwards.
// A call that accepts the value is fine (a lookup of -1 may simply miss), but it
// must not crash the process, hang, or corrupt what is stored.
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { ERROR_ROOTS, FACTORIES, PACKAGES, type Factory, type Subject } from "./subjects.ts";

function detached(): ArrayBuffer {
  const b = new ArrayBuffer(16);
  structuredClone(b, { transfer: [b] });
  return b;
}

/** The argument kinds of the sweep, made fresh for every call. */
const HOSTILE: Record<string, () => unknown> = {
  undefined: () => undefined,
  null: () => null,
  NaN: () => NaN,
  "-1": () => -1,
  "1.5": () => 1.5,
  "2**53": () => 2 ** 53,
  "10n": () => 10n,
  '"x"': () => "x",
  "{}": () => ({}),
  "a detached buffer": () => detached(),
  "a lone surrogate": () => "\ud800",
};

const isClass = (f: unknown): f is new (...a: unknown[]) => unknown =>
  typeof f === "function" && /^class\b/.test(Function.prototype.toString.call(f));

const isErrorClass = (f: unknown): boolean =>
  typeof f === "function" && (f === Error || f.prototype instanceof Error);

/** Parameter names of a function from its source (`alloc(size, align = 8) {` → ["size", "align"]). */
function params(fn: Function): string[] {
  let src = Function.prototype.toString.call(fn);
  if (isClass(fn)) {
    const at = src.search(/\bconstructor\s*\(/);
    if (at < 0) return [];
    src = src.slice(at);
  }
  const open = src.indexOf("(");
  if (open < 0) return [];
  let depth = 0;
  let end = open;
  for (; end < src.length; end++) {
    const c = src[end];
    if (c === "(" || c === "[" || c === "{") depth++;
    else if (c === ")" || c === "]" || c === "}") {
      depth--;
      if (depth === 0) break;
    }
  }
  const list = src.slice(open + 1, end);
  const names: string[] = [];
  depth = 0;
  let current = "";
  for (const c of list) {
    if (c === "(" || c === "[" || c === "{") depth++;
    if (c === ")" || c === "]" || c === "}") depth--;
    if (c === "," && depth === 0) {
      names.push(current);
      current = "";
    } else current += c;
  }
  if (current.trim() !== "") names.push(current);
  return names.map((n) => n.replace(/=.*$/s, "").replace(/^\.\.\./, "").trim()).filter((n) => n !== "");
}

/** Methods of an object: own and inherited, up to Object.prototype; no getters, no constructor. */
function methods(target: object): [string, Function][] {
  const out = new Map<string, Function>();
  for (let p: object | null = target; p !== null && p !== Object.prototype && p !== Function.prototype; p = Object.getPrototypeOf(p)) {
    for (const key of Object.getOwnPropertyNames(p)) {
      if (key === "constructor" || out.has(key)) continue;
      const d = Object.getOwnPropertyDescriptor(p, key);
      if (d === undefined || typeof d.value !== "function" || isClass(d.value)) continue;
      out.set(key, d.value as Function);
    }
  }
  return [...out].filter(([name]) => !name.startsWith("_"));
}

/** Statics of a class: own and inherited (SharedArc.new comes from Arc). */
function statics(cls: Function): [string, Function][] {
  const out = new Map<string, Function>();
  for (let c: Function | null = cls; c !== null && c !== Function.prototype; c = Object.getPrototypeOf(c) as Function | null) {
    for (const key of Object.getOwnPropertyNames(c)) {
      if (["length", "name", "prototype"].includes(key) || out.has(key)) continue;
      const d = Object.getOwnPropertyDescriptor(c, key);
      if (d === undefined || typeof d.value !== "function" || isClass(d.value)) continue;
      out.set(key, d.value as Function);
    }
  }
  return [...out].filter(([name]) => !name.startsWith("_"));
}

interface Outcome {
  readonly call: string;
  readonly problem?: string;
  readonly refused: boolean;
}

/** Settles what a call returned: awaits promises (bounded) and drains a few steps of iterators. */
async function settle(value: unknown): Promise<void> {
  if (value instanceof Promise) {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([value, new Promise((r) => (timer = setTimeout(r, 3_000)))]);
    clearTimeout(timer);
    return;
  }
  if (value !== null && typeof value === "object" && typeof (value as Iterator<unknown>).next === "function" && Symbol.iterator in value) {
    const it = value as Iterator<unknown>;
    for (let i = 0; i < 3 && it.next().done !== true; i++);
  }
}

/**
 * Classes whose constructor is private or protected in the package's source:
 * TypeScript users cannot call them, and they are made through a static factory
 * (`Arc.new`, `Yoke.attachToCart`, `ArenaReader.attach`…), which the sweep calls.
 */
const NON_PUBLIC_CONSTRUCTORS: ReadonlySet<string> = (() => {
  const root = fileURLToPath(new URL("../../packages/", import.meta.url));
  const names = new Set<string>();
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(".ts")) {
        const src = readFileSync(p, "utf8");
        for (const part of src.split(/^export (?:abstract )?class /m).slice(1)) {
          const name = /^\w+/.exec(part)?.[0];
          if (name !== undefined && /^\s+(private|protected) constructor\(/m.test(part)) names.add(name);
        }
      }
    }
  };
  for (const pkg of readdirSync(root)) if (existsSync(join(root, pkg, "src"))) walk(join(root, pkg, "src"));
  return names;
})();

const PATH_LIKE = /save|load|persist|reopen|open|write.*file|read.*file/i;

/** Calls `fn` on `self` with `arg` in position `at`, and judges the result. */
async function attempt(call: string, fn: Function, self: unknown, arg: unknown, at: number, names: string[], subject: Subject | undefined): Promise<Outcome> {
  const args: unknown[] = [];
  args[at] = arg;
  const before = subject === undefined ? undefined : JSON.stringify(subject.model(), big);
  let thrown: unknown;
  try {
    await settle(Reflect.apply(fn, self, args));
  } catch (err) {
    thrown = err;
  }
  if (thrown === undefined) return { call, refused: false };
  if (!(thrown instanceof Error) || !ERROR_ROOTS.some((root) => thrown instanceof root)) {
    const what = thrown instanceof Error ? `${thrown.constructor.name}: ${thrown.message}` : String(thrown);
    return { call, refused: true, problem: `threw an untyped ${what}` };
  }
  // The message must say what was refused: the parameter's name, the call, or the
  // value itself as the caller would recognise it ("got NaN", "10n is not a pointer").
  const callee = call.replace(/\(.*$/, "").replace(/^.*\//, "").replace(/^new /, "");
  const words = [...names, ...callee.split("."), ...renderings(arg)].filter((n) => n !== "");
  // Whole words only: a parameter called `m` is not named by every message with an "m" in it.
  const esc = (w: string): string => w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const namesWord = words.some((n) => new RegExp(`(^|[^\\w$])${esc(n)}($|[^\\w$])`).test(thrown.message));
  // A record refused for one of its fields names that field (`field "port" is u16: …`).
  const namesField = typeof arg === "object" && arg !== null && /\bfield "[^"]*"/.test(thrown.message);
  if (!namesWord && !namesField) {
    return { call, refused: true, problem: `${thrown.constructor.name} "${thrown.message}" names neither the argument, nor the call, nor the value` };
  }
  if (subject !== undefined) {
    let after: string;
    try {
      after = JSON.stringify(subject.model(), big);
    } catch (err) {
      return { call, refused: true, problem: `the stored data can no longer be read: ${(err as Error).message}` };
    }
    if (after !== before) return { call, refused: true, problem: `the stored data changed: ${before} → ${after}` };
  }
  return { call, refused: true };
}

/** How a message may show a bad value: `NaN`, `10n`, `"x"`, `Object`, `ArrayBuffer`, `detached`… */
function renderings(v: unknown): string[] {
  if (typeof v === "bigint") return [`${v}n`, String(v), "bigint"];
  if (typeof v === "string") return [JSON.stringify(v), `'${v}'`, v.includes("/") ? v : "", v.length === 1 && v.charCodeAt(0) >= 0xd800 ? "surrogate" : ""].filter((n) => n !== "");
  if (v === null || typeof v !== "object") return [String(v), typeof v];
  const name = (v as object).constructor?.name ?? "object";
  return [name, name.toLowerCase(), "object", v instanceof ArrayBuffer ? "detached" : ""].filter((n) => n !== "");
}

function big(_k: string, v: unknown): unknown {
  return typeof v === "bigint" ? `${v}n` : v;
}

/** The hostile values for one call: the common kinds plus the subject's own released and foreign values. */
function hostileFor(subject: Subject | undefined, pathLike: boolean): [string, unknown][] {
  const out: [string, unknown][] = Object.entries(HOSTILE).map(([k, make]) => [k, make()]);
  // A call that takes a path gets its string arguments inside a folder that does not exist.
  if (pathLike) for (const e of out) if (typeof e[1] === "string") e[1] = join(tmpdir(), `arenakit-hostile-${process.pid}`, e[1]);
  if (subject?.extras) out.push(...Object.entries(subject.extras()));
  return out;
}

async function sweepMethods(key: string, factory: Factory): Promise<{ methods: number; outcomes: Outcome[] }> {
  // Discover the methods once, then give every call a fresh subject so that a
  // call that legitimately releases or clears cannot hide the next one's effect.
  let list: [string, Function][] = [];
  await factory((s) => void (list = methods(s.target)));
  const outcomes: Outcome[] = [];
  for (const [name, fn] of list) {
    const names = params(fn);
    if (names.length === 0) continue; // takes no argument: nothing to be hostile with
    for (const at of [0]) {
      let kinds: string[] = [];
      await factory((s) => void (kinds = hostileFor(s, PATH_LIKE.test(name)).map(([k]) => k)));
      for (const kind of kinds) {
        await factory(async (s) => {
          const value = hostileFor(s, PATH_LIKE.test(name)).find(([k]) => k === kind)![1];
          outcomes.push(await attempt(`${key}.${name}(${names[at]}: ${kind})`, fn, s.target, value, at, names, s));
        });
      }
    }
  }
  return { methods: list.length, outcomes };
}

async function sweepFunctions(pkg: string, mod: Record<string, unknown>): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  for (const [name, value] of Object.entries(mod)) {
    if (typeof value !== "function" || isErrorClass(value)) continue;
    const targets: [string, Function, unknown][] = isClass(value)
      ? statics(value).map(([s, fn]) => [`${pkg}/${name}.${s}`, fn, value])
      : [[`${pkg}/${name}`, value, undefined]];
    for (const [call, fn, self] of targets) {
      const names = params(fn);
      if (names.length === 0) continue;
      for (const at of [0]) {
        for (const [kind, arg] of hostileFor(undefined, PATH_LIKE.test(call))) {
          outcomes.push(await attempt(`${call}(${names[at]}: ${kind})`, fn, self, arg, at, names, undefined));
        }
      }
    }
    if (isClass(value) && !NON_PUBLIC_CONSTRUCTORS.has(name)) {
      const ctor = value;
      const names = params(ctor);
      for (const at of names.length > 0 ? [0] : []) {
        for (const [kind, arg] of hostileFor(undefined, false)) {
          const construct = function (this: unknown, ...args: unknown[]): unknown {
            return Reflect.construct(ctor, args);
          };
          outcomes.push(await attempt(`${pkg}/new ${name}(${names[at]}: ${kind})`, construct, undefined, arg, at, names, undefined));
        }
      }
    }
  }
  return outcomes;
}

/** Classes a package exports that have instances a user holds (not error classes). */
function instanceClasses(mod: Record<string, unknown>): [string, Function][] {
  return Object.entries(mod).filter(
    (e): e is [string, Function] => isClass(e[1]) && !isErrorClass(e[1]) && methods((e[1] as Function).prototype).length > 0,
  );
}

/** Every subject the factories make, to tell which exported base classes they cover. */
async function allTargets(): Promise<object[]> {
  const out: object[] = [];
  for (const factory of Object.values(FACTORIES)) await factory((s) => void out.push(s.target));
  return out;
}

const tally = { calls: 0, refused: 0, targets: new Set<string>() };
function count(outcomes: readonly Outcome[]): void {
  for (const o of outcomes) {
    tally.calls++;
    if (o.refused) tally.refused++;
    tally.targets.add(o.call.replace(/\(.*$/, ""));
  }
}

afterAll(() => {
  console.log(`hostile sweep: ${tally.targets.size} calls × ${Object.keys(HOSTILE).length}+ argument kinds = ${tally.calls} calls, ${tally.refused} refused with typed errors`);
});

describe("hostile arguments to every public call", () => {
  for (const [pkg, mod] of Object.entries(PACKAGES)) {
    describe(pkg, () => {
      it("every class a user can hold has a subject in the sweep", async () => {
        const targets = await allTargets();
        const missing = instanceClasses(mod as Record<string, unknown>)
          .filter(([name, cls]) => FACTORIES[`${pkg}/${name}`] === undefined && !targets.some((t) => t instanceof cls))
          .map(([name]) => name);
        expect(missing, `classes of ${pkg} the sweep cannot reach`).toEqual([]);
      });

      it("exported functions, statics and constructors refuse bad arguments with typed errors", async () => {
        const outcomes = await sweepFunctions(pkg, mod as Record<string, unknown>);
        count(outcomes);
        expect(outcomes.length).toBeGreaterThan(0);
        expect(outcomes.filter((o) => o.problem !== undefined).map((o) => `${o.call}: ${o.problem}`)).toEqual([]);
      });

      for (const key of Object.keys(FACTORIES).filter((k) => k.startsWith(`${pkg}/`))) {
        it(`${key} methods refuse bad arguments with typed errors and keep what is stored`, async () => {
          const { methods, outcomes } = await sweepMethods(key, FACTORIES[key]!);
          count(outcomes);
          expect(methods, `${key} has methods to sweep`).toBeGreaterThan(0);
          expect(outcomes.filter((o) => o.problem !== undefined).map((o) => `${o.call}: ${o.problem}`)).toEqual([]);
        });
      }
    });
  }
});
