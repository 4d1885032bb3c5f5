/**
 * Speedup of the worker pool over a single thread, at 1M and 10M float32 elements.
 *
 *     deno run -A bench/pool_speedup.ts [--workers N] [--repeats N]
 *
 * Inputs and outputs live in shared memory, as the pool wants them, so the figures measure the
 * parallel work and the round trips, not a copy. Single-thread and pool runs alternate, after
 * one warm-up of each (the JIT of every thread), and the median of the repeats is reported,
 * which keeps a busy neighbour on the machine from skewing one side only. Prints a markdown
 * table.
 *
 * @module
 */

import { getActivation, randn, Tensor } from "@nonlin/core";
import { WorkerPool } from "@nonlin/workers";

const OPS = ["relu", "sigmoid", "tanh", "gelu", "softmax"];
const SIZES = [1_000_000, 10_000_000];

function flag(name: string, fallback: number): number {
  const i = Deno.args.indexOf(`--${name}`);
  return i >= 0 ? Number(Deno.args[i + 1]) : fallback;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

const workers = flag("workers", navigator.hardwareConcurrency);
const repeats = flag("repeats", 7);
await using pool = new WorkerPool({ size: workers });
const rows: string[] = [];
for (const size of SIZES) {
  // Softmax over rows of 1000, as in a classifier batch; the rest see a flat vector.
  const x = randn([size / 1000, 1000], { seed: 1, shared: true });
  const out = new Tensor(new Float32Array(new SharedArrayBuffer(size * 4)), x.shape);
  for (const op of OPS) {
    const entry = getActivation(op);
    const single: number[] = [], parallel: number[] = [];
    for (let r = -1; r < repeats; r++) {
      let t = performance.now();
      entry.forward(x, { out });
      const s = performance.now() - t;
      t = performance.now();
      await pool.run(op, x, { out });
      const p = performance.now() - t;
      if (r >= 0) {
        single.push(s);
        parallel.push(p);
      }
    }
    const s = median(single), p = median(parallel);
    rows.push(
      `| ${op} | ${size / 1e6}M | ${s.toFixed(1)} | ${p.toFixed(1)} | ${(s / p).toFixed(2)}x |`,
    );
  }
}
console.log(
  `Pool of ${workers} workers on ${navigator.hardwareConcurrency} cores, float32, median of ${repeats}\n`,
);
console.log("| op | elements | single thread (ms) | pool (ms) | speedup |");
console.log("| --- | --- | --- | --- | --- |");
for (const row of rows) console.log(row);
