/**
 * Output hashes: SHA-256 of every activation's outputs, forward and backward, on both kernel
 * paths and both dtypes, over a large fixed sweep of inputs. A refactoring that must not change
 * a single bit (issue 13) is checked by comparing these hashes before and after it:
 *
 * ```sh
 * deno task hashes           # compare with tests/hashes/output-hashes.json, exit 1 on a change
 * deno task hashes --write   # record the current outputs as the expected ones
 * ```
 *
 * Inputs: every 4099th float32 bit pattern (about a million values: every exponent, both signs,
 * NaN and infinities) and a million float64 values (random bit patterns of every binade, a dense
 * grid on [-60, 60] and the special values); NaNs are hashed as one canonical NaN; rows of random values for the softmax family and
 * GLU. Options: the variants below, plus the reductions' dims.
 *
 * @module
 */

import { ACTIVATIONS, type AnyOptions, type DType, setKernels, Tensor } from "@nonlin/core";

/**
 * The element-wise option variants hashed, by id: those of the accuracy verification when the
 * baseline was recorded. Fixed here, since the baseline's keys must not move with that list.
 */
const VARIANTS: readonly [string, string, AnyOptions][] = [
  ["relu", "relu", {}],
  ["sigmoid", "sigmoid", {}],
  ["tanh", "tanh", {}],
  ["gelu(approximate=none)", "gelu", { "approximate": "none" }],
  ["gelu(approximate=tanh)", "gelu", { "approximate": "tanh" }],
  ["gelu(approximate=sigmoid)", "gelu", { "approximate": "sigmoid" }],
  ["relu6", "relu6", {}],
  ["leakyRelu(negativeSlope=0.01)", "leakyRelu", { "negativeSlope": 0.01 }],
  ["leakyRelu(negativeSlope=0.2)", "leakyRelu", { "negativeSlope": 0.2 }],
  ["prelu", "prelu", {}],
  ["rrelu", "rrelu", {}],
  ["elu(alpha=1)", "elu", { "alpha": 1 }],
  ["elu(alpha=0.5)", "elu", { "alpha": 0.5 }],
  ["selu", "selu", {}],
  ["celu(alpha=1)", "celu", { "alpha": 1 }],
  ["celu(alpha=2)", "celu", { "alpha": 2 }],
  ["hardtanh(minVal=-1, maxVal=1)", "hardtanh", { "minVal": -1, "maxVal": 1 }],
  ["hardtanh(minVal=0, maxVal=6)", "hardtanh", { "minVal": 0, "maxVal": 6 }],
  ["hardshrink(lambda=0.5)", "hardshrink", { "lambda": 0.5 }],
  ["hardshrink(lambda=1)", "hardshrink", { "lambda": 1 }],
  ["softshrink(lambda=0.5)", "softshrink", { "lambda": 0.5 }],
  ["softshrink(lambda=1)", "softshrink", { "lambda": 1 }],
  ["threshold(threshold=1, value=0.25)", "threshold", { "threshold": 1, "value": 0.25 }],
  ["threshold(threshold=0, value=0)", "threshold", { "threshold": 0, "value": 0 }],
  ["hardsigmoid", "hardsigmoid", {}],
  ["hardswish", "hardswish", {}],
  ["silu", "silu", {}],
  ["mish", "mish", {}],
  ["logSigmoid", "logSigmoid", {}],
  ["softplus(beta=1, threshold=20)", "softplus", { "beta": 1, "threshold": 20 }],
  ["softplus(beta=2, threshold=20)", "softplus", { "beta": 2, "threshold": 20 }],
  ["softplus(beta=2, threshold=10)", "softplus", { "beta": 2, "threshold": 10 }],
  ["softsign", "softsign", {}],
  ["tanhshrink", "tanhshrink", {}],
];

/** One hashed run: `"softplus(beta=2) float32 reference forward"` → hex digest. */
export type Hashes = Record<string, string>;

/** The committed expectations. */
export const HASHES_FILE: URL = new URL("./output-hashes.json", import.meta.url);

function xorshift(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s;
  };
}

/** Every `stride`-th float32 bit pattern. */
export function float32Sweep(stride = 4099): Float32Array {
  const n = Math.floor(2 ** 32 / stride);
  const bits = new Uint32Array(n);
  for (let i = 0; i < n; i++) bits[i] = i * stride;
  return new Float32Array(bits.buffer);
}

/** Random float64 bit patterns, a grid on [-60, 60] and the special values. */
export function float64Sweep(count = 1 << 20): Float64Array {
  const next = xorshift(12345);
  const out = new Float64Array(count);
  const words = new Uint32Array(out.buffer);
  const grid = count >> 2;
  const random = count - grid - 8;
  for (let i = 0; i < random; i++) {
    words[2 * i] = next();
    words[2 * i + 1] = next();
  }
  for (let i = 0; i < grid; i++) out[random + i] = -60 + (120 * i) / grid;
  out.set([0, -0, Infinity, -Infinity, NaN, Number.MIN_VALUE, -Number.MAX_VALUE, 1], count - 8);
  return out;
}

/** Random values with a few extremes, for rows. */
function rowValues(dtype: DType, n: number, seed: number): Tensor {
  const next = xorshift(seed);
  const data = dtype === "float32" ? new Float32Array(n) : new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const u = next() / 2 ** 32;
    const r = next() % 64;
    data[i] = r === 0 ? [Infinity, -Infinity, NaN, 1000, -1000][next() % 5] : (u - 0.5) * 40;
  }
  return new Tensor(data);
}

async function digest(t: Tensor): Promise<string> {
  // NaN's sign and payload are not part of the result (the JIT may or may not produce x86's
  // negative default NaN for 0·∞), so every NaN is written as the one canonical NaN.
  const d = t.data.slice();
  for (let i = 0; i < d.length; i++) if (d[i] !== d[i]) d[i] = NaN;
  const bytes = new Uint8Array(d.buffer, d.byteOffset, d.byteLength);
  const h = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return [...h.slice(0, 12)].map((b) => b.toString(16).padStart(2, "0")).join("") +
    `/${t.dtype}/${t.shape.join("x")}`;
}

function gradient(x: Tensor, seed: number): Tensor {
  const next = xorshift(seed);
  const data = x.dtype === "float32" ? new Float32Array(x.size) : new Float64Array(x.size);
  for (let i = 0; i < data.length; i++) data[i] = (next() / 2 ** 32 - 0.25) * 4;
  return new Tensor(data, x.shape);
}

interface Run {
  id: string;
  name: string;
  options: AnyOptions;
  inputs: (dtype: DType) => Tensor;
}

function runs(): Run[] {
  const f32 = new Tensor(float32Sweep());
  const f64 = new Tensor(float64Sweep());
  const list: Run[] = VARIANTS.map(([id, name, options]) => ({
    id,
    name,
    options,
    inputs: (dtype) => dtype === "float32" ? f32 : f64,
  }));
  const rows = (shape: number[], seed: number) => (dtype: DType) =>
    rowValues(dtype, shape.reduce((a, b) => a * b, 1), seed).reshape(shape);
  for (const a of ACTIVATIONS) {
    if (a.kind !== "reduction") continue;
    if (a.name === "softmax2d") {
      list.push({ id: a.name, name: a.name, options: {}, inputs: rows([4, 16, 64, 64], 7) });
      continue;
    }
    for (const dim of [-1, 0]) {
      list.push({
        id: `${a.name}(dim=${dim})`,
        name: a.name,
        options: { dim },
        inputs: rows([512, 1024], 11),
      });
    }
    list.push({
      id: `${a.name}(dim=-1, long rows)`,
      name: a.name,
      options: { dim: -1 },
      inputs: rows([4, 100_000], 13),
    });
  }
  return list;
}

/** Hashes of every run, both paths, both dtypes, forward and backward. */
export async function computeHashes(log: (s: string) => void = () => {}): Promise<Hashes> {
  const out: Hashes = {};
  try {
    for (const run of runs()) {
      const entry = ACTIVATIONS.find((a) => a.name === run.name)!;
      for (const dtype of ["float32", "float64"] as const) {
        const x = run.inputs(dtype);
        const dy = gradient(entry.forward(x, run.options), 99);
        for (const path of ["auto", "reference"] as const) {
          setKernels(path);
          const key = `${run.id} ${dtype} ${path}`;
          out[`${key} forward`] = await digest(entry.forward(x, run.options));
          out[`${key} backward`] = await digest(entry.backward(dy, x, run.options));
        }
      }
      log(run.id);
    }
  } finally {
    setKernels("auto");
  }
  return out;
}

if (import.meta.main) {
  const write = Deno.args.includes("--write");
  const t0 = performance.now();
  const hashes = await computeHashes((id) =>
    Deno.stderr.writeSync(new TextEncoder().encode(`${id} `))
  );
  console.error(
    `\n${Object.keys(hashes).length} hashes in ${((performance.now() - t0) / 1000).toFixed(0)} s`,
  );
  if (write) {
    await Deno.writeTextFile(HASHES_FILE, JSON.stringify(hashes, null, 1) + "\n");
    console.log(`wrote ${HASHES_FILE.pathname}`);
  } else {
    const expected: Hashes = JSON.parse(await Deno.readTextFile(HASHES_FILE));
    const keys = new Set([...Object.keys(expected), ...Object.keys(hashes)]);
    const changed = [...keys].filter((k) => expected[k] !== hashes[k]);
    for (const k of changed) console.log(`changed: ${k}: ${expected[k]} -> ${hashes[k]}`);
    console.log(`${keys.size - changed.length} of ${keys.size} output hashes unchanged`);
    if (changed.length > 0) Deno.exit(1);
  }
}
