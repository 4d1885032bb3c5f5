// Measures the kernels against the exact references: shared by the tests and bench/accuracy.ts.
import { type KernelName, wasmRows, wasmUnary } from "../mod.ts";
import { AT_INFINITY, D, exact, log1p, REFERENCE, ulps, withDefaults } from "./reference.ts";
import { random } from "../../../_test_utils/random.ts";

export { random };

const SPECIAL = [
  0,
  -0,
  1,
  -1,
  0.5,
  -0.5,
  3,
  -3,
  20,
  -20,
  1000,
  -1000,
  1e-30,
  -1e-30,
  1e-40,
  -1e-40,
  1.4e-45,
  -1.4e-45,
  3.4028234663852886e38,
  -3.4028234663852886e38,
  2.2250738585072014e-308,
  -2.2250738585072014e-308,
  1e-310,
  -1e-310,
  5e-324,
  -5e-324,
  1.7976931348623157e308,
  -1.7976931348623157e308,
  Infinity,
  -Infinity,
  NaN,
];

/** Test inputs: special values, then random ones over several ranges (rounded for float32). */
export function inputs(bits: 32 | 64, count: number, seed = 1): Float64Array {
  const rnd = random(seed);
  const ranges: [number, number][] = [[-1, 1], [-5, 5], [-12, 12], [-40, 40], [-3.5, -2.5]];
  ranges.push(bits === 32 ? [-110, -80] : [-760, -700], bits === 32 ? [-15, -12] : [-40, -36]);
  ranges.push([15, 25], [-200, 200]);
  const out: number[] = [...SPECIAL];
  for (let i = 0; i < count; i++) {
    // Blocks of 32 from one range: the float64 kernels take a fast path for steps of 8 elements
    // whose lanes are all in a safe range, so in-range blocks test it and wide ones the other.
    const block = Math.floor(i / 32);
    const c = block % (ranges.length + 1);
    let v: number;
    if (c === ranges.length) {
      // Log-uniform magnitudes; every other block up to the dtype's max (overflow on the way).
      const top = Math.floor(block / (ranges.length + 1)) % 2 ? (bits === 32 ? 38.5 : 308.2) : 3;
      v = (rnd() < 0.5 ? -1 : 1) * 10 ** (-14 + (top + 14) * rnd());
    } else {
      const [a, b] = ranges[c];
      v = a + (b - a) * rnd();
    }
    out.push(v);
  }
  const x = Float64Array.from(out);
  return bits === 32 ? Float64Array.from(Float32Array.from(x)) : x;
}

/** Worst ULP error of a kernel over inputs, and the first special-value mismatch if any. */
export interface Accuracy {
  worst: number;
  at: number;
  mismatch?: string;
}

/**
 * Runs the kernel and compares every output with the exact value. Parameters left out take the
 * activation's defaults.
 */
export function measureUnary(
  name: KernelName,
  bits: 32 | 64,
  x: Float64Array,
  given: readonly number[] = [],
): Accuracy | undefined {
  const params = withDefaults(name, given);
  const xs = bits === 32 ? Float32Array.from(x) : Float64Array.from(x);
  const ys = bits === 32 ? new Float32Array(x.length) : new Float64Array(x.length);
  if (!wasmUnary(name, xs, ys, params)) return undefined;
  const result: Accuracy = { worst: 0, at: NaN };
  const ref = REFERENCE[name];
  for (let i = 0; i < xs.length; i++) {
    const v = xs[i], y = ys[i];
    if (!Number.isFinite(v)) {
      let want = Number.isNaN(v) ? NaN : AT_INFINITY[name][v < 0 ? 0 : 1];
      if (name === "elu" && v < 0) want = -params[0];
      if (!Object.is(y, want)) result.mismatch ??= `${name}(${v}) = ${y}, expected ${want}`;
      continue;
    }
    const e = ulps(y, ref(exact(v), params), bits);
    if (!(e <= result.worst)) {
      result.worst = e;
      result.at = v;
    }
  }
  return result;
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
    const em = exact(m);
    const d = Array.from({ length: cols }, (_, c) => {
      const v = xs[r + c];
      return v === -Infinity ? null : exact(v).minus(em);
    });
    const e = d.map((v) => (v === null ? new D(0) : v.exp()));
    const sum = e.reduce((a, b) => a.plus(b), new D(0));
    // log(sum) as log1p of the entries below the max: 1 + tiny would round the tiny away.
    let rest = new D(0), ties = -1;
    for (let c = 0; c < cols; c++) {
      if (xs[r + c] === m) ties++;
      else rest = rest.plus(e[c]);
    }
    const logSum = log1p(rest.plus(ties));
    for (let c = 0; c < cols; c++) {
      const y = ys[r + c];
      const dc = d[c];
      if (dc === null) {
        const want = name === "softmax" ? 0 : -Infinity;
        if (y !== want) result.mismatch ??= `${name} of -inf gave ${y}`;
        continue;
      }
      const want = name === "softmax" ? e[c].div(sum) : dc.minus(logSum);
      const err = ulps(y, want, bits);
      if (!(err <= result.worst)) {
        result.worst = err;
        result.at = xs[r + c];
      }
    }
  }
  return result;
}
