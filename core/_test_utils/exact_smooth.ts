/**
 * Exact references for the smooth activations (SiLU, Mish, LogSigmoid, Softplus, Softsign,
 * Tanhshrink, GLU, Softmin, Softmax2d) in decimal.js at 120 digits, written in forms without
 * cancellation. Test-only; never published.
 */

import type { Decimal } from "decimal.js";
import { D, fromDouble } from "./exact.ts";

/**
 * e^x for x ≤ 0. Below -2000 it returns 0: e^x < 1e-868 there, which every reference in this
 * file turns into a result that rounds to 0 or vanishes beside 1 (decimal.js would spend tens
 * of milliseconds on e^-1e10).
 */
function expNeg(x: Decimal): Decimal {
  return x.lt(-2000) ? D(0) : x.exp();
}

/** σ(x) with one exponential of a non-positive number. */
export function sigmoid(x: Decimal): Decimal {
  const e = expNeg(x.abs().neg());
  return x.isNeg() ? e.div(e.add(1)) : D(1).div(e.add(1));
}

/** log(1 + y) for y ≥ 0, by its series when y is too small for 1 + y to keep it. */
function log1p(y: Decimal): Decimal {
  if (y.lt("1e-40")) return y.sub(y.pow(2).div(2)).add(y.pow(3).div(3));
  return y.add(1).ln();
}

/** log(1 + e^u), stable in both tails. */
export function softplusExact(u: Decimal): Decimal {
  return u.isNeg() ? log1p(expNeg(u)) : u.add(log1p(expNeg(u.neg())));
}

/** SiLU x·σ(x). */
export function silu(x: Decimal): Decimal {
  return x.mul(sigmoid(x));
}

/** Mish x·tanh(softplus(x)), from the one oracle (rational forms of e^x and e^-x). */
export { mish } from "../../tests/accuracy/oracle.ts";

/** log σ(x) = -softplus(-x). */
export function logSigmoid(x: Decimal): Decimal {
  return softplusExact(x.neg()).neg();
}

/** PyTorch's softplus: x where βx > threshold, else log(1 + e^(βx)) / β (βx exact). */
export function softplus(x: Decimal, beta = 1, threshold = 20): Decimal {
  const u = x.mul(fromDouble(beta));
  if (u.gt(fromDouble(threshold))) return x;
  return softplusExact(u).div(fromDouble(beta));
}

/** x / (1 + |x|). */
export function softsign(x: Decimal): Decimal {
  return x.div(x.abs().add(1));
}

/** x - tanh(x), by its Maclaurin series where the difference cancels too deeply (the oracle's). */
export { tanhshrink } from "../../tests/accuracy/oracle.ts";

/** GLU a·σ(b). */
export function glu(a: Decimal, b: Decimal): Decimal {
  return a.mul(sigmoid(b));
}

/** softmax(-x) of one slice, shifted by the minimum. */
export function softmin(xs: readonly Decimal[]): Decimal[] {
  const m = xs.reduce((a, b) => (a.lt(b) ? a : b));
  const e = xs.map((v) => expNeg(m.sub(v)));
  const s = e.reduce((a, b) => a.add(b), D(0));
  return e.map((v) => v.div(s));
}

/** softmax of one slice, shifted by the maximum. */
export function softmaxSlice(xs: readonly Decimal[]): Decimal[] {
  return softmin(xs.map((v) => v.neg()));
}
