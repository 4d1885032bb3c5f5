// elu(x) = x above 0, α·expm1(x) below; elu(-0) = -0. The drivers take a = α.

import { elementwise } from "./_drivers";
import { EXPM1_FLOOR, expm1_64 } from "./_exp";
import { emHi, emLo, nBias, qPos0, tPos } from "./_exp32";
import { atLeast, atMost, F_SIGN, fHi, fLo, k32, k64, mul, pack, select, SIGN, ZERO } from "./_lanes";

const F_ZERO: usize = memory.data<f32>([0.0]);
/** EXPM1_FLOOR as a float32. */
const F_EXPM1_FLOOR: usize = memory.data<f32>([-40.0]);

/** x above 0, else alpha·t with t = expm1(x) carrying x's sign (for -0). */
@inline function eluFinish(x: v128, t: v128, alpha: v128): v128 {
  return select(f64x2.gt(x, k64(ZERO)), x, mul(alpha, v128.or(t, v128.and(x, k64(SIGN)))));
}

/** Float32: expm1 on float32 lanes, the product with α on float64 ones. */
@final class Elu32 {
  @inline lanes(x0: v128, a: v128, b: v128): v128 {
    const x = f32x4.pmin(f32x4.pmax(x0, k32(F_EXPM1_FLOOR)), k32(F_ZERO));
    const t = tPos(x);
    const q = qPos0(x, t), nb = nBias(t);
    return pack(eluFinish(fLo(x0), emLo(q, nb), a), eluFinish(fHi(x0), emHi(q, nb), a));
  }
}
/** Float32 with α = 1: expm1 rounded once to float32 is the answer below 0, no product after it. */
@final class EluAlphaOne32 {
  @inline lanes(x0: v128, a: v128, b: v128): v128 {
    const x = f32x4.pmin(f32x4.pmax(x0, k32(F_EXPM1_FLOOR)), k32(F_ZERO));
    const t = tPos(x);
    const q = qPos0(x, t), nb = nBias(t);
    const m = pack(emLo(q, nb), emHi(q, nb));
    // elu(-0) = -0: expm1's sign is taken from x.
    return v128.bitselect(x0, v128.or(m, v128.and(x0, k32(F_SIGN))), f32x4.gt(x0, k32(F_ZERO)));
  }
}
@final class Elu64 {
  @inline lanes(x: v128, a: v128, b: v128): v128 {
    return eluFinish(x, expm1_64(atMost(atLeast(x, k64(EXPM1_FLOOR)), k64(ZERO))), a);
  }
}

export function elu_f32(src: usize, dst: usize, n: i32, a: f64, b: f64): void {
  if (a == 1) elementwise<f32, EluAlphaOne32>(src, dst, n, a, b);
  else elementwise<f32, Elu32>(src, dst, n, a, b);
}
export function elu_f64(src: usize, dst: usize, n: i32, a: f64, b: f64): void {
  elementwise<f64, Elu64>(src, dst, n, a, b);
}
