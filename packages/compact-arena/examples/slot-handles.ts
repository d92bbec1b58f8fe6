// Examples of the "Removing things: generational handles" chapter. Each region is shown
// on the site; test/slot-examples.test.ts runs every function.
import {
  GENERATION_BITS,
  IndexError,
  StaleHandleError,
  inSlotArena,
  type Handle,
  type SlotArena,
} from "@arenakit/compact-arena";

// #region reuse-bug
/** A table of plain objects whose slots are reused: the obvious way, and its bug. */
export function plainIndexReuse(): string {
  const names: (string | null)[] = [];
  const free: number[] = [];
  const add = (name: string): number => {
    const i = free.pop();
    if (i === undefined) return names.push(name) - 1;
    names[i] = name;
    return i;
  };
  const remove = (i: number): void => {
    names[i] = null;
    free.push(i);
  };

  const alice = add("alice");
  remove(alice); // alice disconnects; somebody still holds her index
  add("mallory"); // reuses the slot
  // The old index silently reads the new occupant:
  return names[alice]!; // → "mallory"
}
// #endregion reuse-bug

// #region schema
export const Conn = { port: "u16", bytesIn: "f64", openedAt: "f64" } as const;
// #endregion schema

// #region basics
type Basics = { reused: boolean; aliceLive: boolean; error: string; size: number };

export function basics(): Basics {
  return inSlotArena("small", Conn, (table) => {
    const alice = table.insert({ port: 443, bytesIn: 0, openedAt: 1 });
    table.remove(alice);
    // same slot, next generation
    const mallory = table.insert({ port: 22, bytesIn: 0, openedAt: 2 });
    let error = "";
    try {
      table.get(alice, "port");
    } catch (err) {
      if (err instanceof StaleHandleError) error = err.message;
    }
    return {
      reused: table.slotOf(mallory) === 0,
      aliceLive: table.has(alice),
      error,
      size: table.size,
    };
  });
}
// #endregion basics

// #region iterate
/** Closes idle connections and sums the traffic of the rest in one pass. */
type Sweep = { closed: number; total: number; size: number };

export function sweep(records: number): Sweep {
  return inSlotArena("small", Conn, (table) => {
    for (let i = 0; i < records; i++) {
      table.insert({ port: 1024 + (i % 1000), bytesIn: i % 7, openedAt: i });
    }
    let closed = 0;
    // forEach visits live records in slot order; removing the current one is allowed.
    table.forEach((h) => {
      if (table.get(h, "bytesIn") === 0) {
        table.remove(h);
        closed++;
      }
    });
    // The hot-loop form: raw columns indexed by slot, only for live slots.
    const bytesIn = table.column("bytesIn");
    let total = 0;
    table.forEach((_, slot) => {
      total += bytesIn[slot]!;
    });
    return { closed, total, size: table.size };
  });
}
// #endregion iterate

// #region cursor
export function cursor(): number {
  return inSlotArena("tiny", Conn, (table) => {
    const h = table.insert({ port: 8080, bytesIn: 0, openedAt: 0 });
    const c = table.at(h); // checked now, and on every field access
    c.bytesIn += 1500;
    c.bytesIn += 500;
    return c.bytesIn;
  });
  // → 2000
}
// #endregion cursor

// #region secondary
/** Side data that only some records have, keyed by the same handles. */
type Secondary = {
  before: number | undefined;
  after: number | undefined;
  leaked: boolean;
};

export function secondary(): Secondary {
  return inSlotArena("tiny", Conn, (table) => {
    const tls = table.secondary({ cipher: "u16", resumed: "u8" });
    const a = table.insert({ port: 443, bytesIn: 0, openedAt: 0 });
    tls.set(a, { cipher: 0x1301, resumed: 0 });
    const before = tls.get(a, "cipher");
    table.remove(a);
    const b = table.insert({ port: 80, bytesIn: 0, openedAt: 1 }); // a's slot, no TLS
    const after = tls.get(b, "cipher"); // undefined: a's value does not leak to b
    return { before, after, leaked: tls.has(a) };
  });
  // → { before: 0x1301, after: undefined, leaked: false }
}
// #endregion secondary

// #region links
/** A handle stored in a record of the same table: a u32 field in a tiny arena. */
const Node = { parent: "u32", depth: "u8" } as const;
const NO_PARENT = 0xffffffff; // above every tiny handle (they are below 2^32 - 1)

export function parentLinks(): { depth: number; orphaned: boolean } {
  return inSlotArena("tiny", Node, (tree) => {
    const root = tree.insert({ parent: NO_PARENT, depth: 0 });
    const child = tree.insert({ parent: root, depth: 1 });
    type Tree<B extends symbol> = SlotArena<B, typeof Node>;
    const parentOf = <B extends symbol>(t: Tree<B>, h: Handle<B>): Handle<B> | null => {
      const p = t.get(h, "parent");
      // A number read from a column is not a handle: has() checks it and narrows it.
      return p !== NO_PARENT && t.has(p) ? p : null;
    };
    const depth = tree.get(parentOf(tree, child)!, "depth");
    tree.remove(root);
    return { depth, orphaned: parentOf(tree, child) === null };
  });
  // → { depth: 0, orphaned: true }
}
// #endregion links

// #region retire
/** How many records one slot of each kind holds in turn before it is retired. */
export function turnsPerSlot(): { nano: number; tiny: number; small: number } {
  return {
    nano: 2 ** (GENERATION_BITS.nano - 1),
    tiny: 2 ** (GENERATION_BITS.tiny - 1),
    small: 2 ** (GENERATION_BITS.small - 1),
  };
  // → { nano: 8388608, tiny: 32768, small: 1048576 }
}

/** Reuse one tiny slot until its generations run out. */
export function wearOut(): { handles: number; retired: number; nextSlot: number } {
  return inSlotArena("tiny", { v: "u8" }, (arena) => {
    const seen = new Set<number>();
    for (let k = 0; k < 2 ** (GENERATION_BITS.tiny - 1); k++) {
      const h = arena.insert({ v: 0 });
      seen.add(h);
      arena.remove(h);
    }
    const nextSlot = arena.slotOf(arena.insert({ v: 0 }));
    return { handles: seen.size, retired: arena.retired, nextSlot };
  });
  // → { handles: 32768, retired: 1, nextSlot: 1 }
}
// #endregion retire

// #region errors
/** What bad handles get: each a typed error, and nothing stored is touched. */
export function badHandles(): string[] {
  return inSlotArena("tiny", Conn, (table) =>
    inSlotArena("tiny", Conn, (other) => {
      const h = table.insert({ port: 1, bytesIn: 0, openedAt: 0 });
      const foreign = other.insert({ port: 2, bytesIn: 0, openedAt: 0 }) as number;
      const gone = table.insert({ port: 3, bytesIn: 0, openedAt: 0 });
      table.remove(gone);
      const attempts: (() => unknown)[] = [
        // another arena's handle, types erased
        () => table.get(foreign as Handle<typeof table.brand>, "port"),
        // a forged number
        () => table.get(123456 as Handle<typeof table.brand>, "port"),
        () => table.remove(gone), // a double remove
      ];
      const names = attempts.map((f) => {
        try {
          f();
          return "accepted";
        } catch (err) {
          const known = err instanceof StaleHandleError || err instanceof IndexError;
          return known ? err.name : "other";
        }
      });
      names.push(`port ${table.get(h, "port")}, size ${table.size}`);
      return names;
    }),
  );
  // → ["IndexError", "IndexError", "StaleHandleError", "port 1, size 1"]
}
// #endregion errors
