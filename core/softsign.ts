/**
 * Softsign `x / (1 + |x|)`, a rational squashing function to (-1, 1).
 *
 * @module
 */

import { ELEMENTWISE, NO_OPTIONS } from "./activation.ts";
import { defineActivation } from "./_declare.ts";
import { type DD, ddDiv, ddMul, sumError } from "./_dd.ts";
import { ldexp } from "./_exp.ts";
import { checkGradient, checkTensor, mapGradient, mapUnary, outputFor } from "./_elementwise.ts";
import { requireForward } from "./_module.ts";
import { type OutOption, resolveOptions } from "./_options.ts";
import { divDD } from "./_scalars_smooth.ts";
import type { Module } from "./module.ts";
import type { Tensor } from "./tensor.ts";

/** Options of {@linkcode softsign}. */
export type SoftsignOptions = OutOption;

const TWO_60 = 2 ** 60;
const TWO_500 = 2 ** 500;
const ONE: DD = { hi: 1, lo: 0 };

/**
 * x / (1 + |x|) with the denominator's rounding error folded into the quotient, so the result
 * is rounded about once. Beyond |x| = 2^60 it is ±1 to far below half an ULP (and ∞/∞ would be
 * NaN).
 */
function softsignScalar(x: number): number {
  const a = Math.abs(x);
  if (a > TWO_60) return x > 0 ? 1 : -1;
  const s = 1 + a;
  return divDD(x, 0, s, sumError(1, a, s));
}

/**
 * 1 / (1 + |x|)² in double-double, rounded once: beyond |x| = 2^500 the denominator is scaled by
 * 2^-600 so that the square stays normal, and the scaling is undone in the one rounding.
 */
function softsignGrad(x: number): number {
  if (x !== x) return x;
  const a = Math.abs(x);
  if (a === Infinity) return 0;
  const d: DD = { hi: 1 + a, lo: sumError(1, a, 1 + a) };
  if (a <= TWO_500) {
    const r = ddDiv(ONE, d), r2 = ddMul(r, r);
    return r2.hi + r2.lo;
  }
  // 1/(d·2^-600), squared, times 2^-1200: d·2^-600 keeps Dekker's splits finite.
  const r = ddDiv(ONE, { hi: d.hi * 2 ** -600, lo: d.lo * 2 ** -600 }), r2 = ddMul(r, r);
  return ldexp(r2.hi + r2.lo, -1200);
}

/**
 * Applies softsign `x / (1 + |x|)` element-wise. Within 1 ULP in float32 and 2 ULP in float64;
 * softsign(±∞) is ±1 (PyTorch gives NaN) and NaN stays NaN.
 *
 * @example Usage
 * ```ts
 * import { softsign, tensor } from "@nonlin/core";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(softsign(tensor([-Infinity, -1, 0, 3, Infinity])).toArray(), [-1, -0.5, 0, 0.75, 1]);
 * ```
 */
export function softsign(x: Tensor, options: SoftsignOptions = {}): Tensor {
  checkTensor(x, "softsign() argument x");
  const { out } = resolveOptions<SoftsignOptions>("softsign", options, []);
  return mapUnary(x, outputFor("softsign", x, out), softsignScalar);
}

/**
 * The gradient of softsign from its input: `gradOutput / (1 + |x|)²` (0 at ±∞).
 *
 * @example Usage
 * ```ts
 * import { softsignBackward, tensor } from "@nonlin/core";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(softsignBackward(tensor([8, 8]), tensor([0, -1])).toArray(), [8, 2]);
 * ```
 */
export function softsignBackward(gradOutput: Tensor, x: Tensor): Tensor {
  checkTensor(x, "softsignBackward() argument x");
  const g = checkGradient("softsignBackward", gradOutput, x);
  return mapGradient(g, x, (dy, v) => dy * softsignGrad(v));
}

/**
 * The softsign layer. Caches its input (from the output, 1 - |y| would cancel near ±1).
 *
 * @example Usage
 * ```ts
 * import { Softsign, tensor } from "@nonlin/core";
 * import assert from "node:assert/strict";
 *
 * const layer = new Softsign();
 * assert.deepEqual(layer.forward(tensor([1])).toArray(), [0.5]);
 * assert.deepEqual(layer.backward(tensor([1])).toArray(), [0.25]);
 * ```
 */
export class Softsign implements Module {
  #x?: Tensor;

  /** Applies {@linkcode softsign} and caches the input. */
  forward(x: Tensor): Tensor {
    const y = softsign(x);
    this.#x = x;
    return y;
  }

  /** Returns dL/dx for the last forward call. */
  backward(gradOutput: Tensor): Tensor {
    return softsignBackward(gradOutput, requireForward(this.#x, "Softsign"));
  }
}

defineActivation({
  name: "softsign",
  className: "Softsign",
  title: "Softsign",
  summary: "A rational tanh-like squashing to (-1, 1) with polynomial, not exponential, tails.",
  family: "squashing",
  kind: "elementwise",
  options: NO_OPTIONS,
  formula: { f: String.raw`\frac{x}{1 + |x|}`, df: String.raw`\frac{1}{(1 + |x|)^2}` },
  range: "(-1, 1)",
  properties: { monotonic: true, zeroCentred: true, smooth: false, bounded: true },
  cost: { transcendental: 0, arithmetic: 8 },
  caches: "input",
  shape: ELEMENTWISE,
  forward: (x, o) => softsign(x, o),
  backward: (dy, x) => softsignBackward(dy, x),
  create: () => new Softsign(),
  naive: (x) => x / (1 + Math.abs(x)),
});
