/**
 * The oracle's arithmetic: decimal.js at 80 digits and at 1200, the exact values of doubles, the
 * elementary functions every exact reference builds on, and the one way to round an exact value
 * to a dtype and to measure an error in ULPs. Import it through `oracle.ts`. Test-only; never
 * published.
 *
 * @module
 */

import { Decimal } from "decimal.js";

/** decimal.js at 80 significant digits, with no exponent limits in its string form. */
export const D: typeof Decimal = Decimal.clone({
  precision: 80,
  rounding: Decimal.ROUND_HALF_EVEN,
  toExpNeg: -9e15,
  toExpPos: 9e15,
});

/**
 * decimal.js at 1200 digits: exact for every double (a subnormal has up to 767 significant
 * digits) and for sums and products of a few of them, which is what the piecewise-polynomial
 * references compute.
 */
export const P: typeof Decimal = D.clone({ precision: 1200 });

/** An exact value: a Decimal, or NaN and ±∞ as numbers. */
export type Exact = Decimal | number;

/** An exact reference: f(x) for the exact value x of a finite double. */
export type Reference = (x: Decimal) => Exact;

/**
 * What e^x is taken as below x = -3000: far below every double (e^-3000 < 1e-1300) but not 0,
 * so that a value which underflows keeps its sign (silu(-3000) is -0, not +0).
 */
const VANISHING = D("1e-5000");

const f64 = new Float64Array(1), u64 = new BigUint64Array(f64.buffer);

/** x as sign, integer mantissa and exponent: |x| = m·2^e. */
function decompose(x: number): [negative: boolean, m: bigint, e: number] {
  f64[0] = x;
  const bits = u64[0];
  const e = Number((bits >> 52n) & 0x7ffn);
  let m = bits & ((1n << 52n) - 1n);
  if (e !== 0) m |= 1n << 52n;
  return [bits >> 63n === 1n, m, e === 0 ? -1074 : e - 1075];
}

/**
 * The value of a finite double at 80 digits (exact to 1e-80 relative), for the smooth
 * references. (`D(x)` would read x's shortest decimal string instead, off by up to half an ULP.)
 */
export function fromDouble(x: number): Decimal {
  if (!Number.isFinite(x)) throw new RangeError(`Cannot convert ${x} to a decimal`);
  if (x === 0) return D(0);
  const [negative, m, e] = decompose(x);
  const v = D(m.toString()).mul(D(2).pow(e));
  return negative ? v.neg() : v;
}

/**
 * The exact value of a finite double, at 1200 digits: for the piecewise-polynomial references,
 * for ties and for tests of exact error terms. Arithmetic on it runs at 1200 digits, so a smooth
 * reference takes {@linkcode fromDouble} instead.
 */
export function exactOf(x: number): Decimal {
  if (!Number.isFinite(x)) throw new RangeError(`Cannot convert ${x} to a decimal`);
  const [negative, m, e] = decompose(x);
  const v = P(m.toString()).mul(P(2).pow(e));
  return negative ? v.neg() : v;
}

/** e^x, never exactly 0 (see {@linkcode VANISHING}). */
export function exp(x: Decimal): Decimal {
  return x.lt(-3000) ? VANISHING : x.exp();
}

/** A value below every double, with the sign of `s`: for results that must round to ±0. */
export function vanishing(s: Decimal | number): Decimal {
  const neg = typeof s === "number" ? s < 0 : s.isNeg();
  return neg ? VANISHING.neg() : VANISHING;
}

/** e^x - 1 without cancellation: the series near 0. */
export function expm1(x: Decimal): Decimal {
  if (x.abs().gte("0.5")) return exp(x).sub(1);
  let term = x, sum = x;
  for (let n = 2; n < 200; n++) {
    term = term.mul(x).div(n);
    sum = sum.add(term);
    if (term.abs().lte(sum.abs().mul("1e-85"))) break;
  }
  return sum;
}

/** log(1 + y) for y ≥ 0, by its series when y is too small for 1 + y to keep it. */
export function log1p(y: Decimal): Decimal {
  if (y.lt("1e-30")) return y.sub(y.pow(2).div(2)).add(y.pow(3).div(3));
  return y.add(1).ln();
}

/** The two dtypes, as core names them. */
export type FloatType = "float32" | "float64";

/**
 * Rounds an exact value to float64 or float32 once. Through a double, the float32 rounding can
 * only go wrong when the double lands exactly halfway between two float32 numbers; such a case
 * is settled by comparing the decimal with that halfway point, exactly. Numbers (NaN, ±∞, or an
 * input already a double) are only rounded to the dtype.
 */
export function roundTo(v: Exact, dtype: FloatType): number {
  if (typeof v === "number") return dtype === "float32" ? Math.fround(v) : v;
  const d = Number(v.toString());
  if (dtype === "float64") return d;
  const f = Math.fround(d);
  if (f === d || !Number.isFinite(f)) return f;
  const other = nextFloat32(f, d > f);
  if (!Number.isFinite(other) || d !== (f + other) / 2) return f;
  const c = v.cmp(exactOf(d));
  if (c === 0) return f; // a true tie, which fround has already rounded to even
  return (c > 0) === (other > f) ? other : f;
}

const f32 = new Float32Array(1), i32 = new Int32Array(f32.buffer);

/** The float32 beside the float32 `f`, upwards or downwards. */
export function nextFloat32(f: number, up: boolean): number {
  if (f === 0) return up ? 2 ** -149 : -(2 ** -149);
  f32[0] = f;
  i32[0] += (f > 0) === up ? 1 : -1;
  return f32[0];
}

const POW2 = new Float64Array(2098); // POW2[k + 1074] = 2^k
for (let k = -1074; k <= 1023; k++) POW2[k + 1074] = 2 ** k;
const uf = new Float64Array(1), uh = new Uint32Array(uf.buffer);

/** The spacing of `dtype` at |t|: 2^(e - 23) (float32) or 2^(e - 52) for 2^e ≤ |t| < 2^(e+1). */
export function ulpOf(t: number, dtype: FloatType): number {
  const f32 = dtype === "float32";
  uf[0] = t;
  const biased = (uh[1] >>> 20) & 0x7ff;
  // Subnormal doubles, zeros, NaN and infinities: the smallest spacing (its use is moot there).
  const e = biased === 0 || biased === 0x7ff ? -1074 : biased - 1023;
  return f32 ? POW2[Math.max(e, -126) - 23 + 1074] : POW2[Math.max(e, -1022) - 52 + 1074];
}

/** Whether |t| is a power of two (a normal double with an all-zero significand). */
export function isPowerOfTwo(t: number): boolean {
  uf[0] = t;
  const biased = (uh[1] >>> 20) & 0x7ff;
  return uh[0] === 0 && (uh[1] & 0xfffff) === 0 && biased !== 0 && biased !== 0x7ff;
}

/**
 * The error of `r` against the exact `t` in units of the last place of `dtype` at t (0.5 or
 * less: correctly rounded, unless t is a tie). Infinity when one is NaN or infinite and the
 * other is not the same. A number `t` is taken as exact (a float64 reference for a float32
 * result, say).
 */
export function ulpError(r: number, t: Exact, dtype: FloatType): number {
  if (typeof t === "number") {
    if (t !== t || r !== r) return t !== t && r !== r ? 0 : Infinity;
    if (!Number.isFinite(t) || !Number.isFinite(r)) return r === t ? 0 : Infinity;
    return Math.abs(r - t) / ulpOf(t, dtype);
  }
  if (r !== r) return Infinity;
  const rounded = roundTo(t, dtype);
  if (!Number.isFinite(rounded) || !Number.isFinite(r)) return r === rounded ? 0 : Infinity;
  const d = Number(t.toString());
  // The double nearest t may be the power of two just above |t|: t's own binade is then the
  // one below, where the spacing is half (or the same, among subnormals).
  const ulp = isPowerOfTwo(d) && t.abs().lt(Math.abs(d))
    ? ulpOf(Math.abs(d) * (1 - 2 ** -53), dtype)
    : ulpOf(d, dtype);
  return fromDouble(r).sub(t).abs().div(fromDouble(ulp)).toNumber();
}

const o64 = new Float64Array(1), oi64 = new BigInt64Array(o64.buffer);
const o32 = new Float32Array(1), oi32 = new Int32Array(o32.buffer);

/** Maps floats of `dtype` to integers in the same order, with -0 and +0 adjacent. */
function ordinal(v: number, dtype: FloatType): bigint {
  if (dtype === "float64") {
    o64[0] = v;
    const bits = oi64[0];
    return bits < 0n ? -(bits & 0x7fffffffffffffffn) : bits;
  }
  o32[0] = v;
  const bits = oi32[0];
  return BigInt(bits < 0 ? -(bits & 0x7fffffff) : bits);
}

/**
 * How many values of `dtype` lie between `actual` and `expected` (a correctly rounded
 * reference, see {@linkcode roundTo}): 0 when they are equal. NaN against NaN is 0; NaN against
 * a number is ∞, and so is ±∞ against anything but itself; -0 and +0 are 0 apart.
 */
export function ulpDistance(actual: number, expected: number, dtype: FloatType): number {
  if (actual !== actual || expected !== expected) {
    return actual !== actual && expected !== expected ? 0 : Infinity;
  }
  if (actual === 0 && expected === 0) return 0;
  // Ordinals put ±∞ one step past ±max: an overflow must not pass for a 1-ULP error.
  if (!Number.isFinite(actual) || !Number.isFinite(expected)) {
    return actual === expected ? 0 : Infinity;
  }
  const d = ordinal(actual, dtype) - ordinal(expected, dtype);
  return Number(d < 0n ? -d : d);
}
