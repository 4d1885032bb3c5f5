// x·sigmoid(a) = x/(1 + exp(-a)): the shape of silu (a = x) and of gelu's sigmoid (a = 1.702x)
// and tanh forms (a = 2u).

import {
  EXP32_ARG_MAX,
  EXP32_ARG_MIN,
  EXP_FLOOR,
  ex64,
  expFdd,
  expN,
  expR,
  expRdd,
  expT,
  ldexp,
  LN2,
  pow2t,
  ROUNDER,
} from "./_exp";
import { qOf } from "./_exp32";
import {
  add,
  atLeast,
  atMost,
  div,
  fHi,
  fLo,
  k64,
  mul,
  negAbs,
  ONE,
  pack,
  select,
  SIGN,
  sub,
  ZERO,
} from "./_lanes";

// ---- float32 grade, on float64 lanes ----------------------------------------------------------

/**
 * a clamped to [-200, 200], keeping NaN. In float64 lanes x·sigmoid(a) needs no case split
 * after it: exp(200) is finite and x/(1 + e^200) is still accurate relative to itself.
 */
@inline export function clampS(a: v128): v128 { return atMost(atLeast(a, k64(EXP32_ARG_MIN)), k64(EXP32_ARG_MAX)); }
/**
 * pack(nl/(1 + e^ml), nh/(1 + e^mh)) for float64 arguments m in [-200, 200] that are not exact
 * float32 values: r = m - n·ln2 in float64, rounded to float32 for expm1(r) on four lanes (that
 * rounding adds at most 2^-25.5 relative), 1 + 2^n·(1 + q) and the division in float64.
 */
@inline export function divOnePlusExp(nl: v128, nh: v128, ml: v128, mh: v128): v128 {
  const tl = expT(ml), th = expT(mh);
  const q = qOf(pack(sub(ml, mul(sub(tl, k64(ROUNDER)), k64(LN2))), sub(mh, mul(sub(th, k64(ROUNDER)), k64(LN2)))));
  const sl = pow2t(tl), sh = pow2t(th);
  const dl = add(add(k64(ONE), sl), mul(sl, fLo(q)));
  const dh = add(add(k64(ONE), sh), mul(sh, fHi(q)));
  return pack(div(nl, dl), div(nh, dh));
}

// ---- float64 grade ------------------------------------------------------------------------------

/**
 * num/(1 + p·2^n), scaled by 2^n in the lanes where neg is set (a < 0, num carrying e's p), last,
 * so that subnormal results are rounded once. Elsewhere there is no 2^n to apply: scaling by 2^0
 * through ldexp would overflow num·2^128 past 2^896.
 */
@inline function sigmoidFinish(num: v128, p: v128, n: v128, neg: v128): v128 {
  const v = div(num, add(k64(ONE), ldexp(p, n)));
  return select(neg, ldexp(v, n), v);
}
/** xo·sigmoid(a + alo) in float64; alo is a low-order part of the argument. */
@inline export function mulSigmoid64(xo: v128, a: v128, alo: v128): v128 {
  const neg = f64x2.lt(a, k64(ZERO));
  // e = exp(-|a + alo|) = p·2^n; a < 0: xo·e/(1 + e), else xo/(1 + e). Scaling by 2^n last
  // keeps subnormal results to one rounding.
  const m0 = f64x2.neg(f64x2.abs(a));
  const m = atLeast(m0, k64(EXP_FLOOR));
  const mlo = v128.and(select(neg, alo, f64x2.neg(alo)), f64x2.ge(m0, k64(EXP_FLOOR)));
  const t = expT(m);
  const n = expN(t);
  const p = ex64(expRdd(m, mlo, t));
  return sigmoidFinish(select(neg, mul(xo, p), xo), p, n, neg);
}
/** xo·sigmoid(a) in float64 for an exact argument a (no low part to carry). */
@inline export function mulSigmoid64x(xo: v128, a: v128): v128 {
  const neg = f64x2.lt(a, k64(ZERO));
  const m = atLeast(f64x2.neg(f64x2.abs(a)), k64(EXP_FLOOR));
  const t = expT(m);
  const n = expN(t);
  const p = ex64(expR(m, t));
  return sigmoidFinish(select(neg, mul(xo, p), xo), p, n, neg);
}
/** mulSigmoid64 on the fast path (see _drivers.ts), |a| <= 708. */
@inline export function mulSigmoidF(xo: v128, a: v128, alo: v128): v128 {
  const neg = f64x2.lt(a, k64(ZERO));
  // m = -|a| carries alo with the sign flipped where a >= 0.
  const e = expFdd(negAbs(a), v128.xor(alo, v128.andnot(k64(SIGN), neg)));
  return div(select(neg, mul(xo, e), xo), add(k64(ONE), e));
}
