/**
 * Scalar float64 kernels shared by several activations. Each returns a result within about
 * one ULP in float64, so that rounding it once more to float32 stays within 1 ULP there.
 * Private to the package.
 */

import { divDD, sumError } from "./_dd.ts";
import { expm1Small, expSplit, ldexp, mulSigmoid, type Split } from "./_exp.ts";

/**
 * σ(v) in float64. Only non-positive numbers are ever exponentiated, so nothing overflows, and
 * for v < 0 the quotient e/(1 + e) keeps the tail down to subnormals, where 1 - σ(-v) would
 * cancel to 0. The exponential is carried in double-double (see `_exp.ts`).
 */
export function sigmoidScalar(v: number): number {
  return mulSigmoid(1, v, 0);
}

const split: Split = { hi: 0, lo: 0, k: 0 };

/**
 * tanh(v) in float64: -expm1(-2|v|)/(expm1(-2|v|) + 2) near 0, where 1 - e^(-2|v|) would
 * cancel, and (1 - e)/(1 + e) with e = e^(-2|v|) beyond; both in double-double.
 */
export function tanhScalar(v: number): number {
  const a = Math.abs(v);
  if (!(a > 1e-9)) return v; // tanh v = v(1 - v²/3 …) rounds to v; NaN and ±0 too
  let t: number;
  if (a >= 20) {
    t = 1; // 1 - 2e^-40 rounds to 1
  } else if (a <= 0.55) {
    const m = expm1Small(-2 * a, 0);
    const dh = 2 + m.hi, dl = sumError(2, m.hi, dh) + m.lo;
    t = divDD(-m.hi, -m.lo, dh, dl);
  } else {
    const s = expSplit(-2 * a, 0, split);
    const eh = ldexp(s.hi, s.k), el = ldexp(s.lo, s.k);
    const nh = 1 - eh, nl = sumError(1, -eh, nh) - el;
    const dh = 1 + eh, dl = sumError(1, eh, dh) + el;
    t = divDD(nh, nl, dh, dl);
  }
  return v < 0 ? -t : t;
}
