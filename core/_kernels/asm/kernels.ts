// AssemblyScript source of nonlin's WebAssembly SIMD kernels (compiled by scripts/build_wasm.ts).
//
// Every kernel works in place on a scratch tile in linear memory (see `scratch()`); the
// TypeScript driver in core/_kernels/wasm/mod.ts copies tiles in and out. Element-wise
// kernels process whole 64-byte steps, so the tile has slack after its last element.
//
// Float32 kernels split the work: the range-reduced exp (or expm1) runs on four float32 lanes,
// where only its small part q = expm1(r) is rounded, and everything after it (1 + q, the 2^n,
// the division, the product with x) runs on float64 lanes with one final rounding to float32.
// Arguments that are not exact float32 values reduce in float64 lanes, r rounded to float32
// only for the polynomial (1.702x, geluTanh's u); softmax's x - max goes further and rounds
// only r²·P(r), since its exps are divided by their sum and not rounded once more.
// gelu, hardswish and softplus run wholly on float64 lanes.
// Float64 kernels use float64-grade polynomials, double-double arguments where an argument's
// rounding would be amplified (x·1.702, x², x - max), and a two-step ldexp so subnormal
// results are rounded once.
//
// Constants are loaded from memory (`k()`), never written as v128 literals: V8 rematerialises
// every v128.const inside a loop.

import {
  ERFCX_R32,
  ERFCX_T64,
  EXP_D32,
  EXP_E64,
  EXP_F32,
  EXP_P64,
  LOG_P32,
  LOG_Q64,
} from "./coefficients";


const SCRATCH_BYTES: i32 = 65536 + 64;
const SCRATCH: usize = memory.data(SCRATCH_BYTES, 16);

/** Address of the scratch tile (64 KiB plus slack). */
export function scratch(): usize {
  return SCRATCH;
}

/** Usable bytes of the scratch tile. */
export function scratchBytes(): i32 {
  return 65536;
}

// f64 constants, addressed by index.
const C: usize = memory.data<f64>([
  1.4426950408889634, // 0 log2(e)
  6755399441055744.0, // 1 1.5·2^52: adding it rounds to an integer held in the low bits
  0.6931471803691238, // 2 ln2 high part (low 21 bits zero: n·hi is exact)
  1.9082149292705877e-10, // 3 ln2 low part
  1.0, // 4
  0.5, // 5
  2.0, // 6
  -2000.0, // 7 floor for the outer factor x (keeps f(-inf) = -0)
  -790.0, // 8 float64 exp argument floor: 2000·exp(-790) still rounds to 0
  200.0, // 9 float32-path exp argument bound
  -200.0, // 10
  20.0, // 11 tanh saturation, mish argument cap
  0.16666666666666666, // 12 1/6
  3.0, // 13
  6.0, // 14
  0.0, // 15
  -4.0, // 16
  134217729.0, // 17 2^27 + 1, Veltkamp splitter
  1.702, // 18 1.702 rounded to float64
  4.263256414560601e-17, // 19 1.702 minus that
  -40.0, // 20 expm1 floor
  39.0, // 21 f64 gelu |x| cap (gelu(-39) underflows to -0)
  1.4142135623730951, // 22 sqrt(2)
  Infinity, // 23
  2000.0, // 24
  -1.5957691216057308, // 25 -2·sqrt(2/pi)
  -1.4426950408889634, // 26 -log2(e)
  -0.6931471805599453, // 27 -ln2 (one term is enough on the float32 path)
  0.6931471805599453, // 28 ln2
  -2.0, // 29
  2.938735877055719e-39, // 30 2^-128
  15.0, // 31 f32 gelu |x| cap
  -0.5, // 32
  1.701999992132187, // 33 1.702 high 26 bits (Veltkamp split)
  7.867813067718998e-9, // 34 1.702 - its high part
  -0.07135481627260025, // 35 -2·sqrt(2/pi)·0.044715
  -1.702, // 36
  -708.0, // 37 float64 fast-path exp argument floor: 2^n stays normal
  -415.0, // 38 the same for 1.702x
  -37.5, // 39 the same for -x²/2
  6755399441056767.0, // 40 1.5·2^52 + 1023: adding it leaves n + 1023 in the low bits
]);

// i64 constants.
const I: usize = memory.data<i64>([
  1151, // 0 exponent bias + 128 (see ldexp)
  0x4338000000000000, // 1 bits of 1.5·2^52
  0x8000000000000000, // 2 sign bit
  0x000fffffffffffff, // 3 mantissa mask
  0x3ff0000000000000, // 4 bits of 1.0
  1023, // 5 exponent bias
]);

@inline function k(i: i32): v128 {
  return v128.load64_splat(C + (<usize>i << 3));
}
@inline function ki(i: i32): v128 {
  return v128.load64_splat(I + (<usize>i << 3));
}
@inline function add(a: v128, b: v128): v128 { return f64x2.add(a, b); }
@inline function sub(a: v128, b: v128): v128 { return f64x2.sub(a, b); }
@inline function mul(a: v128, b: v128): v128 { return f64x2.mul(a, b); }
@inline function div(a: v128, b: v128): v128 { return f64x2.div(a, b); }
/** Clamps below, keeping NaN (pmax returns its first operand unless it is less). */
@inline function atLeast(x: v128, lo: v128): v128 { return f64x2.pmax(x, lo); }
/** Clamps above, keeping NaN. */
@inline function atMost(x: v128, hi: v128): v128 { return f64x2.pmin(x, hi); }
@inline function select(mask: v128, a: v128, b: v128): v128 { return v128.bitselect(a, b, mask); }

// Polynomials by Estrin's scheme, written out: these loops are bound by the length of their
// dependency chains more than by their operation counts (Horner's rule was 5-25% slower), and
// binaryen keeps loops rolled, which would cost a branch and an address per coefficient.
@inline function c(p: usize, i: i32): v128 { return v128.load64_splat(p + (<usize>i << 3)); }
/** c_i + c_(i+1)·x. */
@inline function lin(x: v128, p: usize, i: i32): v128 { return add(c(p, i), mul(c(p, i + 1), x)); }
@inline function poly4(x: v128, p: usize): v128 {
  const x2 = mul(x, x);
  return add(lin(x, p, 0), mul(x2, add(lin(x, p, 2), mul(x2, c(p, 4)))));
}
@inline function poly6(x: v128, p: usize): v128 {
  const x2 = mul(x, x);
  const x4 = mul(x2, x2);
  return add(add(lin(x, p, 0), mul(x2, lin(x, p, 2))), mul(x4, add(lin(x, p, 4), mul(x2, c(p, 6)))));
}
@inline function poly8(x: v128, p: usize): v128 {
  const x2 = mul(x, x);
  const x4 = mul(x2, x2);
  const lo = add(lin(x, p, 0), mul(x2, lin(x, p, 2)));
  const hi = add(add(lin(x, p, 4), mul(x2, lin(x, p, 6))), mul(x4, c(p, 8)));
  return add(lo, mul(x4, hi));
}
@inline function poly9(x: v128, p: usize): v128 {
  const x2 = mul(x, x);
  const x4 = mul(x2, x2);
  const lo = add(lin(x, p, 0), mul(x2, lin(x, p, 2)));
  const hi = add(add(lin(x, p, 4), mul(x2, lin(x, p, 6))), mul(x4, lin(x, p, 8)));
  return add(lo, mul(x4, hi));
}
@inline function poly11(x: v128, p: usize): v128 {
  const x2 = mul(x, x);
  const x4 = mul(x2, x2);
  const a = add(lin(x, p, 0), mul(x2, lin(x, p, 2)));
  const b = add(lin(x, p, 4), mul(x2, lin(x, p, 6)));
  const d = add(lin(x, p, 8), mul(x2, lin(x, p, 10)));
  return add(a, mul(x4, add(b, mul(x4, d))));
}

// ---- exp / expm1 --------------------------------------------------------------------------
// x = n·ln2 + r with |r| <= ln2/2; expm1(r) = r + r²/2 + r³·P(r).

/** t = x·log2e + 1.5·2^52: its low bits hold n = round(x/ln2). */
@inline function expT(x: v128): v128 { return add(mul(x, k(0)), k(1)); }
@inline function expN(t: v128): v128 { return i64x2.sub(t, ki(1)); }
@inline function expR(x: v128, t: v128): v128 {
  const n = sub(t, k(1));
  return sub(sub(x, mul(n, k(2))), mul(n, k(3)));
}
/** As expR for the argument x + lo, lo a small low-order part. */
@inline function expRdd(x: v128, lo: v128, t: v128): v128 {
  const n = sub(t, k(1));
  return add(sub(x, mul(n, k(2))), sub(lo, mul(n, k(3))));
}
@inline function em64(r: v128): v128 {
  const r2 = mul(r, r);
  return add(r, add(mul(r2, k(5)), mul(mul(r2, r), poly9(r, EXP_P64))));
}
/** exp(r) = 1 + expm1(r) to about 2^-57 relative to exp(r) (not to expm1). */
@inline function ex64(r: v128): v128 {
  const r2 = mul(r, r);
  return add(k(4), add(r, add(mul(r2, k(5)), mul(mul(r2, r), poly8(r, EXP_E64)))));
}
/** 2^(n + 128) for integer lanes n in [-1150, 895]. */
@inline function pow2x(n: v128): v128 { return i64x2.shl(i64x2.add(n, ki(0)), 52); }
/** v·2^n rounded once, for n in [-1150, 895]: v·2^(n+128) is exact, ·2^-128 rounds. */
@inline function ldexp(v: v128, n: v128): v128 { return mul(mul(v, pow2x(n)), k(30)); }
/** 2^n for integer lanes n in [-1022, 1023] (from t = n + 1.5·2^52: its bits << 52 are n << 52). */
@inline function pow2t(t: v128): v128 { return i64x2.add(i64x2.shl(t, 52), ki(4)); }

/** exp(x) for the float32 path, x in [-200, 200] (or NaN): float64 lanes, error < 2^-28. */
@inline function expS(x: v128): v128 {
  const t = add(mul(x, k(0)), k(1));
  const r = sub(x, mul(sub(t, k(1)), k(28)));
  return i64x2.add(poly6(r, EXP_D32), i64x2.shl(t, 52));
}
/** exp(-x) for the float32 path, x in [-200, 200] (or NaN). */
@inline function expNegS(x: v128): v128 {
  const t = add(mul(x, k(26)), k(1));
  const r = sub(mul(sub(t, k(1)), k(27)), x);
  return i64x2.add(poly6(r, EXP_D32), i64x2.shl(t, 52));
}
@inline function expm1_64(x: v128): v128 {
  const t = expT(x);
  const s = pow2t(t);
  return add(mul(s, em64(expR(x, t))), sub(s, k(4)));
}

// ---- log1p ---------------------------------------------------------------------------------
// log1p(g) = g - (h - s·(h + z·Q(z))), s = g/(2+g), z = s², h = g²/2; fitted for z <= 1/9.

@inline function log1pSmall64(g: v128): v128 {
  const s = div(g, add(k(6), g));
  const z = mul(s, s);
  const h = mul(mul(g, g), k(5));
  return sub(g, sub(h, mul(s, add(h, mul(z, poly11(z, LOG_Q64))))));
}
/** log1p(g) for g in [0, 1], float32 path: 2·atanh(s) = s·P(s²), s = g/(2+g). */
@inline function log1pS(g: v128): v128 {
  const s = div(g, add(k(6), g));
  return mul(s, poly4(mul(s, s), LOG_P32));
}
/** log(v) for positive normal v (or NaN). */
@inline function log64(v: v128): v128 {
  // v = 2^e·f with f in [sqrt(2)/2, sqrt(2)).
  let e = i64x2.sub(i64x2.shr_u(v, 52), ki(5));
  let f = v128.or(v128.and(v, ki(3)), ki(4));
  const big = f64x2.ge(f, k(22));
  f = select(big, mul(f, k(5)), f);
  e = i64x2.sub(e, big); // big lanes are -1
  const ef = sub(i64x2.add(e, ki(1)), k(1)); // small integer lanes to f64 via 1.5·2^52
  return add(mul(ef, k(2)), add(log1pSmall64(sub(f, k(4))), mul(ef, k(3))));
}

/** log(x) (for the softmax drivers). */
export function log_f64(x: f64): f64 {
  return f64x2.extract_lane(log64(f64x2.splat(x)), 0);
}

// ---- exact two-term arithmetic (no FMA in WebAssembly SIMD) ------------------------------------

/** Veltkamp split of a (|a| < 2^996): its high 26 bits; the rest is a - high, exactly. */
@inline function splitHi(a: v128): v128 {
  const ta = mul(a, k(17));
  return sub(ta, sub(ta, a));
}
/** Low part of a·b = p (Dekker's product, both factors split). */
@inline function mulErrV(a: v128, b: v128, p: v128): v128 {
  const ah = splitHi(a), bh = splitHi(b);
  const al = sub(a, ah), bl = sub(b, bh);
  return add(add(add(sub(mul(ah, bh), p), mul(ah, bl)), mul(al, bh)), mul(al, bl));
}
/** Low part of a·a = p (Dekker's product with one split, since both factors are a). */
@inline function sqErr(a: v128, p: v128): v128 {
  const ah = splitHi(a);
  const al = sub(a, ah);
  const m = mul(ah, al);
  return add(add(sub(mul(ah, ah), p), add(m, m)), mul(al, al));
}
/** Low part of a·1.702 = p: the constant's split is precomputed. */
@inline function mulErr1702(a: v128, p: v128): v128 {
  const ah = splitHi(a);
  const al = sub(a, ah);
  return add(add(add(sub(mul(ah, k(33)), p), mul(ah, k(34))), mul(al, k(33))), mul(al, k(34)));
}

// ---- activations on f64x2 lanes: float32 grade -----------------------------------------------

// In float64 lanes x·sigmoid(a) = x/(1 + exp(-a)) needs no case split: exp(200) is finite and
// x/(1 + e^200) is still accurate relative to itself.
@inline function clampS(a: v128): v128 { return atMost(atLeast(a, k(10)), k(9)); }
/** -2u = -2·sqrt(2/pi)·x·(1 + 0.044715x²), for gelu's tanh form 0.5x(1 + tanh u) = x·sigmoid(2u). */
@inline function m2u(x: v128): v128 { return mul(x, add(k(25), mul(k(35), mul(x, x)))); }
@inline function softplusS(x: v128, beta: v128, threshold: v128, one: bool): v128 {
  const b = one ? x : mul(x, beta);
  const e = expNegS(atMost(f64x2.abs(b), k(9)));
  let sp = add(atLeast(b, k(15)), log1pS(e));
  if (!one) sp = div(sp, beta);
  return select(f64x2.gt(b, threshold), x, sp);
}
@inline function hardswishS(x: v128): v128 {
  const xc = atLeast(x, k(16));
  const c = atMost(atLeast(add(xc, k(13)), k(15)), k(14));
  return mul(mul(xc, c), k(12));
}

/**
 * Byte offset, plus 4092·128, of the erfcx table row holding a (a in [0, 39], NaN mapped to 0):
 * the pieces are the quarter-octaves of u = 1 + a, so u's exponent and two leading mantissa bits
 * name the row. An add and two shifts: everything in the kernel waits on the table loads (a
 * longer index computation measured 8-9% slower).
 */
@inline function pieceOffset(a: v128): v128 {
  return i64x2.shl(i64x2.shr_u(add(f64x2.pmax(k(15), a), k(4)), 50), 7);
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
/** Φ(-a) = erfc(a/sqrt2)/2 for a in [0, 15] (or NaN), float32 path: exp(-a²/2)·P(a)/Q(a). */
@inline function phiNegS(a: v128): v128 {
  // a has float32's 24 bits, so a² is exact in float64 and exp(-a²/2) keeps its 2^-28.
  const a2 = mul(a, a);
  const a4 = mul(a2, a2);
  const p = add(add(lin(a, ERFCX_R32, 0), mul(a2, lin(a, ERFCX_R32, 2))), mul(a4, c(ERFCX_R32, 4)));
  const q1 = add(k(4), mul(a, c(ERFCX_R32, 5)));
  const q = add(add(q1, mul(a2, lin(a, ERFCX_R32, 6))), mul(a4, lin(a, ERFCX_R32, 8)));
  return div(mul(expNegS(mul(a2, k(5))), p), q);
}
@inline function geluS(x: v128): v128 {
  // Past |x| = 15 float32 gelu is x or -0: Φ(-15)·2000 underflows.
  const t = phiNegS(atMost(f64x2.abs(x), k(31)));
  // x·Φ(x): Φ(-|x|) below 0, 1 - Φ(-|x|) above; the floor -2000 keeps gelu(-inf) = -0.
  return mul(atLeast(x, k(7)), select(f64x2.lt(x, k(15)), t, sub(k(4), t)));
}

// ---- activations on f64x2 lanes: float64 grade ----------------------------------------------

/**
 * num/(1 + p·2^n), scaled by 2^n in the lanes where neg is set (a < 0, num carrying e's p), last,
 * so that subnormal results are rounded once. Elsewhere there is no 2^n to apply: scaling by 2^0
 * through ldexp would overflow num·2^128 past 2^896.
 */
@inline function sigmoidFinish(num: v128, p: v128, n: v128, neg: v128): v128 {
  const v = div(num, add(k(4), ldexp(p, n)));
  return select(neg, ldexp(v, n), v);
}
/** xo·sigmoid(a + alo) in float64; alo is a low-order part of the argument. */
@inline function mulSigmoid64(xo: v128, a: v128, alo: v128): v128 {
  const neg = f64x2.lt(a, k(15));
  // e = exp(-|a + alo|) = p·2^n; a < 0: xo·e/(1 + e), else xo/(1 + e). Scaling by 2^n last
  // keeps subnormal results to one rounding.
  const m0 = f64x2.neg(f64x2.abs(a));
  const m = atLeast(m0, k(8));
  const mlo = v128.and(select(neg, alo, f64x2.neg(alo)), f64x2.ge(m0, k(8)));
  const t = expT(m);
  const n = expN(t);
  const p = ex64(expRdd(m, mlo, t));
  return sigmoidFinish(select(neg, mul(xo, p), xo), p, n, neg);
}
/** xo·sigmoid(a) in float64 for an exact argument a (no low part to carry). */
@inline function mulSigmoid64x(xo: v128, a: v128): v128 {
  const neg = f64x2.lt(a, k(15));
  const m = atLeast(f64x2.neg(f64x2.abs(a)), k(8));
  const t = expT(m);
  const n = expN(t);
  const p = ex64(expR(m, t));
  return sigmoidFinish(select(neg, mul(xo, p), xo), p, n, neg);
}
@inline function sigmoidD(x: v128): v128 {
  const neg = f64x2.lt(x, k(15));
  const m = atLeast(f64x2.neg(f64x2.abs(x)), k(8));
  const t = expT(m);
  const n = expN(t);
  const p = ex64(expR(m, t));
  // num <= 2 cannot overflow, so a 2^0 scaling in the lanes above 0 is safe here, and masking
  // n is cheaper than sigmoidFinish's select (measured 4%).
  const num = select(neg, p, k(4));
  return ldexp(div(num, add(k(4), ldexp(p, n))), v128.and(n, neg));
}
@inline function siluD(x: v128): v128 { return mulSigmoid64x(atLeast(x, k(7)), x); }
@inline function geluSigmoidD(x: v128): v128 {
  const xc = atMost(atLeast(x, k(7)), k(24));
  const a = mul(xc, k(18));
  const alo = add(mulErr1702(xc, a), mul(xc, k(19)));
  return mulSigmoid64(atLeast(x, k(7)), a, alo);
}
@inline function tanhD(x: v128): v128 {
  const t = expm1_64(mul(atMost(f64x2.abs(x), k(11)), k(29)));
  const y = div(t, sub(k(29), t));
  return v128.or(v128.andnot(y, ki(2)), v128.and(x, ki(2)));
}
@inline function mishD(x: v128): v128 {
  const t = expT(atLeast(atMost(x, k(11)), k(8)));
  const n = expN(t);
  const p = ex64(expR(atLeast(atMost(x, k(11)), k(8)), t));
  const e = ldexp(p, n);
  const e2 = add(e, k(6));
  const y = ldexp(div(mul(mul(atLeast(x, k(7)), p), e2), add(mul(e, e2), k(6))), n);
  // Past 20, tanh(softplus(x)) rounds to 1 and mish(x) = x; the formula's 2^n would overflow
  // x·2^(n+128) for x past about 2^860.
  return select(f64x2.gt(x, k(11)), x, y);
}
@inline function softplusD(x: v128, beta: v128, threshold: v128, one: bool): v128 {
  const b = one ? x : mul(x, beta);
  const m = atLeast(f64x2.neg(f64x2.abs(b)), k(8));
  const t = expT(m);
  const e = ldexp(ex64(expR(m, t)), expN(t));
  let sp = add(atLeast(b, k(15)), log1pSmall64(e));
  if (!one) sp = div(sp, beta);
  return select(f64x2.gt(b, threshold), x, sp);
}
@inline function eluD(x: v128, alpha: v128): v128 {
  const t = expm1_64(atMost(atLeast(x, k(20)), k(15)));
  return select(f64x2.gt(x, k(15)), x, mul(alpha, v128.or(t, v128.and(x, ki(2))))); // elu(-0) = -0
}
@inline function hardswishD(x: v128): v128 {
  const xc = atLeast(x, k(16));
  const c = atMost(atLeast(add(xc, k(13)), k(15)), k(14));
  // From 3 on, hardswish(x) = x exactly (and x·6 could overflow).
  return select(f64x2.ge(x, k(13)), x, div(mul(xc, c), k(14)));
}
@inline function geluD(x: v128): v128 {
  const a = atMost(f64x2.abs(x), k(21));
  const h = erfcx64(a);
  // -a²/2 exactly, as hi + lo.
  const sq = mul(a, a);
  const m = mul(sq, k(32));
  const mlo = mul(sqErr(a, sq), k(32));
  const t = expT(m);
  const p = ex64(expRdd(m, mlo, t));
  // Φ(-|x|) = p·h·2^n. Below 0 the factor x joins before the scaling, so that subnormal
  // results are rounded once; above 0, gelu = x·(1 - Φ(-x)).
  const neg = f64x2.lt(x, k(15));
  const z = ldexp(mul(mul(select(neg, atLeast(x, k(7)), k(4)), p), h), expN(t));
  return select(neg, z, mul(x, sub(k(4), z)));
}

// ---- float64 fast paths ----------------------------------------------------------------------
// Where every exp argument of a step is at least -708, 2^n is a normal float64 (n >= -1021), no
// result is subnormal and no argument needs a floor: exp = p·2^n is one product, and nothing
// is scaled after the division. The drivers test each step of four vectors and run the general
// kernels above for the steps that fail; both give the same bits (no product on the fast path
// is subnormal, so 2^n applied first or last rounds alike), which mod_test.ts checks by
// splitting arrays at random. Measured on arguments in range: sigmoid 7-18%, silu 12-22%,
// geluSigmoid 18-27%, mish 9-14%, gelu 2-3% faster.

/** -|x|. */
@inline function negAbs(x: v128): v128 { return v128.or(x, ki(2)); }
/** All-ones lanes where both a and b are at least lo (NaN lanes are zero). */
@inline function bothGe(a: v128, b: v128, lo: v128): v128 {
  return v128.and(f64x2.ge(a, lo), f64x2.ge(b, lo));
}
/** Whether every lane of a, b, c and d is at least lo (NaN fails: the general kernels take it). */
@inline function allAtLeast(a: v128, b: v128, c: v128, d: v128, lo: v128): bool {
  // Comparisons rather than a pmin tree: pmin can drop a NaN and the lane beside it.
  return i64x2.all_true(v128.and(bothGe(a, b, lo), bothGe(c, d, lo)));
}
/** exp(m + lo) = p·2^n for m >= -708 (lo a small low-order part): 2^n is normal, one product. */
@inline function expFdd(m: v128, lo: v128): v128 {
  const t = expT(m);
  return mul(ex64(expRdd(m, lo, t)), pow2t(t));
}
/** exp(m) for m >= -708, as expFdd. */
@inline function expF(m: v128): v128 {
  const t = expT(m);
  return mul(ex64(expR(m, t)), pow2t(t));
}
/** xo·sigmoid(a + alo), |a| <= 708. */
@inline function mulSigmoidF(xo: v128, a: v128, alo: v128): v128 {
  const neg = f64x2.lt(a, k(15));
  // m = -|a| carries alo with the sign flipped where a >= 0.
  const e = expFdd(negAbs(a), v128.xor(alo, v128.andnot(ki(2), neg)));
  return div(select(neg, mul(xo, e), xo), add(k(4), e));
}
@inline function sigmoidF(x: v128): v128 {
  const e = expF(negAbs(x));
  return div(select(f64x2.lt(x, k(15)), e, k(4)), add(k(4), e));
}
@inline function siluF(x: v128): v128 {
  const e = expF(negAbs(x));
  return div(select(f64x2.lt(x, k(15)), mul(x, e), x), add(k(4), e));
}
/** |x| <= 415. */
@inline function geluSigmoidF(x: v128): v128 {
  const a = mul(x, k(18));
  return mulSigmoidF(x, a, add(mulErr1702(x, a), mul(x, k(19))));
}
/** x >= -708: mishD's formula and order, with 2^n applied up front. */
@inline function mishF(x: v128): v128 {
  const e = expF(atMost(x, k(11)));
  const e2 = add(e, k(6));
  return select(f64x2.gt(x, k(11)), x, div(mul(mul(x, e), e2), add(mul(e, e2), k(6))));
}

/**
 * |x| <= 37.5 (x²/2 <= 704): geluD without the cap on |x|, the floor on x, or the late scaling
 * (2^n joins first: no product here is subnormal, so the bits are geluD's).
 */
@inline function geluF(x: v128): v128 {
  const a = f64x2.abs(x);
  const sq = mul(a, a);
  const e = expFdd(mul(sq, k(32)), mul(sqErr(a, sq), k(32)));
  const neg = f64x2.lt(x, k(15));
  const z = mul(mul(select(neg, x, k(4)), e), erfcx64(a));
  return select(neg, z, mul(x, sub(k(4), z)));
}

// ---- float32 kernels with the exp in f32x4 lanes -------------------------------------------
// exp(a) = (1 + q)·2^n: q = expm1(r) is computed on four float32 lanes (error about 2^-25
// relative to 1 + q), and the 1 + q, the 2^n and all that follows happen in float64 lanes, so
// results stay within 1 ULP. Arguments that are not exact float32 values: see divOnePlusExp and
// softmax's exps.

const F: usize = memory.data<f32>([
  1.4426950408889634, // 0 log2(e)
  12582912.0, // 1 1.5·2^23
  0.693359375, // 2 ln2 high part (9 bits: n·hi exact)
  -2.1219444e-4, // 3 ln2 low part
  -1.4426950408889634, // 4 -log2(e)
  -0.693359375, // 5
  150.0, // 6 exp argument bound (results then fit float64 without care)
  -150.0, // 7
  -2000.0, // 8 outer factor floor
  20.0, // 9 mish argument cap
  0.0, // 10
  -40.0, // 11 expm1 floor
  -2.885390081777927, // 12 -2·log2(e)
]);
// i32 constants.
const FI: usize = memory.data<i32>([
  0x4b400000 - 1023, // 0 bits of 1.5·2^23 minus the float64 exponent bias
  0x80000000, // 1 float32 sign bit
]);
@inline function kf(i: i32): v128 { return v128.load32_splat(F + (<usize>i << 2)); }
@inline function kfi(i: i32): v128 { return v128.load32_splat(FI + (<usize>i << 2)); }
@inline function fadd(a: v128, b: v128): v128 { return f32x4.add(a, b); }
@inline function fsub(a: v128, b: v128): v128 { return f32x4.sub(a, b); }
@inline function fmul(a: v128, b: v128): v128 { return f32x4.mul(a, b); }
@inline function clampF(x: v128): v128 { return f32x4.pmin(f32x4.pmax(x, kf(7)), kf(6)); }
@inline function fc(i: i32): v128 { return v128.load32_splat(EXP_F32 + (<usize>i << 2)); }
@inline function fh(r: v128, x: v128, i: i32): v128 { return fadd(fmul(r, x), fc(i)); }

/** t = a·log2e + 1.5·2^23 (n = round(a/ln2) in the low bits), for exp(a); a in [-150, 150]. */
@inline function tPos(a: v128): v128 { return fadd(fmul(a, kf(0)), kf(1)); }
/** As tPos, for exp(-a). */
@inline function tNeg(a: v128): v128 { return fadd(fmul(a, kf(4)), kf(1)); }
/** r²·P(r), the part of expm1(r) = r + r²·P(r) past its first term. */
@inline function r2P(r: v128): v128 {
  // Estrin's scheme: these loops are bound by their dependency chains more than by their
  // operation counts (measured: 5-7% faster than Horner's rule for tanh, elu and mish).
  const r2 = fmul(r, r);
  return fmul(r2, fadd(fh(fc(1), r, 0), fmul(r2, fadd(fh(fc(3), r, 2), fmul(r2, fc(4))))));
}
@inline function qOf(r: v128): v128 { return fadd(r, r2P(r)); }
/** expm1(r) with r = a - n·ln2. */
@inline function qPos0(a: v128, t: v128): v128 {
  const n = fsub(t, kf(1));
  return qOf(fsub(fsub(a, fmul(n, kf(2))), fmul(n, kf(3))));
}
/** expm1(r) with r = -a - n·ln2. */
@inline function qNeg0(a: v128, t: v128): v128 {
  const n = fsub(t, kf(1));
  return qOf(fsub(fsub(fmul(n, kf(5)), a), fmul(n, kf(3))));
}
/** n + 1023 in i32 lanes. */
@inline function nBias(t: v128): v128 { return i32x4.sub(t, kfi(0)); }
/** (1 + q)·2^n on float64 lanes 0, 1. */
@inline function eLo(q: v128, nb: v128): v128 {
  return mul(add(k(4), f64x2.promote_low_f32x4(q)), i64x2.shl(i64x2.extend_low_i32x4_s(nb), 52));
}
/** (1 + q)·2^n on float64 lanes 2, 3. */
@inline function eHi(q: v128, nb: v128): v128 {
  const qh = f64x2.promote_low_f32x4(i32x4.shuffle(q, q, 2, 3, 2, 3));
  return mul(add(k(4), qh), i64x2.shl(i64x2.extend_high_i32x4_s(nb), 52));
}
/** 1 + (1 + q)·2^n on float64 lanes 0, 1, as (1 + 2^n) + 2^n·q: off q's dependency chain. */
@inline function dLo(q: v128, nb: v128): v128 {
  const s = i64x2.shl(i64x2.extend_low_i32x4_s(nb), 52);
  return add(add(k(4), s), mul(s, f64x2.promote_low_f32x4(q)));
}
/** As dLo, on float64 lanes 2, 3. */
@inline function dHi(q: v128, nb: v128): v128 {
  const s = i64x2.shl(i64x2.extend_high_i32x4_s(nb), 52);
  return add(add(k(4), s), mul(s, f64x2.promote_low_f32x4(i32x4.shuffle(q, q, 2, 3, 2, 3))));
}
@inline function fLo(x: v128): v128 { return f64x2.promote_low_f32x4(x); }
@inline function fHi(x: v128): v128 { return f64x2.promote_low_f32x4(i32x4.shuffle(x, x, 2, 3, 2, 3)); }
@inline function pack(a: v128, b: v128): v128 {
  return i32x4.shuffle(f32x4.demote_f64x2_zero(a), f32x4.demote_f64x2_zero(b), 0, 1, 4, 5);
}
/** expm1 = 2^n·q + (2^n - 1) on float64 lanes 0, 1 (exact for n = 0: no cancellation). */
@inline function emLo(q: v128, nb: v128): v128 {
  const s = i64x2.shl(i64x2.extend_low_i32x4_s(nb), 52);
  return add(mul(s, f64x2.promote_low_f32x4(q)), sub(s, k(4)));
}
@inline function emHi(q: v128, nb: v128): v128 {
  const s = i64x2.shl(i64x2.extend_high_i32x4_s(nb), 52);
  return add(mul(s, f64x2.promote_low_f32x4(i32x4.shuffle(q, q, 2, 3, 2, 3))), sub(s, k(4)));
}
/** tanh|x| = -t/(t + 2), t = expm1(-2|x|). */
@inline function tanhFinish(t: v128): v128 { return div(t, sub(k(29), t)); }
// One vector (4 float32 or 2 float64 elements) per call; the loops below run four at a time.
@inline function tanh4(x0: v128): v128 {
  // expm1(-2a), a = |x|: the factor -2 goes into log2(e) and, exactly, into the reduction, so
  // it is not a step on the dependency chain.
  const a = f32x4.pmin(f32x4.abs(x0), kf(9));
  const t = fadd(fmul(a, kf(12)), kf(1));
  const q = qNeg0(fadd(a, a), t), nb = nBias(t);
  const y = pack(tanhFinish(emLo(q, nb)), tanhFinish(emHi(q, nb)));
  return v128.or(v128.andnot(y, kfi(1)), v128.and(x0, kfi(1)));
}
@inline function eluFinish(x: v128, t: v128, alpha: v128): v128 {
  return select(f64x2.gt(x, k(15)), x, mul(alpha, v128.or(t, v128.and(x, ki(2))))); // elu(-0) = -0
}
@inline function elu4(x0: v128, al: v128): v128 {
  const a = f32x4.pmin(f32x4.pmax(x0, kf(11)), kf(10));
  const t = tPos(a);
  const q = qPos0(a, t), nb = nBias(t);
  return pack(eluFinish(fLo(x0), emLo(q, nb), al), eluFinish(fHi(x0), emHi(q, nb), al));
}
/** elu with alpha 1: expm1 rounded once to float32 is the answer below 0, no product after it. */
@inline function elu1(x0: v128): v128 {
  const a = f32x4.pmin(f32x4.pmax(x0, kf(11)), kf(10));
  const t = tPos(a);
  const q = qPos0(a, t), nb = nBias(t);
  const m = pack(emLo(q, nb), emHi(q, nb));
  // elu(-0) = -0: expm1's sign is taken from x.
  return v128.bitselect(x0, v128.or(m, v128.and(x0, kfi(1))), f32x4.gt(x0, kf(10)));
}
@inline function sigmoid4(x0: v128): v128 {
  const x = clampF(x0);
  const t = tNeg(x);
  const q = qNeg0(x, t), nb = nBias(t);
  return pack(div(k(4), dLo(q, nb)), div(k(4), dHi(q, nb)));
}
@inline function silu4(x0: v128): v128 {
  const x = clampF(x0), xo = f32x4.pmax(x0, kf(8));
  const t = tNeg(x);
  const q = qNeg0(x, t), nb = nBias(t);
  return pack(div(fLo(xo), dLo(q, nb)), div(fHi(xo), dHi(q, nb)));
}
/**
 * pack(nl/(1 + e^ml), nh/(1 + e^mh)) for float64 arguments m in [-200, 200] that are not exact
 * float32 values: r = m - n·ln2 in float64, rounded to float32 for expm1(r) on four lanes (that
 * rounding adds at most 2^-25.5 relative), 1 + 2^n·(1 + q) and the division in float64.
 */
@inline function divOnePlusExp(nl: v128, nh: v128, ml: v128, mh: v128): v128 {
  const tl = expT(ml), th = expT(mh);
  const q = qOf(pack(sub(ml, mul(sub(tl, k(1)), k(28))), sub(mh, mul(sub(th, k(1)), k(28)))));
  const sl = pow2t(tl), sh = pow2t(th);
  const dl = add(add(k(4), sl), mul(sl, fLo(q)));
  const dh = add(add(k(4), sh), mul(sh, fHi(q)));
  return pack(div(nl, dl), div(nh, dh));
}
@inline function geluSigmoid4(x0: v128): v128 {
  const xl = fLo(x0), xh = fHi(x0);
  return divOnePlusExp(
    atLeast(xl, k(7)),
    atLeast(xh, k(7)),
    clampS(mul(xl, k(36))),
    clampS(mul(xh, k(36))),
  );
}
@inline function mishFinish(xo: v128, e: v128): v128 {
  const m = mul(e, add(e, k(6)));
  return div(mul(xo, m), add(m, k(6)));
}
@inline function mish4(x0: v128): v128 {
  const x = f32x4.pmin(f32x4.pmax(x0, kf(7)), kf(9));
  const t = tPos(x);
  const q = qPos0(x, t), nb = nBias(t);
  const xo = f32x4.pmax(x0, kf(8));
  return pack(mishFinish(fLo(xo), eLo(q, nb)), mishFinish(fHi(xo), eHi(q, nb)));
}
/**
 * softplus on float64 lanes, exp included: measured 7% faster than the exp on float32 lanes and
 * its float64 finish, whose longer dependency chain cost more than its fewer operations.
 */
@inline function softplus4(x0: v128, bt: v128, th: v128, one: bool): v128 {
  return pack(softplusS(fLo(x0), bt, th, one), softplusS(fHi(x0), bt, th, one));
}
// relu: pmax(x, 0) is one instruction (x < 0 ? 0 : x), keeps NaN, and leaves -0 as -0.
// pmax(x, 0) keeps NaN and gives -0 for -0; adding +0 turns that into +0, as max(0, x) and the
// reference path have it (-0 + 0 = +0; every other value is unchanged).
@inline function relu4(x: v128): v128 { return f32x4.add(f32x4.pmax(x, k(15)), k(15)); }
@inline function relu2(x: v128): v128 { return f64x2.add(f64x2.pmax(x, k(15)), k(15)); }
@inline function geluTanh4(x0: v128): v128 {
  const xl = fLo(x0), xh = fHi(x0);
  return divOnePlusExp(atLeast(xl, k(7)), atLeast(xh, k(7)), clampS(m2u(xl)), clampS(m2u(xh)));
}
@inline function hardswish4(x: v128): v128 { return pack(hardswishS(fLo(x)), hardswishS(fHi(x))); }
@inline function gelu4(x: v128): v128 { return pack(geluS(fLo(x)), geluS(fHi(x))); }

// ---- element-wise drivers ------------------------------------------------------------------
// Each reads n elements at p and writes them at d (p == d: in place). Four vectors per step,
// computed before any is stored: interleaving independent dependency chains measured 8-15%
// faster than one vector per step. A step covers 64 bytes, so both ends need 60 bytes of slack
// after the last element (the scratch tile has them; callers on other memory pass whole steps).

@inline function end(p: usize, n: i32, shift: i32): usize { return p + (<usize>n << shift); }
@inline function store4(p: usize, a: v128, b: v128, c: v128, d: v128): void {
  v128.store(p, a);
  v128.store(p, b, 16);
  v128.store(p, c, 32);
  v128.store(p, d, 48);
}
@inline function ld(p: usize, i: i32): v128 { return v128.load(p + (<usize>i << 4)); }
/** Float32 elements p[0..1] and p[2..3] on float64 lanes, and back. */
@inline function lo32(p: usize): v128 { return f64x2.promote_low_f32x4(v128.load64_zero(p)); }
@inline function hi32(p: usize): v128 { return f64x2.promote_low_f32x4(v128.load64_zero(p, 8)); }
@inline function store32(p: usize, a: v128, b: v128): void { v128.store(p, pack(a, b)); }

export function tanh_f32(p: usize, d: usize, n: i32): void {
  for (const e = end(p, n, 2); p < e; p += 64, d += 64) {
    store4(d, tanh4(ld(p, 0)), tanh4(ld(p, 1)), tanh4(ld(p, 2)), tanh4(ld(p, 3)));
  }
}
export function elu_f32(p: usize, d: usize, n: i32, alpha: f64): void {
  const al = f64x2.splat(alpha);
  const e = end(p, n, 2);
  if (alpha == 1) {
    for (; p < e; p += 64, d += 64) store4(d, elu1(ld(p, 0)), elu1(ld(p, 1)), elu1(ld(p, 2)), elu1(ld(p, 3)));
  } else {
    for (; p < e; p += 64, d += 64) {
      store4(d, elu4(ld(p, 0), al), elu4(ld(p, 1), al), elu4(ld(p, 2), al), elu4(ld(p, 3), al));
    }
  }
}
export function sigmoid_f32(p: usize, d: usize, n: i32): void {
  for (const e = end(p, n, 2); p < e; p += 64, d += 64) {
    store4(d, sigmoid4(ld(p, 0)), sigmoid4(ld(p, 1)), sigmoid4(ld(p, 2)), sigmoid4(ld(p, 3)));
  }
}
export function silu_f32(p: usize, d: usize, n: i32): void {
  for (const e = end(p, n, 2); p < e; p += 64, d += 64) {
    store4(d, silu4(ld(p, 0)), silu4(ld(p, 1)), silu4(ld(p, 2)), silu4(ld(p, 3)));
  }
}
export function geluSigmoid_f32(p: usize, d: usize, n: i32): void {
  for (const e = end(p, n, 2); p < e; p += 64, d += 64) {
    const a = geluSigmoid4(ld(p, 0)), b = geluSigmoid4(ld(p, 1));
    store4(d, a, b, geluSigmoid4(ld(p, 2)), geluSigmoid4(ld(p, 3)));
  }
}
export function mish_f32(p: usize, d: usize, n: i32): void {
  for (const e = end(p, n, 2); p < e; p += 64, d += 64) {
    store4(d, mish4(ld(p, 0)), mish4(ld(p, 1)), mish4(ld(p, 2)), mish4(ld(p, 3)));
  }
}
export function softplus_f32(p: usize, d: usize, n: i32, beta: f64, threshold: f64): void {
  const bt = f64x2.splat(beta), th = f64x2.splat(threshold);
  const e = end(p, n, 2);
  if (beta == 1) {
    for (; p < e; p += 64, d += 64) {
      const a = softplus4(ld(p, 0), bt, th, true), b = softplus4(ld(p, 1), bt, th, true);
      store4(d, a, b, softplus4(ld(p, 2), bt, th, true), softplus4(ld(p, 3), bt, th, true));
    }
  } else {
    for (; p < e; p += 64, d += 64) {
      const a = softplus4(ld(p, 0), bt, th, false), b = softplus4(ld(p, 1), bt, th, false);
      store4(d, a, b, softplus4(ld(p, 2), bt, th, false), softplus4(ld(p, 3), bt, th, false));
    }
  }
}
export function relu_f32(p: usize, d: usize, n: i32): void {
  for (const e = end(p, n, 2); p < e; p += 64, d += 64) {
    store4(d, relu4(ld(p, 0)), relu4(ld(p, 1)), relu4(ld(p, 2)), relu4(ld(p, 3)));
  }
}
export function geluTanh_f32(p: usize, d: usize, n: i32): void {
  for (const e = end(p, n, 2); p < e; p += 64, d += 64) {
    store4(d, geluTanh4(ld(p, 0)), geluTanh4(ld(p, 1)), geluTanh4(ld(p, 2)), geluTanh4(ld(p, 3)));
  }
}
export function hardswish_f32(p: usize, d: usize, n: i32): void {
  for (const e = end(p, n, 2); p < e; p += 64, d += 64) {
    store4(d, hardswish4(ld(p, 0)), hardswish4(ld(p, 1)), hardswish4(ld(p, 2)), hardswish4(ld(p, 3)));
  }
}
export function gelu_f32(p: usize, d: usize, n: i32): void {
  for (const e = end(p, n, 2); p < e; p += 64, d += 64) {
    store4(d, gelu4(ld(p, 0)), gelu4(ld(p, 1)), gelu4(ld(p, 2)), gelu4(ld(p, 3)));
  }
}

export function relu_f64(p: usize, d: usize, n: i32): void {
  for (const e = end(p, n, 3); p < e; p += 64, d += 64) {
    store4(d, relu2(ld(p, 0)), relu2(ld(p, 1)), relu2(ld(p, 2)), relu2(ld(p, 3)));
  }
}
export function sigmoid_f64(p: usize, d: usize, n: i32): void {
  for (const e = end(p, n, 3); p < e; p += 64, d += 64) {
    const x0 = ld(p, 0), x1 = ld(p, 1), x2 = ld(p, 2), x3 = ld(p, 3);
    if (allAtLeast(negAbs(x0), negAbs(x1), negAbs(x2), negAbs(x3), k(37))) {
      store4(d, sigmoidF(x0), sigmoidF(x1), sigmoidF(x2), sigmoidF(x3));
    } else {
      store4(d, sigmoidD(x0), sigmoidD(x1), sigmoidD(x2), sigmoidD(x3));
    }
  }
}
export function silu_f64(p: usize, d: usize, n: i32): void {
  for (const e = end(p, n, 3); p < e; p += 64, d += 64) {
    const x0 = ld(p, 0), x1 = ld(p, 1), x2 = ld(p, 2), x3 = ld(p, 3);
    if (allAtLeast(negAbs(x0), negAbs(x1), negAbs(x2), negAbs(x3), k(37))) {
      store4(d, siluF(x0), siluF(x1), siluF(x2), siluF(x3));
    } else {
      store4(d, siluD(x0), siluD(x1), siluD(x2), siluD(x3));
    }
  }
}
export function geluSigmoid_f64(p: usize, d: usize, n: i32): void {
  for (const e = end(p, n, 3); p < e; p += 64, d += 64) {
    const x0 = ld(p, 0), x1 = ld(p, 1), x2 = ld(p, 2), x3 = ld(p, 3);
    if (allAtLeast(negAbs(x0), negAbs(x1), negAbs(x2), negAbs(x3), k(38))) {
      store4(d, geluSigmoidF(x0), geluSigmoidF(x1), geluSigmoidF(x2), geluSigmoidF(x3));
    } else {
      store4(d, geluSigmoidD(x0), geluSigmoidD(x1), geluSigmoidD(x2), geluSigmoidD(x3));
    }
  }
}
export function tanh_f64(p: usize, d: usize, n: i32): void {
  for (const e = end(p, n, 3); p < e; p += 64, d += 64) {
    store4(d, tanhD(ld(p, 0)), tanhD(ld(p, 1)), tanhD(ld(p, 2)), tanhD(ld(p, 3)));
  }
}
export function mish_f64(p: usize, d: usize, n: i32): void {
  for (const e = end(p, n, 3); p < e; p += 64, d += 64) {
    const x0 = ld(p, 0), x1 = ld(p, 1), x2 = ld(p, 2), x3 = ld(p, 3);
    if (allAtLeast(x0, x1, x2, x3, k(37))) store4(d, mishF(x0), mishF(x1), mishF(x2), mishF(x3));
    else store4(d, mishD(x0), mishD(x1), mishD(x2), mishD(x3));
  }
}
export function softplus_f64(p: usize, d: usize, n: i32, beta: f64, threshold: f64): void {
  const bt = f64x2.splat(beta), th = f64x2.splat(threshold);
  const e = end(p, n, 3);
  if (beta == 1) {
    for (; p < e; p += 64, d += 64) {
      const a = softplusD(ld(p, 0), bt, th, true), b = softplusD(ld(p, 1), bt, th, true);
      store4(d, a, b, softplusD(ld(p, 2), bt, th, true), softplusD(ld(p, 3), bt, th, true));
    }
  } else {
    for (; p < e; p += 64, d += 64) {
      const a = softplusD(ld(p, 0), bt, th, false), b = softplusD(ld(p, 1), bt, th, false);
      store4(d, a, b, softplusD(ld(p, 2), bt, th, false), softplusD(ld(p, 3), bt, th, false));
    }
  }
}
export function elu_f64(p: usize, d: usize, n: i32, alpha: f64): void {
  const al = f64x2.splat(alpha);
  for (const e = end(p, n, 3); p < e; p += 64, d += 64) {
    store4(d, eluD(ld(p, 0), al), eluD(ld(p, 1), al), eluD(ld(p, 2), al), eluD(ld(p, 3), al));
  }
}
export function hardswish_f64(p: usize, d: usize, n: i32): void {
  for (const e = end(p, n, 3); p < e; p += 64, d += 64) {
    store4(d, hardswishD(ld(p, 0)), hardswishD(ld(p, 1)), hardswishD(ld(p, 2)), hardswishD(ld(p, 3)));
  }
}
export function gelu_f64(p: usize, d: usize, n: i32): void {
  for (const e = end(p, n, 3); p < e; p += 64, d += 64) {
    const x0 = ld(p, 0), x1 = ld(p, 1), x2 = ld(p, 2), x3 = ld(p, 3);
    if (allAtLeast(negAbs(x0), negAbs(x1), negAbs(x2), negAbs(x3), k(39))) {
      store4(d, geluF(x0), geluF(x1), geluF(x2), geluF(x3));
    } else {
      store4(d, geluD(x0), geluD(x1), geluD(x2), geluD(x3));
    }
  }
}

// ---- softmax / logSoftmax along rows ----------------------------------------------------------
// max, then exp(x - max) and its sum, then scale. A row holding +inf, or only -inf, gets a NaN
// x - max (see rowShift); a NaN entry, which the vector max skips (pmax), gives a NaN exp and so a
// NaN sum: either way the whole row turns NaN without special cases or a NaN test per entry.

/**
 * Lane maxima of the whole vectors of a row of n T (pmax: NaN entries are skipped), from m. Four
 * running maxima over 64-byte steps: one would make a chain of n/lanes dependent pmax (measured:
 * float32 softmax 6-8% faster). pmax, not max: V8 spells the NaN-propagating f64x2.max as a long
 * sequence (float64 softmax measured 35% faster with this and the fast path together).
 */
@inline function laneMax<T>(p: usize, n: i32, m: v128): v128 {
  const lanes = 16 / <i32>sizeof<T>();
  let m1 = m, m2 = m, m3 = m;
  let i = 0;
  for (; i + 4 * lanes <= n; i += 4 * lanes) {
    const q = p + (<usize>i << alignof<T>());
    m = v128.pmax<T>(m, v128.load(q));
    m1 = v128.pmax<T>(m1, v128.load(q, 16));
    m2 = v128.pmax<T>(m2, v128.load(q, 32));
    m3 = v128.pmax<T>(m3, v128.load(q, 48));
  }
  m = v128.pmax<T>(v128.pmax<T>(m, m1), v128.pmax<T>(m2, m3));
  for (; i + lanes <= n; i += lanes) m = v128.pmax<T>(m, v128.load(p + (<usize>i << alignof<T>())));
  return m;
}
@inline function rowMax32(p: usize, n: i32): f64 {
  const m = laneMax<f32>(p, n, v128.load32_splat(NEG_INF32));
  let s = max<f32>(
    max<f32>(f32x4.extract_lane(m, 0), f32x4.extract_lane(m, 1)),
    max<f32>(f32x4.extract_lane(m, 2), f32x4.extract_lane(m, 3)),
  );
  for (let i = n & ~3; i < n; i++) s = max<f32>(s, load<f32>(p + (<usize>i << 2)));
  return <f64>s;
}
@inline function rowMax64(p: usize, n: i32): f64 {
  const m = laneMax<f64>(p, n, v128.load64_splat(NEG_INF64));
  let s = max<f64>(f64x2.extract_lane(m, 0), f64x2.extract_lane(m, 1));
  for (let i = n & ~1; i < n; i++) s = max<f64>(s, load<f64>(p + (<usize>i << 3)));
  return s;
}
const NEG_INF32: usize = memory.data<f32>([-Infinity]);
const NEG_INF64: usize = memory.data<f64>([-Infinity]);

/** exp(x - m) for the float32 path. */
@inline function expShift32(x: v128, mv: v128): v128 { return expS(atLeast(sub(x, mv), k(10))); }

/** The rounding error of s = a + b, lane by lane (Knuth's two-sum: any magnitudes). */
@inline function twoSumErrV(a: v128, b: v128, s: v128): v128 {
  const bb = sub(s, a);
  return add(sub(a, sub(s, bb)), sub(b, bb));
}
/** The rounding error of s = x - m: x - m = s + lo exactly. */
@inline function shiftLo(x: v128, mv: v128, s: v128): v128 { return twoSumErrV(x, f64x2.neg(mv), s); }
/** exp((x - m) exactly) for the float64 path, given s = x - m. */
@inline function expShift64(x: v128, mv: v128, s: v128): v128 {
  const a = atLeast(s, k(8));
  const lo = v128.and(shiftLo(x, mv, s), f64x2.ge(s, k(8)));
  const t = expT(a);
  return ldexp(ex64(expRdd(a, lo, t)), expN(t));
}
/** expShift64 where s >= -708 (see the float64 fast paths): the same bits, for less. */
@inline function expShiftF(x: v128, mv: v128, s: v128): v128 { return expFdd(s, shiftLo(x, mv, s)); }
/** exp(x - m) on the fast path or the general one. */
@inline function expShiftAt(x: v128, mv: v128, s: v128, fast: bool): v128 {
  return fast ? expShiftF(x, mv, s) : expShift64(x, mv, s);
}
/** exp(x - m) of one vector on the general path. */
@inline function expShift1(x: v128, mv: v128): v128 { return expShift64(x, mv, sub(x, mv)); }
/** The rounding error of the scalar sum s = a + b. */
@inline function twoSumErr(a: f64, b: f64, s: f64): f64 {
  const bb = s - a;
  return (a - (s - bb)) + (b - bb);
}
/** The lanes of s0 + s1 + c0 + c1 (two compensated sums): the s added with their errors, the small c last. */
@inline function sumTotal(s0: v128, c0: v128, s1: v128, c1: v128): f64 {
  const u0 = f64x2.extract_lane(s0, 0), u1 = f64x2.extract_lane(s0, 1);
  const w0 = f64x2.extract_lane(s1, 0), w1 = f64x2.extract_lane(s1, 1);
  const a = u0 + u1, b = w0 + w1, t = a + b;
  const c = add(c0, c1);
  const err = (twoSumErr(u0, u1, a) + twoSumErr(w0, w1, b)) + twoSumErr(a, b, t);
  return t + (err + (f64x2.extract_lane(c, 0) + f64x2.extract_lane(c, 1)));
}
/** (x - m) - l for the float64 path, with x - m kept exactly. */
@inline function shiftLog64(x: v128, mv: v128, lv: v128): v128 {
  const s = sub(x, mv);
  const lo = v128.and(shiftLo(x, mv, s), f64x2.lt(f64x2.abs(s), k(23)));
  return add(sub(s, lv), lo);
}

// Row sums leave out the entries equal to the max (their exp is exactly 1) and count them, so
// logSoftmax can take log1p of the rest: log(1 + tiny) would lose the tiny part.
let maxCount: f64 = 0;

/** Entries equal to the max in the last sumexp call. */
export function lastMaxCount(): f64 {
  return maxCount;
}

/**
 * The float64 exps of a float32 softmax row, kept between its sum and its scaling. Rounded to
 * float32 there, each exp was off by up to 2^-24 of itself before the quotient was rounded
 * again: up to 1 ULP of a quotient whose mantissa is larger than the exp's, and with the
 * float32 exp's own error and a sum of rounded terms, 2.09 ULP in all. Rows up to the scratch
 * tile's length fit; longer ones (on arena memory) form each exp again instead.
 */
const EXP_ROW: i32 = 16384;
const EXPS: usize = memory.data(EXP_ROW << 3, 16);
// What exps() does with the exps of four float32 lanes, held on two float64 vectors.
/** Keep them at e and return them added in pairs. */
const KEEP: i32 = 0;
/** Return them added in pairs, the lanes equal to the max left out. */
const REST: i32 = 1;
/** Return them times iv, rounded to float32. */
const SCALE: i32 = 2;
/**
 * exp(x - m) for four float32 lanes x, within 2^-25.6 of itself, never rounded to float32:
 * x - m is exact in float64 lanes (or rounded far below what matters, for a tiny x beside a
 * large m), reduced there to r = (x - m) - n·ln2, and only r²·P(r), below 0.07, is formed on
 * float32 lanes and rounded (exp = (1 + r + r²·P(r))·2^n). Rounding r and expm1(r) to float32,
 * as the element-wise kernels do, left 2^-24.4: 1.2 ULP of softmax instead of 0.73.
 */
@inline function exps(x: v128, mf: v128, mv: v128, mode: i32, e: usize, iv: v128): v128 {
  // x - m floored at -200 (e^-200 is 0 in any float32 result), t = (x - m)·log2e + 1.5·2^52 +
  // 1023, an integer whose low 12 bits are n + 1023: t << 52 is 2^n (a NaN gives any power of
  // 2, 0 or ∞, all turned NaN by the product).
  const sl = atLeast(sub(fLo(x), mv), k(10)), sh = atLeast(sub(fHi(x), mv), k(10));
  const tl = add(mul(sl, k(0)), k(40)), th = add(mul(sh, k(0)), k(40));
  const rl = sub(sl, mul(sub(tl, k(40)), k(28))), rh = sub(sh, mul(sub(th, k(40)), k(28)));
  const v = r2P(pack(rl, rh));
  let lo = mul(add(add(k(4), rl), fLo(v)), i64x2.shl(tl, 52));
  let hi = mul(add(add(k(4), rh), fHi(v)), i64x2.shl(th, 52));
  if (mode == SCALE) return pack(mul(lo, iv), mul(hi, iv));
  if (mode == KEEP) {
    v128.store(e, lo);
    v128.store(e, hi, 16);
  } else {
    const mask = f32x4.eq(x, mf);
    lo = v128.andnot(lo, i64x2.extend_low_i32x4_s(mask));
    hi = v128.andnot(hi, i64x2.extend_high_i32x4_s(mask));
  }
  return add(lo, hi);
}
/**
 * Row sum of exp(x - m) for the float32 path, in float64 (see exps). Softmax (keep): every
 * entry, each exp kept at EXPS. LogSoftmax: the entries equal to the max left out and counted
 * in maxCount. Four vectors per step (one per step: 2-5% slower).
 */
@inline function rowSum32(p: usize, n: i32, m: f64, keep: bool): f64 {
  const mv = f64x2.splat(m), mf = f32x4.splat(<f32>m);
  let s0 = k(15), s1 = k(15), c = k(15);
  let i = 0;
  for (; i + 16 <= n; i += 16) {
    const q = p + (<usize>i << 2), e = EXPS + (<usize>i << 3);
    const x0 = v128.load(q), x1 = v128.load(q, 16), x2 = v128.load(q, 32), x3 = v128.load(q, 48);
    if (keep) {
      s0 = add(s0, add(exps(x0, mf, mv, KEEP, e, mv), exps(x1, mf, mv, KEEP, e + 32, mv)));
      s1 = add(s1, add(exps(x2, mf, mv, KEEP, e + 64, mv), exps(x3, mf, mv, KEEP, e + 96, mv)));
    } else {
      s0 = add(s0, add(exps(x0, mf, mv, REST, 0, mv), exps(x1, mf, mv, REST, 0, mv)));
      s1 = add(s1, add(exps(x2, mf, mv, REST, 0, mv), exps(x3, mf, mv, REST, 0, mv)));
      const m01 = i32x4.add(f32x4.eq(x0, mf), f32x4.eq(x1, mf));
      c = i32x4.sub(c, i32x4.add(m01, i32x4.add(f32x4.eq(x2, mf), f32x4.eq(x3, mf))));
    }
  }
  for (; i + 4 <= n; i += 4) {
    const x = v128.load(p + (<usize>i << 2));
    if (keep) {
      s0 = add(s0, exps(x, mf, mv, KEEP, EXPS + (<usize>i << 3), mv));
    } else {
      s0 = add(s0, exps(x, mf, mv, REST, 0, mv));
      c = i32x4.sub(c, f32x4.eq(x, mf));
    }
  }
  const v = add(s0, s1);
  let r = f64x2.extract_lane(v, 0) + f64x2.extract_lane(v, 1);
  let count = <f64>(i32x4.extract_lane(c, 0) + i32x4.extract_lane(c, 1) +
    i32x4.extract_lane(c, 2) + i32x4.extract_lane(c, 3));
  for (; i < n; i++) {
    const x = <f64>load<f32>(p + (<usize>i << 2));
    const e = f64x2.extract_lane(expShift32(f64x2.splat(x), mv), 0);
    if (keep) store<f64>(EXPS + (<usize>i << 3), e);
    if (!keep && x == m) count += 1;
    else r += e;
  }
  if (!keep) maxCount = count;
  return r;
}
/**
 * Row sum of exp(x - m) for the float64 path. Softmax (keep): every entry, each exp kept at d.
 * LogSoftmax: the entries equal to the max left out and counted in maxCount.
 */
@inline function rowSum64(p: usize, d: usize, n: i32, m: f64, keep: bool): f64 {
  const mv = f64x2.splat(m);
  // Compensated sums (Neumaier's: each addition's rounding error collected in c): float64
  // softmax needs the row sum to about one rounding. Kahan's cheaper update assumes the running
  // sum outweighs each new term, which exp(x - max) breaks: sums measured up to 1.05 ULP off
  // their terms' exact sum. Two sums, over alternate vectors, halve the loop's dependency chain.
  let s0 = k(15), c0 = k(15), s1 = k(15), c1 = k(15), cnt = k(15);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const q = p + (<usize>i << 3), o = d + (<usize>i << 3);
    const x0 = v128.load(q), x1 = v128.load(q, 16);
    const a0 = sub(x0, mv), a1 = sub(x1, mv);
    const fast = i64x2.all_true(bothGe(a0, a1, k(37)));
    let e0 = expShiftAt(x0, mv, a0, fast), e1 = expShiftAt(x1, mv, a1, fast);
    if (keep) {
      v128.store(o, e0);
      v128.store(o, e1, 16);
    } else {
      const m0 = f64x2.eq(x0, mv), m1 = f64x2.eq(x1, mv);
      cnt = i64x2.sub(i64x2.sub(cnt, m0), m1);
      e0 = v128.andnot(e0, m0);
      e1 = v128.andnot(e1, m1);
    }
    const t0 = add(s0, e0), t1 = add(s1, e1);
    c0 = add(c0, twoSumErrV(s0, e0, t0));
    c1 = add(c1, twoSumErrV(s1, e1, t1));
    s0 = t0;
    s1 = t1;
  }
  let r = sumTotal(s0, c0, s1, c1), err: f64 = 0;
  let count = <f64>(i64x2.extract_lane(cnt, 0) + i64x2.extract_lane(cnt, 1));
  // Up to three entries left, added with their rounding errors too (short rows are all tail).
  for (; i < n; i++) {
    const x = load<f64>(p + (<usize>i << 3));
    const e = f64x2.extract_lane(expShift1(f64x2.splat(x), mv), 0);
    if (keep) store<f64>(d + (<usize>i << 3), e);
    if (!keep && x == m) {
      count += 1;
    } else {
      const t = r + e;
      err += twoSumErr(r, e, t);
      r = t;
    }
  }
  if (!keep) maxCount = count;
  return r + err;
}
/** log1p(r) for r >= 0 (or NaN). */
@inline function log1pScalar(r: f64): f64 {
  const u = 1 + r;
  return log_f64(u) + (r - (u - 1)) / u;
}
/** A row max of +inf makes the whole row NaN (inf - inf), as does NaN itself. */
@inline function rowShift(m: f64): f64 {
  return m == Infinity ? NaN : m;
}
/** y = e·inv in float64 for the exps kept at EXPS, rounded once to float32 at d. */
@inline function scaleExps(d: usize, n: i32, inv: f64): void {
  const iv = f64x2.splat(inv);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const e = EXPS + (<usize>i << 3);
    v128.store(d + (<usize>i << 2), pack(mul(v128.load(e), iv), mul(v128.load(e, 16), iv)));
  }
  for (; i < n; i++) store<f32>(d + (<usize>i << 2), <f32>(load<f64>(EXPS + (<usize>i << 3)) * inv));
}
/** The low part of 1/d next to hi = 1/d rounded: e·hi + e·lo is e/d within about an ulp. */
@inline function recipLo(d: f64, hi: f64): f64 {
  // 1 - d·hi exactly: d·hi as a Dekker product, 1 - (d·hi) exact since d·hi is within an ulp of 1.
  const ps = f64x2.splat(d), hs = f64x2.splat(hi);
  const p = mul(ps, hs);
  const e = mulErrV(ps, hs, p);
  return (f64x2.extract_lane(sub(sub(k(4), p), e), 0)) / d;
}
/** y = e/d for a row, as e·(1/d)'s two terms: a division per element cost 6% of softmax. */
@inline function divide64(p: usize, n: i32, d: f64): void {
  const hi = 1 / d, lo = recipLo(d, hi);
  const hv = f64x2.splat(hi), lv = f64x2.splat(lo);
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const q = p + (<usize>i << 3);
    const e = v128.load(q);
    v128.store(q, add(mul(e, hv), mul(e, lv)));
  }
  for (; i < n; i++) {
    const q = p + (<usize>i << 3);
    const e = load<f64>(q);
    store<f64>(q, e * hi + e * lo);
  }
}
/** y = exp(x - m)·inv, each exp formed as rowSum32 forms it, for rows that EXPS cannot hold. */
@inline function expApply32(p: usize, d: usize, n: i32, m: f64, inv: f64): void {
  const mv = f64x2.splat(m), iv = f64x2.splat(inv), mf = f32x4.splat(<f32>m);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const x = v128.load(p + (<usize>i << 2));
    v128.store(d + (<usize>i << 2), exps(x, mf, mv, SCALE, 0, iv));
  }
  for (; i < n; i++) {
    const e = f64x2.extract_lane(expShift32(f64x2.splat(<f64>load<f32>(p + (<usize>i << 2))), mv), 0);
    store<f32>(d + (<usize>i << 2), <f32>(e * inv));
  }
}
@inline function expApply64(p: usize, n: i32, m: f64, sum: f64): void {
  const hi = 1 / sum, lo = recipLo(sum, hi);
  const mv = f64x2.splat(m), hv = f64x2.splat(hi), lv = f64x2.splat(lo);
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const q = p + (<usize>i << 3);
    const e = expShift1(v128.load(q), mv);
    v128.store(q, add(mul(e, hv), mul(e, lv)));
  }
  for (; i < n; i++) {
    const q = p + (<usize>i << 3);
    const e = f64x2.extract_lane(expShift1(f64x2.splat(load<f64>(q)), mv), 0);
    store<f64>(q, e * hi + e * lo);
  }
}
@inline function logApply32(p: usize, d: usize, n: i32, m: f64, l: f64): void {
  const mv = f64x2.splat(m), lv = f64x2.splat(l);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const q = p + (<usize>i << 2);
    store32(d + (<usize>i << 2), sub(sub(lo32(q), mv), lv), sub(sub(hi32(q), mv), lv));
  }
  for (; i < n; i++) {
    const q = p + (<usize>i << 2);
    store<f32>(d + (<usize>i << 2), <f32>((<f64>load<f32>(q) - m) - l));
  }
}
@inline function logApply64(p: usize, d: usize, n: i32, m: f64, l: f64): void {
  const mv = f64x2.splat(m), lv = f64x2.splat(l);
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const q = p + (<usize>i << 3);
    v128.store(d + (<usize>i << 3), shiftLog64(v128.load(q), mv, lv));
  }
  for (; i < n; i++) {
    const q = p + (<usize>i << 3);
    store<f64>(d + (<usize>i << 3), f64x2.extract_lane(shiftLog64(f64x2.splat(load<f64>(q)), mv, lv), 0));
  }
}

export function softmax_rows_f32(p: usize, d: usize, rows: i32, cols: i32): void {
  for (let r = 0; r < rows; r++, p += <usize>cols << 2, d += <usize>cols << 2) {
    const m = rowShift(rowMax32(p, cols));
    if (cols <= EXP_ROW) {
      scaleExps(d, cols, 1 / rowSum32(p, cols, m, true));
    } else {
      const rest = rowSum32(p, cols, m, false);
      expApply32(p, d, cols, m, 1 / (rest + maxCount));
    }
  }
}
export function softmax_rows_f64(p: usize, d: usize, rows: i32, cols: i32): void {
  for (let r = 0; r < rows; r++, p += <usize>cols << 3, d += <usize>cols << 3) {
    const m = rowShift(rowMax64(p, cols));
    divide64(d, cols, rowSum64(p, d, cols, m, true));
  }
}
export function logsoftmax_rows_f32(p: usize, d: usize, rows: i32, cols: i32): void {
  for (let r = 0; r < rows; r++, p += <usize>cols << 2, d += <usize>cols << 2) {
    const m = rowShift(rowMax32(p, cols));
    const rest = rowSum32(p, cols, m, false);
    logApply32(p, d, cols, m, log1pScalar(rest + (maxCount - 1)));
  }
}
export function logsoftmax_rows_f64(p: usize, d: usize, rows: i32, cols: i32): void {
  for (let r = 0; r < rows; r++, p += <usize>cols << 3, d += <usize>cols << 3) {
    const m = rowShift(rowMax64(p, cols));
    const rest = rowSum64(p, p, cols, m, false);
    logApply64(p, d, cols, m, log1pScalar(rest + (maxCount - 1)));
  }
}
// Pieces for rows longer than the scratch tile: max, sums, then apply, tile by tile. The
// driver adds up sumexp results and lastMaxCount() over the tiles of a row.
export function rowmax_f32(p: usize, n: i32): f64 { return rowMax32(p, n); }
export function rowmax_f64(p: usize, n: i32): f64 { return rowMax64(p, n); }
export function sumexp_f32(p: usize, n: i32, m: f64): f64 { return rowSum32(p, n, rowShift(m), false); }
export function sumexp_f64(p: usize, n: i32, m: f64): f64 { return rowSum64(p, p, n, rowShift(m), false); }
/** y = exp(x - m) / (rest + count). */
export function softmax_apply_f32(p: usize, n: i32, m: f64, rest: f64, count: f64): void {
  expApply32(p, p, n, rowShift(m), 1 / (rest + count));
}
export function softmax_apply_f64(p: usize, n: i32, m: f64, rest: f64, count: f64): void {
  expApply64(p, n, rowShift(m), rest + count);
}
/** y = (x - m) - log1p(rest + count - 1). */
export function logsoftmax_apply_f32(p: usize, n: i32, m: f64, rest: f64, count: f64): void {
  logApply32(p, p, n, rowShift(m), log1pScalar(rest + (count - 1)));
}
export function logsoftmax_apply_f64(p: usize, n: i32, m: f64, rest: f64, count: f64): void {
  logApply64(p, p, n, rowShift(m), log1pScalar(rest + (count - 1)));
}
