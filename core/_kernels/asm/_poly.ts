// Polynomials on float64 lanes, with coefficients from a table in memory (see _coefficients.ts).
//
// Estrin's scheme, written out: these loops are bound by the length of their dependency chains
// more than by their operation counts (Horner's rule was 5-25% slower), and binaryen keeps loops
// rolled, which would cost a branch and an address per coefficient.

import { add, mul } from "./_lanes";

/** Coefficient i of the table at p, on both lanes. */
@inline export function coef(p: usize, i: i32): v128 { return v128.load64_splat(p + (<usize>i << 3)); }
/** c_i + c_(i+1)·x. */
@inline export function lin(x: v128, p: usize, i: i32): v128 { return add(coef(p, i), mul(coef(p, i + 1), x)); }

@inline export function poly4(x: v128, p: usize): v128 {
  const x2 = mul(x, x);
  return add(lin(x, p, 0), mul(x2, add(lin(x, p, 2), mul(x2, coef(p, 4)))));
}
@inline export function poly6(x: v128, p: usize): v128 {
  const x2 = mul(x, x);
  const x4 = mul(x2, x2);
  return add(add(lin(x, p, 0), mul(x2, lin(x, p, 2))), mul(x4, add(lin(x, p, 4), mul(x2, coef(p, 6)))));
}
@inline export function poly8(x: v128, p: usize): v128 {
  const x2 = mul(x, x);
  const x4 = mul(x2, x2);
  const lo = add(lin(x, p, 0), mul(x2, lin(x, p, 2)));
  const hi = add(add(lin(x, p, 4), mul(x2, lin(x, p, 6))), mul(x4, coef(p, 8)));
  return add(lo, mul(x4, hi));
}
@inline export function poly9(x: v128, p: usize): v128 {
  const x2 = mul(x, x);
  const x4 = mul(x2, x2);
  const lo = add(lin(x, p, 0), mul(x2, lin(x, p, 2)));
  const hi = add(add(lin(x, p, 4), mul(x2, lin(x, p, 6))), mul(x4, lin(x, p, 8)));
  return add(lo, mul(x4, hi));
}
@inline export function poly11(x: v128, p: usize): v128 {
  const x2 = mul(x, x);
  const x4 = mul(x2, x2);
  const a = add(lin(x, p, 0), mul(x2, lin(x, p, 2)));
  const b = add(lin(x, p, 4), mul(x2, lin(x, p, 6)));
  const d = add(lin(x, p, 8), mul(x2, lin(x, p, 10)));
  return add(a, mul(x4, add(b, mul(x4, d))));
}
