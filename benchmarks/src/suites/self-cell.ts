import { SelfCell } from "@arenakit/self-cell";
import { defineSuite } from "../api.ts";

const N = 1000;

export default defineSuite({
  id: "self-cell",
  title: "@arenakit/self-cell",
  cases: [
    {
      kind: "time",
      id: "borrow",
      title: "Borrow checks: reading the dependent through a SelfCell vs a plain object",
      op: "1,000 dependents read",
      baseline: "plain { owner, dependent } object",
      note:
        "Each call reads one numeric field of the dependent of 1,000 cells. borrowDependent() checks the borrow state " +
        "with one integer compare; withDependent() also marks a shared borrow for the duration of the callback " +
        "(an increment, a try/finally and a decrement).",
      setup: () => {
        const plain = Array.from({ length: N }, (_, i) => ({ owner: new Uint8Array(8), dependent: { n: i } }));
        const cells = Array.from({ length: N }, (_, i) => SelfCell.new(new Uint8Array(8), () => ({ n: i })));
        let sink = 0;
        return {
          "plain { owner, dependent } object": () => {
            for (let i = 0; i < N; i++) sink += plain[i]!.dependent.n;
          },
          "SelfCell.borrowDependent()": () => {
            for (let i = 0; i < N; i++) sink += cells[i]!.borrowDependent().n;
          },
          "SelfCell.withDependent(callback)": () => {
            for (let i = 0; i < N; i++) sink += cells[i]!.withDependent((_, d) => d.n);
          },
        };
      },
    },
    {
      kind: "time",
      id: "build-dispose",
      title: "Create and dispose an owner/dependent pair",
      op: "1,000 pairs built and disposed",
      baseline: "plain object, disposed by hand",
      note:
        "Both sides build a Disposable owner and a dependent from it, then dispose the dependent and the owner. The cell " +
        "adds its object, the argument checks and the ordered, exception-safe disposal.",
      setup: () => {
        class Owner implements Disposable {
          disposed = 0;
          [Symbol.dispose](): void {
            this.disposed++;
          }
        }
        let sink = 0;
        return {
          "plain object, disposed by hand": () => {
            for (let i = 0; i < N; i++) {
              const owner = new Owner();
              const pair = { owner, dependent: { n: i, of: owner } };
              sink += pair.dependent.n;
              pair.owner[Symbol.dispose]();
              sink += owner.disposed;
            }
          },
          "SelfCell.new + dispose": () => {
            for (let i = 0; i < N; i++) {
              const owner = new Owner();
              const cell = SelfCell.new(owner, (o) => ({ n: i, of: o }));
              sink += cell.borrowDependent().n;
              cell[Symbol.dispose]();
              sink += owner.disposed;
            }
          },
        };
      },
    },
  ],
});
