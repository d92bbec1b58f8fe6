import { Bench } from "tinybench";
import type { TaskResult, TimeCase } from "./api.ts";

/** Times every task of a case in one tinybench run (baseline first) and computes ratios. */
export async function runTimeCase(c: TimeCase, quick: boolean): Promise<TaskResult[]> {
  const tasks = await c.setup({ quick });
  if (!(c.baseline in tasks)) throw new Error(`case ${c.id}: baseline task "${c.baseline}" is missing`);
  const bench = new Bench({
    name: c.id,
    time: quick ? 60 : 1000,
    warmupTime: quick ? 20 : 250,
    iterations: quick ? 5 : 20,
    throws: true,
  });
  const order = [c.baseline, ...Object.keys(tasks).filter((n) => n !== c.baseline)];
  for (const name of order) bench.add(name, tasks[name]!);
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
