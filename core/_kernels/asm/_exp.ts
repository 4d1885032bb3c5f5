// exp and expm1 on float64 lanes.
//
// x = n·ln2 + r with |r| <= ln2/2; expm1(r) = r + r²/2 + r³·P(r) and exp(r) = 1 + expm1(r).
// n comes from t = x·log2(e) + 1.5·2^52, whose low mantissa bits hold round(x/ln2): t - 1.5·2^52
// is n as a float64, t's bits minus 1.5·2^52's are n as an integer, and t's bits shifted left by
// 52 put n in the exponent field, so 2^n takes an integer add, no conversion.
//
// Float64 kernels use the float64-grade polynomials and scale by 2^n in two steps (ldexp), so
// that subnormal results are rounded once. Float32 kernels whose exp runs on float64 lanes use
// expS and expNegS: a float32-grade polynomial, 2^n joined by one integer add.

import { EXP_D32, EXP_E64, EXP_P64 } from "./_coefficients";
import { add, HALF, k64, mul, ONE, sub } from "./_lanes";
import { poly6, poly8, poly9 } from "./_poly";

export const LOG2E: usize = memory.data<f64>([1.4426950408889634]);
const NEG_LOG2E: usize = memory.data<f64>([-1.4426950408889634]);
/** 1.5·2^52: adding it to a float64 below 2^51 in magnitude rounds it to an integer held in the low bits. */
export const ROUNDER: usize = memory.data<f64>([6755399441055744.0]);
/** The bits of ROUNDER (an i64). */
export const ROUNDER_BITS: usize = memory.data<i64>([0x4338000000000000]);
/** ln2's high part: its low 21 bits are zero, so n·LN2_HI is exact. */
export const LN2_HI: usize = memory.data<f64>([0.6931471803691238]);
/** ln2 - LN2_HI. */
export const LN2_LO: usize = memory.data<f64>([1.9082149292705877e-10]);
export const LN2: usize = memory.data<f64>([0.6931471805599453]);
/** -ln2 in one term: enough for the float32 path's reduction. */
const NEG_LN2: usize = memory.data<f64>([-0.6931471805599453]);
/** 2^-128, the second step of ldexp. */
const TWO_M128: usize = memory.data<f64>([2.938735877055719e-39]);
/** The float64 exponent bias plus 128, the first step of ldexp (an i64). */
const LDEXP_BIAS: usize = memory.data<i64>([1151]);
/** The bits of 1.0 (an i64). */
export const ONE_BITS: usize = memory.data<i64>([0x3ff0000000000000]);
/** Floor for float64 exp arguments: 2000·exp(-790) still rounds to 0. */
export const EXP_FLOOR: usize = memory.data<f64>([-790.0]);
/** Floor for float64 expm1 arguments: expm1(-40) is -1 once rounded. */
export const EXPM1_FLOOR: usize = memory.data<f64>([-40.0]);
/**
 * Bounds of the float32 path's exp arguments: exp(±200) fits a float64 with room to spare, and
 * exp(-200) is 0 in any float32 result.
 */
export const EXP32_ARG_MAX: usize = memory.data<f64>([200.0]);
export const EXP32_ARG_MIN: usize = memory.data<f64>([-200.0]);
/** Floor of the float64 fast paths' exp arguments: from there on 2^n is normal (n >= -1021). */
export const FAST_EXP_FLOOR: usize = memory.data<f64>([-708.0]);

/** t = x·log2e + 1.5·2^52: its low bits hold n = round(x/ln2). */
@inline export function expT(x: v128): v128 { return add(mul(x, k64(LOG2E)), k64(ROUNDER)); }
/** n in integer lanes, from t. */
@inline export function expN(t: v128): v128 { return i64x2.sub(t, k64(ROUNDER_BITS)); }
/** r = x - n·ln2 in two steps (n·LN2_HI exact), from t. */
@inline export function expR(x: v128, t: v128): v128 {
  const n = sub(t, k64(ROUNDER));
  return sub(sub(x, mul(n, k64(LN2_HI))), mul(n, k64(LN2_LO)));
}
/** As expR for the argument x + lo, lo a small low-order part. */
@inline export function expRdd(x: v128, lo: v128, t: v128): v128 {
  const n = sub(t, k64(ROUNDER));
  return add(sub(x, mul(n, k64(LN2_HI))), sub(lo, mul(n, k64(LN2_LO))));
}
/** expm1(r). */
@inline function em64(r: v128): v128 {
  const r2 = mul(r, r);
  return add(r, add(mul(r2, k64(HALF)), mul(mul(r2, r), poly9(r, EXP_P64))));
}
/** exp(r) = 1 + expm1(r) to about 2^-57 relative to exp(r) (not to expm1). */
@inline export function ex64(r: v128): v128 {
  const r2 = mul(r, r);
  return add(k64(ONE), add(r, add(mul(r2, k64(HALF)), mul(mul(r2, r), poly8(r, EXP_E64)))));
}
/** 2^(n + 128) for integer lanes n in [-1150, 895]. */
@inline function pow2x(n: v128): v128 { return i64x2.shl(i64x2.add(n, k64(LDEXP_BIAS)), 52); }
/** v·2^n rounded once, for n in [-1150, 895]: v·2^(n+128) is exact, ·2^-128 rounds. */
@inline export function ldexp(v: v128, n: v128): v128 { return mul(mul(v, pow2x(n)), k64(TWO_M128)); }
/** 2^n for integer lanes n in [-1022, 1023] (from t = n + 1.5·2^52: its bits << 52 are n << 52). */
@inline export function pow2t(t: v128): v128 { return i64x2.add(i64x2.shl(t, 52), k64(ONE_BITS)); }

/** exp(x) for the float32 path, x in [-200, 200] (or NaN): float64 lanes, error < 2^-28. */
@inline export function expS(x: v128): v128 {
  const t = expT(x);
  const r = sub(x, mul(sub(t, k64(ROUNDER)), k64(LN2)));
  return i64x2.add(poly6(r, EXP_D32), i64x2.shl(t, 52));
}
/** exp(-x) for the float32 path, x in [-200, 200] (or NaN). */
@inline export function expNegS(x: v128): v128 {
  const t = add(mul(x, k64(NEG_LOG2E)), k64(ROUNDER));
  const r = sub(mul(sub(t, k64(ROUNDER)), k64(NEG_LN2)), x);
  return i64x2.add(poly6(r, EXP_D32), i64x2.shl(t, 52));
}
/** expm1(x) for x in [-40, 0] (or NaN). */
@inline export function expm1_64(x: v128): v128 {
  const t = expT(x);
  const s = pow2t(t);
  return add(mul(s, em64(expR(x, t))), sub(s, k64(ONE)));
}

/** exp(m + lo) = p·2^n for m >= -708 (lo a small low-order part): 2^n is normal, one product. */
@inline export function expFdd(m: v128, lo: v128): v128 {
  const t = expT(m);
  return mul(ex64(expRdd(m, lo, t)), pow2t(t));
}
/** exp(m) for m >= -708, as expFdd. */
@inline export function expF(m: v128): v128 {
  const t = expT(m);
  return mul(ex64(expR(m, t)), pow2t(t));
}
