/**
 * Softshrink (soft thresholding): the input moved towards 0 by `lambda`, and 0 inside the dead
 * zone `[-lambda, lambda]`.
 *
 * @module
 */

import { ELEMENTWISE } from "./activation.ts";
import { defineActivation } from "./_declare.ts";
import { checkGradient, checkTensor, mapGradient, mapUnary, outputFor } from "./_elementwise.ts";
import { requireForward } from "./_module.ts";
import { type OptionSpec, type OutOption, resolveOptions } from "./_options.ts";
import type { Module } from "./module.ts";
import type { Tensor } from "./tensor.ts";

/** Hardshrink's and Softshrink's `lambda`. */
const SHRINK_OPTIONS: readonly OptionSpec[] = [{
  name: "lambda",
  kind: "number",
  min: 0,
  default: 0.5,
  description: "half-width of the dead zone [-lambda, lambda] (may be ∞)",
}];

/** Options of {@linkcode softshrink}. */
export interface SoftshrinkOptions extends OutOption {
  /** Half-width of the dead zone, a number ≥ 0 (∞ zeroes everything). @default {0.5} */
  lambda?: number;
}

/**
 * Applies Softshrink `x > lambda ? x - lambda : x < -lambda ? x + lambda : 0` element-wise.
 *
 * One rounding per element (correctly rounded in float64, within 1 ULP in float32). NaN stays
 * NaN, where PyTorch returns 0; ±∞ stay ±∞ for a finite lambda; the zeros are +0.
 *
 * @example Usage
 * ```ts
 * import { softshrink, tensor } from "@nonlin/core";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(softshrink(tensor([-2, 0.25, 3])).toArray(), [-1.5, 0, 2.5]);
 * assert.deepEqual(softshrink(tensor([NaN, -Infinity])).toArray(), [NaN, -Infinity]);
 * ```
 */
export function softshrink(x: Tensor, options: SoftshrinkOptions = {}): Tensor {
  checkTensor(x, "softshrink() argument x");
  const { lambda, out } = resolveOptions<Required<SoftshrinkOptions>>(
    "softshrink",
    options,
    SHRINK_OPTIONS,
  );
  return mapUnary(
    x,
    outputFor("softshrink", x, out),
    (v) => (v > lambda ? v - lambda : v < -lambda ? v + lambda : v !== v ? v : 0),
  );
}

/**
 * The gradient of Softshrink from its input: `gradOutput` where `|x| > lambda`, else 0 (so 0
 * at ±lambda, PyTorch's convention). NaN where `x` is NaN.
 *
 * @example Usage
 * ```ts
 * import { softshrinkBackward, tensor } from "@nonlin/core";
 * import assert from "node:assert/strict";
 *
 * const g = softshrinkBackward(tensor([3, 3, 3]), tensor([-0.5, 0, 0.6]));
 * assert.deepEqual(g.toArray(), [0, 0, 3]);
 * ```
 */
export function softshrinkBackward(
  gradOutput: Tensor,
  x: Tensor,
  options: Omit<SoftshrinkOptions, "out"> = {},
): Tensor {
  checkTensor(x, "softshrinkBackward() argument x");
  const g = checkGradient("softshrinkBackward", gradOutput, x);
  const { lambda } = resolveOptions<Required<SoftshrinkOptions>>(
    "softshrinkBackward",
    options,
    SHRINK_OPTIONS,
    [],
  );
  return mapGradient(g, x, (dy, v) => (v < -lambda || v > lambda ? dy : v !== v ? v : 0));
}

/**
 * The Softshrink layer. Caches its input for the backward pass.
 *
 * @example Usage
 * ```ts
 * import { Softshrink, tensor } from "@nonlin/core";
 * import assert from "node:assert/strict";
 *
 * const layer = new Softshrink({ lambda: 1 });
 * assert.deepEqual(layer.forward(tensor([-3, 0.5, 2])).toArray(), [-2, 0, 1]);
 * assert.deepEqual(layer.backward(tensor([1, 1, 1])).toArray(), [1, 0, 1]);
 * ```
 */
export class Softshrink implements Module {
  #x?: Tensor;
  readonly #options: { lambda: number };

  /**
   * Creates a Softshrink layer.
   *
   * @param options The same `lambda` option as {@linkcode softshrink}.
   */
  constructor(options: Omit<SoftshrinkOptions, "out"> = {}) {
    const { lambda } = resolveOptions<Required<SoftshrinkOptions>>(
      "Softshrink",
      options,
      SHRINK_OPTIONS,
      [],
    );
    this.#options = { lambda };
  }

  /** Applies {@linkcode softshrink} and caches the input. */
  forward(x: Tensor): Tensor {
    const y = softshrink(x, this.#options);
    this.#x = x;
    return y;
  }

  /** Returns dL/dx for the last forward call. */
  backward(gradOutput: Tensor): Tensor {
    return softshrinkBackward(gradOutput, requireForward(this.#x, "Softshrink"), this.#options);
  }
}

defineActivation({
  name: "softshrink",
  className: "Softshrink",
  title: "Soft shrinkage",
  summary: "Moves every input towards 0 by lambda, stopping at 0: soft thresholding, the " +
    "proximal step of L1 regularisation.",
  family: "shrinkage",
  references: [
    { authors: "Donoho", year: 1995, title: "De-noising by soft-thresholding" },
  ],
  kind: "elementwise",
  options: SHRINK_OPTIONS,
  formula: {
    f: String
      .raw`\begin{cases} x - \lambda & x > \lambda \\ x + \lambda & x < -\lambda \\ 0 & \text{otherwise} \end{cases}`,
    df: String.raw`\begin{cases} 1 & |x| > \lambda \\ 0 & |x| \le \lambda \end{cases}`,
  },
  range: "(-∞, ∞)",
  properties: { monotonic: true, zeroCentred: true, smooth: false, bounded: false },
  cost: { transcendental: 0, arithmetic: 3 },
  caches: "input",
  shape: ELEMENTWISE,
  forward: (x, o) => softshrink(x, o),
  backward: (dy, x, o) => softshrinkBackward(dy, x, o),
  create: (o) => new Softshrink(o),
  naive: (x, o) => {
    const l = (o?.lambda as number) ?? 0.5;
    return x > l ? x - l : x < -l ? x + l : 0;
  },
});
