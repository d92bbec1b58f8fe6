// The axis ticks of the benchmark charts: log axes label every power of ten in
// range, add 2 and 5 steps only when the axis has room for them, and say
// record counts the way a reader does (10k, 100k, 1M).
import { describe, expect, it } from "vitest";
import { logTicks, recordsLabel, shortFigure, tickRoom } from "../.vitepress/theme/charts.ts";

describe("log-axis ticks", () => {
  it("label every power of ten in range, with 2 and 5 steps when there is room", () => {
    expect(logTicks([10_000, 4_000_000])).toEqual([
      10_000, 20_000, 50_000, 100_000, 200_000, 500_000, 1_000_000, 2_000_000,
    ]);
    expect(logTicks([10_000, 4_000_000], 5)).toEqual([10_000, 100_000, 1_000_000]);
  });

  it("keep every power of ten even over many decades", () => {
    expect(logTicks([2.1, 1730.4], 4)).toEqual([10, 100, 1000]);
    expect(logTicks([0.05, 5000], 3)).toEqual([0.1, 1, 10, 100, 1000]);
  });

  it("keep the 2 and 5 steps when fewer than two powers of ten are in range", () => {
    expect(logTicks([30, 900], 2)).toEqual([50, 100, 200, 500]);
  });

  it("round the steps below 1 to the figures a reader expects", () => {
    expect(logTicks([0.1, 1])).toEqual([0.1, 0.2, 0.5, 1]);
  });

  it("measure room in whole labels, never less than two", () => {
    expect(tickRoom(600, 52)).toBe(11);
    expect(tickRoom(40, 52)).toBe(2);
  });
});

describe("tick labels", () => {
  it("say record counts with k and M", () => {
    expect([500, 10_000, 65_535, 100_000, 1_000_000, 4_194_303].map(recordsLabel)).toEqual([
      "500", "10k", "65.5k", "100k", "1M", "4.19M",
    ]);
  });
  it("say times and bytes with their units", () => {
    expect([0.5, 20, 1000, 2000].map((v) => shortFigure("gcMs", v))).toEqual(["500 µs", "20 ms", "1 s", "2 s"]);
    expect([200, 1500, 20_480].map((v) => shortFigure("bytesPerRecord", v))).toEqual(["200 B", "1,500 B", "20 KiB"]);
  });
});
