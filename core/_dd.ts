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
 * e^(hi + lo) for a small correction `lo` (|lo| ≲ 1e-15·|hi|): the first-order term of
 * e^lo is enough at double precision.
 */
export function expDD(hi: number, lo: number): number {
  const e = Math.exp(hi);
  return e + e * lo;
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
