// sigmoid(x) = 1/(1 + e^-x).

import { allAtLeast, elementwise, elementwiseFast } from "./_drivers";
import { ex64, EXP_FLOOR, expF, expN, expR, expT, FAST_EXP_FLOOR, ldexp } from "./_exp";
import { clampF, dHi, dLo, nBias, qNeg0, tNeg } from "./_exp32";
import { add, atLeast, div, k64, negAbs, ONE, pack, select, ZERO } from "./_lanes";

/** Float32: e^-x on float32 lanes, 1/(1 + e^-x) on float64 ones. */
@final class Sigmoid32 {
  @inline lanes(x0: v128, a: v128, b: v128): v128 {
    const x = clampF(x0);
    const t = tNeg(x);
    const q = qNeg0(x, t), nb = nBias(t);
    return pack(div(k64(ONE), dLo(q, nb)), div(k64(ONE), dHi(q, nb)));
  }
}

/** Float64: e = exp(-|x|); 1/(1 + e) above 0, e/(1 + e) below. */
@final class Sigmoid64 {
  @inline fastStep(x0: v128, x1: v128, x2: v128, x3: v128): bool {
    return allAtLeast(negAbs(x0), negAbs(x1), negAbs(x2), negAbs(x3), k64(FAST_EXP_FLOOR));
  }
  @inline fast(x: v128, a: v128, b: v128): v128 {
    const e = expF(negAbs(x));
    return div(select(f64x2.lt(x, k64(ZERO)), e, k64(ONE)), add(k64(ONE), e));
  }
  @inline lanes(x: v128, a: v128, b: v128): v128 {
    const neg = f64x2.lt(x, k64(ZERO));
    const m = atLeast(f64x2.neg(f64x2.abs(x)), k64(EXP_FLOOR));
    const t = expT(m);
    const n = expN(t);
    const p = ex64(expR(m, t));
    // num <= 2 cannot overflow, so a 2^0 scaling in the lanes above 0 is safe here, and masking
    // n is cheaper than a select between scaled and unscaled (measured 4%).
    const num = select(neg, p, k64(ONE));
    return ldexp(div(num, add(k64(ONE), ldexp(p, n))), v128.and(n, neg));
  }
}

export function sigmoid_f32(src: usize, dst: usize, n: i32, a: f64, b: f64): void {
  elementwise<f32, Sigmoid32>(src, dst, n, a, b);
}
export function sigmoid_f64(src: usize, dst: usize, n: i32, a: f64, b: f64): void {
  elementwiseFast<Sigmoid64>(src, dst, n, a, b);
}
