// Measures the row kernels against the oracle's exact rows: shared by mod_test.ts and
// tests/accuracy/rows.ts.
import { wasmRows } from "../mod.ts";
import { logSoftmaxRow, softmaxRow, ulpError } from "../../../../tests/accuracy/oracle.ts";
import { random } from "../../../_test_utils/random.ts";

export { random };

/** Worst ULP error of a kernel over inputs, and the first special-value mismatch if any. */
export interface Accuracy {
  worst: number;
  at: number;
  mismatch?: string;
}

/** Row inputs: random rows of the given widths plus rows with extremes. */
export function rowInputs(bits: 32 | 64, cols: number, rows: number, seed = 2): Float64Array {
  const rnd = random(seed);
  const x = new Float64Array(cols * rows);
  for (let r = 0; r < rows; r++) {
    const scale = [1, 10, 100, bits === 32 ? 60 : 700][r % 4];
    for (let c = 0; c < cols; c++) x[r * cols + c] = scale * (2 * rnd() - 1);
  }
  if (rows > 1) x[cols] = -Infinity; // one -inf entry in row 1
  return bits === 32 ? Float64Array.from(Float32Array.from(x)) : x;
}

/** Worst ULP error of softmax or logSoftmax over the rows of x. */
export function measureRows(
  name: "softmax" | "logSoftmax",
  bits: 32 | 64,
  x: Float64Array,
  cols: number,
): Accuracy {
  const xs = bits === 32 ? Float32Array.from(x) : Float64Array.from(x);
  const ys = bits === 32 ? new Float32Array(x.length) : new Float64Array(x.length);
  if (!wasmRows(name, xs, ys, cols)) throw new Error("no kernel");
  const result: Accuracy = { worst: 0, at: NaN };
  for (let r = 0; r < xs.length; r += cols) {
    let m = -Infinity;
    for (let c = 0; c < cols; c++) m = Math.max(m, xs[r + c]);
    if (m === -Infinity || m === Infinity || Number.isNaN(m)) {
      for (let c = 0; c < cols; c++) {
        if (!Number.isNaN(ys[r + c])) result.mismatch ??= `${name} of a row with max ${m} not NaN`;
      }
      continue;
    }
    const row = xs.subarray(r, r + cols);
    const want = name === "softmax" ? softmaxRow(row) : logSoftmaxRow(row);
    for (let c = 0; c < cols; c++) {
      const y = ys[r + c];
      if (row[c] === -Infinity) {
        const limit = name === "softmax" ? 0 : -Infinity;
        if (y !== limit) result.mismatch ??= `${name} of -inf gave ${y}`;
        continue;
      }
      const err = ulpError(y, want[c], bits === 32 ? "float32" : "float64");
      if (!(err <= result.worst)) {
        result.worst = err;
        result.at = xs[r + c];
      }
    }
  }
  return result;
}
