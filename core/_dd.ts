/**
 * Error-free transformations (Dekker, Knuth): the rounding error of a sum or a product as a
 * second double, so that a few critical steps can be carried in double-double precision.
 * Private to the package.
 */

/** 2^27 + 1: splits a double into two halves whose products are exact. */
const SPLITTER = 134217729;

/** The exact error of the rounded product `p = a * b`: a·b = p + prodError(a, b, p). */
export function prodError(a: number, b: number, p: number): number {
  let t = SPLITTER * a;
  const ah = t - (t - a), al = a - ah;
  t = SPLITTER * b;
  const bh = t - (t - b), bl = b - bh;
  return ((ah * bh - p) + ah * bl + al * bh) + al * bl;
}

/** The exact error of the rounded sum `s = a + b`: a + b = s + sumError(a, b, s). */
export function sumError(a: number, b: number, s: number): number {
  const bb = s - a;
  return (a - (s - bb)) + (b - bb);
}

/**
 * (nh + nl) / (dh + dl) for double-double operands, rounded about once: the quotient of the
 * high parts plus one correction from its exact remainder. Zero and non-finite quotients are
 * returned as they are, and a result that rounds to zero keeps the quotient's sign, so signed
 * zeros and infinities survive. Needs |quotient| < 2^990.
 */
export function divDD(nh: number, nl: number, dh: number, dl: number): number {
  const q = nh / dh;
  if (q === 0 || !Number.isFinite(q)) return q;
  const p = q * dh;
  // nh - p is exact (Sterbenz): p is within a couple of ULPs of nh.
  const r = q + ((nh - p) - prodError(q, dh, p) + nl - q * dl) / dh;
  // A correction that cancels a subnormal q exactly gives +0 whatever the sign: keep q's.
  return r === 0 ? q * 0 : r;
}

/** A double-double value hi + lo with |lo| ≤ ulp(hi)/2. */
export interface DD {
  hi: number;
  lo: number;
}

/** Renormalises s + e (|e| small beside s) into a double-double. */
function fast(s: number, e: number): DD {
  const hi = s + e;
  return { hi, lo: e - (hi - s) };
}

/** a + b in double-double, to about 2^-104 relative unless a and b cancel to far fewer bits. */
export function ddAdd(a: DD, b: DD): DD {
  const s = a.hi + b.hi;
  return fast(s, sumError(a.hi, b.hi, s) + a.lo + b.lo);
}

/** a·b in double-double (|a.hi|, |b.hi| below 2^996, where Dekker's split cannot overflow). */
export function ddMul(a: DD, b: DD): DD {
  const p = a.hi * b.hi;
  return fast(p, prodError(a.hi, b.hi, p) + a.hi * b.lo + a.lo * b.hi);
}

/** a/b in double-double: the quotient of the high parts and two corrections from remainders. */
export function ddDiv(a: DD, b: DD): DD {
  const q1 = a.hi / b.hi;
  if (q1 === 0 || !Number.isFinite(q1)) return { hi: q1, lo: 0 };
  const r = ddAdd(a, ddMul(b, { hi: -q1, lo: 0 }));
  const q2 = r.hi / b.hi;
  const r2 = ddAdd(r, ddMul(b, { hi: -q2, lo: 0 }));
  const q3 = r2.hi / b.hi;
  const t = fast(q1, q2);
  return fast(t.hi, t.lo + q3);
}

/**
 * A double that a float32 store rounds to the float32 nearest the exact hi + lo (hi the double
 * nearest it, lo the rest): hi itself, unless hi lies exactly halfway between two float32
 * numbers, where rounding hi would tie to even whatever lo says; then hi is moved a little
 * towards lo, far less than a float32 ULP.
 */
export function nudge32(hi: number, lo: number): number {
  const f = Math.fround(hi);
  if (f === hi || lo === 0 || !Number.isFinite(f)) return hi;
  const other = Math.fround(hi + (hi - f));
  if (hi - f !== other - hi) return hi;
  return hi + (lo > 0 ? 1 : -1) * Math.abs(hi) * 2 ** -40;
}

/**
 * For float32 storage of an f with f(x) = x/2 + c·x² near 0 (c > 0: every GELU form, SiLU,
 * Hardswish). Below |x| = 2^-100 the x² term vanishes in float64, where x/2 of a float32
 * subnormal with an odd last bit is exactly halfway between two float32 numbers and the store
 * would tie it to even; the exact value lies above, so it is moved up first.
 */
export function halfTies32(f: (v: number) => number): (v: number) => number {
  return (v) => {
    if (v === 0 || !(Math.abs(v) < 2 ** -100)) return f(v);
    return nudge32(0.5 * v, 1);
  };
}

/** How close (relative) a float64 value may come to a float32 tie before `ziv32` looks again. */
const NEAR_TIE = 2 ** -44;

/**
 * For float32 storage of a function whose float64 value is within a few float64 ULPs: rounding
 * that double to float32 is the correctly rounded float32 unless the double lies that close to a
 * point halfway between two float32 numbers (a double rounding, which the exhaustive check found
 * 76 times for sigmoid). There `precise`, a double-double to about 2^-100, is evaluated instead
 * and its low part decides the side (Ziv's rounding test). Elsewhere `fast` alone serves.
 */
export function ziv32(
  fast: (v: number) => number,
  precise: (v: number) => DD,
): (v: number) => number {
  return (v) => {
    const y = fast(v);
    const f = Math.fround(y);
    if (f === y || !Number.isFinite(f)) return y;
    const g = Math.fround(y + (y - f)); // the float32 on y's other side, when y is past a quarter
    if (g === f || Math.abs(y - (f + g) / 2) > NEAR_TIE * Math.abs(y)) return y;
    const r = precise(v);
    return nudge32(r.hi, r.lo);
  };
}
