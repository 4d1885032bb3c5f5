// silu(x) = x·sigmoid(x) = x/(1 + e^-x).

import { allAtLeast, elementwise, elementwiseFast } from "./_drivers";
import { expF, FAST_EXP_FLOOR } from "./_exp";
import { clampF, dHi, dLo, nBias, qNeg0, tNeg } from "./_exp32";
import {
  add,
  atLeast,
  div,
  F_FACTOR_FLOOR,
  FACTOR_FLOOR,
  fHi,
  fLo,
  k32,
  k64,
  mul,
  negAbs,
  ONE,
  pack,
  select,
  ZERO,
} from "./_lanes";
import { mulSigmoid64x } from "./_mul_sigmoid";

/** Float32: e^-x on float32 lanes, x/(1 + e^-x) on float64 ones. */
@final class Silu32 {
  @inline lanes(x0: v128, a: v128, b: v128): v128 {
    const x = clampF(x0), xo = f32x4.pmax(x0, k32(F_FACTOR_FLOOR));
    const t = tNeg(x);
    const q = qNeg0(x, t), nb = nBias(t);
    return pack(div(fLo(xo), dLo(q, nb)), div(fHi(xo), dHi(q, nb)));
  }
}
@final class Silu64 {
  @inline fastStep(x0: v128, x1: v128, x2: v128, x3: v128): bool {
    return allAtLeast(negAbs(x0), negAbs(x1), negAbs(x2), negAbs(x3), k64(FAST_EXP_FLOOR));
  }
  @inline fast(x: v128, a: v128, b: v128): v128 {
    const e = expF(negAbs(x));
    return div(select(f64x2.lt(x, k64(ZERO)), mul(x, e), x), add(k64(ONE), e));
  }
  @inline lanes(x: v128, a: v128, b: v128): v128 { return mulSigmoid64x(atLeast(x, k64(FACTOR_FLOOR)), x); }
}

export function silu_f32(src: usize, dst: usize, n: i32, a: f64, b: f64): void {
  elementwise<f32, Silu32>(src, dst, n, a, b);
}
export function silu_f64(src: usize, dst: usize, n: i32, a: f64, b: f64): void {
  elementwiseFast<Silu64>(src, dst, n, a, b);
}
