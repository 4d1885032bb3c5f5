/**
 * Exact references for the rectifier family (ReLU6 to Hardswish), and a sweep helper that
 * measures a function's worst ULP distance from them. Inputs and options enter as the exact
 * values of their doubles. The piecewise-polynomial references compute at 1200 digits, which
 * is exact for every double (a subnormal has up to 767 significant digits), so that even a
 * result landing next to a rounding tie in the subnormal range rounds the right way; the
 * exponential ones compute at 120 digits. Test-only; never published.
 */

import type { Decimal } from "decimal.js";
import { type DType, type Tensor, tensor } from "../tensor.ts";
import { D, round, sweepInputs, ulpDistance } from "./exact.ts";
import { describeWorst, type Worst } from "./sweep.ts";

/** A reference: the exact f(x) as a Decimal, or a number for the values decimals lack. */
export type Reference = (x: Decimal) => Decimal | number;

/** decimal.js at 1200 digits: exact for sums and products of a few doubles. */
const P: typeof D = D.clone({ precision: 1200 });

const f64 = new Float64Array(1), u64 = new BigUint64Array(f64.buffer);

/** The exact value of a double (decimal.js would read 0.1 as one tenth, not as the double). */
export function exactOf(v: number): Decimal {
  f64[0] = v;
  const bits = u64[0];
  const e = Number((bits >> 52n) & 0x7ffn);
  let m = bits & ((1n << 52n) - 1n);
  if (e !== 0) m |= 1n << 52n;
  const value = P(m.toString()).mul(P(2).pow(e === 0 ? -1074 : e - 1075));
  return bits >> 63n ? value.neg() : value;
}

const EXP_SERIES_LIMIT = D("0.5");
const TINY = D(10).pow(-135);

/** e^x - 1 without cancellation, at 120 digits: the Maclaurin series near 0, else e^x - 1. */
export function expm1(value: Decimal): Decimal {
  const x = D(value);
  if (x.abs().gte(EXP_SERIES_LIMIT)) return x.exp().sub(1);
  let term = x, sum = x;
  for (let n = 2; n < 400; n++) {
    term = term.mul(x).div(n);
    sum = sum.add(term);
    if (term.abs().lte(sum.abs().mul(TINY))) break;
  }
  return sum;
}

/** The 32-digit constants of PyTorch's SELU. */
export const SELU_ALPHA: Decimal = D("1.6732632423543772848170429916717");
/** @see SELU_ALPHA */
export const SELU_SCALE: Decimal = D("1.0507009873554804934193349852946");

const ZERO = P(0), ONE = P(1), SIX = P(6), THREE = P(3);

/** min(max(x, 0), 6). */
export const relu6: Reference = (x) => (x.lte(0) ? ZERO : x.gte(6) ? SIX : x);

/** x > 0 ? x : slope·x, with the slope exactly as the double passed. */
export function leakyRelu(slope: number): Reference {
  const s = exactOf(slope);
  return (x) => (x.gt(0) ? x : x.mul(s));
}

/** RReLU in evaluation: leaky with the exact mean of the two doubles. */
export function rreluEval(lower: number, upper: number): Reference {
  const s = exactOf(lower).add(exactOf(upper)).div(2); // exact at 1200 digits
  return (x) => (x.gt(0) ? x : x.mul(s));
}

/** x > 0 ? x : α(e^x - 1). */
export function elu(alpha: number): Reference {
  const a = exactOf(alpha);
  return (x) => (x.gt(0) ? x : a.mul(expm1(x)));
}

/** λ·(x > 0 ? x : α(e^x - 1)) with the 32-digit constants. */
export const selu: Reference = (x) => SELU_SCALE.mul(x.gt(0) ? x : SELU_ALPHA.mul(expm1(x)));

/** x > 0 ? x : α(e^(x/α) - 1). */
export function celu(alpha: number): Reference {
  const a = exactOf(alpha);
  return (x) => (x.gt(0) ? x : a.mul(expm1(D(x).div(a))));
}

/** clamp(x, min, max). */
export function hardtanh(minVal: number, maxVal: number): Reference {
  const lo = exactOf(minVal), hi = exactOf(maxVal);
  return (x) => (x.lt(lo) ? lo : x.gt(hi) ? hi : x);
}

/** |x| > λ ? x : 0. */
export function hardshrink(lambda: number): Reference {
  const l = exactOf(lambda);
  return (x) => (x.abs().gt(l) ? x : ZERO);
}

/** x ∓ λ outside [-λ, λ], 0 inside. */
export function softshrink(lambda: number): Reference {
  const l = exactOf(lambda);
  return (x) => (x.gt(l) ? x.sub(l) : x.lt(l.neg()) ? x.add(l) : ZERO);
}

/** x > t ? x : value. */
export function threshold(t: number, value: number): Reference {
  const th = exactOf(t), v = exactOf(value);
  return (x) => (x.gt(th) ? x : v);
}

/** clamp((x + 3)/6, 0, 1). */
export const hardsigmoid: Reference = (x) =>
  x.lte(-3) ? ZERO : x.gte(3) ? ONE : x.add(THREE).div(SIX);

/** x·clamp(x + 3, 0, 6)/6. */
export const hardswish: Reference = (x) =>
  x.lte(-3) ? ZERO : x.gte(3) ? x : x.mul(x.add(THREE)).div(SIX);

const f32 = new Float32Array(1), i32 = new Int32Array(f32.buffer);

/** The float32 next to the float32 `f`, upwards or downwards. */
function nextFloat32(f: number, up: boolean): number {
  if (f === 0) return up ? 1.401298464324817e-45 : -1.401298464324817e-45;
  f32[0] = f;
  i32[0] += (f > 0) === up ? 1 : -1;
  return f32[0];
}

/**
 * Rounds an exact value to the dtype once. The shared `round` goes through float64, which can
 * land exactly halfway between two float32 numbers when the exact value is only near the
 * halfway point (x/2 + x²/6 at a float32 subnormal x, say); here such a halfway point is
 * settled by comparing the decimals.
 */
export function roundOnce(v: Decimal | number, dtype: DType): number {
  if (dtype === "float64" || typeof v === "number") return round(v, dtype);
  const d = round(v, "float64"), f = Math.fround(d);
  if (f === d || !Number.isFinite(f)) return f;
  const other = nextFloat32(f, d > f);
  if (!Number.isFinite(other) || d !== (f + other) / 2) return f;
  const c = v.cmp(exactOf(d));
  if (c === 0) return f; // a true tie, which fround has already rounded to even
  return (c > 0) === (other > f) ? other : f;
}

/**
 * The worst ULP distance of `forward` from the reference `f` over `sweepInputs(dtype, count)`,
 * the `extra` inputs, ±∞ and NaN (`limit` gives the value at ±∞). Inputs reach the reference
 * as the exact values of their doubles, and the reference is rounded by {@linkcode roundOnce}.
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
    ...(options.extra ?? []).map((v) => round(v, dtype)),
    Infinity,
    -Infinity,
    NaN,
  ];
  const y = forward(tensor(inputs, { dtype })).data;
  let worst: Worst = { ulp: -1, x: NaN, actual: NaN, expected: NaN };
  for (let i = 0; i < inputs.length; i++) {
    const x = inputs[i];
    const expected = x !== x
      ? NaN
      : Number.isFinite(x)
      ? roundOnce(f(exactOf(x)), dtype)
      : round(limit(x > 0 ? 1 : -1), dtype);
    const ulp = ulpDistance(y[i], expected, dtype);
    if (ulp > worst.ulp) worst = { ulp, x, actual: y[i], expected };
  }
  return worst;
}

export { describeWorst };
