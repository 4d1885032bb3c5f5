/**
 * e^x and e^x - 1 in double-double, for the float64 paths whose error budget (2 ULP after
 * several more operations) a once-rounded `Math.exp` alone would use up. Private to the
 * package.
 *
 * Method: x = k·ln2 + r with |r| ≤ ln2/2, where ln2 is split so that k·LN2_HI is exact; then
 * e^r - 1 = r + r²/2 + r³/6 + R(r) with the first three terms in double-double and the Taylor
 * tail R (below 2^-11 relative) in plain double.
 */

import { type DD, ddAdd, ddDiv, ddMul, divDD, prodError, sumError } from "./_dd.ts";

const LOG2E = 1.4426950408889634;
const LN2_HI = 6.93147180369123816490e-01; // 32 significant bits
const LN2_LO = 1.90821492927058770002e-10;

/** A double-double result: value = (hi + lo)·2^k. */
export interface Split {
  hi: number;
  lo: number;
  k: number;
}

/** 2^k for -1022 ≤ k ≤ 1023, built from its bits (exact). */
function pow2(k: number): number {
  const f = new Float64Array(1);
  new Uint32Array(f.buffer)[1] = (k + 1023) << 20;
  return f[0];
}
/** POW2[k + 1074] = 2^k for every power of two a double holds, subnormal ones included. */
const POW2 = new Float64Array(2098);
for (let k = -1022; k <= 1023; k++) POW2[k + 1074] = pow2(k);
// 2^k below 2^-1022 is 2^-1022·2^(k + 1022): an exact product, since the result is a double.
for (let k = -1074; k < -1022; k++) POW2[k + 1074] = pow2(-1022) * pow2(k + 1022);

const bits = new Float64Array(1);
const bitsHigh = new Uint32Array(bits.buffer);

/** The binary exponent e of a finite non-zero v: 2^e ≤ |v| < 2^(e+1), subnormals included. */
function exponentOf(v: number): number {
  bits[0] = v;
  const biased = (bitsHigh[1] >>> 20) & 0x7ff;
  if (biased !== 0) return biased - 1023;
  bits[0] = v * POW2[64 + 1074]; // a subnormal scaled up by 2^64 is normal and exact
  return ((bitsHigh[1] >>> 20) & 0x7ff) - 1023 - 64;
}

/**
 * v·2^k with a single rounding for any integer k and any v, also when the result is subnormal,
 * overflows or underflows.
 *
 * One multiplication by an exact power of two rounds once, so that is the whole story while 2^k
 * is a double (-1074 ≤ k ≤ 1023). Beyond that v is first brought into [1, 2) (exact: the scaled
 * value is normal), which leaves a result exponent that either is in the table or says
 * overflow or underflow outright. (An earlier version split k as (k + 1000) - 1000 and indexed
 * below its table for k in [-2044, -2023]: NaN for σ(-1410).)
 */
export function ldexp(v: number, k: number): number {
  if (k >= -1074 && k <= 1023) return v * POW2[k + 1074];
  if (v === 0 || !Number.isFinite(v)) return k > 0 ? v * 2 : v * 0.5;
  const e = exponentOf(v);
  // m = v·2^-e in [1, 2); -e can be 1074 (v = 2^-1074), one step past the table: split it.
  const m = -e > 1023 ? v * POW2[1023 + 1074] * POW2[-e - 1023 + 1074] : v * POW2[-e + 1074];
  const j = e + k;
  if (j > 1023) return m * Infinity;
  if (j >= -1074) return m * POW2[j + 1074];
  // |m|·2^j < 2^-1074: below 2^-1075 it rounds to 0; in [2^-1075, 2^-1074) (j = -1075) to 0 or
  // 2^-1074 by the tie rule, which (m/2)·2^-1074 applies in one rounding (m/2 is exact).
  return j < -1075 ? m * 0 : m * 0.5 * POW2[0];
}

const out = { hi: 0, lo: 0 };
const INV = [0, 1, 1 / 2, 1 / 6, 1 / 24, 1 / 120, 1 / 720, 1 / 5040, 1 / 40320, 1 / 362880];
for (let n = 10; n <= 24; n++) INV.push(INV[n - 1] / n);

/**
 * e^(rh + rl) - 1 as a double-double in `out`, for |rh| ≤ 1.1. No range reduction: used by
 * `expSplit` after its reduction and directly for expm1 of small arguments.
 */
export function expm1Small(rh: number, rl: number): { hi: number; lo: number } {
  // R = Σ_{n≥4} r^n/n!, in plain double: at most 0.062 of the result, so its rounding is small.
  let R = INV[24];
  for (let n = 23; n >= 4; n--) R = R * rh + INV[n];
  R *= rh * rh * rh * rh;
  const q = rh * rh, qe = prodError(rh, rh, q); // r² = q + qe
  const c = q * rh, ce = prodError(q, rh, c) + qe * rh; // r³ = c + ce
  const c6 = c / 6, c6e = (c - c6 * 6 - prodError(c6, 6, c6 * 6) + ce) / 6; // r³/6
  // r + r²/2 + r³/6 + R, summed in double-double.
  let h = rh + q / 2;
  let l = sumError(rh, q / 2, h) + qe / 2;
  const h2 = h + c6;
  l += sumError(h, c6, h2) + c6e;
  h = h2;
  const h3 = h + R;
  l += sumError(h, R, h3);
  h = h3;
  // e^(rh + rl) - 1 = (e^rh - 1) + e^rh·(e^rl - 1), and e^rl - 1 = rl to double-double accuracy.
  l += rl * (1 + rh + q / 2);
  out.hi = h + l;
  out.lo = sumError(h, l, out.hi);
  return out;
}

/**
 * e^(xh + xl) as (hi + lo)·2^k in `into`, accurate to about 2^-100 relative for any finite
 * argument (the caller scales by 2^k with `ldexp`, so subnormal results round once).
 */
export function expSplit(xh: number, xl: number, into: Split): Split {
  const k = Math.round(xh * LOG2E);
  // xh - k·LN2_HI is exact (Sterbenz); the low parts are tiny and their sum rounds harmlessly.
  const r1 = xh - k * LN2_HI, r2 = xl - k * LN2_LO;
  const rh = r1 + r2, rl = sumError(r1, r2, rh);
  const m = expm1Small(rh, rl);
  const hi = 1 + m.hi;
  into.lo = sumError(1, m.hi, hi) + m.lo;
  into.hi = hi;
  into.k = k;
  return into;
}

const scratch: Split = { hi: 0, lo: 0, k: 0 };

/** e^(xh + xl) rounded once (0 below the subnormals, ∞ above the largest double). */
export function expAccurate(xh: number, xl = 0): number {
  if (!(xh > -746)) return xh !== xh ? xh : 0;
  if (xh > 710) return Infinity;
  const s = expSplit(xh, xl, scratch);
  return ldexp(s.hi + s.lo, s.k);
}

/**
 * x·σ(vh + vl) with one final rounding in effect, also for subnormal results (where x·e^v must
 * be formed before the scaling that rounds it).
 */
export function mulSigmoid(x: number, vh: number, vl: number): number {
  if (vh !== vh) return vh;
  if (vh >= 0) {
    if (vh > 40) return x; // e^-40 vanishes beside 1
    // σ(v) = 1/(1 + e^-v), the denominator in double-double.
    const s = expSplit(-vh, -vl, scratch);
    const eh = ldexp(s.hi, s.k), el = ldexp(s.lo, s.k);
    const dh = 1 + eh, dl = sumError(1, eh, dh) + el;
    return divDD(x, 0, dh, dl);
  }
  if (vh < -1500) return x * 0;
  const s = expSplit(vh, vl, scratch);
  if (vh < -40) {
    // 1 + e^v rounds to 1 (to 2^-57): x·σ(v) = x·e^v·(1 - e^v) ≈ x·e^v.
    const p = x * s.hi;
    return ldexp(p + (prodError(x, s.hi, p) + x * s.lo), s.k);
  }
  const eh = ldexp(s.hi, s.k), el = ldexp(s.lo, s.k);
  const dh = 1 + eh, dl = sumError(1, eh, dh) + el;
  // x·e/(1 + e): numerator in double-double, then one corrected division.
  const nh = x * eh, nl = prodError(x, eh, nh) + x * el;
  return divDD(nh, nl, dh, dl);
}

/** 1/n! for n = 1…10 as double-doubles, for `expSplitDD`'s series. */
const INV_FACTORIAL: DD[] = (() => {
  const out: DD[] = [];
  let f: DD = { hi: 1, lo: 0 };
  for (let n = 1; n <= 10; n++) {
    f = ddDiv(f, { hi: n, lo: 0 });
    out.push(f);
  }
  return out;
})();
const LN2_LO2 = 1.1612227229362532e-26; // ln 2 = LN2_HI + LN2_LO + LN2_LO2 to 2^-140

/**
 * e^(xh + xl) as (hi + lo)·2^k in `into` to about 2^-102 relative, for |xh| ≤ 700: slower than
 * {@linkcode expSplit} (whose tail is plain double, 2^-64 or so) and meant for the places where
 * a difference cancels most of its digits, such as a derivative beside its zero. x - k·ln 2 is
 * formed with a three-part ln 2, divided by 2^8, expm1 taken by its series to the 10th power in
 * double-double, and the 2^8 undone by eight steps m ← m(2 + m).
 */
export function expSplitDD(xh: number, xl: number, into: Split): Split {
  const k = Math.round(xh * LOG2E);
  const r1 = xh - k * LN2_HI; // exact (Sterbenz)
  const p = k * LN2_LO;
  let r = ddAdd({ hi: r1, lo: 0 }, { hi: xl, lo: 0 });
  r = ddAdd(r, { hi: -p, lo: -prodError(k, LN2_LO, p) });
  r = ddAdd(r, { hi: -k * LN2_LO2, lo: 0 });
  const t = { hi: r.hi / 256, lo: r.lo / 256 };
  let m = INV_FACTORIAL[9];
  for (let n = 8; n >= 0; n--) m = ddAdd(INV_FACTORIAL[n], ddMul(m, t));
  m = ddMul(m, t);
  const two = { hi: 2, lo: 0 };
  for (let i = 0; i < 8; i++) m = ddMul(m, ddAdd(two, m));
  const e = ddAdd({ hi: 1, lo: 0 }, m);
  into.hi = e.hi;
  into.lo = e.lo;
  into.k = k;
  return into;
}

/**
 * e^x - 1 as a double-double, to about 2^-64 relative for any x (|x| ≤ 0.34 by `expm1Small`
 * directly, else from `expSplit` less 1, which no longer cancels much).
 */
export function expm1DD(x: number): DD {
  if (Math.abs(x) <= 0.34) {
    const m = expm1Small(x, 0);
    return { hi: m.hi, lo: m.lo };
  }
  if (x < -50) return ddAdd({ hi: -1, lo: 0 }, { hi: expAccurate(x), lo: 0 });
  const s = expSplit(x, 0, { hi: 0, lo: 0, k: 0 });
  return ddAdd({ hi: ldexp(s.hi, s.k), lo: ldexp(s.lo, s.k) }, { hi: -1, lo: 0 });
}
