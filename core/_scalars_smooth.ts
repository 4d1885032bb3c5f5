/**
 * Scalar float64 kernels shared by the smooth activations (SiLU, Mish, Softplus, LogSigmoid,
 * GLU): a·σ(v) and a·e^v for any float64 `a` (down to subnormal results), and log(1 + e^u) in
 * double-double. Built on the double-double exponential of `_exp.ts`. Private to the package.
 */

import { prodError, sumError } from "./_dd.ts";

export { divDD } from "./_dd.ts";
import { expSplit, ldexp, mulSigmoid as mulSigmoidFinite, type Split } from "./_exp.ts";

const TWO_500 = 2 ** 500, TWO_M500 = 2 ** -500;
const TWO_128 = 2 ** 128, TWO_M128 = 2 ** -128;
const TWO_900 = 2 ** 900, TWO_M30 = 2 ** -30;

const scratch: Split = { hi: 0, lo: 0, k: 0 };

/**
 * The exact error of the rounded product `p = a * b`, like `prodError` but safe for operands up
 * to the float64 maximum (Dekker's split overflows above about 2^996): a large operand is scaled
 * down by a power of two and the other one up, which leaves the product unchanged.
 */
export function mulError(a: number, b: number, p: number): number {
  if (!Number.isFinite(p)) return 0;
  if (Math.abs(a) > TWO_500) return prodError(a * TWO_M500, b * TWO_500, p);
  if (Math.abs(b) > TWO_500) return prodError(a * TWO_500, b * TWO_M500, p);
  return prodError(a, b, p);
}

/**
 * a·e^(vh + vl) for finite `a` and finite or -∞ `vh`, rounded once in effect: e^v comes as
 * (hi + lo)·2^k from `expSplit`, the product with `a` is carried in double-double and the
 * power of two applied last, so results round once into subnormals. Large `a` are pre-scaled.
 */
export function mulExp(a: number, vh: number, vl = 0): number {
  if (!(vh >= -1500)) return a * 0; // |a|·e^-1500 < 2^-1140 rounds to 0; -∞ too
  let k = 0;
  if (Math.abs(a) > TWO_900) {
    a *= TWO_M128;
    k = 128;
  }
  const s = expSplit(vh, vl, scratch);
  const p = a * s.hi;
  return ldexp(p + (prodError(a, s.hi, p) + a * s.lo), s.k + k);
}

/**
 * a·σ(v) = a / (1 + e^-v) for any float64 `a` and `v`, rounded once in effect (see
 * `_exp.ts`): below v = -40 it is a·e^v, which keeps its subnormals. NaN in gives NaN,
 * ∞·σ(-∞) is NaN, and otherwise infinities give the limits.
 */
export function mulSigmoid(a: number, v: number): number {
  if (a !== a || v !== v) return NaN;
  if (v === Infinity || a === 0) return a;
  if (v === -Infinity) return a * 0;
  if (!Number.isFinite(a)) return a; // σ(v) > 0 for finite v
  if (Math.abs(a) > TWO_900) {
    // Keep Dekker's split from overflowing; in the tail, mulExp scales without a 2nd rounding.
    return v < -40 ? mulExp(a, v) : mulSigmoidFinite(a * TWO_M128, v, 0) * TWO_128;
  }
  return mulSigmoidFinite(a, v, 0);
}

/** A double-double value hi + lo. */
export interface DD {
  hi: number;
  lo: number;
}

const result: DD = { hi: 0, lo: 0 };

/**
 * log(1 + e^u) for u = uh + ul (|ul| ≲ 2^-50·|uh|) and uh ≥ -700 as a double-double, to about
 * 2^-70 relative; the object returned is reused by the next call.
 *
 * - uh > 1: u + log1p(e^-u), where log1p's term is at most a quarter of the sum.
 * - e^u < 2^-30: e^u - e^2u/2, the series of log1p (the next term is 2^-60 smaller).
 * - otherwise: L = log1p(e^u) in double, then one Newton step on e^L = 1 + e^u with both sides
 *   in double-double, which removes the roundings of exp and log1p.
 */
export function log1pExpDD(uh: number, ul = 0): DD {
  if (uh !== uh || uh === Infinity) {
    result.hi = uh;
    result.lo = 0;
    return result;
  }
  if (uh > 1) {
    const t = Math.exp(-uh), c = Math.log1p(t);
    result.hi = uh + c;
    // d/du log1p(e^-u) = -t/(1 + t): the low part of u enters as ul·(1 - t/(1 + t)).
    result.lo = sumError(uh, c, result.hi) + ul / (1 + t);
    return result;
  }
  const s = expSplit(uh, ul, scratch);
  const yh = ldexp(s.hi, s.k), yl = ldexp(s.lo, s.k);
  if (yh < TWO_M30) {
    result.hi = yh;
    result.lo = yl - 0.5 * yh * yh;
    return result;
  }
  const L = Math.log1p(yh);
  const e = expSplit(L, 0, scratch);
  const eh = ldexp(e.hi, e.k), el = ldexp(e.lo, e.k); // exact: 0 ≤ k ≤ 2
  const w = 1 + yh, we = sumError(1, yh, w);
  result.hi = L;
  // (1 + y) - e^L, with w - eh exact (Sterbenz), divided by d(e^L)/dL = e^L.
  result.lo = ((w - eh) + (we + yl - el)) / eh;
  return result;
}
