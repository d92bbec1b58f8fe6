// Recipe: zero-copy JSON shared with a Worker.
//
// JSON documents arrive as bytes (here: newline-delimited JSON in a
// SharedArrayBuffer, as a network layer could hand them over). Instead of
// JSON.parse building an object per document, each document is scanned once
// and projected as *spans*: where each field's bytes are. Fields are decoded
// only when read. The projections are yoked to the shared bytes, so the bytes
// stay alive exactly as long as a projection needs them, on any thread: the
// Worker receives a reference to the bytes plus the spans (plain numbers) and
// re-projects without parsing or copying anything.
//
// Run it from the repository root:
//   npx tsx --conditions=@arenakit/source \
//     packages/yoke/examples/recipes/zero-copy-json.ts
// #region spans
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import { pathToFileURL } from "node:url";
import { SharedArc, Yoke, type SharedArcDescriptor } from "@arenakit/yoke";

/** Where a string value's bytes are, between its quotes; `escaped` if it has a `\`. */
export interface Span {
  readonly start: number;
  readonly end: number;
  readonly escaped: boolean;
}

/** The projection of one document: plain numbers, so it can be posted as is. */
export interface ProfileSpans {
  readonly id: Span;
  readonly owner: Span;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const decoder = new TextDecoder();
const encoder = new TextEncoder();
// #endregion spans

// #region scanner
/** Where the string opened at `open` closes, and whether it holds escapes. */
function endOfString(
  bytes: Uint8Array,
  open: number,
): { close: number; escaped: boolean } {
  let escaped = false;
  for (let i = open + 1; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b === BACKSLASH) {
      escaped = true;
      i++; // the escaped byte cannot close the string
    } else if (b === QUOTE) {
      return { close: i, escaped };
    }
  }
  throw new SyntaxError(`unterminated string starting at byte ${open}`);
}

function skipSpace(bytes: Uint8Array, i: number): number {
  while (
    i < bytes.length &&
    (bytes[i] === 0x20 || bytes[i] === 0x09 || bytes[i] === 0x0a || bytes[i] === 0x0d)
  ) {
    i++;
  }
  return i;
}

/** Skips any JSON value at `i`: a string, number, literal, object or array. */
function skipValue(bytes: Uint8Array, i: number): number {
  const b = bytes[i];
  if (b === QUOTE) return endOfString(bytes, i).close + 1;
  if (b === 0x7b || b === 0x5b) {
    let depth = 0;
    for (; i < bytes.length; i++) {
      const c = bytes[i]!;
      // Brackets inside strings do not count: jump over each string whole.
      if (c === QUOTE) i = endOfString(bytes, i).close;
      else if (c === 0x7b || c === 0x5b) depth++;
      else if (c === 0x7d || c === 0x5d) {
        if (--depth === 0) return i + 1;
      }
    }
    throw new SyntaxError("unterminated object or array");
  }
  const start = i;
  while (
    i < bytes.length &&
    !(
      bytes[i] === 0x2c ||
      bytes[i] === 0x7d ||
      bytes[i] === 0x5d ||
      bytes[i] === 0x20 ||
      bytes[i] === 0x0a
    )
  ) {
    i++;
  }
  if (i === start) throw new SyntaxError(`expected a value at byte ${start}`);
  return i;
}

/** Whether the key bytes in `[start, end)` equal an encoded name (no decoding). */
function keyIs(
  bytes: Uint8Array,
  start: number,
  end: number,
  name: Uint8Array,
): boolean {
  if (end - start !== name.length) return false;
  for (let k = 0; k < name.length; k++) {
    if (bytes[start + k] !== name[k]) return false;
  }
  return true;
}

const ID = encoder.encode("id");
const OWNER = encoder.encode("owner");

/**
 * Scans one JSON object in `bytes[from, to)` and returns the spans of its
 * top-level "id" and "owner" strings. Builds no strings; other fields are skipped.
 */
export function scanProfile(bytes: Uint8Array, from: number, to: number): ProfileSpans {
  const doc = bytes.subarray(0, to);
  let i = skipSpace(doc, from);
  if (doc[i] !== 0x7b) throw new SyntaxError(`expected an object at byte ${i}`);
  i = skipSpace(doc, i + 1);
  let id: Span | undefined;
  let owner: Span | undefined;
  while (doc[i] !== 0x7d) {
    if (doc[i] !== QUOTE) throw new SyntaxError(`expected a key at byte ${i}`);
    const key = endOfString(doc, i);
    const keyStart = i + 1;
    i = skipSpace(doc, key.close + 1);
    if (doc[i] !== 0x3a) throw new SyntaxError(`expected ':' at byte ${i}`);
    i = skipSpace(doc, i + 1);
    if (
      doc[i] === QUOTE &&
      (keyIs(doc, keyStart, key.close, ID) || keyIs(doc, keyStart, key.close, OWNER))
    ) {
      const value = endOfString(doc, i);
      const span = { start: i + 1, end: value.close, escaped: value.escaped };
      if (keyIs(doc, keyStart, key.close, ID)) id = span;
      else owner = span;
      i = value.close + 1;
    } else {
      i = skipValue(doc, i);
    }
    i = skipSpace(doc, i);
    if (doc[i] === 0x2c) i = skipSpace(doc, i + 1);
    else if (doc[i] !== 0x7d) throw new SyntaxError(`expected ',' or '}' at byte ${i}`);
  }
  if (id === undefined || owner === undefined) {
    throw new SyntaxError(`document at byte ${from} lacks "id" or "owner"`);
  }
  return { id, owner };
}
// #endregion scanner

// #region decode
/**
 * Decodes a span on access. Most strings have no escapes and are decoded
 * straight from the bytes; an escaped one goes through JSON.parse — the same
 * split as Rust's `Cow<'a, str>`, which borrows unless it must allocate.
 */
export function text(bytes: Uint8Array, s: Span): string {
  if (!s.escaped) return decoder.decode(bytes.subarray(s.start, s.end));
  // Widen the span by its quotes so JSON.parse sees a whole JSON string.
  return JSON.parse(decoder.decode(bytes.subarray(s.start - 1, s.end + 1))) as string;
}

/** The projection a user reads: fields decoded on access, nothing copied in advance. */
export class ProfileView {
  constructor(
    private readonly bytes: Uint8Array,
    readonly spans: ProfileSpans,
  ) {}
  get id(): string {
    return text(this.bytes, this.spans.id);
  }
  get owner(): string {
    return text(this.bytes, this.spans.owner);
  }
}

// #endregion decode

// #region project
/** A shared cart over the bytes; other threads get the SharedArrayBuffer itself. */
export type BytesCart = SharedArc<Uint8Array, SharedArrayBuffer>;

/** One yoke per document line, each holding its own reference to the cart. */
export function projectLines(cart: BytesCart): Yoke<ProfileView, BytesCart>[] {
  const bytes = cart.get();
  const out: Yoke<ProfileView, BytesCart>[] = [];
  let start = 0;
  while (start < bytes.length) {
    let end = bytes.indexOf(0x0a, start);
    if (end < 0) end = bytes.length;
    if (end > start) {
      // clone(): each yoke holds its own reference, released with the yoke.
      const view = (b: Uint8Array) => new ProfileView(b, scanProfile(b, start, end));
      out.push(Yoke.attachToCart(cart.clone(), view));
    }
    start = end + 1;
  }
  return out;
}

// #endregion project

// #region worker
/** What the main thread posts: one reference to the bytes, and the documents' spans. */
interface Batch {
  readonly cart: SharedArcDescriptor<SharedArrayBuffer>;
  readonly spans: readonly ProfileSpans[];
}

/** The Worker: re-projects from the spans (no parsing, no copy), counts per owner. */
function workerMain(): void {
  parentPort!.once("message", (batch: Batch) => {
    using cart = SharedArc.attach(batch.cart, (sab) => new Uint8Array(sab));
    const byOwner: Record<string, number> = {};
    for (const spans of batch.spans) {
      using profile = Yoke.attachToCart(cart.clone(), (b) => new ProfileView(b, spans));
      const owner = profile.get().owner;
      byOwner[owner] = (byOwner[owner] ?? 0) + 1;
    }
    parentPort!.postMessage(byOwner);
    // `using` releases every Worker reference here; the main thread's onDrop
    // runs when the last reference anywhere goes.
  });
}

/** Starts this very file as a Worker (under tsx, the Worker registers tsx first). */
function startSelf(): Worker {
  const url = import.meta.url;
  const data = { role: "zero-copy-json-worker" };
  if (url.endsWith(".ts")) {
    const boot =
      `import("tsx/esm/api").then((m) => { m.register(); ` +
      `return import(${JSON.stringify(url)}); });`;
    return new Worker(boot, { eval: true, workerData: data });
  }
  return new Worker(new URL(url), { workerData: data });
}

// #endregion worker

// #region main
/** Documents as newline-delimited JSON in shared memory, as a network layer would. */
export function sharedNdjson(docs: readonly object[]): Uint8Array {
  const encoded = encoder.encode(docs.map((d) => JSON.stringify(d)).join("\n"));
  const bytes = new Uint8Array(new SharedArrayBuffer(encoded.length));
  bytes.set(encoded);
  return bytes;
}

export async function main(): Promise<{
  first: { id: string; owner: string };
  byOwner: Record<string, number>;
  dropped: boolean;
}> {
  const docs = [
    {
      id: "acct-sparky",
      owner: "Sparky-11",
      lamports: 42,
      tags: ["a", { nested: "}" }],
    },
    { id: "acct-rusty", owner: "Rusty-03", data: null },
    {
      id: "acct-quote",
      owner: 'Sparky-11 "the second"',
      note: "escapes are decoded on access",
    },
    { owner: "Rusty-03", id: "acct-ünïcode" },
  ];
  let resolveDrop!: () => void;
  const dropped = new Promise<void>((r) => (resolveDrop = r));
  const cart: BytesCart = SharedArc.new(sharedNdjson(docs), {
    name: "ndjson batch",
    describe: (b) => b.buffer as SharedArrayBuffer,
    onDrop: () => resolveDrop(), // here the network layer could reuse the buffer
  });

  const profiles = projectLines(cart);
  const first = profiles[0]!.get();
  const summary = { id: first.id, owner: first.owner };

  const worker = startSelf();
  worker.postMessage({
    cart: cart.share(worker),
    spans: profiles.map((p) => p.get().spans),
  } satisfies Batch);
  for (const p of profiles) p.release();
  cart.release(); // from now on only the Worker holds the bytes
  const byOwner = await new Promise<Record<string, number>>((resolve, reject) => {
    worker.once("message", resolve);
    worker.once("error", reject);
  });
  await dropped; // the Worker's last release dropped the batch, and onDrop ran here
  await worker.terminate();
  return { first: summary, byOwner, dropped: true };
}

if (
  !isMainThread &&
  (workerData as { role?: string } | null)?.role === "zero-copy-json-worker"
) {
  workerMain();
} else if (
  isMainThread &&
  process.argv[1] !== undefined &&
  import.meta.url === pathToFileURL(process.argv[1]).href
) {
  const result = await main();
  const { id, owner } = result.first;
  console.log(`first document: ${id} owned by ${owner}`);
  // → first document: acct-sparky owned by Sparky-11
  console.log(`counted by the Worker: ${JSON.stringify(result.byOwner)}`);
  // → counted by the Worker: {"Sparky-11":1,"Rusty-03":2,"Sparky-11 \"the second\"":1}
  console.log(`dropped once the Worker let go: ${result.dropped}`);
  // → dropped once the Worker let go: true
}
// #endregion main
