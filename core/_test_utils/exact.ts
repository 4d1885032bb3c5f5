/**
 * Exact references for the accuracy suites: the mathematics evaluated in high-precision
 * decimal arithmetic (decimal.js), then rounded once to the dtype, and the ULP distance of a
 * result from it. Test-only; never published.
 */

import { Decimal } from "decimal.js";
import type { DType } from "../tensor.ts";
import { erfSeries } from "../../tests/accuracy/oracle.ts";

/** A decimal.js constructor working at 120 significant digits. */
export const D: typeof Decimal = Decimal.clone({
  precision: 120,
  rounding: Decimal.ROUND_HALF_EVEN,
});

/** A Decimal, or a special value that has no decimal: NaN and ±∞ as numbers. */
export type Exact = Decimal | number;

const PI = D.acos(-1);
const SQRT_PI = PI.sqrt();

/**
 * The exact value of a finite double as a Decimal. `D(x)` would parse x's shortest decimal
 * string instead, which is off by up to half an ULP: enough to ruin exp(-700)'s reference.
 */
export function fromDouble(x: number): Decimal {
  if (!Number.isFinite(x)) throw new RangeError(`Cannot convert ${x} to an exact decimal`);
  let m = Math.abs(x), e = 0;
  // Halving and doubling are exact, so m·2^-e stays exactly |x| throughout.
  while (m >= 2 ** 53) {
    m /= 2;
    e--;
  }
  while (!Number.isInteger(m)) {
    m *= 2;
    e++;
  }
  const v = D(m).div(D(2).pow(e));
  return x < 0 || Object.is(x, -0) ? v.neg() : v;
}

/** e^x. */
export function exp(x: Decimal): Decimal {
  return x.exp();
}

/** σ(x) = 1 / (1 + e^-x), without cancellation on either side. */
export function sigmoid(x: Decimal): Decimal {
  return x.isNeg() ? x.exp().div(x.exp().add(1)) : D(1).div(x.neg().exp().add(1));
}

/** tanh(x) = sign(x)·(1 - e^(-2|x|)) / (1 + e^(-2|x|)), stable for large |x|. */
export function tanh(x: Decimal): Decimal {
  // decimal.js's own tanh is a series near 0, where 1 - e^(-2|x|) would cancel.
  if (x.abs().lt(1)) return x.tanh();
  const e = x.abs().mul(-2).exp();
  const t = D(1).sub(e).div(D(1).add(e));
  return x.isNeg() ? t.neg() : t;
}

/** erf(x) by its Maclaurin series (|x| < 6), from the one oracle. */
export { erfSeries };

/** erfc(x) for x ≥ 6 by its continued fraction, evaluated from the tail. */
function erfcFraction(x: Decimal): Decimal {
  // erfc(x) = e^(-x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …))))
  let f = x;
  for (let k = 400; k >= 1; k--) f = x.add(D(k).div(2).div(f));
  return x.mul(x).neg().exp().div(SQRT_PI).div(f);
}

/** erfc(x) for any finite x, accurate in relative terms in the right tail. */
export function erfc(x: Decimal): Decimal {
  if (x.gte(6)) return erfcFraction(x);
  if (x.lte(-6)) return D(2).sub(erfcFraction(x.neg()));
  return D(1).sub(erfSeries(x));
}

/** Φ(x), the standard normal CDF, as 0.5·erfc(-x/√2). */
export function normalCdf(x: Decimal): Decimal {
  return erfc(x.neg().div(D(2).sqrt())).div(2);
}

/** Rounds an exact value to the dtype once (float32 through float64 is safe here: see below). */
export function round(v: Exact, dtype: DType): number {
  // Number(string) rounds correctly to float64; the second rounding to float32 can only be
  // off when the decimal lies within 2^-29 float32 ULPs of a tie, which the suite's random
  // inputs never produce in practice.
  const d = typeof v === "number" ? v : Number(v.toString());
  return dtype === "float32" ? Math.fround(d) : d;
}

const f64 = new Float64Array(1), i64 = new BigInt64Array(f64.buffer);
const f32 = new Float32Array(1), i32 = new Int32Array(f32.buffer);

function ordinal(v: number, dtype: DType): bigint {
  // Maps floats to integers in the same order, with -0 and +0 adjacent to each other.
  if (dtype === "float64") {
    f64[0] = v;
    const bits = i64[0];
    return bits < 0n ? -(bits & 0x7fffffffffffffffn) : bits;
  }
  f32[0] = v;
  const bits = i32[0];
  return BigInt(bits < 0 ? -(bits & 0x7fffffff) : bits);
}

/**
 * How many representable values of `dtype` lie between `actual` and the correctly rounded
 * `expected` (0 = correctly rounded). NaN against NaN is 0; NaN against a number is ∞, and so is
 * ±∞ against anything but itself; -0 and +0 are 0 apart.
 */
export function ulpDistance(actual: number, expected: number, dtype: DType): number {
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

/** Interesting inputs for an accuracy sweep: extremes, subnormals, tails and a log-uniform spread. */
export function sweepInputs(dtype: DType, count: number, seed = 1): number[] {
  const tiny = dtype === "float32" ? 1.401298464324817e-45 : 5e-324;
  const minNormal = dtype === "float32" ? 1.1754943508222875e-38 : 2.2250738585072014e-308;
  const max = dtype === "float32" ? 3.4028234663852886e38 : Number.MAX_VALUE;
  const specials = [
    0,
    -0,
    tiny,
    -tiny,
    minNormal / 3,
    -minNormal / 3,
    minNormal,
    -minNormal,
    1e-30,
    -1e-30,
    1e-8,
    -1e-8,
    0.5,
    -0.5,
    1,
    -1,
    2,
    -2,
    5,
    -5,
    10,
    -10,
    20,
    -20,
    30,
    -30,
    40,
    -40,
    88,
    -88,
    100,
    -100,
    700,
    -700,
    710,
    -710,
    745,
    -745,
    1000,
    -1000,
    1e10,
    -1e10,
    max,
    -max,
  ];
  let s = seed >>> 0;
  const next = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
  const out = specials.map((v) => round(v, dtype));
  for (let i = 0; i < count; i++) {
    const r = next();
    let v: number;
    if (r < 0.6) v = (next() * 2 - 1) * 12; // where the curves bend
    else if (r < 0.8) v = (next() * 2 - 1) * 60; // tails, down to underflow
    else v = (next() < 0.5 ? -1 : 1) * Math.pow(10, next() * 40 - 30); // magnitudes 1e-30..1e10
    out.push(round(v, dtype));
  }
  return out;
}
