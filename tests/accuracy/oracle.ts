/**
 * The exact values every accuracy check compares against: each element-wise activation and its
 * derivative evaluated in decimal arithmetic (decimal.js at 80 significant digits) in forms
 * that do not cancel, or, for the piecewise-linear ones, in exact double-double arithmetic.
 * Inputs enter as the exact values of their doubles. Test-only; never published.
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

/** An exact value: a Decimal, or NaN and ±∞ as numbers. */
export type Exact = Decimal | number;

const PI = D.acos(-1);
const SQRT_2PI = PI.mul(2).sqrt();
const SQRT_2 = D(2).sqrt();
const SQRT_2_OVER_PI = D(2).div(PI).sqrt();
/**
 * What e^x is taken as below x = -3000: far below every double (e^-3000 < 1e-1300) but not 0,
 * so that a value which underflows keeps its sign (silu(-3000) is -0, not +0).
 */
const VANISHING = D("1e-5000");
const ONE = D(1), TWO = D(2);

const f64 = new Float64Array(1), u64 = new BigUint64Array(f64.buffer);

/** The exact value of a finite double (at 80 digits: exact to 1e-80 relative). */
export function fromDouble(x: number): Decimal {
  if (!Number.isFinite(x)) throw new RangeError(`Cannot convert ${x} to a decimal`);
  if (x === 0) return D(0);
  f64[0] = x;
  const bits = u64[0];
  const e = Number((bits >> 52n) & 0x7ffn);
  let m = bits & ((1n << 52n) - 1n);
  if (e !== 0) m |= 1n << 52n;
  const v = D(m.toString()).mul(D(2).pow(e === 0 ? -1074 : e - 1075));
  return bits >> 63n ? v.neg() : v;
}

/** e^x, never exactly 0 (see {@linkcode VANISHING}). */
export function exp(x: Decimal): Decimal {
  return x.lt(-3000) ? VANISHING : x.exp();
}

/** σ(x) with one exponential of a non-positive number. */
export function sigmoid(x: Decimal): Decimal {
  const e = exp(x.abs().neg());
  return x.isNeg() ? e.div(e.add(1)) : ONE.div(e.add(1));
}

/** tanh(x) = sign(x)·(1 - e^-2|x|)/(1 + e^-2|x|), by its series near 0. */
export function tanh(x: Decimal): Decimal {
  if (x.abs().lt("1e-3")) return x.tanh();
  const e = exp(x.abs().mul(-2));
  const t = ONE.sub(e).div(ONE.add(e));
  return x.isNeg() ? t.neg() : t;
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
function log1p(y: Decimal): Decimal {
  if (y.lt("1e-30")) return y.sub(y.pow(2).div(2)).add(y.pow(3).div(3));
  return y.add(1).ln();
}

/** log(1 + e^u), stable in both tails. */
export function softplusOf(u: Decimal): Decimal {
  return u.isNeg() ? log1p(exp(u)) : u.add(log1p(exp(u.neg())));
}

/** erf(x) by its Maclaurin series (|x| < 6), at twice the working precision. */
export function erfSeries(x: Decimal): Decimal {
  const W = D.clone({ precision: 160 });
  const w = new W(x), w2 = w.mul(w);
  let term = w, sum = w;
  for (let n = 1; n < 3000; n++) {
    term = term.mul(w2).neg().div(n);
    const add = term.div(2 * n + 1);
    sum = sum.add(add);
    if (add.abs().lt(new W(10).pow(-150))) break;
  }
  return D(sum.mul(2).div(W.acos(-1).sqrt()));
}

/** erfc(x) for x ≥ 6 by its continued fraction. */
function erfcFraction(x: Decimal): Decimal {
  let f = x;
  for (let k = 300; k >= 1; k--) f = x.add(D(k).div(2).div(f));
  return exp(x.mul(x).neg()).div(PI.sqrt()).div(f);
}

/** Φ(x) = erfc(-x/√2)/2, relatively accurate in the left tail. */
export function normalCdf(x: Decimal): Decimal {
  const t = x.neg().div(SQRT_2);
  const erfc = t.gte(6)
    ? erfcFraction(t)
    : t.lte(-6)
    ? TWO.sub(erfcFraction(t.neg()))
    : ONE.sub(erfSeries(t));
  return erfc.div(2);
}

/** φ(x) = e^(-x²/2)/√(2π). */
export function normalPdf(x: Decimal): Decimal {
  return exp(x.mul(x).div(-2)).div(SQRT_2PI);
}

/** A value below every double, with the sign of `s`: for results that must round to ±0. */
export function vanishing(s: Decimal | number): Decimal {
  const neg = typeof s === "number" ? s < 0 : s.isNeg();
  return neg ? VANISHING.neg() : VANISHING;
}

/** f(x) = x/2 + c·x² for tiny x: the x² term only decides ties between subnormals. */
function tinyHalf(x: Decimal, c: number): Decimal | undefined {
  if (x.isZero() || x.abs().gte("1e-300")) return undefined;
  const W = D.clone({ precision: 900 });
  const w = new W(x);
  return D(w.div(2).add(w.mul(w).mul(c)).toString());
}

const K = D("0.044715"), A = D("1.702");

/** GELU and its derivative, in the three forms. */
export const gelu = {
  none: (x: Decimal): Decimal => tinyHalf(x, 0.3989) ?? x.mul(normalCdf(x)),
  tanh: (x: Decimal): Decimal =>
    tinyHalf(x, 0.3989) ?? x.mul(sigmoid(SQRT_2_OVER_PI.mul(x.add(x.pow(3).mul(K))).mul(2))),
  sigmoid: (x: Decimal): Decimal => tinyHalf(x, 0.4255) ?? x.mul(sigmoid(x.mul(A))),
};

/** σ(v)·(1 + c·σ(-v)): the derivative of x·σ(v(x)) with c = x·v'(x). */
function gate(v: Decimal, c: Decimal): Decimal {
  return sigmoid(v).mul(ONE.add(c.mul(sigmoid(v.neg()))));
}

/** The derivatives of the three GELU forms. */
export const geluGrad = {
  none: (x: Decimal): Decimal => {
    if (x.gt(60)) return ONE.add(VANISHING);
    if (x.lt(-60)) return vanishing(-1);
    return normalCdf(x).add(x.mul(normalPdf(x)));
  },
  tanh: (x: Decimal): Decimal => {
    if (x.gt(60)) return ONE.add(VANISHING);
    if (x.lt(-60)) return vanishing(-1);
    const v = SQRT_2_OVER_PI.mul(x.add(x.pow(3).mul(K))).mul(2);
    const dv = SQRT_2_OVER_PI.mul(ONE.add(x.mul(x).mul(K).mul(3))).mul(2);
    return gate(v, x.mul(dv));
  },
  sigmoid: (x: Decimal): Decimal => {
    const v = x.mul(A);
    if (v.gt(3000)) return ONE.add(VANISHING);
    if (v.lt(-3000)) return vanishing(-1);
    return gate(v, v);
  },
};

/** The mish ratio tanh(softplus(x)) and the derivative, in rational forms of e^x or e^-x. */
export function mish(x: Decimal): Decimal {
  if (x.isNeg()) {
    const e = exp(x), n = e.mul(e.add(2));
    return x.mul(n).div(n.add(2));
  }
  const t = exp(x.neg()), n = t.mul(2).add(1);
  return x.mul(n).div(n.add(t.mul(t).mul(2)));
}

/** d/dx mish(x) = tanh(sp) + x·σ(x)·sech²(sp), sp = softplus(x). */
export function mishGrad(x: Decimal): Decimal {
  if (x.lt(-3000)) return vanishing(x.add(1));
  if (x.gt(3000)) return ONE.add(VANISHING);
  if (x.isNeg()) {
    const e = exp(x), n = e.mul(e.add(2)), d = n.add(2);
    return n.mul(d).add(x.mul(4).mul(e).mul(e.add(1))).div(d.mul(d));
  }
  const t = exp(x.neg()), n = t.mul(2).add(1), d = n.add(t.mul(t).mul(2));
  return n.mul(d).add(x.mul(4).mul(t).mul(t).mul(t.add(1))).div(d.mul(d));
}

/** x - tanh(x), by its series where the difference cancels too deeply. */
export function tanhshrink(x: Decimal): Decimal {
  if (x.abs().lt("1e-5")) {
    const x2 = x.mul(x);
    const poly = D(1).div(3).sub(x2.mul(2).div(15)).add(x2.pow(2).mul(17).div(315))
      .sub(x2.pow(3).mul(62).div(2835));
    return x.mul(x2).mul(poly);
  }
  return x.sub(tanh(x));
}

/** PyTorch's 32-digit SELU constants. */
export const SELU_ALPHA: Decimal = D("1.6732632423543772848170429916717");
/** @see SELU_ALPHA */
export const SELU_SCALE: Decimal = D("1.0507009873554804934193349852946");

/**
 * Rounds an exact value to float64 or float32 once. Through a double, the float32 rounding can
 * only go wrong when the double lands exactly halfway between two float32 numbers; such a case
 * is settled by comparing the decimal with that halfway point.
 */
export function roundTo(v: Exact, dtype: "float32" | "float64"): number {
  if (typeof v === "number") return dtype === "float32" ? Math.fround(v) : v;
  const d = Number(v.toString());
  if (dtype === "float64") return d;
  const f = Math.fround(d);
  if (f === d || !Number.isFinite(f)) return f;
  const other = nextFloat32(f, d > f);
  if (!Number.isFinite(other) || d !== (f + other) / 2) return f;
  const c = v.cmp(fromDouble(d));
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
export function ulpOf(t: number, dtype: "float32" | "float64"): number {
  const f32 = dtype === "float32";
  uf[0] = t;
  const biased = (uh[1] >>> 20) & 0x7ff;
  // Subnormal doubles, zeros, NaN and infinities: the smallest spacing (its use is moot there).
  const e = biased === 0 || biased === 0x7ff ? -1074 : biased - 1023;
  return f32 ? POW2[Math.max(e, -126) - 23 + 1074] : POW2[Math.max(e, -1022) - 52 + 1074];
}

/**
 * The error of `r` against the exact `t` in units of the last place of `dtype` at t (0.5 or
 * less: correctly rounded, unless t is a tie). Infinity when one is NaN or infinite and the
 * other is not the same.
 */
export function ulpError(r: number, t: Exact, dtype: "float32" | "float64"): number {
  if (typeof t === "number") {
    if (t !== t || r !== r) return t !== t && r !== r ? 0 : Infinity;
    if (!Number.isFinite(t) || !Number.isFinite(r)) return r === t ? 0 : Infinity;
    return Math.abs(r - t) / ulpOf(t, dtype);
  }
  if (r !== r) return Infinity;
  const rounded = roundTo(t, dtype);
  if (!Number.isFinite(rounded) || !Number.isFinite(r)) return r === rounded ? 0 : Infinity;
  const ulp = ulpOf(Number(t.toString()), dtype);
  return fromDouble(r).sub(t).abs().div(fromDouble(ulp)).toNumber();
}
