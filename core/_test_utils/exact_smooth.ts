/**
 * Exact references for the smooth activations (SiLU, Mish, LogSigmoid, Softplus, Softsign,
 * Tanhshrink, GLU, Softmin, Softmax2d) in decimal.js at 120 digits, written in forms without
 * cancellation. Test-only; never published.
 */

import type Decimal from "decimal.js";
import { D, type Exact, round, sigmoid, tanh, ulpDistance } from "./exact.ts";
import type { DType } from "../tensor.ts";

const f64 = new Float64Array(1), bits = new BigInt64Array(f64.buffer);

/**
 * The exact value of a finite double as a Decimal. `D(x)` would parse the shortest decimal
 * string instead, which is up to half an ULP away: harmless for well-conditioned functions but
 * worth hundreds of ULPs in tails such as e^-700.
 */
export function exact(x: number): Decimal {
  if (x === 0 || !Number.isFinite(x)) return D(x);
  f64[0] = x;
  const b = bits[0];
  const e = Number((b >> 52n) & 0x7ffn);
  let m = b & 0xfffffffffffffn;
  if (e !== 0) m |= 1n << 52n;
  const v = D(m.toString()).mul(D(2).pow(e === 0 ? -1074 : e - 1075));
  return x < 0 ? v.neg() : v;
}

/** log(1 + y) for y ≥ 0, by its series when y is too small for 1 + y to keep it. */
function log1p(y: Decimal): Decimal {
  if (y.lt("1e-40")) return y.sub(y.pow(2).div(2)).add(y.pow(3).div(3));
  return y.add(1).ln();
}

/** log(1 + e^u), stable in both tails. */
export function softplusExact(u: Decimal): Decimal {
  return u.isNeg() ? log1p(u.exp()) : u.add(log1p(u.neg().exp()));
}

/** SiLU x·σ(x). */
export function silu(x: Decimal): Decimal {
  return x.mul(sigmoid(x));
}

/**
 * Mish x·tanh(softplus(x)). With e = e^x, tanh(log(1 + e)) = e(e + 2) / (e(e + 2) + 2), and
 * with t = e^-x it is (1 + 2t) / (1 + 2t + 2t²): no cancellation on either side.
 */
export function mish(x: Decimal): Decimal {
  if (x.isNeg()) {
    const e = x.exp(), n = e.mul(e.add(2));
    return x.mul(n).div(n.add(2));
  }
  const t = x.neg().exp(), n = t.mul(2).add(1);
  return x.mul(n).div(n.add(t.mul(t).mul(2)));
}

/** log σ(x) = -softplus(-x). */
export function logSigmoid(x: Decimal): Decimal {
  return softplusExact(x.neg()).neg();
}

/** PyTorch's softplus: x where βx > threshold, else log(1 + e^(βx)) / β (βx exact). */
export function softplus(x: Decimal, beta = 1, threshold = 20): Decimal {
  const u = x.mul(exact(beta));
  if (u.gt(exact(threshold))) return x;
  return softplusExact(u).div(exact(beta));
}

/** x / (1 + |x|). */
export function softsign(x: Decimal): Decimal {
  return x.div(x.abs().add(1));
}

/** x - tanh(x); by its Maclaurin series where the difference cancels too deeply. */
export function tanhshrink(x: Decimal): Decimal {
  if (x.abs().lt("1e-5")) {
    // x³/3 - 2x⁵/15 + 17x⁷/315 - 62x⁹/2835: the next term is below 1e-45 relative.
    const x2 = x.mul(x);
    const poly = D(1).div(3).sub(x2.mul(2).div(15)).add(x2.pow(2).mul(17).div(315))
      .sub(x2.pow(3).mul(62).div(2835));
    return x.mul(x2).mul(poly);
  }
  return x.sub(tanh(x));
}

/** GLU a·σ(b). */
export function glu(a: Decimal, b: Decimal): Decimal {
  return a.mul(sigmoid(b));
}

/** softmax(-x) of one slice, shifted by the minimum. */
export function softmin(xs: readonly Decimal[]): Decimal[] {
  const m = xs.reduce((a, b) => (a.lt(b) ? a : b));
  const e = xs.map((v) => m.sub(v).exp());
  const s = e.reduce((a, b) => a.add(b), D(0));
  return e.map((v) => v.div(s));
}

/** softmax of one slice, shifted by the maximum. */
export function softmaxSlice(xs: readonly Decimal[]): Decimal[] {
  return softmin(xs.map((v) => v.neg()));
}

/**
 * The worst ULP distance of `f` over `inputs` against `reference` evaluated on the exact value
 * of each input (rounded once to `dtype`); returns the distance and the worst input.
 */
export function worstUlp(
  inputs: readonly number[],
  actual: ArrayLike<number>,
  reference: (x: Decimal) => Exact,
  dtype: DType,
): { ulp: number; at: number; got: number; want: number } {
  let worst = { ulp: -1, at: NaN, got: NaN, want: NaN };
  for (let i = 0; i < inputs.length; i++) {
    const x = inputs[i];
    if (!Number.isFinite(x)) continue;
    const want = round(reference(exact(x)), dtype);
    const d = ulpDistance(actual[i], want, dtype);
    if (d > worst.ulp) worst = { ulp: d, at: x, got: actual[i], want };
  }
  return worst;
}
