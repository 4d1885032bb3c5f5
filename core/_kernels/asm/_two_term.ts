// Exact two-term arithmetic: the rounding error of a sum or a product as a second float64.
// WebAssembly SIMD has no fused multiply-add, so products are split (Veltkamp, Dekker).

import { add, k64, mul, sub } from "./_lanes";

/** 2^27 + 1, Veltkamp's splitter. */
const SPLITTER: usize = memory.data<f64>([134217729.0]);

/** Veltkamp split of a (|a| < 2^996): its high 26 bits; the rest is a - high, exactly. */
@inline export function splitHi(a: v128): v128 {
  const ta = mul(a, k64(SPLITTER));
  return sub(ta, sub(ta, a));
}
/** Low part of a·b = p (Dekker's product, both factors split). */
@inline export function mulErrV(a: v128, b: v128, p: v128): v128 {
  const ah = splitHi(a), bh = splitHi(b);
  const al = sub(a, ah), bl = sub(b, bh);
  return add(add(add(sub(mul(ah, bh), p), mul(ah, bl)), mul(al, bh)), mul(al, bl));
}
/** Low part of a·a = p (Dekker's product with one split, since both factors are a). */
@inline export function sqErr(a: v128, p: v128): v128 {
  const ah = splitHi(a);
  const al = sub(a, ah);
  const m = mul(ah, al);
  return add(add(sub(mul(ah, ah), p), add(m, m)), mul(al, al));
}
/** The rounding error of s = a + b, lane by lane (Knuth's two-sum: any magnitudes). */
@inline export function twoSumErrV(a: v128, b: v128, s: v128): v128 {
  const bb = sub(s, a);
  return add(sub(a, sub(s, bb)), sub(b, bb));
}
/** The rounding error of the scalar sum s = a + b. */
@inline export function twoSumErr(a: f64, b: f64, s: f64): f64 {
  const bb = s - a;
  return (a - (s - bb)) + (b - bb);
}
