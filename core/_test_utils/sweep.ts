/**
 * Accuracy sweeps: run an activation over many inputs and find its worst distance, in values of
 * the dtype, from the oracle's exact value rounded once. Test-only; never published.
 */

import { type DType, type Tensor, tensor } from "../tensor.ts";
import type { Decimal } from "decimal.js";
import {
  type Exact,
  exactOf,
  fromDouble,
  type Reference,
  roundTo,
  ulpDistance,
} from "../../tests/accuracy/oracle.ts";

/** The worst element of a sweep. */
export interface Worst {
  ulp: number;
  x: number;
  actual: number;
  expected: number;
}

/** Interesting inputs for an accuracy sweep: extremes, subnormals, tails and a log-uniform spread. */
export function sweepInputs(dtype: DType, count: number, seed = 1): number[] {
  const tiny = dtype === "float32" ? 1.401298464324817e-45 : 5e-324;
  const minNormal = dtype === "float32" ? 1.1754943508222875e-38 : 2.2250738585072014e-308;
  const max = dtype === "float32" ? 3.4028234663852886e38 : Number.MAX_VALUE;
  // Each with its negative.
  const magnitudes = [tiny, minNormal / 3, minNormal, 1e-30, 1e-8, 0.5, 1, 2, 5, 10, 20, 30, 40];
  magnitudes.push(88, 100, 700, 710, 745, 1000, 1e10, max);
  const specials = [0, -0, ...magnitudes.flatMap((v) => [v, -v])];
  let s = seed >>> 0;
  const next = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
  const out = specials.map((v) => roundTo(v, dtype));
  for (let i = 0; i < count; i++) {
    const r = next();
    let v: number;
    if (r < 0.6) v = (next() * 2 - 1) * 12; // where the curves bend
    else if (r < 0.8) v = (next() * 2 - 1) * 60; // tails, down to underflow
    else v = (next() < 0.5 ? -1 : 1) * Math.pow(10, next() * 40 - 30); // magnitudes 1e-30..1e10
    out.push(roundTo(v, dtype));
  }
  return out;
}

/** The worst of `y` against `expected(i)` over `inputs`. */
function worstOf(
  inputs: readonly number[],
  y: ArrayLike<number>,
  expected: (x: number) => number,
  dtype: DType,
): Worst {
  let worst: Worst = { ulp: -1, x: NaN, actual: NaN, expected: NaN };
  for (let i = 0; i < inputs.length; i++) {
    const x = inputs[i], want = expected(x);
    const ulp = ulpDistance(y[i], want, dtype);
    if (ulp > worst.ulp) worst = { ulp, x, actual: y[i], expected: want };
  }
  return worst;
}

/**
 * Applies `f` to `inputs` (default: `sweepInputs`) as one tensor of `dtype` and compares each
 * element with the smooth reference `exact(x)` rounded once. `exact` gets finite inputs at 80
 * digits (`fromDouble`); `special` answers for ±∞ and NaN.
 */
export function worstUlp(
  f: (x: Tensor) => Tensor,
  exact: (x: Decimal) => Exact,
  dtype: DType,
  options: { inputs?: number[]; special?: (x: number) => number; count?: number } = {},
): Worst {
  const inputs = options.inputs ?? sweepInputs(dtype, options.count ?? 1500);
  const y = f(tensor(inputs, { dtype })).data;
  return worstOf(
    inputs,
    y,
    (x) =>
      Number.isFinite(x)
        ? roundTo(exact(fromDouble(x)), dtype)
        : roundTo(options.special ? options.special(x) : NaN, dtype),
    dtype,
  );
}

/**
 * The worst distance of `forward` from the piecewise reference `f` over `sweepInputs(dtype,
 * count)`, the `extra` inputs, ±∞ and NaN (`limit` gives the value at ±∞). Inputs reach the
 * reference as the exact values of their doubles (`exactOf`, 1200 digits).
 */
export function sweep(
  forward: (x: Tensor) => Tensor,
  f: Reference,
  dtype: DType,
  limit: (sign: 1 | -1) => number,
  options: { count?: number; extra?: readonly number[] } = {},
): Worst {
  const inputs = [
    ...sweepInputs(dtype, options.count ?? 1500),
    ...(options.extra ?? []).map((v) => roundTo(v, dtype)),
    Infinity,
    -Infinity,
    NaN,
  ];
  const y = forward(tensor(inputs, { dtype })).data;
  return worstOf(
    inputs,
    y,
    (x) =>
      x !== x
        ? NaN
        : Number.isFinite(x)
        ? roundTo(f(exactOf(x)), dtype)
        : roundTo(limit(x > 0 ? 1 : -1), dtype),
    dtype,
  );
}

/** A readable failure message for a sweep. */
export function describeWorst(name: string, dtype: DType, w: Worst): string {
  return `${name} ${dtype}: ${w.ulp} ULP at x = ${w.x}: got ${w.actual}, exact ${w.expected}`;
}
