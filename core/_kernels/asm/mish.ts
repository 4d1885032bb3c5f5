// mish(x) = x·tanh(softplus(x)) = x·m/(m + 2) with m = e(e + 2), e = e^x.

import { allAtLeast, elementwise, elementwiseFast } from "./_drivers";
import { ex64, EXP_FLOOR, expF, expN, expR, expT, FAST_EXP_FLOOR, ldexp } from "./_exp";
import { eHi, eLo, F_EXP_ARG_MIN, nBias, qPos0, tPos } from "./_exp32";
import {
  add,
  atLeast,
  atMost,
  div,
  F_FACTOR_FLOOR,
  F_SATURATION,
  FACTOR_FLOOR,
  fHi,
  fLo,
  k32,
  k64,
  mul,
  pack,
  SATURATION,
  select,
  TWO,
} from "./_lanes";

/** xo·m/(m + 2) from e. */
@inline function mishFinish(xo: v128, e: v128): v128 {
  const m = mul(e, add(e, k64(TWO)));
  return div(mul(xo, m), add(m, k64(TWO)));
}

/** Float32: e^x on float32 lanes, the rest on float64 ones. */
@final class Mish32 {
  @inline lanes(x0: v128, a: v128, b: v128): v128 {
    const x = f32x4.pmin(f32x4.pmax(x0, k32(F_EXP_ARG_MIN)), k32(F_SATURATION));
    const t = tPos(x);
    const q = qPos0(x, t), nb = nBias(t);
    const xo = f32x4.pmax(x0, k32(F_FACTOR_FLOOR));
    return pack(mishFinish(fLo(xo), eLo(q, nb)), mishFinish(fHi(xo), eHi(q, nb)));
  }
}
/** Float64: e = p·2^n, with 2^n applied last so that subnormal results are rounded once. */
@final class Mish64 {
  @inline fastStep(x0: v128, x1: v128, x2: v128, x3: v128): bool {
    return allAtLeast(x0, x1, x2, x3, k64(FAST_EXP_FLOOR));
  }
  /** x >= -708: the general formula and order, with 2^n applied up front. */
  @inline fast(x: v128, a: v128, b: v128): v128 {
    const e = expF(atMost(x, k64(SATURATION)));
    const e2 = add(e, k64(TWO));
    return select(f64x2.gt(x, k64(SATURATION)), x, div(mul(mul(x, e), e2), add(mul(e, e2), k64(TWO))));
  }
  @inline lanes(x: v128, a: v128, b: v128): v128 {
    const t = expT(atLeast(atMost(x, k64(SATURATION)), k64(EXP_FLOOR)));
    const n = expN(t);
    const p = ex64(expR(atLeast(atMost(x, k64(SATURATION)), k64(EXP_FLOOR)), t));
    const e = ldexp(p, n);
    const e2 = add(e, k64(TWO));
    const y = ldexp(div(mul(mul(atLeast(x, k64(FACTOR_FLOOR)), p), e2), add(mul(e, e2), k64(TWO))), n);
    // Past 20, tanh(softplus(x)) rounds to 1 and mish(x) = x; the formula's 2^n would overflow
    // x·2^(n+128) for x past about 2^860.
    return select(f64x2.gt(x, k64(SATURATION)), x, y);
  }
}

export function mish_f32(src: usize, dst: usize, n: i32, a: f64, b: f64): void {
  elementwise<f32, Mish32>(src, dst, n, a, b);
}
export function mish_f64(src: usize, dst: usize, n: i32, a: f64, b: f64): void {
  elementwiseFast<Mish64>(src, dst, n, a, b);
}
