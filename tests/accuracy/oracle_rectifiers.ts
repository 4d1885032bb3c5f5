/**
 * The oracle's rectifier family, ReLU6 to Hardswish, and the ELU family: each a reference of the
 * exact value of its input double, with its options exactly as the doubles passed. The
 * piecewise-polynomial ones are sums and products of a few doubles, exact at 1200 digits, so
 * that even a result next to a rounding tie among subnormals rounds the right way; the
 * exponential ones are good to 80 digits. Import it through `oracle.ts`. Test-only; never
 * published.
 *
 * @module
 */

import type { Decimal } from "decimal.js";
import { D, exactOf, expm1, P, type Reference } from "./oracle_decimal.ts";

/** PyTorch's 32-digit SELU constants. */
export const SELU_ALPHA: Decimal = D("1.6732632423543772848170429916717");
/** @see SELU_ALPHA */
export const SELU_SCALE: Decimal = D("1.0507009873554804934193349852946");

const ZERO = P(0), ONE = P(1), THREE = P(3), SIX = P(6);

/** min(max(x, 0), 6). */
export const relu6: Reference = (x) => (x.lte(0) ? ZERO : x.gte(6) ? SIX : x);

/** x > 0 ? x : slope·x. */
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
  // expm1 at 80 digits (D), times the exact α at 1200: the product of the two is exact.
  return (x) => (x.gt(0) ? x : a.mul(expm1(D(x))));
}

/** λ·(x > 0 ? x : α(e^x - 1)) with the 32-digit constants. */
export const selu: Reference = (x) => SELU_SCALE.mul(x.gt(0) ? x : SELU_ALPHA.mul(expm1(D(x))));

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
