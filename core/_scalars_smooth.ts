/**
 * Scalar float64 kernels shared by the smooth activations (SiLU, Mish, Softplus, LogSigmoid,
 * GLU): a·σ(v) and a·e^v for any float64 `a` (down to subnormal results), and log(1 + e^u) in
 * double-double. Built on the double-double exponential of `_exp.ts`. Private to the package.
 */

import { type DD, ddAdd, ddDiv, ddMul, divDD, prodError, sumError } from "./_dd.ts";

export { divDD };
export type { DD } from "./_dd.ts";
import { expSplit, expSplitDD, ldexp, mulSigmoid as mulSigmoidFinite, type Split } from "./_exp.ts";

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
 * (ah + al)·e^(vh + vl) for finite `a` and finite or -∞ `vh`, rounded once in effect: e^v comes
 * as (hi + lo)·2^k from `expSplit`, the product with `a` is carried in double-double and the
 * power of two applied last, so results round once into subnormals. Large `a` are pre-scaled.
 */
export function mulExp(ah: number, vh: number, vl = 0, al = 0): number {
  if (!(vh >= -1500)) return ah * 0; // |a|·e^-1500 < 2^-1140 rounds to 0; -∞ too
  let k = 0;
  if (Math.abs(ah) > TWO_900) {
    ah *= TWO_M128;
    al *= TWO_M128;
    k = 128;
  }
  const s = expSplit(vh, vl, scratch);
  const p = ah * s.hi;
  return ldexp(p + (prodError(ah, s.hi, p) + ah * s.lo + al * s.hi), s.k + k);
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

const ONE: DD = { hi: 1, lo: 0 };

/**
 * The two sides of the sigmoid at v = vh + vl (|vh| ≤ 60) as double-doubles to about 2^-100
 * (the exponential from `expSplitDD`): e = e^-|v|,
 * p = σ(|v|) = 1/(1 + e) and q = σ(-|v|) = e/(1 + e). Neither side is formed as 1 minus the
 * other, so both keep their digits: the derivatives below are built from them.
 */
export function sigmoidSides(vh: number, vl: number): { e: DD; p: DD; q: DD } {
  const s = vh < 0 ? expSplitDD(vh, vl, scratch) : expSplitDD(-vh, -vl, scratch);
  const e = { hi: ldexp(s.hi, s.k), lo: ldexp(s.lo, s.k) }; // normal: e ≥ e^-60
  const d = ddAdd(ONE, e);
  return { e, p: ddDiv(ONE, d), q: ddDiv(e, d) };
}

/**
 * scale·σ'(v) = scale·σ(v)·σ(-v) = scale·e/(1 + e)² with e = e^-|v|, for v = vh + vl: no
 * cancellation anywhere (the textbook y(1 - y) loses every digit once y rounds to 1), so e to
 * 2^-64 (`expSplit`) and one corrected division suffice. Beyond |v| = 50 it is scale·e^-|v| to
 * within 2^-70, rounded once into subnormals.
 */
export function sigmoidGrad(vh: number, vl = 0, scale = 1): number {
  if (vh !== vh) return vh;
  const neg = vh < 0;
  const ah = neg ? -vh : vh, al = neg ? -vl : vl;
  if (ah > 50) return mulExp(scale, -ah, -al);
  const s = expSplit(-ah, -al, scratch);
  const eh = ldexp(s.hi, s.k), el = ldexp(s.lo, s.k);
  const dh = 1 + eh, dl = sumError(1, eh, dh) + el;
  const qh = dh * dh, ql = prodError(dh, dh, qh) + 2 * dh * dl;
  return divDD(scale * eh, scale * el, qh, ql);
}

/** σ(vh + vl) as a double-double to about 2^-100, for |vh| ≤ 700 (see `ziv32`). */
export function sigmoidDD(vh: number, vl = 0): DD {
  if (!(Math.abs(vh) <= 700)) return { hi: sigmoidAt(vh), lo: 0 };
  const { p, q } = sigmoidSides(vh, vl);
  return vh < 0 ? q : p;
}

/** σ at |v| > 700 or NaN: 0 or 1 to far below any ULP, or NaN. */
function sigmoidAt(v: number): number {
  return v !== v ? v : v > 0 ? 1 : 0;
}

/** Below this |bracket|, `gateGrad` recomputes with `expSplitDD`: its digits are cancelling. */
const GATE_CANCELS = 2 ** -8;

/**
 * σ(v)·(1 + c·σ(-v)) for v = vh + vl and c = ch + cl: the derivative of every gated activation
 * a·σ(v(x)) (silu: v = c = x; geluSigmoid: v = c = 1.702x; geluTanh: v = 2u(x), c = x·v'(x)).
 * It crosses zero where c·σ(-v) = -1, so the bracket is formed in double-double, from e^-|v| to
 * 2^-64 first and, where the bracket has cancelled below 2^-8, again to 2^-102: relative
 * accuracy right up to the root. Beyond |v| = 50 the tails are e^v·(1 + c) (rounded once into
 * subnormals) and 1 + c·e^-v. Callers handle infinite and NaN v.
 */
export function gateGrad(vh: number, vl: number, ch: number, cl: number): number {
  if (vh < -50) {
    const b = ddAdd(ONE, { hi: ch, lo: cl });
    return mulExp(b.hi, vh, vl, b.lo);
  }
  if (vh > 50) return 1 + mulExp(ch, -vh, -vl, cl);
  const neg = vh < 0;
  const s = neg ? expSplit(vh, vl, scratch) : expSplit(-vh, -vl, scratch);
  const eh = ldexp(s.hi, s.k), el = ldexp(s.lo, s.k);
  // p = 1/(1 + e) and q = e/(1 + e) in double-double.
  const dh = 1 + eh, dl = sumError(1, eh, dh) + el;
  const ph = 1 / dh, p0 = ph * dh;
  const pl = (((1 - p0) - prodError(ph, dh, p0)) - ph * dl) / dh;
  const qh = eh * ph, ql = prodError(eh, ph, qh) + eh * pl + el * ph;
  // σ(v) and σ(-v): p on the side of |v|, q on the other.
  const sh = neg ? qh : ph, sl = neg ? ql : pl, th = neg ? ph : qh, tl = neg ? pl : ql;
  const mh = ch * th, ml = prodError(ch, th, mh) + ch * tl + cl * th;
  const bh = 1 + mh, bl = sumError(1, mh, bh) + ml;
  if (Math.abs(bh) < GATE_CANCELS) return gatePrecise(vh, vl, ch, cl);
  const rh = sh * bh;
  return rh + (prodError(sh, bh, rh) + sh * bl + sl * bh);
}

/** `gateGrad` beside its zero: every step to about 2^-100. */
function gatePrecise(vh: number, vl: number, ch: number, cl: number): number {
  const r = gateGradDD(vh, vl, ch, cl);
  return r.hi + r.lo;
}

/**
 * `gateGrad` as a double-double to about 2^-100 for |vh| ≤ 50 (beyond, its tails rounded): for
 * `ziv32`, and beside the derivative's zero.
 */
export function gateGradDD(vh: number, vl: number, ch: number, cl: number): DD {
  if (!(Math.abs(vh) <= 50)) return { hi: gateGrad(vh, vl, ch, cl), lo: 0 };
  const { p, q } = sigmoidSides(vh, vl);
  const sv = vh < 0 ? q : p, snv = vh < 0 ? p : q;
  return ddMul(sv, ddAdd(ONE, ddMul({ hi: ch, lo: cl }, snv)));
}
