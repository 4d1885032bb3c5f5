/**
 * Worst error, in ULP against exact values (32-digit decimal.js), of every WebAssembly kernel in
 * float32 and float64, over special values and random inputs across wide ranges, and of float32
 * softmax and logSoftmax over rows of normal logits. Prints a markdown table; `--count N` sets
 * the random inputs per kernel (default 4000) and the normal rows (N/2 of 1000 elements).
 *
 *     deno run -A bench/accuracy.ts
 *
 * @module
 */
import { type KernelName, wasmRows } from "../core/_kernels/wasm/mod.ts";
import { float64Row, ulpError32 } from "../core/_test_utils/softmax_rows.ts";
import { randn } from "../core/tensor.ts";
import {
  inputs,
  measureRows,
  measureUnary,
  rowInputs,
} from "../core/_kernels/wasm/_test_utils/accuracy.ts";

const i = Deno.args.indexOf("--count");
const count = i >= 0 ? Number(Deno.args[i + 1]) : 4000;
const UNARY: [KernelName, number[]][] = [
  ["relu", []],
  ["sigmoid", []],
  ["tanh", []],
  ["gelu", []],
  ["geluTanh", []],
  ["geluSigmoid", []],
  ["silu", []],
  ["mish", []],
  ["softplus", []],
  ["softplus", [2, 10]],
  ["elu", []],
  ["elu", [0.5]],
  ["hardswish", []],
];
const x32 = inputs(32, count, 11), x64 = inputs(64, count, 12);
const fmt = (v: number | undefined) => (v === undefined ? "TypeScript path" : v.toFixed(2));
const lines = ["| kernel | float32 worst ULP | float64 worst ULP |", "| --- | ---: | ---: |"];
for (const [name, params] of UNARY) {
  const a = measureUnary(name, 32, x32, params), b = measureUnary(name, 64, x64, params);
  for (const r of [a, b]) if (r?.mismatch) console.error(r.mismatch);
  const label = params.length ? `${name} (${params.join(", ")})` : name;
  lines.push(`| ${label} | ${fmt(a?.worst)} | ${fmt(b?.worst)} |`);
}
for (const name of ["softmax", "logSoftmax"] as const) {
  let w32 = 0, w64 = 0;
  for (const cols of [3, 7, 1000, 17000]) {
    const rows = cols > 1000 ? 1 : 8;
    w32 = Math.max(w32, measureRows(name, 32, rowInputs(32, cols, rows, cols), cols).worst);
    w64 = Math.max(w64, measureRows(name, 64, rowInputs(64, cols, rows, cols), cols).worst);
  }
  lines.push(`| ${name} (rows of 3, 7, 1000, 17000) | ${fmt(w32)} | ${fmt(w64)} |`);
}
// float32 rows of N(0, 16) and N(0, 256) logits, far more than decimal arithmetic affords: against
// a compensated float64 evaluation, within 10^-8 of a float32 ULP.
const rows = Math.max(100, Math.round(count / 4));
for (const name of ["softmax", "logSoftmax"] as const) {
  let worst = 0;
  for (const std of [4, 16]) {
    const x = randn([rows, 1000], { seed: std, std }).data as Float32Array;
    const y = new Float32Array(x.length);
    if (!wasmRows(name, x, y, 1000)) throw new Error("no kernel");
    for (let r = 0; r < x.length; r += 1000) {
      const want = float64Row(name, x.subarray(r, r + 1000));
      for (let j = 0; j < 1000; j++) worst = Math.max(worst, ulpError32(y[r + j], want[j]));
    }
  }
  lines.push(`| ${name} (${2 * rows} rows of 1000, N(0, 16) and N(0, 256)) | ${fmt(worst)} | — |`);
}
console.log(lines.join("\n"));
