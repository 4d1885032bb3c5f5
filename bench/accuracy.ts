/**
 * Worst error, in ULP against exact values (32-digit decimal.js), of every WebAssembly kernel in
 * float32 and float64, over special values and random inputs across wide ranges. Prints a
 * markdown table; `--count N` sets the random inputs per kernel (default 4000).
 *
 *     deno run -A bench/accuracy.ts
 *
 * @module
 */
import type { KernelName } from "../core/_kernels/wasm/mod.ts";
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
console.log(lines.join("\n"));
