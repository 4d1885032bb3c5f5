/**
 * Hardsigmoid: the piecewise-linear sigmoid `clamp(x/6 + 1/2, 0, 1)`, as in MobileNetV3.
 *
 * @module
 */

import { ELEMENTWISE, NO_OPTIONS } from "./activation.ts";
import { defineActivation } from "./_declare.ts";
import { prodError, sumError } from "./_dd.ts";
import { checkGradient, checkTensor, mapGradient, mapUnary, outputFor } from "./_elementwise.ts";
import { requireForward } from "./_module.ts";
import { type OutOption, resolveOptions } from "./_options.ts";
import type { Module } from "./module.ts";
import type { Tensor } from "./tensor.ts";

/** Options of {@linkcode hardsigmoid}. */
export type HardsigmoidOptions = OutOption;

/**
 * hardsigmoid of one number. The middle piece is (x + 3)/6 with the sum and the quotient each
 * corrected by its exact rounding error, so the result is correctly rounded but in rare ties.
 */
function hardsigmoidScalar(v: number): number {
  if (v <= -3) return 0;
  if (v >= 3) return 1;
  if (v !== v) return v;
  const s = v + 3, se = sumError(v, 3, s);
  const q = s / 6, m = 6 * q;
  return q + ((s - m) - prodError(6, q, m) + se) / 6;
}

/**
 * Applies Hardsigmoid element-wise: 0 for `x ≤ -3`, 1 for `x ≥ 3`, `(x + 3)/6` between.
 *
 * Correctly rounded in float64 (barring ties), within 1 ULP in float32. NaN stays NaN.
 *
 * @example Usage
 * ```ts
 * import { hardsigmoid, tensor } from "@nonlin/core";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(hardsigmoid(tensor([-4, 0, 1.5, 4])).toArray(), [0, 0.5, 0.75, 1]);
 * ```
 */
export function hardsigmoid(x: Tensor, options: HardsigmoidOptions = {}): Tensor {
  checkTensor(x, "hardsigmoid() argument x");
  const { out } = resolveOptions<HardsigmoidOptions>("hardsigmoid", options, []);
  return mapUnary(x, outputFor("hardsigmoid", x, out), hardsigmoidScalar);
}

/**
 * The gradient of Hardsigmoid from its input: `gradOutput / 6` where `-3 < x < 3`, else 0 (0 at
 * ±3, PyTorch's convention). NaN where `x` is NaN.
 *
 * @example Usage
 * ```ts
 * import { hardsigmoidBackward, tensor } from "@nonlin/core";
 * import assert from "node:assert/strict";
 *
 * const g = hardsigmoidBackward(tensor([6, 6, 6]), tensor([-3, 0, 3]));
 * assert.deepEqual(g.toArray(), [0, 1, 0]);
 * ```
 */
export function hardsigmoidBackward(gradOutput: Tensor, x: Tensor): Tensor {
  checkTensor(x, "hardsigmoidBackward() argument x");
  const g = checkGradient("hardsigmoidBackward", gradOutput, x);
  return mapGradient(g, x, (dy, v) => (v > -3 && v < 3 ? dy / 6 : v !== v ? v : 0));
}

/**
 * The Hardsigmoid layer. Caches its input for the backward pass.
 *
 * @example Usage
 * ```ts
 * import { Hardsigmoid, tensor } from "@nonlin/core";
 * import assert from "node:assert/strict";
 *
 * const layer = new Hardsigmoid();
 * assert.deepEqual(layer.forward(tensor([-6, 0, 6])).toArray(), [0, 0.5, 1]);
 * assert.deepEqual(layer.backward(tensor([6, 6, 6])).toArray(), [0, 1, 0]);
 * ```
 */
export class Hardsigmoid implements Module {
  #x?: Tensor;

  /** Applies {@linkcode hardsigmoid} and caches the input. */
  forward(x: Tensor): Tensor {
    const y = hardsigmoid(x);
    this.#x = x;
    return y;
  }

  /** Returns dL/dx for the last forward call. */
  backward(gradOutput: Tensor): Tensor {
    return hardsigmoidBackward(gradOutput, requireForward(this.#x, "Hardsigmoid"));
  }
}

defineActivation({
  name: "hardsigmoid",
  className: "Hardsigmoid",
  title: "Hard sigmoid",
  summary: "A piecewise-linear sigmoid without exponentials: cheap gates (MobileNetV3).",
  family: "squashing",
  aliases: ["h-sigmoid"],
  references: [
    {
      authors: "Courbariaux, Bengio and David",
      year: 2015,
      title: "BinaryConnect: Training Deep Neural Networks with binary weights during propagations",
      url: "https://arxiv.org/abs/1511.00363",
    },
  ],
  kind: "elementwise",
  options: NO_OPTIONS,
  formula: {
    f: String
      .raw`\begin{cases} 0 & x \le -3 \\ 1 & x \ge 3 \\ \frac{x}{6} + \frac{1}{2} & \text{otherwise} \end{cases}`,
    df: String.raw`\begin{cases} \frac{1}{6} & -3 < x < 3 \\ 0 & \text{otherwise} \end{cases}`,
  },
  range: "[0, 1]",
  properties: { monotonic: true, zeroCentred: false, smooth: false, bounded: true },
  cost: { transcendental: 0, arithmetic: 25 },
  caches: "input",
  shape: ELEMENTWISE,
  forward: (x, o) => hardsigmoid(x, o),
  backward: (dy, x) => hardsigmoidBackward(dy, x),
  create: () => new Hardsigmoid(),
  naive: (x) => Math.min(Math.max(x / 6 + 0.5, 0), 1),
});
