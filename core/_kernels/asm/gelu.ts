// gelu in its three forms:
//   gelu        x·Φ(x), Φ the standard normal distribution function (float32 and float64)
//   geluTanh    0.5x(1 + tanh u), u = sqrt(2/pi)·(x + 0.044715x³) = x·sigmoid(2u) (float32 only:
//               float64 would need double-double arithmetic throughout to hold 4 ULP, and the
//               TypeScript path serves it)
//   geluSigmoid x·sigmoid(1.702x) (float32 and float64)

import { ERFCX_R32, ERFCX_T64 } from "./_coefficients";
import { allAtLeast, elementwise, elementwiseFast } from "./_drivers";
import { ex64, expFdd, expN, expNegS, expRdd, expT, ldexp } from "./_exp";
import {
  add,
  atLeast,
  atMost,
  div,
  FACTOR_CAP,
  FACTOR_FLOOR,
  fHi,
  fLo,
  HALF,
  k64,
  mul,
  NEG_HALF,
  negAbs,
  ONE,
  pack,
  select,
  sub,
  ZERO,
} from "./_lanes";
import { clampS, divOnePlusExp, mulSigmoid64, mulSigmoidF } from "./_mul_sigmoid";
import { coef, lin } from "./_poly";
import { splitHi, sqErr } from "./_two_term";

// ---- gelu = x·Φ(x) -------------------------------------------------------------------------------
// Φ(x) = 1 - Φ(-x), and Φ(-a) = erfc(a/sqrt2)/2 = exp(-a²/2)·erfcx(a/sqrt2)/2 for a = |x|:
// below 0 gelu = x·Φ(-a), above it x·(1 - Φ(-a)).

/** |x| past which float32 gelu is x or -0 (Φ(-15)·2000 underflows). */
const GELU32_CAP: usize = memory.data<f64>([15.0]);
/** The same for float64: gelu(-39) underflows to -0. */
const GELU64_CAP: usize = memory.data<f64>([39.0]);
/** Floor of -|x| for the float64 fast path: -x²/2 >= -704 there. */
const FAST_GELU_FLOOR: usize = memory.data<f64>([-37.5]);

/** Φ(-a) = erfc(a/sqrt2)/2 for a in [0, 15] (or NaN), float32 path: exp(-a²/2)·P(a)/Q(a). */
@inline function phiNegS(a: v128): v128 {
  // a has float32's 24 bits, so a² is exact in float64 and exp(-a²/2) keeps its 2^-28.
  const a2 = mul(a, a);
  const a4 = mul(a2, a2);
  const p = add(add(lin(a, ERFCX_R32, 0), mul(a2, lin(a, ERFCX_R32, 2))), mul(a4, coef(ERFCX_R32, 4)));
  const q1 = add(k64(ONE), mul(a, coef(ERFCX_R32, 5)));
  const q = add(add(q1, mul(a2, lin(a, ERFCX_R32, 6))), mul(a4, lin(a, ERFCX_R32, 8)));
  return div(mul(expNegS(mul(a2, k64(HALF))), p), q);
}
/** gelu of float32 values on float64 lanes. */
@inline function geluS(x: v128): v128 {
  const t = phiNegS(atMost(f64x2.abs(x), k64(GELU32_CAP)));
  // x·Φ(x): Φ(-|x|) below 0, 1 - Φ(-|x|) above; the floor -2000 keeps gelu(-inf) = -0.
  return mul(atLeast(x, k64(FACTOR_FLOOR)), select(f64x2.lt(x, k64(ZERO)), t, sub(k64(ONE), t)));
}

/**
 * Byte offset, plus 4092·128, of the erfcx table row holding a (a in [0, 39], NaN mapped to 0):
 * the pieces are the quarter-octaves of u = 1 + a, so u's exponent and two leading mantissa bits
 * name the row. An add and two shifts: everything in the kernel waits on the table loads (a
 * longer index computation measured 8-9% slower).
 */
@inline function pieceOffset(a: v128): v128 {
  return i64x2.shl(i64x2.shr_u(add(f64x2.pmax(k64(ZERO), a), k64(ONE)), 50), 7);
}
// Coefficients i and i + 1 come as one 16-byte load per row and two unpacks (lanes 0 of u and
// w, and lanes 1): half the load instructions of lane loads (measured 0-7% faster).
@inline function unpackLo(u: v128, w: v128): v128 { return i32x4.shuffle(u, w, 0, 1, 4, 5); }
@inline function unpackHi(u: v128, w: v128): v128 { return i32x4.shuffle(u, w, 2, 3, 6, 7); }
/** Coefficients i + s·(i + 1) of the rows at p0 and p1. */
@inline function ll(s: v128, p0: usize, p1: usize, i: i32): v128 {
  const u = v128.load(p0 + (<usize>i << 3)), w = v128.load(p1 + (<usize>i << 3));
  return add(unpackLo(u, w), mul(unpackHi(u, w), s));
}
/** erfcx(a/sqrt2)/2 for a in [0, 39] (or NaN), from the table of pieces. */
@inline function erfcx64(a: v128): v128 {
  const j = pieceOffset(a);
  const p0 = <usize>i64x2.extract_lane(j, 0) + (ERFCX_T64 - 4092 * 128); // rows of 16 f64
  const p1 = <usize>i64x2.extract_lane(j, 1) + (ERFCX_T64 - 4092 * 128);
  const u01 = v128.load(p0), w01 = v128.load(p1); // the piece's centre and c1
  const u23 = v128.load(p0, 16), w23 = v128.load(p1, 16);
  const s = sub(a, unpackLo(u01, w01));
  const s2 = mul(s, s);
  const s4 = mul(s2, s2);
  // The tail c4..c14 by Estrin's scheme (short chains: 11% faster than Horner's rule), the
  // leading c1..c3 by Horner's rule: pieces reach |s| = 4, and Estrin's partial sums over all
  // of it cancelled enough to cost 1.2 ULP. c15 is the row's zero padding.
  const g0 = add(ll(s, p0, p1, 4), mul(s2, ll(s, p0, p1, 6)));
  const g1 = add(ll(s, p0, p1, 8), mul(s2, ll(s, p0, p1, 10)));
  const g2 = add(ll(s, p0, p1, 12), mul(s2, ll(s, p0, p1, 14)));
  const tail = add(add(g0, mul(s4, g1)), mul(mul(s4, s4), g2));
  const h3 = add(mul(tail, s), unpackHi(u23, w23));
  return add(mul(add(mul(h3, s), unpackLo(u23, w23)), s), unpackHi(u01, w01));
}

/** Float32: all of it on float64 lanes. */
@final class Gelu32 {
  @inline lanes(x: v128, a: v128, b: v128): v128 { return pack(geluS(fLo(x)), geluS(fHi(x))); }
}
/** Float64: -a²/2 exactly, as hi + lo, into the exp; 2^n applied last, with the factor x. */
@final class Gelu64 {
  @inline fastStep(x0: v128, x1: v128, x2: v128, x3: v128): bool {
    return allAtLeast(negAbs(x0), negAbs(x1), negAbs(x2), negAbs(x3), k64(FAST_GELU_FLOOR));
  }
  /**
   * |x| <= 37.5 (x²/2 <= 704): the general kernel without the cap on |x|, the floor on x, or the
   * late scaling (2^n joins first: no product here is subnormal, so the bits are the same).
   */
  @inline fast(x: v128, a: v128, b: v128): v128 {
    const ax = f64x2.abs(x);
    const sq = mul(ax, ax);
    const e = expFdd(mul(sq, k64(NEG_HALF)), mul(sqErr(ax, sq), k64(NEG_HALF)));
    const neg = f64x2.lt(x, k64(ZERO));
    const z = mul(mul(select(neg, x, k64(ONE)), e), erfcx64(ax));
    return select(neg, z, mul(x, sub(k64(ONE), z)));
  }
  @inline lanes(x: v128, a: v128, b: v128): v128 {
    const ax = atMost(f64x2.abs(x), k64(GELU64_CAP));
    const h = erfcx64(ax);
    const sq = mul(ax, ax);
    const m = mul(sq, k64(NEG_HALF));
    const mlo = mul(sqErr(ax, sq), k64(NEG_HALF));
    const t = expT(m);
    const p = ex64(expRdd(m, mlo, t));
    // Φ(-|x|) = p·h·2^n. Below 0 the factor x joins before the scaling, so that subnormal
    // results are rounded once; above 0, gelu = x·(1 - Φ(-x)).
    const neg = f64x2.lt(x, k64(ZERO));
    const z = ldexp(mul(mul(select(neg, atLeast(x, k64(FACTOR_FLOOR)), k64(ONE)), p), h), expN(t));
    return select(neg, z, mul(x, sub(k64(ONE), z)));
  }
}

export function gelu_f32(src: usize, dst: usize, n: i32, a: f64, b: f64): void {
  elementwise<f32, Gelu32>(src, dst, n, a, b);
}
export function gelu_f64(src: usize, dst: usize, n: i32, a: f64, b: f64): void {
  elementwiseFast<Gelu64>(src, dst, n, a, b);
}

// ---- geluTanh = x·sigmoid(2u) ------------------------------------------------------------------

/** -2·sqrt(2/pi). */
const GELU_TANH_A1: usize = memory.data<f64>([-1.5957691216057308]);
/** -2·sqrt(2/pi)·0.044715. */
const GELU_TANH_A3: usize = memory.data<f64>([-0.07135481627260025]);

/** -2u = x·(A1 + A3·x²). */
@inline function m2u(x: v128): v128 { return mul(x, add(k64(GELU_TANH_A1), mul(k64(GELU_TANH_A3), mul(x, x)))); }

@final class GeluTanh32 {
  @inline lanes(x0: v128, a: v128, b: v128): v128 {
    const xl = fLo(x0), xh = fHi(x0);
    return divOnePlusExp(
      atLeast(xl, k64(FACTOR_FLOOR)),
      atLeast(xh, k64(FACTOR_FLOOR)),
      clampS(m2u(xl)),
      clampS(m2u(xh)),
    );
  }
}

export function geluTanh_f32(src: usize, dst: usize, n: i32, a: f64, b: f64): void {
  elementwise<f32, GeluTanh32>(src, dst, n, a, b);
}

// ---- geluSigmoid = x·sigmoid(1.702x) -------------------------------------------------------------
// Float64 carries 1.702x as a + alo: the product's rounding error, amplified by exp, would cost
// ULPs of the result.

/** 1.702 rounded to float64. */
const K1702: usize = memory.data<f64>([1.702]);
const NEG_K1702: usize = memory.data<f64>([-1.702]);
/** 1.702 minus K1702. */
const K1702_ERR: usize = memory.data<f64>([4.263256414560601e-17]);
/** K1702's Veltkamp split: its high 26 bits, and the rest. */
const K1702_HI: usize = memory.data<f64>([1.701999992132187]);
const K1702_LO: usize = memory.data<f64>([7.867813067718998e-9]);
/** Floor of -|x| for the float64 fast path: 1.702x stays within 708. */
const FAST_GELU_SIGMOID_FLOOR: usize = memory.data<f64>([-415.0]);

/** Low part of a·1.702 = p (Dekker's product, the constant's split precomputed). */
@inline function mulErr1702(a: v128, p: v128): v128 {
  const ah = splitHi(a);
  const al = sub(a, ah);
  return add(
    add(add(sub(mul(ah, k64(K1702_HI)), p), mul(ah, k64(K1702_LO))), mul(al, k64(K1702_HI))),
    mul(al, k64(K1702_LO)),
  );
}

/** Float32: 1.702x in float64, its exp as divOnePlusExp forms it. */
@final class GeluSigmoid32 {
  @inline lanes(x0: v128, a: v128, b: v128): v128 {
    const xl = fLo(x0), xh = fHi(x0);
    return divOnePlusExp(
      atLeast(xl, k64(FACTOR_FLOOR)),
      atLeast(xh, k64(FACTOR_FLOOR)),
      clampS(mul(xl, k64(NEG_K1702))),
      clampS(mul(xh, k64(NEG_K1702))),
    );
  }
}
@final class GeluSigmoid64 {
  @inline fastStep(x0: v128, x1: v128, x2: v128, x3: v128): bool {
    return allAtLeast(negAbs(x0), negAbs(x1), negAbs(x2), negAbs(x3), k64(FAST_GELU_SIGMOID_FLOOR));
  }
  /** |x| <= 415. */
  @inline fast(x: v128, a: v128, b: v128): v128 {
    const ax = mul(x, k64(K1702));
    return mulSigmoidF(x, ax, add(mulErr1702(x, ax), mul(x, k64(K1702_ERR))));
  }
  @inline lanes(x: v128, a: v128, b: v128): v128 {
    const xc = atMost(atLeast(x, k64(FACTOR_FLOOR)), k64(FACTOR_CAP));
    const ax = mul(xc, k64(K1702));
    const alo = add(mulErr1702(xc, ax), mul(xc, k64(K1702_ERR)));
    return mulSigmoid64(atLeast(x, k64(FACTOR_FLOOR)), ax, alo);
  }
}

export function geluSigmoid_f32(src: usize, dst: usize, n: i32, a: f64, b: f64): void {
  elementwise<f32, GeluSigmoid32>(src, dst, n, a, b);
}
export function geluSigmoid_f64(src: usize, dst: usize, n: i32, a: f64, b: f64): void {
  elementwiseFast<GeluSigmoid64>(src, dst, n, a, b);
}
