/**
 * Scalar float64 kernels shared by the smooth activations (SiLU, Mish, Softplus, LogSigmoid,
 * GLU): a·σ(v), a·e^v down to subnormal results, and log(1 + e^u). Each carries its one critical
 * step in double-double so that the result is within about an ULP in float64. Private to the
 * package.
 */

import { prodError, sumError } from "./_dd.ts";

const TWO_500 = 2 ** 500, TWO_M500 = 2 ** -500;
const TWO_128 = 2 ** 128, TWO_M128 = 2 ** -128;
const TWO_900 = 2 ** 900;
// e^-600 split into a double and its rounding error (both normal numbers).
const E600_HI = 2.6503965530043108e-261, E600_LO = 6.377342817491395e-278;
const E600_HI_SCALED = E600_HI * TWO_128;

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
 * (nh + nl) / (dh + dl) for double-double operands, rounded about once: the quotient of the
 * high parts plus one correction step from its exact remainder. Zero and non-finite quotients
 * are returned as they are (so signed zeros survive). Needs |quotient| < 2^990.
 */
export function divDD(nh: number, nl: number, dh: number, dl: number): number {
  const q = nh / dh;
  if (q === 0 || !Number.isFinite(q)) return q;
  const p = q * dh;
  // nh - p is exact (Sterbenz): p is within a couple of ULPs of nh.
  const r = (nh - p) - prodError(q, dh, p) + nl - q * dl;
  return q + r / dh;
}

/**
 * a·e^(vh + vl) for finite `a` and vh ≤ 0, with `vl` a small correction to the exponent
 * (|vl| ≲ 2^-50·|vh|). Reaches subnormal results with a single rounding: where e^vh itself would
 * be subnormal or 0, a factor e^-600 is moved into `a` or applied last, in double-double.
 */
export function mulExp(a: number, vh: number, vl = 0): number {
  let ah = a, al = a * vl;
  if (vh >= -700) {
    const e = Math.exp(vh), p = ah * e;
    return p + (mulError(ah, e, p) + al * e);
  }
  if (Math.abs(a) >= 1) {
    // a·e^-600 lies in [2^-866, 2^158]: normal, and small enough for Dekker's split. The scaled
    // operands give the same rounded product without overflowing the split.
    const h = a * E600_HI;
    al = prodError(a * TWO_M128, E600_HI_SCALED, h) + a * E600_LO + al * E600_HI;
    ah = h;
    vh += 600; // exact: 600 is a multiple of vh's ULP wherever the result is not 0
    if (vh >= -700) {
      const e = Math.exp(vh), p = ah * e;
      return p + (prodError(ah, e, p) + al * e);
    }
  }
  // |ah| < 2^158 here; the result is below e^-700·2^158, so one last factor e^-600 is applied
  // to a normal intermediate p and only the final sum rounds (into subnormals if it must).
  const ex = Math.exp(vh + 600), p = ah * ex;
  const pe = prodError(ah, ex, p) + al * ex;
  return p * E600_HI + (pe * E600_HI + p * E600_LO);
}

/**
 * a·σ(v) = a / (1 + e^-v) for any float64 `a` and `v`, rounded about once: the denominator's
 * rounding error is kept and the quotient corrected, and below v = -40 (where σ(v) = e^v to
 * 2^-57) it becomes a·e^v, which reaches subnormals. NaN in gives NaN; ∞·σ(-∞) is NaN.
 */
export function mulSigmoid(a: number, v: number): number {
  if (a !== a || v !== v) return NaN;
  if (v === Infinity || a === 0) return a;
  if (v === -Infinity) return a * 0;
  if (!Number.isFinite(a)) return a; // σ(v) > 0 for finite v
  if (Math.abs(a) > TWO_900) return mulSigmoid(a * TWO_M128, v) * TWO_128;
  if (v >= 0) {
    const t = Math.exp(-v), s = 1 + t;
    return divDD(a, 0, s, sumError(1, t, s));
  }
  if (v < -40) return mulExp(a, v);
  const e = Math.exp(v), s = 1 + e, p = a * e;
  return divDD(p, prodError(a, e, p), s, sumError(1, e, s));
}

/**
 * log(1 + e^u) for a double-double argument u = uh + ul (|ul| ≲ 2^-50·|uh|), accurate in both
 * tails: e^u itself below u = -700 (down to subnormals), u + log1p(e^-u) above u = 1, where
 * log1p(e^u) would be close to u and lose its low bits.
 */
export function log1pExp(uh: number, ul = 0): number {
  if (uh <= 1) {
    if (uh < -700) return mulExp(1, uh, ul);
    const e = Math.exp(uh);
    return Math.log1p(e + e * ul);
  }
  if (uh === Infinity) return uh;
  const t = Math.exp(-uh);
  // d/du log(1 + e^u) = σ(u) = 1 / (1 + t): the first-order effect of the low part.
  return uh + (Math.log1p(t) + ul / (1 + t));
}
