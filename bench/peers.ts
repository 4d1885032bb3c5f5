/**
 * One run measuring activations side by side on 10M float32 elements: the copy limit
 * (`dst.set`), a plain TypeScript loop, TensorFlow.js (cpu and wasm backends, with and without
 * tensor creation and `dataSync`), nonlin's WebAssembly kernels on one thread (on ordinary
 * arrays, through the tile, and on `KernelArena` arrays, in place), nonlin's worker pool, and
 * PyTorch when a Python with torch is found (`$PYTHON` if set, else `python3`, then
 * `/usr/bin/python3`; on Debian `apt-get install python3-torch` gives PyTorch 1.13).
 *
 *     deno task bench:peers [--repeats N] [--size N]
 *
 * Every figure is the median of the repeats (after one warm-up) in ns per element, with its
 * spread (interquartile range). Each repeat is preceded by a copy of the same buffer
 * (`dst.set(src)`), and the ratio to the copy (`× copy`) is the median of the per-repeat ratios:
 * on a shared machine memory bandwidth drifts within a run, and a ratio to a copy measured once at
 * the start would carry that drift. Our kernels also run on float64 (the issue's float64 target is
 * a ratio to float32): on `KernelArena` arrays each repeat times float32 and then float64, and
 * `float64 ÷ float32` is the median of those per-repeat ratios.
 *
 * PyTorch runs in a subprocess (`bench/_torch.py`, JSON on stdout) after the rest, on the same
 * values, ops, sizes and repeats, timed the same way against its own copy (`y.copy_(x)`): `out=`
 * into a preallocated tensor and allocating (`y = f(x)`), float32 and (`out=`) float64, on one
 * thread and on all of them. Without torch the run says so and its columns are left out.
 *
 * Writes `bench/results/latest.json` (`{ machine, date, pytorch?, results: [{ name, group,
 * nsPerElement, spread, copyRatio, overFloat32? }] }`, read by the site) and
 * `bench/results/latest.md` (a summary for the README with the targets, a PyTorch table, then every
 * figure), and prints it.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import { KernelArena } from "@nonlin/core";
import { boundKernels, wasmRows, wasmUnary } from "@nonlin/core/internal";

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
  /** Median over the repeats of this time over the float32 copy just before it. */
  copyRatio: number;
  /** float64 arena kernels: median over the repeats of this time over the float32 run just before it. */
  overFloat32?: number;
}

function quantile(sorted: number[], q: number): number {
  const i = (sorted.length - 1) * q;
  const lo = Math.floor(i), hi = Math.ceil(i);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (i - lo);
}

/** Destination of the copies timed beside every measurement (never read). */
let copyDst: Float32Array | undefined;

interface Timing {
  median: number;
  spread: number;
  copyRatio: number;
}
/** Median and interquartile range of ns per element, and the median of the per-repeat ratios. */
function timing(times: number[], ratios: number[]): Timing {
  times.sort((a, b) => a - b);
  ratios.sort((a, b) => a - b);
  return {
    median: quantile(times, 0.5),
    spread: quantile(times, 0.75) - quantile(times, 0.25),
    copyRatio: quantile(ratios, 0.5),
  };
}

/**
 * `fn`'s time, with each repeat's ratio to a float32 copy of `src` timed just before it. With a
 * `partner`, that is timed right after `fn` in every repeat too, and `over` is the median of its
 * per-repeat ratios to `fn`: the float64 ÷ float32 figure, paired like the copy ratio, because
 * this machine's speed drifts by 10-30% between runs seconds apart.
 */
async function measure(
  fn: () => unknown,
  src: Float32Array,
  partner?: () => unknown,
): Promise<{ own: Timing; partner?: Timing; over?: number }> {
  copyDst ??= new Float32Array(src.length);
  const times: number[] = [], ratios: number[] = [];
  const pTimes: number[] = [], pRatios: number[] = [], over: number[] = [];
  for (let r = -1; r < REPEATS; r++) {
    const c = performance.now();
    copyDst.set(src);
    const t = performance.now();
    await fn();
    const end = performance.now();
    if (partner) await partner();
    const pEnd = performance.now();
    if (r >= 0) {
      times.push(((end - t) * 1e6) / N);
      ratios.push((end - t) / Math.max(t - c, 1e-3));
      if (partner) {
        pTimes.push(((pEnd - end) * 1e6) / N);
        pRatios.push((pEnd - end) / Math.max(t - c, 1e-3));
        over.push((pEnd - end) / Math.max(end - t, 1e-3));
      }
    }
  }
  if (!partner) return { own: timing(times, ratios) };
  over.sort((a, b) => a - b);
  return {
    own: timing(times, ratios),
    partner: timing(pTimes, pRatios),
    over: quantile(over, 0.5),
  };
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

const OURS = "nonlin wasm, 1 thread";
const F64 = "nonlin wasm float64, 1 thread";
const ARENA = "nonlin wasm, KernelArena arrays, 1 thread";
const ARENA64 = "nonlin wasm float64, KernelArena arrays, 1 thread";
const OPS = ["relu", "sigmoid", "tanh", "elu", "softplus", "softmax", "logSoftmax"];
/** nonlin kernels measured too, without a TensorFlow.js counterpart. */
const OURS_ONLY: string[] = ["silu", "gelu", "geluTanh", "geluSigmoid", "mish", "hardswish"];

const x = new Float32Array(N);
for (let i = 0; i < N; i++) x[i] = 8 * Math.sin(i * 0.7) + Math.cos(i * 1.3);
const y = new Float32Array(N);
const results: Result[] = [];
const notes: string[] = [];

function record(group: string, impl: string, t: Timing, overFloat32?: number) {
  const { median, spread, copyRatio } = t;
  results.push({
    name: impl,
    group,
    nsPerElement: median,
    spread,
    copyRatio,
    ...(overFloat32 === undefined ? {} : { overFloat32 }),
  });
  console.error(
    `${group.padEnd(12)} ${impl.padEnd(34)} ${median.toFixed(3)} ns/elem ±${spread.toFixed(3)}`,
  );
}
async function add(group: string, impl: string, fn: () => unknown) {
  record(group, impl, (await measure(fn, x)).own);
}
/** `fn` under `impl` and `partner` under `partnerImpl`, timed in alternation (see measure). */
async function addPair(
  group: string,
  impl: string,
  fn: () => unknown,
  partnerImpl: string,
  partner: () => unknown,
) {
  const m = await measure(fn, x, partner);
  record(group, impl, m.own);
  record(group, partnerImpl, m.partner!, m.over);
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
/** The kernels the registry binds, by kernel name, with core's parameters at the defaults. */
const BOUND = new Map(boundKernels().map((k) => [k.name, k]));
/** Runs `op` from `a` into `b` on our kernels; false when there is none for that dtype. */
function ours(op: string, a: Float32Array | Float64Array, b: Float32Array | Float64Array) {
  const bound = BOUND.get(op);
  if (bound === undefined) return false;
  // Element-wise kernels take the activation's default parameters, as core passes them.
  return bound.layout === "rows" ? wasmRows(op, a, b, COLS) : wasmUnary(op, a, b, bound.params);
}
for (const op of [...OPS, ...OURS_ONLY]) {
  if (!ours(op, x, y)) notes.push(`nonlin wasm has no ${op} kernel`);
  else await add(op, OURS, () => ours(op, x, y));
}
{
  const x64 = Float64Array.from(x), y64 = new Float64Array(N);
  for (const op of [...OPS, ...OURS_ONLY]) {
    if (!ours(op, x64, y64)) {
      notes.push(`nonlin wasm has no float64 ${op} kernel (TypeScript serves it)`);
    } else await add(op, F64, () => ours(op, x64, y64));
  }
}
// The same kernels on arrays in a KernelArena: in place in WebAssembly memory, no tile copies.
{
  const arena = new KernelArena(N * 24 + 4096);
  const ax = arena.float32(N), ay = arena.float32(N);
  const ax64 = arena.float64(N), ay64 = arena.float64(N);
  ax.set(x);
  ax64.set(x);
  for (const op of [...OPS, ...OURS_ONLY]) {
    if (!ours(op, ax, ay)) continue;
    if (ours(op, ax64, ay64)) {
      await addPair(op, ARENA, () => ours(op, ax, ay), ARENA64, () => ours(op, ax64, ay64));
    } else await add(op, ARENA, () => ours(op, ax, ay));
  }
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

/** The Python that runs bench/_torch.py: `$PYTHON` if set, else the first that imports torch. */
async function torchPython(): Promise<string | undefined> {
  const chosen = Deno.env.get("PYTHON");
  for (const python of chosen ? [chosen] : ["python3", "/usr/bin/python3"]) {
    try {
      const probe = await new Deno.Command(python, {
        args: ["-c", "import torch"],
        stdout: "null",
        stderr: "null",
      }).output();
      if (probe.success) return python;
    } catch { /* not installed */ }
  }
  return undefined;
}

/** What bench/_torch.py prints: PyTorch's figures from its own process, with its own copy. */
interface TorchRun {
  version: string;
  python: string;
  threads: number[];
  results: Result[];
  notes: string[];
}

/** PyTorch in a subprocess, on the same ops, sizes and repeats (see bench/_torch.py). */
async function torchRun(): Promise<TorchRun | undefined> {
  const python = await torchPython();
  if (python === undefined) {
    const tried = Deno.env.get("PYTHON")
      ? `$PYTHON (${Deno.env.get("PYTHON")})`
      : "python3 or /usr/bin/python3";
    notes.push(
      `PyTorch not measured: no torch in ${tried}. Install it with ` +
        "`apt-get install python3-torch` (Debian; PyTorch 1.13) or `pip install torch`, or set " +
        "PYTHON to an interpreter that has it",
    );
    return undefined;
  }
  const run = await new Deno.Command(python, {
    args: [
      new URL("./_torch.py", import.meta.url).pathname,
      ...["--size", `${N}`, "--repeats", `${REPEATS}`, "--cols", `${COLS}`],
      ...["--threads", `${navigator.hardwareConcurrency}`, "--ops", [...OPS, ...OURS_ONLY].join()],
    ],
    stdout: "piped",
    stderr: "inherit",
  }).output();
  if (!run.success) {
    notes.push(
      `PyTorch not measured: bench/_torch.py exited with code ${run.code} under ${python}`,
    );
    return undefined;
  }
  const torch: TorchRun = JSON.parse(new TextDecoder().decode(run.stdout));
  results.push(...torch.results);
  notes.push(
    `PyTorch ${torch.version} (Python ${torch.python}, ${python}) in its own process; its "× copy" ` +
      "is over its own float32 `y.copy_(x)` timed just before each repeat",
    ...torch.notes,
  );
  return torch;
}
const torch = await torchRun();

async function machine(): Promise<string> {
  let cpu = "unknown CPU";
  try {
    const info = await Deno.readTextFile("/proc/cpuinfo");
    cpu = info.match(/model name\s*:\s*(.*)/)?.[1] ?? cpu;
  } catch { /* not Linux */ }
  const v = Deno.version;
  return `${cpu}, ${navigator.hardwareConcurrency} cores, ${Deno.build.os}; Deno ${v.deno}, V8 ${v.v8}`;
}

/** The performance issue's ratio-to-copy targets (float32, 10M elements, one thread). */
const TARGETS: Record<string, number> = {
  relu: 1.5,
  sigmoid: 6,
  silu: 6,
  geluSigmoid: 6,
  hardswish: 6,
  tanh: 8,
  gelu: 8,
  geluTanh: 8,
  mish: 8,
  softplus: 8,
  elu: 8,
  softmax: 6,
};
const F64_TARGET = 2.5;
const PEERS = [
  "TypeScript loop",
  "tfjs-wasm create+op+dataSync",
  "tfjs-wasm op only",
  "tfjs-cpu op only",
];
/** PyTorch's series, by thread count, as bench/_torch.py names them. */
const threadLabel = (n: number) => `${n} thread${n === 1 ? "" : "s"}`;
const torchSeries = (kind: string, n: number) => `PyTorch ${kind}, ${threadLabel(n)}`;
/** Its columns in the summary (ns/elem), present only when PyTorch ran. */
const TORCH_PEERS = torch?.threads.flatMap((n) => [
  torchSeries("out=", n),
  torchSeries("allocating", n),
]) ?? [];

function find(group: string, name: string): Result | undefined {
  return results.find((r) => r.group === group && r.name === name);
}
const fmt = (v: number | undefined) => v === undefined ? "—" : v.toFixed(2);

/** One row per activation: our figures, the targets, and the peers. */
function summary(): string[] {
  const poolName = results.find((r) => r.name.startsWith("nonlin pool"))?.name;
  const head = [
    "op",
    "ns/elem",
    "× copy",
    "KernelArena ns/elem",
    "KernelArena × copy (target)",
    "float64 ns/elem (arena)",
    `float64 ÷ float32 (≤ ${F64_TARGET})`,
    ...(poolName ? [poolName] : []),
    ...PEERS,
    ...TORCH_PEERS,
  ];
  const mark = (v: number, limit: number) => `${v <= limit ? "✓" : "✗"}`;
  const rows = [...OPS, ...OURS_ONLY].flatMap((op) => {
    const plain = find(op, OURS);
    if (!plain) return [];
    const arena = find(op, ARENA);
    const target = TARGETS[op];
    const best = arena ?? plain;
    const ratio = arena ? `${arena.copyRatio.toFixed(1)}x` : "—";
    const targetCell = target ? ` (${target}x ${mark(best.copyRatio, target)})` : "";
    const f64 = find(op, ARENA64) ?? find(op, F64);
    const over = f64?.overFloat32 ?? (f64 ? f64.nsPerElement / best.nsPerElement : undefined);
    const f64Cell = over === undefined ? "—" : `${over.toFixed(2)} ${mark(over, F64_TARGET)}`;
    return [[
      op,
      fmt(plain.nsPerElement),
      `${plain.copyRatio.toFixed(1)}x`,
      fmt(arena?.nsPerElement),
      ratio + targetCell,
      fmt(f64?.nsPerElement),
      f64Cell,
      ...(poolName ? [fmt(find(op, poolName)?.nsPerElement)] : []),
      ...[...PEERS, ...TORCH_PEERS].map((p) => fmt(find(op, p)?.nsPerElement)),
    ]];
  });
  return [head, head.map(() => "---"), ...rows].map((r) => `| ${r.join(" | ")} |`);
}

const copy = results[0].nsPerElement;

/**
 * PyTorch beside our fastest float32 figure, per op: ns/elem, then its time over its own copy
 * (median of per-repeat ratios) and over this process's copy at the start (a ratio of medians).
 */
function torchTable(run: TorchRun): string[] {
  const over = (r: Result | undefined) =>
    r ? `${r.copyRatio.toFixed(1)}x / ${(r.nsPerElement / copy).toFixed(1)}x` : "—";
  const cols = run.threads.flatMap((n) => [torchSeries("out=", n), torchSeries("allocating", n)]);
  const f64 = torchSeries("float64 out=", 1);
  const head = [
    "op",
    "nonlin arena ns/elem",
    "nonlin × copy",
    ...cols.flatMap((c) => [c.replace("PyTorch ", ""), "× copy (own / Deno's)"]),
    "float64 out=, 1 thread",
    "float64 ÷ float32",
  ];
  const rows = [...OPS, ...OURS_ONLY].flatMap((op) => {
    if (!run.results.some((r) => r.group === op)) return [];
    const ours = find(op, ARENA) ?? find(op, OURS);
    const d = find(op, f64);
    return [[
      op,
      fmt(ours?.nsPerElement),
      ours ? `${ours.copyRatio.toFixed(1)}x` : "—",
      ...cols.flatMap((c) => [fmt(find(op, c)?.nsPerElement), over(find(op, c))]),
      fmt(d?.nsPerElement),
      fmt(d?.overFloat32),
    ]];
  });
  const copies = run.threads.map((n) =>
    `${find("copy", `PyTorch y.copy_(x), ${threadLabel(n)}`)?.nsPerElement.toFixed(3)} ns/elem ` +
    `on ${threadLabel(n)}`
  );
  return [
    `PyTorch ${run.version} in the same run (its own process, the same ${
      N.toLocaleString("en")
    } float32 values): ` +
    `its copy \`y.copy_(x)\` took ${copies.join(", ")}. "× copy (own / Deno's)" is each time ` +
    "over PyTorch's own copy (median of per-repeat ratios), then over this run's Deno copy " +
    `(${copy.toFixed(3)} ns/elem; a ratio of medians). out= writes into a preallocated tensor; ` +
    "allocating is `y = f(x)`. float64 ÷ float32 is the median ratio of the two timed one after " +
    "the other in each repeat.",
    "",
    ...[head, head.map(() => "---"), ...rows].map((r) => `| ${r.join(" | ")} |`),
    "",
  ];
}
const info = {
  machine: await machine(),
  date: new Date().toISOString(),
  ...(torch ? { pytorch: `${torch.version}, Python ${torch.python}` } : {}),
  results,
};
const md = [
  `Activations on ${
    N.toLocaleString("en")
  } float32 elements (softmax: rows of ${COLS}); median of ${REPEATS} runs.`,
  `Machine: ${info.machine}. Date: ${info.date.slice(0, 10)}.`,
  `Copy limit (\`dst.set(src)\`) at the start: ${
    copy.toFixed(3)
  } ns/elem. "× copy" is the median ` +
  "ratio to a copy timed just before each repeat; float64 ÷ float32 the median ratio of float64 " +
  "to float32 timed one after the other in each repeat (arena arrays).",
  "",
  ...summary(),
  "",
  ...(torch ? torchTable(torch) : []),
  "| op | implementation | ns/elem | spread | × copy |",
  "| --- | --- | ---: | ---: | ---: |",
  ...results.map((r) =>
    `| ${r.group} | ${r.name} | ${r.nsPerElement.toFixed(3)} | ${r.spread.toFixed(3)} | ${
      r.copyRatio.toFixed(2)
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
