// The slot-arena benchmark's tables must hold the same records after the same churn (a
// benchmark of tables that disagree measures nothing), and the chapter's statement about
// bitECS 0.4's versioned entity index must stay true for the version installed here.
import { addEntity, createEntityIndex, createWorld, entityExists, removeEntity, withVersioning } from "bitecs";
import { describe, expect, it } from "vitest";
import { bitecsTable, churn, fill, lcg, mapTable, objectArrayTable, slotTable } from "../src/isolated/slot-tables.ts";

describe("slot-arena benchmark tables", () => {
  it("read the same values after the same churn", () => {
    const n = 5000;
    const tables = { map: mapTable(), objects: objectArrayTable(), bitecs: bitecsTable(n), slots: slotTable() };
    const sums: Record<string, number> = {};
    for (const [name, t] of Object.entries(tables)) {
      const live = fill(t, n);
      churn(t, live, 20_000, lcg(9));
      sums[name] = live.reduce((s, h) => s + t.read(h), 0);
      t.end();
    }
    expect(new Set(Object.values(sums)).size).toBe(1);
  });

  it("bitecs 0.4.0 with withVersioning(8) refuses some live entities after churn (why the chapter measures the unversioned world)", () => {
    const world = createWorld(createEntityIndex(withVersioning(8)));
    const live: number[] = [];
    for (let i = 0; i < 1000; i++) live.push(addEntity(world));
    for (let k = 0; k < 100_000; k++) {
      const p = (k * 7919) % live.length;
      removeEntity(world, live[p]!);
      live[p] = addEntity(world);
    }
    const refused = live.filter((e) => !entityExists(world, e)).length;
    expect(refused).toBeGreaterThan(0);
  });
});
