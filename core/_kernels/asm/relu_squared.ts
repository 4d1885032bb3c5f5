// reluSquared(x) = max(0, x)²: Primer's squared ReLU.

import { elementwise } from "./_drivers";
import { k64, ZERO } from "./_lanes";

// pmax(x, 0) keeps NaN and turns -inf into 0; -0 stays -0, whose square is +0. A float32 square
// is exact in float64, so the float32 product, correctly rounded by IEEE 754, rounds it once:
// the same bits as the reference path.
@final class ReluSquared32 {
  @inline lanes(x: v128, a: v128, b: v128): v128 {
    const r = f32x4.pmax(x, k64(ZERO));
    return f32x4.mul(r, r);
  }
}
@final class ReluSquared64 {
  @inline lanes(x: v128, a: v128, b: v128): v128 {
    const r = f64x2.pmax(x, k64(ZERO));
    return f64x2.mul(r, r);
  }
}

export function reluSquared_f32(src: usize, dst: usize, n: i32, a: f64, b: f64): void {
  elementwise<f32, ReluSquared32>(src, dst, n, a, b);
}
export function reluSquared_f64(src: usize, dst: usize, n: i32, a: f64, b: f64): void {
  elementwise<f64, ReluSquared64>(src, dst, n, a, b);
}
