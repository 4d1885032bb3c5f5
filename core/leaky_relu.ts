/**
 * Leaky ReLU: `x` for positive inputs, `negativeSlope · x` otherwise, so that negative inputs
 * keep a small gradient.
 *
 * @module
 */

import { ELEMENTWISE } from "./activation.ts";
import { defineActivation } from "./_declare.ts";
import { leaky } from "./_leaky.ts";
import { checkGradient, checkTensor, mapGradient, mapUnary, outputFor } from "./_elementwise.ts";
import { requireForward } from "./_module.ts";
import { type OptionSpec, type OutOption, resolveOptions } from "./_options.ts";
import type { Module } from "./module.ts";
import type { Tensor } from "./tensor.ts";

/** LeakyReLU's `negativeSlope`. */
const LEAKY_RELU_OPTIONS: readonly OptionSpec[] = [{
  name: "negativeSlope",
  kind: "number",
  default: 0.01,
  description: "slope for x ≤ 0",
}];

/** Options of {@linkcode leakyRelu}. */
export interface LeakyReluOptions extends OutOption {
  /** Slope for `x ≤ 0`; any finite number, as in PyTorch. @default {0.01} */
  negativeSlope?: number;
}

/**
 * Applies Leaky ReLU `x > 0 ? x : negativeSlope · x` element-wise.
 *
 * One rounding per element: correctly rounded in float64 and within 1 ULP in float32. The sign
 * of zero follows the product (-0 stays -0 for a positive slope), NaN stays NaN, and -∞ gives
 * `negativeSlope · -∞` (0 for a zero slope).
 *
 * @example Usage
 * ```ts
 * import { leakyRelu, tensor } from "@nonlin/core";
 * import assert from "node:assert/strict";
 *
 * const x = tensor([-2, 0, 3], { dtype: "float64" });
 * assert.deepEqual(leakyRelu(x).toArray(), [-0.02, 0, 3]);
 * assert.deepEqual(leakyRelu(x, { negativeSlope: 0.5 }).toArray(), [-1, 0, 3]);
 * ```
 */
export function leakyRelu(x: Tensor, options: LeakyReluOptions = {}): Tensor {
  checkTensor(x, "leakyRelu() argument x");
  const { negativeSlope: s, out } = resolveOptions<Required<LeakyReluOptions>>(
    "leakyRelu",
    options,
    LEAKY_RELU_OPTIONS,
  );
  return mapUnary(x, outputFor("leakyRelu", x, out), leaky(s, x.dtype === "float32"));
}

/**
 * The gradient of Leaky ReLU from its input: `gradOutput` where `x > 0`, `negativeSlope ·
 * gradOutput` where `x ≤ 0` (PyTorch's convention: the slope at 0 is the negative slope), NaN
 * where `x` is NaN.
 *
 * @example Usage
 * ```ts
 * import { leakyReluBackward, tensor } from "@nonlin/core";
 * import assert from "node:assert/strict";
 *
 * const g = leakyReluBackward(tensor([4, 4, 4]), tensor([-1, 0, 1]), { negativeSlope: 0.25 });
 * assert.deepEqual(g.toArray(), [1, 1, 4]);
 * ```
 */
export function leakyReluBackward(
  gradOutput: Tensor,
  x: Tensor,
  options: Omit<LeakyReluOptions, "out"> = {},
): Tensor {
  checkTensor(x, "leakyReluBackward() argument x");
  const g = checkGradient("leakyReluBackward", gradOutput, x);
  const { negativeSlope: s } = resolveOptions<Required<LeakyReluOptions>>(
    "leakyReluBackward",
    options,
    LEAKY_RELU_OPTIONS,
    [],
  );
  return mapGradient(g, x, (dy, v) => (v > 0 ? dy : v !== v ? v : dy * s));
}

/**
 * The Leaky ReLU layer. Caches its input (exact for any slope, including negative ones).
 *
 * @example Usage
 * ```ts
 * import { LeakyReLU, tensor } from "@nonlin/core";
 * import assert from "node:assert/strict";
 *
 * const layer = new LeakyReLU({ negativeSlope: 0.5 });
 * assert.deepEqual(layer.forward(tensor([-2, 2])).toArray(), [-1, 2]);
 * assert.deepEqual(layer.backward(tensor([2, 2])).toArray(), [1, 2]);
 * ```
 */
export class LeakyReLU implements Module {
  #x?: Tensor;
  readonly #options: { negativeSlope: number };

  /**
   * Creates a Leaky ReLU layer.
   *
   * @param options The same `negativeSlope` option as {@linkcode leakyRelu}.
   */
  constructor(options: Omit<LeakyReluOptions, "out"> = {}) {
    const { negativeSlope } = resolveOptions<Required<LeakyReluOptions>>(
      "LeakyReLU",
      options,
      LEAKY_RELU_OPTIONS,
      [],
    );
    this.#options = { negativeSlope };
  }

  /** Applies {@linkcode leakyRelu} and caches the input. */
  forward(x: Tensor): Tensor {
    const y = leakyRelu(x, this.#options);
    this.#x = x;
    return y;
  }

  /** Returns dL/dx for the last forward call. */
  backward(gradOutput: Tensor): Tensor {
    return leakyReluBackward(gradOutput, requireForward(this.#x, "LeakyReLU"), this.#options);
  }
}

defineActivation({
  name: "leakyRelu",
  className: "LeakyReLU",
  title: "Leaky ReLU",
  summary: "ReLU with a small fixed slope for negatives, so that no unit stops learning.",
  family: "rectifier",
  aliases: ["LReLU"],
  references: [
    {
      authors: "Maas, Hannun and Ng",
      year: 2013,
      title: "Rectifier Nonlinearities Improve Neural Network Acoustic Models",
      url: "https://ai.stanford.edu/~amaas/papers/relu_hybrid_icml2013_final.pdf",
    },
  ],
  kind: "elementwise",
  options: LEAKY_RELU_OPTIONS,
  formula: {
    f: String.raw`\begin{cases} x & x > 0 \\ a\,x & x \le 0 \end{cases}`,
    df: String.raw`\begin{cases} 1 & x > 0 \\ a & x \le 0 \end{cases}`,
  },
  range: "(-∞, ∞)",
  properties: { monotonic: true, zeroCentred: false, smooth: false, bounded: false },
  cost: { transcendental: 0, arithmetic: 2 },
  caches: "input",
  shape: ELEMENTWISE,
  forward: (x, o) => leakyRelu(x, o),
  backward: (dy, x, o) => leakyReluBackward(dy, x, o),
  create: (o) => new LeakyReLU(o),
  naive: (x, o) => Math.max(0, x) + ((o?.negativeSlope as number) ?? 0.01) * Math.min(0, x),
});
