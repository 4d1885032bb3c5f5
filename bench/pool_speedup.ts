/**
 * Speedup of the worker pool over a single thread, at 1M and 10M float32 elements, in the two
 * cases a user meets:
 *
 * - **shared**: x and `out` on SharedArrayBuffers, read and written in place
 *   (`entry.forward(x, { out })` against `pool.run(op, x, { out })`);
 * - **ordinary**: x a plain Float32Array and no `out`, as most code holds its data
 *   (`entry.forward(x)` against `pool.run(op, x)`): the pool copies x into shared staging memory
 *   and the result out of it, overlapping both with the computation, and both sides write a new
 *   result.
 *
 *     deno run -A bench/pool_speedup.ts [--workers N] [--repeats N] [--rounds N]
 *       [--ops gelu,tanh] [--sizes 1000000,10000000] [--json]
 *
 * The pool is warmed up first (`ready()`, then one run of each case). Within each repeat the
 * four timings alternate (one thread and pool, shared then ordinary), so that a busy neighbour
 * on the machine weighs on every column alike, and the median of the repeats is reported. With
 * `--rounds N` the whole table is measured N times, the medians of the rounds are reported, and
 * each round's ordinary ÷ shared ratio is listed, to show how much a single table varies.
 * Prints a markdown table, or JSON with `--json`.
 *
 * @module
 */

import { getActivation, randn, Tensor } from "@nonlin/core";
import { WorkerPool } from "@nonlin/workers";

function flag(name: string, fallback: number): number {
  const i = Deno.args.indexOf(`--${name}`);
  return i >= 0 ? Number(Deno.args[i + 1]) : fallback;
}

function list(name: string, fallback: string[]): string[] {
  const i = Deno.args.indexOf(`--${name}`);
  return i >= 0 ? Deno.args[i + 1].split(",") : fallback;
}

const OPS = list("ops", ["relu", "sigmoid", "tanh", "gelu", "softmax"]);
const SIZES = list("sizes", ["1000000", "10000000"]).map(Number);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** One row of the table: median milliseconds of each side of each case. */
interface Row {
  op: string;
  elements: number;
  shared: { single: number; pool: number; speedup: number };
  ordinary: { single: number; pool: number; speedup: number };
}

/** Milliseconds `f` takes. */
async function time(f: () => unknown): Promise<number> {
  const t = performance.now();
  await f();
  return performance.now() - t;
}

async function measure(pool: WorkerPool, op: string, size: number, repeats: number): Promise<Row> {
  // Softmax over rows of 1000, as in a classifier batch; the rest see the same values.
  const shape = [size / 1000, 1000];
  const shared = randn(shape, { seed: 1, shared: true });
  const plain = randn(shape, { seed: 1 });
  const out = new Tensor(new Float32Array(new SharedArrayBuffer(size * 4)), shape);
  const entry = getActivation(op);
  const t = { ss: [] as number[], sp: [] as number[], os: [] as number[], op: [] as number[] };
  for (let r = -1; r < repeats; r++) {
    const ss = await time(() => entry.forward(shared, { out }));
    const sp = await time(() => pool.run(op, shared, { out }));
    const os = await time(() => entry.forward(plain));
    const po = await time(() => pool.run(op, plain));
    if (r < 0) continue; // the warm-up round
    t.ss.push(ss), t.sp.push(sp), t.os.push(os), t.op.push(po);
  }
  const side = (single: number[], parallel: number[]) => {
    const s = median(single), p = median(parallel);
    return { single: s, pool: p, speedup: s / p };
  };
  return { op, elements: size, shared: side(t.ss, t.sp), ordinary: side(t.os, t.op) };
}

/**
 * The rounds' rows as one: the median of each timing over the rounds, and the range of the
 * rounds' ordinary ÷ shared ratios.
 */
function combine(rounds: Row[][]): (Row & { ratios: number[] })[] {
  return rounds[0].map((first, i) => {
    const all = rounds.map((rows) => rows[i]);
    const side = (k: "shared" | "ordinary") => {
      const single = median(all.map((r) => r[k].single)), pool = median(all.map((r) => r[k].pool));
      return { single, pool, speedup: single / pool };
    };
    return {
      op: first.op,
      elements: first.elements,
      shared: side("shared"),
      ordinary: side("ordinary"),
      ratios: all.map((r) => r.ordinary.speedup / r.shared.speedup),
    };
  });
}

const workers = flag("workers", navigator.hardwareConcurrency);
const repeats = flag("repeats", 7);
const roundCount = flag("rounds", 1);
await using pool = new WorkerPool({ size: workers });
await pool.ready();
const rounds: Row[][] = [];
for (let round = 0; round < roundCount; round++) {
  const rows: Row[] = [];
  for (const size of SIZES) {
    for (const op of OPS) rows.push(await measure(pool, op, size, repeats));
  }
  rounds.push(rows);
}
const rows = combine(rounds);
if (Deno.args.includes("--json")) {
  console.log(
    JSON.stringify({ workers, repeats, rounds: roundCount, date: new Date().toISOString(), rows }),
  );
} else {
  console.log(
    `Pool of ${workers} threads on ${navigator.hardwareConcurrency} cores, float32, warmed by ` +
      `ready(), median of ${repeats}` +
      (roundCount > 1 ? ` in each of ${roundCount} rounds, then the median of the rounds` : "") +
      "\n",
  );
  console.log(
    "| op | elements | shared: 1 thread (ms) | pool (ms) | speedup | ordinary: 1 thread (ms) " +
      "| pool (ms) | speedup | ordinary ÷ shared |" + (roundCount > 1 ? " per round |" : ""),
  );
  console.log(
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- |" + (roundCount > 1 ? " --- |" : ""),
  );
  for (const { op, elements, shared: s, ordinary: o, ratios } of rows) {
    console.log(
      `| ${op} | ${elements / 1e6}M | ${s.single.toFixed(1)} | ${s.pool.toFixed(1)} | ` +
        `${s.speedup.toFixed(2)}x | ${o.single.toFixed(1)} | ${o.pool.toFixed(1)} | ` +
        `${o.speedup.toFixed(2)}x | ${(o.speedup / s.speedup).toFixed(2)} |` +
        (roundCount > 1 ? ` ${ratios.map((r) => r.toFixed(2)).join(", ")} |` : ""),
    );
  }
}
