/**
 * Checks a float64 derivative beside its zero, where its two terms cancel: relative accuracy
 * (within 1 ULP) down to 2^-30 from the zero, and closer in 1 ULP plus an absolute bound.
 * Test-only.
 */

import assert from "node:assert/strict";
import type { Decimal } from "decimal.js";
import { Tensor } from "../tensor.ts";
import { D, fromDouble, ulpError, ulpOf } from "../../tests/accuracy/oracle.ts";

/** The zero of `f` in [lo, hi] (a sign change), by bisection in decimal arithmetic. */
export function zeroOf(f: (x: Decimal) => Decimal, lo: number, hi: number): number {
  let a = fromDouble(lo), b = fromDouble(hi);
  const fa = f(a).isNeg();
  for (let i = 0; i < 80; i++) {
    const m = a.add(b).div(2);
    if (f(m).isNeg() === fa) a = m;
    else b = m;
  }
  return a.toNumber();
}

/**
 * The worst ULP error beyond 2^-30 of the zero, and inside it the worst absolute error in
 * excess of 1 ULP.
 */
export function besideZero(
  grad: (x: Float64Array) => ArrayLike<number>,
  exact: (x: Decimal) => Decimal,
  zero: number,
): { ulp: number; ulpAt: number; abs: number; absAt: number } {
  const xs: number[] = [];
  for (let k = 1; k <= 60; k++) {
    for (const s of [-1, 1]) xs.push(zero + s * 2 ** -k * (1 + 0.37 * (k % 3)));
  }
  // The doubles right beside the zero, too.
  let x = zero;
  for (let i = 0; i < 8; i++) x = nextUp(x);
  for (let i = 0; i < 16; i++) xs.push(x = nextDown(x));
  const y = grad(new Float64Array(xs));
  let ulp = 0, ulpAt = NaN, abs = 0, absAt = NaN;
  for (let i = 0; i < xs.length; i++) {
    const t = exact(fromDouble(xs[i]));
    if (Math.abs(xs[i] - zero) >= 2 ** -30) {
      const e = ulpError(y[i], t, "float64");
      if (e > ulp) [ulp, ulpAt] = [e, xs[i]];
    } else {
      // Closer in, what exceeds 1 ULP must stay below an absolute bound.
      const a = fromDouble(y[i]).sub(t).abs().toNumber() - ulpOf(t.toNumber(), "float64");
      if (a > abs) [abs, absAt] = [a, xs[i]];
    }
  }
  return { ulp, ulpAt, abs, absAt };
}

const f64 = new Float64Array(1), i64 = new BigInt64Array(f64.buffer);
function nextUp(x: number): number {
  f64[0] = x;
  i64[0] += x >= 0 ? 1n : -1n;
  return f64[0];
}
function nextDown(x: number): number {
  f64[0] = x;
  i64[0] += x > 0 ? -1n : 1n;
  return f64[0];
}

/** The exact value as a Decimal (re-exported for callers building derivatives). */
export { D };

/**
 * Asserts that the float64 `backward` (called with a gradient of ones) is within 1 ULP of
 * `exact` beyond 2^-30 of its zero in [lo, hi], and within 1 ULP + 2^-100 closer in.
 */
export function assertBesideZero(
  what: string,
  backward: (gradOutput: Tensor, x: Tensor) => Tensor,
  exact: (x: Decimal) => Decimal,
  lo: number,
  hi: number,
): void {
  const zero = zeroOf(exact, lo, hi);
  const w = besideZero(
    (x) => backward(new Tensor(new Float64Array(x.length).fill(1)), new Tensor(x)).data,
    exact,
    zero,
  );
  assert.ok(w.ulp <= 1, `${what}: ${w.ulp} ULP at ${w.ulpAt}`);
  assert.ok(w.abs <= 2 ** -100, `${what}: absolute error beyond 1 ULP ${w.abs} at ${w.absAt}`);
}
