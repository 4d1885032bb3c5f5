// exp and expm1 for float32 kernels, with the polynomial on four float32 lanes.
//
// exp(a) = (1 + q)·2^n: q = expm1(r) is computed on four float32 lanes (error about 2^-25
// relative to 1 + q), and the 1 + q, the 2^n and all that follows happen in float64 lanes, so
// results stay within 1 ULP. Arguments that are not exact float32 values reduce in float64
// lanes instead (see divOnePlusExp in _mul_sigmoid.ts, and softmax's exps).

import { EXP_F32 } from "./_coefficients";
import { add, fadd, fHi, fLo, fmul, fsub, k32, k64, mul, ONE, sub } from "./_lanes";

const F_LOG2E: usize = memory.data<f32>([1.4426950408889634]);
const F_NEG_LOG2E: usize = memory.data<f32>([-1.4426950408889634]);
/** 1.5·2^23: adding it rounds a float32 to an integer held in the low bits. */
export const F_ROUNDER: usize = memory.data<f32>([12582912.0]);
/** The bits of F_ROUNDER less the float64 exponent bias (an i32): t's bits minus it are n + 1023. */
const F_ROUNDER_BITS_LESS_BIAS: usize = memory.data<i32>([0x4b400000 - 1023]);
/** ln2's high part (9 bits: n·F_LN2_HI is exact). */
const F_LN2_HI: usize = memory.data<f32>([0.693359375]);
const F_NEG_LN2_HI: usize = memory.data<f32>([-0.693359375]);
/** ln2 - F_LN2_HI. */
const F_LN2_LO: usize = memory.data<f32>([-2.1219444e-4]);
/** Bounds of float32 exp arguments: the results then fit a float64 without care. */
const F_EXP_ARG_MAX: usize = memory.data<f32>([150.0]);
export const F_EXP_ARG_MIN: usize = memory.data<f32>([-150.0]);

/** Coefficient i of expm1's polynomial, on four lanes. */
@inline function coef32(i: i32): v128 { return v128.load32_splat(EXP_F32 + (<usize>i << 2)); }
/** r·x + c_i. */
@inline function fh(r: v128, x: v128, i: i32): v128 { return fadd(fmul(r, x), coef32(i)); }

/** x clamped to the float32 exp argument bounds, keeping NaN. */
@inline export function clampF(x: v128): v128 {
  return f32x4.pmin(f32x4.pmax(x, k32(F_EXP_ARG_MIN)), k32(F_EXP_ARG_MAX));
}
/** t = a·log2e + 1.5·2^23 (n = round(a/ln2) in the low bits), for exp(a); a in [-150, 150]. */
@inline export function tPos(a: v128): v128 { return fadd(fmul(a, k32(F_LOG2E)), k32(F_ROUNDER)); }
/** As tPos, for exp(-a). */
@inline export function tNeg(a: v128): v128 { return fadd(fmul(a, k32(F_NEG_LOG2E)), k32(F_ROUNDER)); }
/** r²·P(r), the part of expm1(r) = r + r²·P(r) past its first term. */
@inline export function r2P(r: v128): v128 {
  // Estrin's scheme: these loops are bound by their dependency chains more than by their
  // operation counts (measured: 5-7% faster than Horner's rule for tanh, elu and mish).
  const r2 = fmul(r, r);
  return fmul(r2, fadd(fh(coef32(1), r, 0), fmul(r2, fadd(fh(coef32(3), r, 2), fmul(r2, coef32(4))))));
}
/** expm1(r). */
@inline export function qOf(r: v128): v128 { return fadd(r, r2P(r)); }
/** expm1(r) with r = a - n·ln2. */
@inline export function qPos0(a: v128, t: v128): v128 {
  const n = fsub(t, k32(F_ROUNDER));
  return qOf(fsub(fsub(a, fmul(n, k32(F_LN2_HI))), fmul(n, k32(F_LN2_LO))));
}
/** expm1(r) with r = -a - n·ln2. */
@inline export function qNeg0(a: v128, t: v128): v128 {
  const n = fsub(t, k32(F_ROUNDER));
  return qOf(fsub(fsub(fmul(n, k32(F_NEG_LN2_HI)), a), fmul(n, k32(F_LN2_LO))));
}
/** n + 1023 in i32 lanes. */
@inline export function nBias(t: v128): v128 { return i32x4.sub(t, k32(F_ROUNDER_BITS_LESS_BIAS)); }

// The finishing steps, on float64 lanes 0, 1 (Lo) or 2, 3 (Hi) of q and of n + 1023.

/** (1 + q)·2^n. */
@inline export function eLo(q: v128, nb: v128): v128 {
  return mul(add(k64(ONE), fLo(q)), i64x2.shl(i64x2.extend_low_i32x4_s(nb), 52));
}
@inline export function eHi(q: v128, nb: v128): v128 {
  const qh = fHi(q);
  return mul(add(k64(ONE), qh), i64x2.shl(i64x2.extend_high_i32x4_s(nb), 52));
}
/** 1 + (1 + q)·2^n, as (1 + 2^n) + 2^n·q: off q's dependency chain. */
@inline export function dLo(q: v128, nb: v128): v128 {
  const s = i64x2.shl(i64x2.extend_low_i32x4_s(nb), 52);
  return add(add(k64(ONE), s), mul(s, fLo(q)));
}
@inline export function dHi(q: v128, nb: v128): v128 {
  const s = i64x2.shl(i64x2.extend_high_i32x4_s(nb), 52);
  return add(add(k64(ONE), s), mul(s, fHi(q)));
}
/** expm1 = 2^n·q + (2^n - 1) (exact for n = 0: no cancellation). */
@inline export function emLo(q: v128, nb: v128): v128 {
  const s = i64x2.shl(i64x2.extend_low_i32x4_s(nb), 52);
  return add(mul(s, fLo(q)), sub(s, k64(ONE)));
}
@inline export function emHi(q: v128, nb: v128): v128 {
  const s = i64x2.shl(i64x2.extend_high_i32x4_s(nb), 52);
  return add(mul(s, fHi(q)), sub(s, k64(ONE)));
}
