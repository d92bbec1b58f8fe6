import { Bench } from "tinybench";
import type { Profile, TaskResult, TimeCase } from "./api.ts";

/**
 * tinybench settings per profile: time and warm-up per task in ms, and the
 * least number of calls in each (tinybench runs at least that many even past
 * the time, so for a task whose call builds 100,000 records the counts, not
 * the times, decide how long it takes; tinybench's own default is 16 warm-up
 * calls). The full profile keeps tinybench's warm-up count; the default one takes few
 * samples of slow tasks (a wider margin of error, shown in the tables).
 */
export const TIME_SETTINGS: Readonly<
  Record<Profile, { time: number; warmupTime: number; iterations: number; warmupIterations: number }>
> = {
  quick: { time: 60, warmupTime: 20, iterations: 5, warmupIterations: 2 },
  default: { time: 150, warmupTime: 25, iterations: 3, warmupIterations: 1 },
  full: { time: 1000, warmupTime: 250, iterations: 20, warmupIterations: 16 },
};

/**
 * Times every task of a case in one tinybench run (baseline first) and
 * computes ratios. `profile` may be a boolean (`true` is `quick`, `false`
 * is `full`), as the in-browser runner passes it. `onTask` is called after
 * each task with the number of tasks done and the total.
 */
export async function runTimeCase(
  c: TimeCase,
  profile: Profile | boolean,
  onTask?: (done: number, total: number) => void,
): Promise<TaskResult[]> {
  const p: Profile = profile === true ? "quick" : profile === false ? "full" : profile;
  const tasks = await c.setup({ quick: p === "quick", profile: p });
  if (!(c.baseline in tasks)) throw new Error(`case ${c.id}: baseline task "${c.baseline}" is missing`);
  const bench = new Bench({ name: c.id, ...TIME_SETTINGS[p], throws: true });
  const order = [c.baseline, ...Object.keys(tasks).filter((n) => n !== c.baseline)];
  for (const name of order) bench.add(name, tasks[name]!);
  let done = 0;
  if (onTask !== undefined) bench.addEventListener("cycle", () => onTask(++done, order.length));
  await bench.run();
  c.teardown?.();
  const raw = bench.tasks.map((task) => {
    const r = task.result;
    if (r.state !== "completed") throw new Error(`case ${c.id}: task "${task.name}" ended as ${r.state}`);
    return {
      name: task.name,
      samples: Math.round(r.totalTime / r.period),
      mean: r.latency.mean,
      median: r.latency.p50,
      p99: r.latency.p99,
      rme: r.latency.rme,
      hz: r.throughput.mean,
    };
  });
  const base = raw.find((t) => t.name === c.baseline)!;
  return raw.map((t) => ({ ...t, ratio: t.mean / base.mean, speedup: base.mean / t.mean }));
}
