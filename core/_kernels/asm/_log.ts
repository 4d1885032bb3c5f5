// log and log1p.
//
// log1p(g) = 2·atanh(s) with s = g/(2 + g): float64 kernels take it as
// g - (h - s·(h + z·Q(z))), z = s², h = g²/2 (fitted for z <= 1/9); the float32 path as s·P(s²).

import { LOG_P32, LOG_Q64 } from "./_coefficients";
import { LN2_HI, LN2_LO, ONE_BITS, ROUNDER, ROUNDER_BITS } from "./_exp";
import { add, div, HALF, k64, mul, ONE, select, sub, TWO } from "./_lanes";
import { poly11, poly4 } from "./_poly";

/** sqrt(2): log's mantissa is taken in [sqrt(2)/2, sqrt(2)). */
const SQRT2: usize = memory.data<f64>([1.4142135623730951]);
/** The float64 exponent bias (an i64). */
const EXP_BIAS: usize = memory.data<i64>([1023]);
/** The float64 mantissa bits (an i64). */
const MANTISSA: usize = memory.data<i64>([0x000fffffffffffff]);

/** log1p(g) for g in [sqrt(2)/2 - 1, 1] (there s² <= 1/9), float64 grade. */
@inline export function log1pSmall64(g: v128): v128 {
  const s = div(g, add(k64(TWO), g));
  const z = mul(s, s);
  const h = mul(mul(g, g), k64(HALF));
  return sub(g, sub(h, mul(s, add(h, mul(z, poly11(z, LOG_Q64))))));
}
/** log1p(g) for g in [0, 1], float32 path: 2·atanh(s) = s·P(s²), s = g/(2+g). */
@inline export function log1pS(g: v128): v128 {
  const s = div(g, add(k64(TWO), g));
  return mul(s, poly4(mul(s, s), LOG_P32));
}
/** log(v) for positive normal v (or NaN). */
@inline function log64(v: v128): v128 {
  // v = 2^e·f with f in [sqrt(2)/2, sqrt(2)).
  let e = i64x2.sub(i64x2.shr_u(v, 52), k64(EXP_BIAS));
  let f = v128.or(v128.and(v, k64(MANTISSA)), k64(ONE_BITS));
  const big = f64x2.ge(f, k64(SQRT2));
  f = select(big, mul(f, k64(HALF)), f);
  e = i64x2.sub(e, big); // big lanes are -1
  const ef = sub(i64x2.add(e, k64(ROUNDER_BITS)), k64(ROUNDER)); // small integer lanes to f64 via 1.5·2^52
  return add(mul(ef, k64(LN2_HI)), add(log1pSmall64(sub(f, k64(ONE))), mul(ef, k64(LN2_LO))));
}

/** log(x) of one float64, for the softmax rows (a call, not inlined: it runs once a row). */
function scalarLog(x: f64): f64 {
  return f64x2.extract_lane(log64(f64x2.splat(x)), 0);
}
/** log1p(r) for r >= 0 (or NaN), of one float64. */
@inline export function scalarLog1p(r: f64): f64 {
  const u = 1 + r;
  return scalarLog(u) + (r - (u - 1)) / u;
}
