// Recipe: an entity table with removals, shared with a Worker.
//
// A simulation (or a server's connection table) where things appear and disappear every
// tick. The owner thread inserts and removes entities in a shared slot arena; a Worker
// reads the same memory in place, without copies and without locks: it summarizes the
// live entities, and follows one entity by its handle until that entity is removed.
//
// Run it from the repository root:
//   npx tsx --conditions=@arenakit/source \
//     packages/compact-arena/examples/recipes/entity-table.ts
// #region schema
import { pathToFileURL } from "node:url";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import {
  StaleHandleError,
  inSharedSlotArena,
  inSlotArena,
  type Handle,
  type SlotArena,
} from "@arenakit/compact-arena";

const ROLE = "entity-table-reader";
export const Entity = { x: "f64", y: "f64", hp: "u16", team: "u8" } as const;

/** What the Worker answers: the live entities, and what it saw of the followed one. */
export interface Report {
  readonly live: number;
  readonly hpByTeam: readonly number[];
  readonly followed: string;
}
// #endregion schema

// #region reader
function readerMain(): void {
  const { desc } = workerData as { desc: unknown };
  // The brand does not survive postMessage: the view gets a fresh one, and numbers
  // received as handles are checked back in with view.handle() / view.has().
  void inSharedSlotArena(
    desc,
    "small",
    Entity,
    (view) =>
      new Promise<void>((resolve) => {
        parentPort!.on("message", (msg: { follow: number } | "stop") => {
          if (msg === "stop") return resolve();
          const hpByTeam = [0, 0, 0, 0];
          let live = 0;
          view.forEach((h) => {
            try {
              hpByTeam[view.get(h, "team")]! += view.get(h, "hp");
              live++;
            } catch (err) {
              // Removed between forEach seeing it and this read: skip it,
              // never read its successor.
              if (!(err instanceof StaleHandleError)) throw err;
            }
          });
          let followed: string;
          try {
            const h = view.handle(msg.follow);
            followed = describe(view.get(h, "x"), view.get(h, "y"), view.get(h, "hp"));
          } catch (err) {
            if (!(err instanceof StaleHandleError)) throw err;
            followed = "removed";
          }
          const report: Report = { live, hpByTeam, followed };
          parentPort!.postMessage(report);
        });
      }),
  );
}

/** How a report names where the followed entity is. */
function describe(x: number, y: number, hp: number): string {
  return `at (${x}, ${y}) with ${hp} hp`;
}

function startReader(desc: unknown): Worker {
  const url = import.meta.url;
  const data = { role: ROLE, desc };
  if (url.endsWith(".ts")) {
    const boot =
      `import("tsx/esm/api").then((m) => { m.register(); ` +
      `return import(${JSON.stringify(url)}); });`;
    return new Worker(boot, { eval: true, workerData: data });
  }
  return new Worker(new URL(url), { workerData: data });
}

function ask(worker: Worker, follow: number): Promise<Report> {
  return new Promise((resolve, reject) => {
    worker.once("message", resolve);
    worker.once("error", reject);
    worker.postMessage({ follow });
  });
}
// #endregion reader

// #region owner
/** One tick: every entity moves, takes damage, and is removed at 0 hp; a few spawn. */
function tick<B extends symbol>(
  world: SlotArena<B, typeof Entity>,
  spawns: number,
  seed: { s: number },
): void {
  world.forEach((h) => {
    const c = world.at(h);
    c.x += 1;
    c.y -= 1;
    if (c.hp <= 10) world.remove(h);
    else c.hp -= 10;
  });
  for (let k = 0; k < spawns; k++) {
    seed.s = (Math.imul(seed.s, 1664525) + 1013904223) >>> 0;
    world.insert({ x: 0, y: 0, hp: 10 + (seed.s % 100), team: seed.s & 3 });
  }
}

/**
 * Runs `ticks` ticks, asking the Worker for a report after each; returns the
 * reports and the owner's own summaries, to check them against.
 */
export async function main(
  entities = 50_000,
  ticks = 5,
): Promise<{ reports: Report[]; expected: Report[] }> {
  // resizable: the Worker's view sees slots added by growth, without being
  // sent a new descriptor.
  return inSlotArena(
    { kind: "small", shared: true, layout: "resizable" },
    Entity,
    async (world) => {
      const seed = { s: 42 };
      for (let i = 0; i < entities; i++) {
        world.insert({ x: i, y: i, hp: 10 + (i % 200), team: i & 3 });
      }
      // 25 hp, 10 damage a tick: it lives through two ticks, removed in the third.
      const followed: Handle<typeof world.brand> = world.insert({
        x: 0,
        y: 0,
        hp: 25,
        team: 0,
      });
      const worker = startReader(world.share());
      const reports: Report[] = [];
      const expected: Report[] = [];
      try {
        for (let t = 0; t < ticks; t++) {
          tick(world, entities / 20, seed);
          // The owner waits for the answer, so the Worker reads a table that
          // does not change meanwhile.
          reports.push(await ask(worker, followed));
          expected.push(summary(world, followed));
        }
      } finally {
        worker.postMessage("stop");
        await worker.terminate();
      }
      return { reports, expected };
    },
  );
}

/** The owner's own summary, to check the Worker's. */
function summary<B extends symbol>(
  world: SlotArena<B, typeof Entity>,
  follow: Handle<B>,
): Report {
  const hpByTeam = [0, 0, 0, 0];
  world.forEach((h) => (hpByTeam[world.get(h, "team")]! += world.get(h, "hp")));
  const followed = world.has(follow)
    ? describe(world.get(follow, "x"), world.get(follow, "y"), world.get(follow, "hp"))
    : "removed";
  return { live: world.size, hpByTeam, followed };
}
// #endregion owner

// #region main
if (!isMainThread && (workerData as { role?: string } | null)?.role === ROLE) {
  readerMain();
} else if (
  isMainThread &&
  process.argv[1] !== undefined &&
  import.meta.url === pathToFileURL(process.argv[1]).href
) {
  const { reports } = await main();
  for (const [t, r] of reports.entries()) {
    console.log(`tick ${t + 1}: ${r.live} live, hp by team ${r.hpByTeam.join("/")}`);
    console.log(`  followed entity: ${r.followed}`);
  }
  // → tick 1: 52251 live, hp by team 1262273/1273755/1287680/1299101
  // →   followed entity: at (1, -1) with 15 hp
  // → tick 2: 52234 live, hp by team 1171755/1182962/1196666/1208056
  // →   followed entity: at (2, -2) with 5 hp
  // → tick 3: 51945 live, hp by team 1080878/1093273/1106534/1117052
  // →   followed entity: removed
  // → tick 4: 51446 live, hp by team 991956/1003688/1016142/1027990
  // →   followed entity: removed
  // → tick 5: 50626 live, hp by team 902626/917237/929212/940363
  // →   followed entity: removed
}
// #endregion main
