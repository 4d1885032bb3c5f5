// hardswish(x) = x·min(max(x + 3, 0), 6)/6, on float64 lanes for both dtypes.

import { elementwise } from "./_drivers";
import {
  add,
  atLeast,
  atMost,
  div,
  fHi,
  fLo,
  k64,
  mul,
  NEG_FOUR,
  pack,
  select,
  SIX,
  SIXTH,
  THREE,
  ZERO,
} from "./_lanes";

// x is floored at -4, where hardswish is 0 already: the product then stays finite at -inf.

@inline function hardswishS(x: v128): v128 {
  const xc = atLeast(x, k64(NEG_FOUR));
  const c = atMost(atLeast(add(xc, k64(THREE)), k64(ZERO)), k64(SIX));
  return mul(mul(xc, c), k64(SIXTH));
}
@final class Hardswish32 {
  @inline lanes(x: v128, a: v128, b: v128): v128 { return pack(hardswishS(fLo(x)), hardswishS(fHi(x))); }
}
@final class Hardswish64 {
  @inline lanes(x: v128, a: v128, b: v128): v128 {
    const xc = atLeast(x, k64(NEG_FOUR));
    const c = atMost(atLeast(add(xc, k64(THREE)), k64(ZERO)), k64(SIX));
    // From 3 on, hardswish(x) = x exactly (and x·6 could overflow).
    return select(f64x2.ge(x, k64(THREE)), x, div(mul(xc, c), k64(SIX)));
  }
}

export function hardswish_f32(src: usize, dst: usize, n: i32, a: f64, b: f64): void {
  elementwise<f32, Hardswish32>(src, dst, n, a, b);
}
export function hardswish_f64(src: usize, dst: usize, n: i32, a: f64, b: f64): void {
  elementwise<f64, Hardswish64>(src, dst, n, a, b);
}
