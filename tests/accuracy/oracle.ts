/**
 * The one oracle of the tests: every exact value a unit test, a kernel test or the exhaustive
 * verification compares against comes from here. Each activation and its derivative is
 * evaluated in decimal arithmetic (decimal.js at 80 significant digits) in forms that do not
 * cancel, or, for the piecewise-linear ones, exactly (at 1200 digits here, in double-double
 * arithmetic in `cases.ts`). Inputs enter as the exact values of their doubles. This file holds
 * the smooth functions and the softmax rows and re-exports the rest: the arithmetic, rounding
 * and ULP measures of `oracle_decimal.ts` and the rectifiers of `oracle_rectifiers.ts`, so that
 * tests import from this file only. Test-only; never published.
 *
 * @module
 */

import type { Decimal } from "decimal.js";
import { D, type Exact, exp, fromDouble, log1p, vanishing } from "./oracle_decimal.ts";

export * from "./oracle_decimal.ts";
export * from "./oracle_rectifiers.ts";

const PI = D.acos(-1);
const SQRT_2PI = PI.mul(2).sqrt();
const SQRT_2 = D(2).sqrt();
const SQRT_2_OVER_PI = D(2).div(PI).sqrt();
const ONE = D(1), TWO = D(2);
/** Just above 1: a derivative that rounds to 1 from above. */
const ABOVE_ONE = ONE.add(vanishing(1));

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

/** erfc(x) for any finite x, relatively accurate in the right tail. */
export function erfc(x: Decimal): Decimal {
  return x.gte(6)
    ? erfcFraction(x)
    : x.lte(-6)
    ? TWO.sub(erfcFraction(x.neg()))
    : ONE.sub(erfSeries(x));
}

/** Φ(x) = erfc(-x/√2)/2, relatively accurate in the left tail. */
export function normalCdf(x: Decimal): Decimal {
  return erfc(x.neg().div(SQRT_2)).div(2);
}

/** φ(x) = e^(-x²/2)/√(2π). */
export function normalPdf(x: Decimal): Decimal {
  return exp(x.mul(x).div(-2)).div(SQRT_2PI);
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
    if (x.gt(60)) return ABOVE_ONE;
    if (x.lt(-60)) return vanishing(-1);
    return normalCdf(x).add(x.mul(normalPdf(x)));
  },
  tanh: (x: Decimal): Decimal => {
    if (x.gt(60)) return ABOVE_ONE;
    if (x.lt(-60)) return vanishing(-1);
    const v = SQRT_2_OVER_PI.mul(x.add(x.pow(3).mul(K))).mul(2);
    const dv = SQRT_2_OVER_PI.mul(ONE.add(x.mul(x).mul(K).mul(3))).mul(2);
    return gate(v, x.mul(dv));
  },
  sigmoid: (x: Decimal): Decimal => {
    const v = x.mul(A);
    if (v.gt(3000)) return ABOVE_ONE;
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
  if (x.gt(3000)) return ABOVE_ONE;
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

/** SiLU x·σ(x). */
export function silu(x: Decimal): Decimal {
  return x.mul(sigmoid(x));
}

/** log σ(x) = -softplus(-x). */
export function logSigmoid(x: Decimal): Decimal {
  return softplusOf(x.neg()).neg();
}

/**
 * PyTorch's softplus: x where βx > threshold, else log(1 + e^(βx))/β, with βx and the
 * comparison exact.
 */
export function softplus(beta = 1, threshold = 20): (x: Decimal) => Decimal {
  const b = fromDouble(beta), t = fromDouble(threshold);
  return (x) => {
    const u = x.mul(b);
    return u.gt(t) ? x : softplusOf(u).div(b);
  };
}

/** x/(1 + |x|). */
export function softsign(x: Decimal): Decimal {
  return x.div(x.abs().add(1));
}

/** GLU a·σ(b). */
export function glu(a: Decimal, b: Decimal): Decimal {
  return a.mul(sigmoid(b));
}

/**
 * softmax of one row of doubles with a finite maximum (-∞ entries allowed): a Decimal per entry,
 * shifted by the maximum exactly. Equal entries share one exponential.
 */
export function softmaxRow(row: ArrayLike<number>): Decimal[] {
  return rowOf(row, false) as Decimal[];
}

/** softmax(-x) of one row (see {@linkcode softmaxRow}). */
export function softminRow(row: ArrayLike<number>): Decimal[] {
  return softmaxRow(Array.from(row, (v) => -v));
}

/**
 * log-softmax of one row of doubles with a finite maximum: a Decimal per entry, or -∞ for a -∞
 * entry (see {@linkcode softmaxRow}).
 */
export function logSoftmaxRow(row: ArrayLike<number>): Exact[] {
  return rowOf(row, true);
}

function rowOf(row: ArrayLike<number>, log: boolean): Exact[] {
  const xs = Array.from(row);
  const m = xs.reduce((a, b) => (b > a ? b : a), -Infinity);
  if (!Number.isFinite(m)) throw new RangeError(`Cannot take an exact row with max ${m}`);
  const em = fromDouble(m);
  const counts = new Map<number, number>();
  for (const v of xs) counts.set(v, (counts.get(v) ?? 0) + 1);
  const shifts = new Map<number, Decimal | null>(), exps = new Map<number, Decimal>();
  // log-softmax takes log1p of the sum less the max's own 1: the entries below the max, then
  // the max's other ties (adding -1 to tiny terms first would round them away).
  let sum = D(0), below = D(0);
  for (const [v, count] of counts) {
    const d = v === -Infinity ? null : fromDouble(v).sub(em);
    const e = d === null ? D(0) : exp(d);
    shifts.set(v, d);
    exps.set(v, e);
    sum = sum.add(e.mul(count));
    if (v !== m) below = below.add(e.mul(count));
  }
  const logSum = log1p(below.add(counts.get(m)! - 1));
  const results = new Map<number, Exact>();
  for (const [v, d] of shifts) {
    results.set(v, !log ? exps.get(v)!.div(sum) : d === null ? -Infinity : d.sub(logSum));
  }
  return xs.map((v) => results.get(v)!);
}
