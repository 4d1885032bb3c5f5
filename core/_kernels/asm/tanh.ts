// tanh(x) = -t/(t + 2) with t = expm1(-2|x|), the sign of x put back last (tanh(-0) = -0).

import { elementwise } from "./_drivers";
import { expm1_64 } from "./_exp";
import { emHi, emLo, F_ROUNDER, nBias, qNeg0 } from "./_exp32";
import {
  atMost,
  div,
  F_SATURATION,
  F_SIGN,
  fadd,
  fmul,
  k32,
  k64,
  mul,
  NEG_TWO,
  pack,
  SATURATION,
  SIGN,
  sub,
} from "./_lanes";

/** -2·log2(e) as a float32. */
const F_NEG_2LOG2E: usize = memory.data<f32>([-2.885390081777927]);

/** tanh|x| from t = expm1(-2|x|). */
@inline function tanhFinish(t: v128): v128 { return div(t, sub(k64(NEG_TWO), t)); }

@final class Tanh32 {
  @inline lanes(x0: v128, a: v128, b: v128): v128 {
    // expm1(-2|x|): the factor -2 goes into log2(e) and, exactly, into the reduction, so it is
    // not a step on the dependency chain.
    const ax = f32x4.pmin(f32x4.abs(x0), k32(F_SATURATION));
    const t = fadd(fmul(ax, k32(F_NEG_2LOG2E)), k32(F_ROUNDER));
    const q = qNeg0(fadd(ax, ax), t), nb = nBias(t);
    const y = pack(tanhFinish(emLo(q, nb)), tanhFinish(emHi(q, nb)));
    return v128.or(v128.andnot(y, k32(F_SIGN)), v128.and(x0, k32(F_SIGN)));
  }
}
@final class Tanh64 {
  @inline lanes(x: v128, a: v128, b: v128): v128 {
    const y = tanhFinish(expm1_64(mul(atMost(f64x2.abs(x), k64(SATURATION)), k64(NEG_TWO))));
    return v128.or(v128.andnot(y, k64(SIGN)), v128.and(x, k64(SIGN)));
  }
}

export function tanh_f32(src: usize, dst: usize, n: i32, a: f64, b: f64): void {
  elementwise<f32, Tanh32>(src, dst, n, a, b);
}
export function tanh_f64(src: usize, dst: usize, n: i32, a: f64, b: f64): void {
  elementwise<f64, Tanh64>(src, dst, n, a, b);
}
