/**
 * Tanhshrink `x - tanh(x)`, computed without the cancellation of the textbook form.
 *
 * @module
 */

import { ELEMENTWISE, NO_OPTIONS } from "./activation.ts";
import { defineActivation } from "./_declare.ts";
import { type DD, ddAdd, ddDiv, ddMul, prodError, sumError } from "./_dd.ts";
import { expSplit, ldexp, type Split } from "./_exp.ts";
import { checkGradient, checkTensor, mapGradient, mapUnary, outputFor } from "./_elementwise.ts";
import { requireForward } from "./_module.ts";
import { type OutOption, resolveOptions } from "./_options.ts";
import { divDD } from "./_scalars_smooth.ts";
import type { Module } from "./module.ts";
import type { Tensor } from "./tensor.ts";

/** Options of {@linkcode tanhshrink}. */
export type TanhshrinkOptions = OutOption;

// 1/3 split into a double and its rounding error.
const THIRD_HI = 0.3333333333333333, THIRD_LO = 1.850371707708594e-17;
const TWO_200 = 2 ** 200, TWO_M600 = 2 ** -600;

/**
 * Q1(z) = Σ_{k≥2} 2k·z^(k-2) / (2k+1)!, where x·cosh(x) - sinh(x) = x³·(1/3 + x²·Q1(x²)). All
 * coefficients are positive, so Horner's rule loses nothing to cancellation; for |x| < 1 the
 * terms left out are below 2^-62 of the sum.
 */
function q1(z: number): number {
  return 1 / 30 + z * (1 / 840 + z * (1 / 45360 + z * (1 / 3991680 + z * (1 / 518918400 +
                    z *
                      (1 / 93405312000 + z * (1 / 22230464256000 + z * (1 / 6758061133824000)))))));
}

/** C1(z), where cosh(x) = 1 + x²·C1(x²): the cosh series without its first term. */
function c1(z: number): number {
  return 1 / 2 + z * (1 / 24 + z * (1 / 720 + z * (1 / 40320 + z * (1 / 3628800 +
                    z * (1 / 479001600 + z * (1 / 87178291200 + z * (1 / 20922789888000 +
                                z * (1 / 6402373705728000))))))));
}

/**
 * x - tanh(x) for x ≥ 0.
 *
 * - x < 2^-30: x³/3 (the next term is 2^-60 smaller), formed at a scale of 2^600 so that it
 *   rounds once, into subnormals if it must.
 * - x < 1: (x·cosh x - sinh x) / cosh x = x³·(1/3 + x²·Q1) / (1 + x²·C1), two series of
 *   positive terms; the leading terms, x³ and the quotient are carried in double-double.
 * - x ≥ 1: (x - 1) + 2 / (1 + e^(2x)), with x - 1 exact and the fraction in double-double;
 *   above 20 the fraction is below 2^-58 of x - 1.
 */
function tanhshrinkPositive(x: number): number {
  if (x < 2 ** -30) {
    const s = x * TWO_200, s2 = s * s, s3 = s * s2;
    const s3e = prodError(s, s2, s3) + s * prodError(s, s, s2);
    return divDD(s3, s3e, 3, 0) * TWO_M600;
  }
  if (x < 1) {
    const x2 = x * x, x2e = prodError(x, x, x2);
    const x3 = x * x2, x3e = prodError(x, x2, x3) + x * x2e;
    const q = q1(x2), tq = x2 * q, tqe = prodError(x2, q, tq) + x2e * q;
    const qh = THIRD_HI + tq, ql = sumError(THIRD_HI, tq, qh) + tqe + THIRD_LO;
    const c = c1(x2), tc = x2 * c, tce = prodError(x2, c, tc) + x2e * c;
    const ch = 1 + tc, cl = sumError(1, tc, ch) + tce;
    const nh = x3 * qh, nl = prodError(x3, qh, nh) + x3 * ql + x3e * qh;
    return divDD(nh, nl, ch, cl);
  }
  if (x > 20) return x - 1;
  const e = Math.exp(2 * x), s = 1 + e, se = sumError(1, e, s);
  const fh = 2 / s, p = fh * s;
  const fl = ((2 - p) - prodError(fh, s, p) - fh * se) / s;
  const a = x - 1, r = a + fh;
  return r + (sumError(a, fh, r) + fl);
}

/** Odd: the positive half, mirrored; ±0 and NaN pass through. */
function tanhshrinkScalar(x: number): number {
  if (x === 0 || x !== x) return x;
  return x > 0 ? tanhshrinkPositive(x) : -tanhshrinkPositive(-x);
}

const TWO_M26 = 2 ** -26;
const ONE: DD = { hi: 1, lo: 0 };
const scratch: Split = { hi: 0, lo: 0, k: 0 };

/**
 * tanh²(x), the derivative of tanhshrink, rounded about once: below 2^-26 it is x²(1 - 2x²/3)
 * from the exact square; up to 40, (1 - e)²/(1 + e)² with e = e^-2|x| in double-double (the
 * difference 1 - e is exact enough there); beyond, 1.
 */
function tanhSquared(x: number): number {
  if (x !== x) return x;
  const a = Math.abs(x);
  if (a < TWO_M26) {
    const p = a * a;
    return p + (prodError(a, a, p) - (2 / 3) * p * p);
  }
  if (a > 40) return 1;
  const s = expSplit(-2 * a, 0, scratch);
  const e: DD = { hi: ldexp(s.hi, s.k), lo: ldexp(s.lo, s.k) };
  const t = ddDiv(ddAdd(ONE, { hi: -e.hi, lo: -e.lo }), ddAdd(ONE, e));
  const r = ddMul(t, t);
  return r.hi + r.lo;
}

/**
 * Applies tanhshrink `x - tanh(x)` element-wise.
 *
 * The textbook form cancels for |x| ≲ 2 (it gives 0 below |x| ≈ 1e-8 in float64, where the
 * value is x³/3); here series of positive terms and double-double steps keep every finite input
 * within 1 ULP in float32 and 2 ULP in float64. tanhshrink(±∞) is ±∞, NaN stays NaN.
 *
 * @example Usage
 * ```ts
 * import { tanhshrink, tensor } from "@nonlin/core";
 * import assert from "node:assert/strict";
 *
 * const [small, big] = tanhshrink(tensor([1e-5, 30], { dtype: "float64" })).toArray() as number[];
 * assert.ok(Math.abs(small / (1e-15 / 3) - 1) < 1e-9); // x³/3: x - tanh(x) keeps 5 digits
 * assert.equal(big, 29);
 * ```
 */
export function tanhshrink(x: Tensor, options: TanhshrinkOptions = {}): Tensor {
  checkTensor(x, "tanhshrink() argument x");
  const { out } = resolveOptions<TanhshrinkOptions>("tanhshrink", options, []);
  return mapUnary(x, outputFor("tanhshrink", x, out), tanhshrinkScalar);
}

/**
 * The gradient of tanhshrink from its input: `gradOutput · tanh²(x)` (1 - (1 - tanh²)).
 *
 * @example Usage
 * ```ts
 * import { tanhshrinkBackward, tensor } from "@nonlin/core";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(tanhshrinkBackward(tensor([3, 3]), tensor([0, Infinity])).toArray(), [0, 3]);
 * ```
 */
export function tanhshrinkBackward(gradOutput: Tensor, x: Tensor): Tensor {
  checkTensor(x, "tanhshrinkBackward() argument x");
  const g = checkGradient("tanhshrinkBackward", gradOutput, x);
  return mapGradient(g, x, (dy, v) => dy * tanhSquared(v));
}

/**
 * The tanhshrink layer. Caches its input.
 *
 * @example Usage
 * ```ts
 * import { Tanhshrink, tensor } from "@nonlin/core";
 * import assert from "node:assert/strict";
 *
 * const layer = new Tanhshrink();
 * assert.deepEqual(layer.forward(tensor([0, 30])).toArray(), [0, 29]);
 * assert.deepEqual(layer.backward(tensor([5, 5])).toArray(), [0, 5]);
 * ```
 */
export class Tanhshrink implements Module {
  #x?: Tensor;

  /** Applies {@linkcode tanhshrink} and caches the input. */
  forward(x: Tensor): Tensor {
    const y = tanhshrink(x);
    this.#x = x;
    return y;
  }

  /** Returns dL/dx for the last forward call. */
  backward(gradOutput: Tensor): Tensor {
    return tanhshrinkBackward(gradOutput, requireForward(this.#x, "Tanhshrink"));
  }
}

defineActivation({
  name: "tanhshrink",
  className: "Tanhshrink",
  title: "Tanhshrink",
  summary: "x - tanh(x): near-zero around the origin, linear in the tails; a smooth shrinkage.",
  family: "shrinkage",
  kind: "elementwise",
  options: NO_OPTIONS,
  formula: { f: String.raw`x - \tanh(x)`, df: String.raw`\tanh^2(x)` },
  range: "(-∞, ∞)",
  properties: { monotonic: true, zeroCentred: true, smooth: true, bounded: false },
  cost: { transcendental: 1, arithmetic: 40 },
  caches: "input",
  shape: ELEMENTWISE,
  forward: (x, o) => tanhshrink(x, o),
  backward: (dy, x) => tanhshrinkBackward(dy, x),
  create: () => new Tanhshrink(),
  naive: (x) => x - Math.tanh(x),
});
