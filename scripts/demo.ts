/**
 * `deno task demo`: the course module's "Use" step in the terminal. Activations on real tensors
 * of several shapes, the extremes with the naive formulas beside ours, a chained forward pass,
 * sparsity and output ranges, and (when the worker pool is present) a large batch through it.
 *
 * @module
 */

import {
  ACTIVATIONS,
  getActivation,
  randn,
  ReLU,
  Softmax,
  type Tensor,
  tensor,
} from "@nonlin/core";

const fmt = (v: number) =>
  Number.isNaN(v)
    ? "NaN"
    : Object.is(v, -0)
    ? "-0"
    : Math.abs(v) < 1e-4 && v !== 0
    ? v.toExponential(4)
    : String(Number(v.toPrecision(6)));
const row = (xs: ArrayLike<number>) => `[${Array.from(xs, fmt).join(", ")}]`;

console.log("nonlin demo: the activations of the course module, and the numbers behind them\n");

console.log("1. Shapes are preserved (float32 by default, float64 on request)");
for (const shape of [[4], [2, 3], [2, 2, 2]]) {
  const x = randn(shape, { seed: 1 });
  for (const name of ["relu", "sigmoid", "tanh", "gelu", "softmax"]) {
    const y = getActivation(name).forward(x);
    console.log(
      `   ${name.padEnd(8)} ${JSON.stringify(x.shape)} → ${JSON.stringify(y.shape)} ${y.dtype}`,
    );
  }
}

console.log("\n2. The extremes: the textbook formula in float64 against ours");
const extremes = [-1000, -10, 0, 10, 1000, -Infinity, Infinity, NaN];
console.log(`   x        = ${row(extremes)}`);
for (const name of ["sigmoid", "tanh", "gelu"]) {
  const info = getActivation(name);
  const ours = info.forward(tensor(extremes, { dtype: "float64" })).data;
  console.log(`   ${name.padEnd(8)} naive ${row(extremes.map((v) => info.naive!(v)))}`);
  console.log(`   ${"".padEnd(8)} ours  ${row(ours)}`);
}
const logits = tensor([1000, 999, -1000], { dtype: "float64" });
const naiveSoftmax = [1000, 999, -1000].map((v) =>
  Math.exp(v) / (Math.exp(1000) + Math.exp(999) + Math.exp(-1000))
);
console.log(`   softmax  naive ${row(naiveSoftmax)}`);
console.log(`   ${"".padEnd(8)} ours  ${row(getActivation("softmax").forward(logits).data)}`);

console.log("\n3. Chaining Input → ReLU → Softmax");
const input = tensor([[-2, 1, 3], [0.5, -1, 2]]);
const hidden = new ReLU().forward(input);
const probs = new Softmax().forward(hidden);
/** Rows of a 2-d tensor as `[[a, b], [c, d]]`, numbers unquoted. */
const rows = (t: Tensor) => `[${(t.toArray() as number[][]).map(row).join(", ")}]`;
console.log(`   input   ${rows(input)}`);
console.log(`   relu    ${rows(hidden)}`);
console.log(`   softmax ${rows(probs)}`);
console.log(`   row sums ${row(probs.sum({ dim: -1 }).data)}`);

console.log("\n4. Sparsity and output ranges on 100,000 standard normal inputs");
const big = randn([100_000], { seed: 7 });
for (const info of ACTIVATIONS.filter((a) => a.kind === "elementwise")) {
  const y = info.forward(big).data;
  let zeros = 0, lo = Infinity, hi = -Infinity;
  for (const v of y) {
    if (v === 0) zeros++;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  console.log(
    `   ${info.name.padEnd(12)} zeros ${(100 * zeros / y.length).toFixed(1).padStart(5)}%  ` +
      `range [${fmt(lo)}, ${fmt(hi)}]  (documented ${info.range})`,
  );
}

console.log("\n5. A large batch through the worker pool");
try {
  const workers = await import("@nonlin/workers");
  const { WorkerPool } = workers as unknown as {
    WorkerPool: new (o?: { size?: number }) => {
      ready(): Promise<void>;
      run(op: string, x: unknown, o?: unknown): Promise<{ data: ArrayLike<number> }>;
      close(): Promise<void>;
    };
  };
  const x = randn([4_000_000], { seed: 3, shared: true });
  const gelu = getActivation("gelu");
  gelu.forward(x); // both sides are timed warm: this thread's kernels compile here
  const t0 = performance.now();
  const single = gelu.forward(x);
  const t1 = performance.now();
  const pool = new WorkerPool();
  // Starting the workers and compiling their kernels is paid here, not by the first run.
  await pool.ready();
  const t2 = performance.now();
  const pooled = await pool.run("gelu", x);
  const t3 = performance.now();
  await pool.run("gelu", x);
  const t4 = performance.now();
  await pool.close();
  let same = true;
  for (let i = 0; i < single.data.length; i++) {
    if (!Object.is(single.data[i], pooled.data[i])) same = false;
  }
  console.log(
    `   gelu on 4M elements, warm: one thread ${(t1 - t0).toFixed(0)} ms; pool, warmed by ` +
      `ready() in ${(t2 - t1).toFixed(0)} ms: first run ${(t3 - t2).toFixed(0)} ms ` +
      `(${((t1 - t0) / (t3 - t2)).toFixed(2)}x), second ${(t4 - t3).toFixed(0)} ms; ` +
      `bitwise identical: ${same}`,
  );
} catch (error) {
  console.log(`   (worker pool unavailable: ${(error as Error).message})`);
}
