/**
 * CELU, the continuously differentiable ELU: `x` for positive inputs, `alpha · (e^(x/alpha) - 1)`
 * otherwise, whose slope is 1 on both sides of 0 for every alpha.
 *
 * @module
 */

import { ELEMENTWISE } from "./activation.ts";
import { defineActivation } from "./_declare.ts";
import { prodError } from "./_dd.ts";
import { checkGradient, checkTensor, mapGradient, mapUnary, outputFor } from "./_elementwise.ts";
import { requireForward } from "./_module.ts";
import { mulExp } from "./_scalars_smooth.ts";
import { type OptionSpec, type OutOption, resolveOptions } from "./_options.ts";
import { show } from "./_shape.ts";
import type { Module } from "./module.ts";
import type { Tensor } from "./tensor.ts";

/** CELU's `alpha` (0 would divide by zero). */
const CELU_OPTIONS: readonly OptionSpec[] = [{
  name: "alpha",
  kind: "number",
  above: 0,
  default: 1,
  description: "finite; scale of the negative part, which saturates to -alpha",
}];

/** Options of {@linkcode celu}. */
export interface CeluOptions extends OutOption {
  /** Scale of the negative part, a finite number > 0; CELU tends to -alpha at -∞. @default {1} */
  alpha?: number;
}

function resolve(fn: string, options: unknown, extra?: readonly string[]): Required<CeluOptions> {
  const o = resolveOptions<Required<CeluOptions>>(fn, options, CELU_OPTIONS, extra);
  if (!Number.isFinite(o.alpha)) {
    throw new RangeError(
      `Cannot use ${fn}() option alpha ${show(o.alpha)}: expected a finite number > 0`,
    );
  }
  return o;
}

const TWO_M30 = 2 ** -30;

/** celu of one number, for x ≤ 0 or NaN. */
function celuNegative(v: number, alpha: number): number {
  if (v !== v || v === 0) return v;
  // Near 0, celu(x) = x + x²/(2α) + O(x³/α²): the series is exact to double precision, and
  // x/α could be a subnormal that has already lost bits.
  if (v > -alpha * TWO_M30) return v + v * (v / alpha) * 0.5;
  const t = v / alpha, e = Math.expm1(t);
  if (!(t > -40) || v > -1e-270 || alpha > 1e300) return alpha * e;
  // t = x/α rounded; add back its rounding error to first order, expm1(t + τ) ≈ e + τ(e + 1),
  // with τ = (x - t·α)/α formed exactly by the product error. The final product by α keeps
  // its own rounding error too, so only expm1's error and one last rounding remain.
  const p = t * alpha;
  const tau = ((v - p) - prodError(t, alpha, p)) / alpha;
  const y = alpha * e;
  return y + (prodError(alpha, e, y) + alpha * tau * (e + 1));
}

/**
 * e^(x/α) for x ≤ 0 with the quotient's rounding error carried into the exponential (its
 * condition number is |x/α|), rounded once, subnormals included.
 */
function celuGrad(v: number, alpha: number): number {
  if (v !== v) return v;
  const t = v / alpha;
  if (!(t >= -1500) || !Number.isFinite(v) || Math.abs(t) < 1e-300) return Math.exp(t);
  const p = t * alpha;
  const tau = ((v - p) - prodError(t, alpha, p)) / alpha;
  return mulExp(1, t, tau);
}

/**
 * Applies CELU `x > 0 ? x : alpha · (e^(x/alpha) - 1)` element-wise (`max(0, x) +
 * min(0, alpha · (e^(x/alpha) - 1))`).
 *
 * Accurate where the textbook form is not: `Math.expm1` avoids the cancellation of `e^t - 1`
 * near 0, and the rounding of `x/alpha` is compensated. Within 2 ULP in float64 and 1 ULP in
 * float32; celu(-∞) = -alpha, NaN stays NaN, -0 stays -0.
 *
 * @example Usage
 * ```ts
 * import { celu, tensor } from "@nonlin/core";
 * import assert from "node:assert/strict";
 *
 * const x = tensor([-Infinity, 0, 3], { dtype: "float64" });
 * assert.deepEqual(celu(x, { alpha: 2 }).toArray(), [-2, 0, 3]);
 * const [y] = celu(tensor([-2], { dtype: "float64" }), { alpha: 2 }).toArray() as number[];
 * assert.ok(Math.abs(y - 2 * Math.expm1(-1)) < 1e-15);
 * ```
 */
export function celu(x: Tensor, options: CeluOptions = {}): Tensor {
  checkTensor(x, "celu() argument x");
  const { alpha, out } = resolve("celu", options);
  return mapUnary(x, outputFor("celu", x, out), (v) => (v > 0 ? v : celuNegative(v, alpha)));
}

/**
 * The gradient of CELU from its input: `gradOutput` where `x > 0`, `e^(x/alpha) · gradOutput`
 * where `x ≤ 0` (continuous: both sides give 1 at 0), NaN where `x` is NaN.
 *
 * @example Usage
 * ```ts
 * import { celuBackward, tensor } from "@nonlin/core";
 * import assert from "node:assert/strict";
 *
 * const g = celuBackward(tensor([3, 3, 3]), tensor([-Infinity, 0, 1]), { alpha: 0.5 });
 * assert.deepEqual(g.toArray(), [0, 3, 3]);
 * ```
 */
export function celuBackward(
  gradOutput: Tensor,
  x: Tensor,
  options: Omit<CeluOptions, "out"> = {},
): Tensor {
  checkTensor(x, "celuBackward() argument x");
  const g = checkGradient("celuBackward", gradOutput, x);
  const { alpha } = resolve("celuBackward", options, []);
  return mapGradient(g, x, (dy, v) => (v > 0 ? dy : dy * celuGrad(v, alpha)));
}

/**
 * The CELU layer. Caches its input: the derivative from the output, `y/alpha + 1`, would
 * cancel in the far negative tail.
 *
 * @example Usage
 * ```ts
 * import { CELU, tensor } from "@nonlin/core";
 * import assert from "node:assert/strict";
 *
 * const layer = new CELU({ alpha: 0.5 });
 * assert.deepEqual(layer.forward(tensor([-Infinity, 3])).toArray(), [-0.5, 3]);
 * assert.deepEqual(layer.backward(tensor([1, 1])).toArray(), [0, 1]);
 * ```
 */
export class CELU implements Module {
  #x?: Tensor;
  readonly #options: { alpha: number };

  /**
   * Creates a CELU layer.
   *
   * @param options The same `alpha` option as {@linkcode celu}.
   */
  constructor(options: Omit<CeluOptions, "out"> = {}) {
    this.#options = { alpha: resolve("CELU", options, []).alpha };
  }

  /** Applies {@linkcode celu} and caches the input. */
  forward(x: Tensor): Tensor {
    const y = celu(x, this.#options);
    this.#x = x;
    return y;
  }

  /** Returns dL/dx for the last forward call. */
  backward(gradOutput: Tensor): Tensor {
    return celuBackward(gradOutput, requireForward(this.#x, "CELU"), this.#options);
  }
}

defineActivation({
  name: "celu",
  className: "CELU",
  title: "Continuously Differentiable ELU",
  summary: "ELU with its input scaled by 1/alpha, so that the slope is 1 on both sides of 0 " +
    "for every alpha.",
  family: "rectifier",
  references: [
    {
      authors: "Barron",
      year: 2017,
      title: "Continuously Differentiable Exponential Linear Units",
      url: "https://arxiv.org/abs/1704.07483",
    },
  ],
  kind: "elementwise",
  options: CELU_OPTIONS,
  formula: {
    f: String.raw`\max(0, x) + \min\left(0, \alpha\,(e^{x/\alpha} - 1)\right)`,
    df: String.raw`\begin{cases} 1 & x > 0 \\ e^{x/\alpha} & x \le 0 \end{cases}`,
  },
  range: "(-α, ∞)",
  properties: { monotonic: true, zeroCentred: true, smooth: true, bounded: false },
  cost: { transcendental: 1, arithmetic: 40 },
  caches: "input",
  shape: ELEMENTWISE,
  forward: (x, o) => celu(x, o),
  backward: (dy, x, o) => celuBackward(dy, x, o),
  create: (o) => new CELU(o),
  naive: (x, o) => {
    const alpha = (o?.alpha as number) ?? 1;
    return Math.max(0, x) + Math.min(0, alpha * (Math.exp(x / alpha) - 1));
  },
});
