/** Accuracy sweeps: run an activation over many inputs and find its worst ULP error. */

import { type DType, tensor } from "../tensor.ts";
import type { Tensor } from "../tensor.ts";
import { type Exact, fromDouble, round, sweepInputs, ulpDistance } from "./exact.ts";
import type { Decimal } from "decimal.js";

/** The worst element of a sweep. */
export interface Worst {
  ulp: number;
  x: number;
  actual: number;
  expected: number;
}

/**
 * Applies `f` to `inputs` (default: `sweepInputs`) as one tensor of `dtype` and compares each
 * element with `exact(x)` rounded once. `exact` gets finite inputs as Decimals; `special`
 * answers for ±∞ and NaN.
 */
export function worstUlp(
  f: (x: Tensor) => Tensor,
  exact: (x: Decimal) => Exact,
  dtype: DType,
  options: { inputs?: number[]; special?: (x: number) => number; count?: number } = {},
): Worst {
  const inputs = options.inputs ?? sweepInputs(dtype, options.count ?? 1500);
  const y = f(tensor(inputs, { dtype })).data;
  let worst: Worst = { ulp: -1, x: NaN, actual: NaN, expected: NaN };
  for (let i = 0; i < inputs.length; i++) {
    const x = inputs[i];
    const expected = Number.isFinite(x)
      ? round(exact(fromDouble(x)), dtype)
      : round(options.special ? options.special(x) : NaN, dtype);
    const ulp = ulpDistance(y[i], expected, dtype);
    if (ulp > worst.ulp) worst = { ulp, x, actual: y[i], expected };
  }
  return worst;
}

/** A readable failure message for a sweep. */
export function describeWorst(name: string, dtype: DType, w: Worst): string {
  return `${name} ${dtype}: ${w.ulp} ULP at x = ${w.x}: got ${w.actual}, exact ${w.expected}`;
}
