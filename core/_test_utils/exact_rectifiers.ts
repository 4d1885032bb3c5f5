/**
 * Exact references for the rectifier family (ReLU6 to Hardswish), in decimal.js at 120 digits,
 * and a sweep helper that measures a function's worst ULP distance from them. Inputs and
 * options enter as the exact values of their doubles, so the only rounding is the final one.
 * Test-only; never published.
 */

import type Decimal from "decimal.js";
import { tensor, type DType, type Tensor } from "../tensor.ts";
import { D, round, sweepInputs, ulpDistance } from "./exact.ts";

/** A reference: the exact f(x) as a Decimal, or a number for the values decimals lack. */
export type Reference = (x: Decimal) => Decimal | number;

const f64 = new Float64Array(1), u64 = new BigUint64Array(f64.buffer);

/** The exact value of a double (decimal.js would read 0.1 as one tenth, not as the double). */
export function exactOf(v: number): Decimal {
  f64[0] = v;
  const bits = u64[0];
  const e = Number((bits >> 52n) & 0x7ffn);
  let m = bits & ((1n << 52n) - 1n);
  if (e !== 0) m |= 1n << 52n;
  const value = D(m.toString()).mul(D(2).pow(e === 0 ? -1074 : e - 1075));
  return bits >> 63n ? value.neg() : value;
}

const EXP_SERIES_LIMIT = D("0.5");
const TINY = D(10).pow(-135);

/** e^x - 1 without cancellation: the Maclaurin series near 0, the exponential elsewhere. */
export function expm1(x: Decimal): Decimal {
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

const ZERO = D(0), SIX = D(6), THREE = D(3);

/** min(max(x, 0), 6). */
export const relu6: Reference = (x) => (x.lte(0) ? ZERO : x.gte(6) ? SIX : x);

/** x > 0 ? x : slope·x, with the slope exactly as the double passed. */
export function leakyRelu(slope: number): Reference {
  const s = exactOf(slope);
  return (x) => (x.gt(0) ? x : x.mul(s));
}

/** RReLU in evaluation: leaky with the exact mean of the two doubles. */
export function rreluEval(lower: number, upper: number): Reference {
  const s = exactOf(lower).add(exactOf(upper)).div(2);
  return (x) => (x.gt(0) ? x : x.mul(s));
}

/** x > 0 ? x : α(e^x - 1). */
export function elu(alpha: number): Reference {
  const a = exactOf(alpha);
  return (x) => (x.gt(0) ? x : a.mul(expm1(x)));
}

/** λ·(x > 0 ? x : α(e^x - 1)) with the 32-digit constants. */
export const selu: Reference = (x) =>
  SELU_SCALE.mul(x.gt(0) ? x : SELU_ALPHA.mul(expm1(x)));

/** x > 0 ? x : α(e^(x/α) - 1). */
export function celu(alpha: number): Reference {
  const a = exactOf(alpha);
  return (x) => (x.gt(0) ? x : a.mul(expm1(x.div(a))));
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
  x.lte(-3) ? ZERO : x.gte(3) ? D(1) : x.add(THREE).div(SIX);

/** x·clamp(x + 3, 0, 6)/6. */
export const hardswish: Reference = (x) =>
  x.lte(-3) ? ZERO : x.gte(3) ? x : x.mul(x.add(THREE)).div(SIX);

/**
 * The reference at a double, with the limits at ±∞ given by `atInfinity` (decimals have no
 * infinities) and NaN for NaN.
 */
export function evaluate(
  f: Reference,
  v: number,
  atInfinity: (sign: 1 | -1) => number,
): number | Decimal {
  if (v !== v) return NaN;
  if (v === Infinity) return atInfinity(1);
  if (v === -Infinity) return atInfinity(-1);
  return f(exactOf(v));
}

/** What {@linkcode worstUlp} reports: the largest ULP distance and where it happened. */
export interface Worst {
  ulp: number;
  x: number;
  actual: number;
  expected: number;
}

/**
 * Runs `forward` over `sweepInputs(dtype, count)` (plus `extra` inputs and ±∞, NaN) and returns
 * the largest ULP distance from the rounded reference.
 */
export function worstUlp(
  forward: (x: Tensor) => Tensor,
  f: Reference,
  dtype: DType,
  atInfinity: (sign: 1 | -1) => number,
  options: { count?: number; extra?: readonly number[]; seed?: number } = {},
): Worst {
  const inputs = [
    ...sweepInputs(dtype, options.count ?? 1500, options.seed),
    ...(options.extra ?? []).map((v) => round(v, dtype)),
    Infinity,
    -Infinity,
    NaN,
  ];
  const y = forward(tensor(inputs, { dtype })).data;
  let worst: Worst = { ulp: -1, x: NaN, actual: NaN, expected: NaN };
  for (let i = 0; i < inputs.length; i++) {
    const expected = round(evaluate(f, inputs[i], atInfinity), dtype);
    const ulp = ulpDistance(y[i], expected, dtype);
    if (ulp > worst.ulp) worst = { ulp, x: inputs[i], actual: y[i], expected };
  }
  return worst;
}
