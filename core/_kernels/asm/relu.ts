// relu(x) = max(0, x).

import { elementwise } from "./_drivers";
import { k64, ZERO } from "./_lanes";

// pmax(x, 0) is one instruction (x < 0 ? 0 : x) and keeps NaN, but gives -0 for -0; adding +0
// turns that into +0, as max(0, x) and the reference path have it (-0 + 0 = +0; every other
// value is unchanged).
@final class Relu32 {
  @inline lanes(x: v128, a: v128, b: v128): v128 { return f32x4.add(f32x4.pmax(x, k64(ZERO)), k64(ZERO)); }
}
@final class Relu64 {
  @inline lanes(x: v128, a: v128, b: v128): v128 { return f64x2.add(f64x2.pmax(x, k64(ZERO)), k64(ZERO)); }
}

export function relu_f32(src: usize, dst: usize, n: i32, a: f64, b: f64): void {
  elementwise<f32, Relu32>(src, dst, n, a, b);
}
export function relu_f64(src: usize, dst: usize, n: i32, a: f64, b: f64): void {
  elementwise<f64, Relu64>(src, dst, n, a, b);
}
