// softmax and logSoftmax along rows: max, then exp(x - max) and its sum, then scale.
//
// A row holding +inf, or only -inf, gets a NaN x - max (see rowShift); a NaN entry, which the
// vector max skips (pmax), gives a NaN exp and so a NaN sum: either way the whole row turns NaN
// without special cases or a NaN test per entry.
//
// Exports: `softmax_rows_<t>` and `logSoftmax_rows_<t>` do whole rows in place or from src to
// dst; rows longer than the scratch tile go through `rowmax_<t>`, `sumexp_<t>` (with
// lastMaxCount()) and `softmax_apply_<t>` / `logSoftmax_apply_<t>`, one tile at a time, which
// core/_kernels/wasm/mod.ts drives.

import { bothGe } from "./_drivers";
import {
  ex64,
  EXP32_ARG_MIN,
  EXP_FLOOR,
  expFdd,
  expN,
  expRdd,
  expS,
  expT,
  FAST_EXP_FLOOR,
  ldexp,
  LN2,
  LOG2E,
} from "./_exp";
import { r2P } from "./_exp32";
import {
  add,
  atLeast,
  fHi,
  fLo,
  hi32,
  INFINITY,
  k32,
  k64,
  lo32,
  mul,
  ONE,
  pack,
  store32,
  sub,
  ZERO,
} from "./_lanes";
import { scalarLog1p } from "./_log";
import { mulErrV, twoSumErr, twoSumErrV } from "./_two_term";

/** 1.5·2^52 + 1023: adding it to a float64 below 2^51 leaves round(x) + 1023 in the low bits. */
const ROUNDER_BIASED: usize = memory.data<f64>([6755399441056767.0]);
/** The row max's start. */
const NEG_INF32: usize = memory.data<f32>([-Infinity]);
const NEG_INF64: usize = memory.data<f64>([-Infinity]);

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
  const m = laneMax<f32>(p, n, k32(NEG_INF32));
  let s = max<f32>(
    max<f32>(f32x4.extract_lane(m, 0), f32x4.extract_lane(m, 1)),
    max<f32>(f32x4.extract_lane(m, 2), f32x4.extract_lane(m, 3)),
  );
  for (let i = n & ~3; i < n; i++) s = max<f32>(s, load<f32>(p + (<usize>i << 2)));
  return <f64>s;
}
@inline function rowMax64(p: usize, n: i32): f64 {
  const m = laneMax<f64>(p, n, k64(NEG_INF64));
  let s = max<f64>(f64x2.extract_lane(m, 0), f64x2.extract_lane(m, 1));
  for (let i = n & ~1; i < n; i++) s = max<f64>(s, load<f64>(p + (<usize>i << 3)));
  return s;
}

/** exp(x - m) for the float32 path. */
@inline function expShift32(x: v128, mv: v128): v128 { return expS(atLeast(sub(x, mv), k64(EXP32_ARG_MIN))); }

/** The rounding error of s = x - m: x - m = s + lo exactly. */
@inline function shiftLo(x: v128, mv: v128, s: v128): v128 { return twoSumErrV(x, f64x2.neg(mv), s); }
/** exp((x - m) exactly) for the float64 path, given s = x - m. */
@inline function expShift64(x: v128, mv: v128, s: v128): v128 {
  const a = atLeast(s, k64(EXP_FLOOR));
  const lo = v128.and(shiftLo(x, mv, s), f64x2.ge(s, k64(EXP_FLOOR)));
  const t = expT(a);
  return ldexp(ex64(expRdd(a, lo, t)), expN(t));
}
/** expShift64 where s >= -708 (see the float64 fast paths in _drivers.ts): the same bits, for less. */
@inline function expShiftF(x: v128, mv: v128, s: v128): v128 { return expFdd(s, shiftLo(x, mv, s)); }
/** exp(x - m) on the fast path or the general one. */
@inline function expShiftAt(x: v128, mv: v128, s: v128, fast: bool): v128 {
  return fast ? expShiftF(x, mv, s) : expShift64(x, mv, s);
}
/** exp(x - m) of one vector on the general path. */
@inline function expShift1(x: v128, mv: v128): v128 { return expShift64(x, mv, sub(x, mv)); }
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
  const lo = v128.and(shiftLo(x, mv, s), f64x2.lt(f64x2.abs(s), k64(INFINITY)));
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
  const sl = atLeast(sub(fLo(x), mv), k64(EXP32_ARG_MIN)), sh = atLeast(sub(fHi(x), mv), k64(EXP32_ARG_MIN));
  const tl = add(mul(sl, k64(LOG2E)), k64(ROUNDER_BIASED)), th = add(mul(sh, k64(LOG2E)), k64(ROUNDER_BIASED));
  const rl = sub(sl, mul(sub(tl, k64(ROUNDER_BIASED)), k64(LN2))), rh = sub(sh, mul(sub(th, k64(ROUNDER_BIASED)), k64(LN2)));
  const v = r2P(pack(rl, rh));
  let lo = mul(add(add(k64(ONE), rl), fLo(v)), i64x2.shl(tl, 52));
  let hi = mul(add(add(k64(ONE), rh), fHi(v)), i64x2.shl(th, 52));
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
  let s0 = k64(ZERO), s1 = k64(ZERO), c = k64(ZERO);
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
  let s0 = k64(ZERO), c0 = k64(ZERO), s1 = k64(ZERO), c1 = k64(ZERO), cnt = k64(ZERO);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const q = p + (<usize>i << 3), o = d + (<usize>i << 3);
    const x0 = v128.load(q), x1 = v128.load(q, 16);
    const a0 = sub(x0, mv), a1 = sub(x1, mv);
    const fast = i64x2.all_true(bothGe(a0, a1, k64(FAST_EXP_FLOOR)));
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
  return (f64x2.extract_lane(sub(sub(k64(ONE), p), e), 0)) / d;
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
export function logSoftmax_rows_f32(p: usize, d: usize, rows: i32, cols: i32): void {
  for (let r = 0; r < rows; r++, p += <usize>cols << 2, d += <usize>cols << 2) {
    const m = rowShift(rowMax32(p, cols));
    const rest = rowSum32(p, cols, m, false);
    logApply32(p, d, cols, m, scalarLog1p(rest + (maxCount - 1)));
  }
}
export function logSoftmax_rows_f64(p: usize, d: usize, rows: i32, cols: i32): void {
  for (let r = 0; r < rows; r++, p += <usize>cols << 3, d += <usize>cols << 3) {
    const m = rowShift(rowMax64(p, cols));
    const rest = rowSum64(p, p, cols, m, false);
    logApply64(p, d, cols, m, scalarLog1p(rest + (maxCount - 1)));
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
export function logSoftmax_apply_f32(p: usize, n: i32, m: f64, rest: f64, count: f64): void {
  logApply32(p, p, n, rowShift(m), scalarLog1p(rest + (count - 1)));
}
export function logSoftmax_apply_f64(p: usize, n: i32, m: f64, rest: f64, count: f64): void {
  logApply64(p, p, n, rowShift(m), scalarLog1p(rest + (count - 1)));
}
