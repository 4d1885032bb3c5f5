/**
 * One run measuring activations side by side on 10M float32 elements: the copy limit
 * (`dst.set`), a plain TypeScript loop, TensorFlow.js (cpu and wasm backends, with and without
 * tensor creation and `dataSync`), nonlin's WebAssembly kernels on one thread, nonlin's worker
 * pool, and PyTorch when `python3 -c "import torch"` works.
 *
 *     deno task bench:peers [--repeats N] [--size N]
 *
 * Every figure is the median of the repeats (after one warm-up) in ns per element, with its
 * spread (interquartile range). Writes `bench/results/latest.json`
 * (`{ machine, date, results: [{ name, group, nsPerElement, spread }] }`, read by the site) and
 * `bench/results/latest.md` (a table for the README), and prints the table.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import { type KernelName, wasmRows, wasmUnary } from "../core/_kernels/wasm/mod.ts";

function flag(name: string, fallback: number): number {
  const i = Deno.args.indexOf(`--${name}`);
  return i >= 0 ? Number(Deno.args[i + 1]) : fallback;
}

const N = flag("size", 10_000_000);
const REPEATS = flag("repeats", 7);
const COLS = 1000;

/** One measured figure. */
interface Result {
  name: string;
  group: string;
  nsPerElement: number;
  spread: number;
}

function quantile(sorted: number[], q: number): number {
  const i = (sorted.length - 1) * q;
  const lo = Math.floor(i), hi = Math.ceil(i);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (i - lo);
}

/** Median and interquartile range of `fn`'s time, in ns per element. */
async function measure(fn: () => unknown): Promise<{ median: number; spread: number }> {
  const times: number[] = [];
  for (let r = -1; r < REPEATS; r++) {
    const t = performance.now();
    await fn();
    const dt = performance.now() - t;
    if (r >= 0) times.push((dt * 1e6) / N);
  }
  times.sort((a, b) => a - b);
  return { median: quantile(times, 0.5), spread: quantile(times, 0.75) - quantile(times, 0.25) };
}

// Plain TypeScript loops: what a user writes without a library.
const LOOPS: Record<string, (x: Float32Array, y: Float32Array) => void> = {
  relu: (x, y) => {
    for (let i = 0; i < x.length; i++) y[i] = x[i] > 0 ? x[i] : 0;
  },
  sigmoid: (x, y) => {
    for (let i = 0; i < x.length; i++) y[i] = 1 / (1 + Math.exp(-x[i]));
  },
  tanh: (x, y) => {
    for (let i = 0; i < x.length; i++) y[i] = Math.tanh(x[i]);
  },
  elu: (x, y) => {
    for (let i = 0; i < x.length; i++) y[i] = x[i] > 0 ? x[i] : Math.expm1(x[i]);
  },
  softplus: (x, y) => {
    for (let i = 0; i < x.length; i++) {
      const v = x[i];
      y[i] = v > 20 ? v : Math.log1p(Math.exp(v));
    }
  },
  softmax: (x, y) => {
    for (let r = 0; r < x.length; r += COLS) {
      let m = -Infinity;
      for (let c = 0; c < COLS; c++) m = Math.max(m, x[r + c]);
      let s = 0;
      for (let c = 0; c < COLS; c++) s += y[r + c] = Math.exp(x[r + c] - m);
      for (let c = 0; c < COLS; c++) y[r + c] /= s;
    }
  },
  logSoftmax: (x, y) => {
    for (let r = 0; r < x.length; r += COLS) {
      let m = -Infinity;
      for (let c = 0; c < COLS; c++) m = Math.max(m, x[r + c]);
      let s = 0;
      for (let c = 0; c < COLS; c++) s += Math.exp(x[r + c] - m);
      const l = m + Math.log(s);
      for (let c = 0; c < COLS; c++) y[r + c] = x[r + c] - l;
    }
  },
};

const TF_OPS: Record<string, (t: tf.Tensor) => tf.Tensor> = {
  relu: (t) => tf.relu(t),
  sigmoid: (t) => tf.sigmoid(t),
  tanh: (t) => tf.tanh(t),
  elu: (t) => tf.elu(t),
  softplus: (t) => tf.softplus(t),
  softmax: (t) => tf.softmax(t),
  logSoftmax: (t) => tf.logSoftmax(t),
};

const OPS = ["relu", "sigmoid", "tanh", "elu", "softplus", "softmax", "logSoftmax"];
/** nonlin kernels measured too, without a TensorFlow.js counterpart. */
const OURS_ONLY: KernelName[] = ["silu", "gelu", "geluTanh", "geluSigmoid", "mish", "hardswish"];

const x = new Float32Array(N);
for (let i = 0; i < N; i++) x[i] = 8 * Math.sin(i * 0.7) + Math.cos(i * 1.3);
const y = new Float32Array(N);
const results: Result[] = [];
const notes: string[] = [];

async function add(group: string, impl: string, fn: () => unknown) {
  const { median, spread } = await measure(fn);
  results.push({ name: impl, group, nsPerElement: median, spread });
  console.error(
    `${group.padEnd(12)} ${impl.padEnd(34)} ${median.toFixed(3)} ns/elem ±${spread.toFixed(3)}`,
  );
}

await add("copy", "dst.set(src)", () => y.set(x));

async function tfRuns(backend: string) {
  await tf.setBackend(backend);
  await tf.ready();
  const shape2d = [N / COLS, COLS];
  for (const op of OPS) {
    const shape = op.includes("oftmax") ? shape2d : [N];
    await add(op, `tfjs-${backend} create+op+dataSync`, () => {
      const t = tf.tensor(x, shape);
      const out = TF_OPS[op](t);
      out.dataSync();
      t.dispose();
      out.dispose();
    });
    const t = tf.tensor(x, shape);
    await add(op, `tfjs-${backend} op only`, () => TF_OPS[op](t).dispose());
    t.dispose();
  }
}

for (const op of OPS) await add(op, "TypeScript loop", () => LOOPS[op](x, y));
for (const op of [...OPS, ...OURS_ONLY]) {
  const run = op === "softmax" || op === "logSoftmax"
    ? () => wasmRows(op, x, y, COLS)
    : () => wasmUnary(op as KernelName, x, y);
  if (!run()) notes.push(`nonlin wasm has no ${op} kernel`);
  else await add(op, "nonlin wasm, 1 thread", run);
}

try {
  await tfRuns("cpu");
  setWasmPaths(new URL("./", import.meta.resolve("@tensorflow/tfjs-backend-wasm")).pathname);
  await tfRuns("wasm");
  notes.push(`tfjs-wasm: SIMD ${tf.env().getBool("WASM_HAS_SIMD_SUPPORT")}, threads off`);
} catch (e) {
  notes.push(`TensorFlow.js skipped: ${(e as Error).message}`);
}

// The worker pool, when the workers package provides one (it runs core's path per shard).
try {
  const { WorkerPool } = await import("@nonlin/workers");
  const { Tensor } = await import("@nonlin/core");
  const size = navigator.hardwareConcurrency;
  await using pool = new WorkerPool({ size });
  const xs = new Float32Array(new SharedArrayBuffer(N * 4));
  xs.set(x);
  const ys = new Float32Array(new SharedArrayBuffer(N * 4));
  for (const op of OPS) {
    const shape = op.includes("oftmax") ? [N / COLS, COLS] : [N];
    const xt = new Tensor(xs, shape), out = new Tensor(ys, shape);
    await add(op, `nonlin pool, ${size} workers`, () => pool.run(op, xt, { out }));
  }
} catch (e) {
  notes.push(`nonlin pool skipped: ${(e as Error).message}`);
}

try {
  const probe = await new Deno.Command("python3", { args: ["-c", "import torch"], stderr: "null" })
    .output();
  if (probe.success) notes.push("PyTorch is importable but not measured by this script yet");
  else notes.push('PyTorch skipped: `python3 -c "import torch"` fails on this machine');
} catch {
  notes.push("PyTorch skipped: no python3");
}

async function machine(): Promise<string> {
  let cpu = "unknown CPU";
  try {
    const info = await Deno.readTextFile("/proc/cpuinfo");
    cpu = info.match(/model name\s*:\s*(.*)/)?.[1] ?? cpu;
  } catch { /* not Linux */ }
  const v = Deno.version;
  return `${cpu}, ${navigator.hardwareConcurrency} cores, ${Deno.build.os}; Deno ${v.deno}, V8 ${v.v8}`;
}

const copy = results[0].nsPerElement;
const info = { machine: await machine(), date: new Date().toISOString(), results };
const md = [
  `Activations on ${
    N.toLocaleString("en")
  } float32 elements (softmax: rows of ${COLS}); median of ${REPEATS} runs.`,
  `Machine: ${info.machine}. Date: ${info.date.slice(0, 10)}.`,
  "",
  "| op | implementation | ns/elem | spread | × copy |",
  "| --- | --- | ---: | ---: | ---: |",
  ...results.map((r) =>
    `| ${r.group} | ${r.name} | ${r.nsPerElement.toFixed(3)} | ${r.spread.toFixed(3)} | ${
      (r.nsPerElement / copy).toFixed(2)
    } |`
  ),
  "",
  ...notes.map((n) => `- ${n}`),
  "",
].join("\n");
const dir = new URL("./results/", import.meta.url);
await Deno.mkdir(dir, { recursive: true });
await Deno.writeTextFile(new URL("latest.json", dir), JSON.stringify(info, null, 2) + "\n");
await Deno.writeTextFile(new URL("latest.md", dir), md);
console.log(md);
