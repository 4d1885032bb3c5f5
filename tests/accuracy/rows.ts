/**
 * Worst error, in ULP, of the softmax and logSoftmax row kernels in float32 and float64: against
 * exact values (32-digit decimal) on rows of 3 to 17,000 wide-ranging inputs, and in float32
 * against a compensated float64 evaluation on rows of N(0, 16) and N(0, 256) logits. The
 * element-wise kernels are measured on every input by `deno task verify`; the row kernels'
 * inputs cannot be enumerated, so they are sampled here. Prints a markdown table; `--count N`
 * sets the normal rows (N/2 of 1000 elements, default 4000).
 *
 *     deno task accuracy:rows
 *
 * @module
 */
import { randn } from "@nonlin/core";
import { wasmRows } from "@nonlin/core/internal";
import { float64Row, ulpError32 } from "../../core/_test_utils/softmax_rows.ts";
import { measureRows, rowInputs } from "../../core/_kernels/wasm/_test_utils/accuracy.ts";

const i = Deno.args.indexOf("--count");
const count = i >= 0 ? Number(Deno.args[i + 1]) : 4000;
const fmt = (v: number | undefined) => (v === undefined ? "TypeScript path" : v.toFixed(2));
const lines = ["| kernel | float32 worst ULP | float64 worst ULP |", "| --- | ---: | ---: |"];
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
