/**
 * ReLU6, ReLU capped at 6: `min(max(0, x), 6)`, the mobile networks' rectifier (MobileNet).
 *
 * @module
 */

import { ELEMENTWISE, NO_OPTIONS } from "./activation.ts";
import { defineActivation } from "./_declare.ts";
import { checkGradient, checkTensor, mapGradient, mapUnary, outputFor } from "./_elementwise.ts";
import { requireForward } from "./_module.ts";
import { type OutOption, resolveOptions } from "./_options.ts";
import type { Module } from "./module.ts";
import type { Tensor } from "./tensor.ts";

/** Options of {@linkcode relu6}. */
export type Relu6Options = OutOption;

/** relu6 of one number; NaN stays NaN (both comparisons are false) and -0 becomes +0. */
function relu6Scalar(v: number): number {
  return v <= 0 ? 0 : v >= 6 ? 6 : v;
}

/**
 * Applies ReLU6 `min(max(0, x), 6)` element-wise. Exact: every output is 0, 6 or the input.
 * NaN stays NaN; -0 gives +0, as {@linkcode relu} does.
 *
 * @example Usage
 * ```ts
 * import { relu6, tensor } from "@nonlin/core";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(relu6(tensor([-2, 3, 8, Infinity])).toArray(), [0, 3, 6, 6]);
 * ```
 */
export function relu6(x: Tensor, options: Relu6Options = {}): Tensor {
  checkTensor(x, "relu6() argument x");
  const { out } = resolveOptions<Relu6Options>("relu6", options, []);
  return mapUnary(x, outputFor("relu6", x, out), relu6Scalar);
}

/**
 * The gradient of ReLU6 from its input: `gradOutput` where `0 < x < 6`, else 0. At both kinks
 * the gradient is 0, PyTorch's convention (relu6'(0) = relu6'(6) = 0). NaN where `x` is NaN.
 *
 * @example Usage
 * ```ts
 * import { relu6Backward, tensor } from "@nonlin/core";
 * import assert from "node:assert/strict";
 *
 * const x = tensor([-1, 0, 3, 6, 7]);
 * assert.deepEqual(relu6Backward(tensor([5, 5, 5, 5, 5]), x).toArray(), [0, 0, 5, 0, 0]);
 * ```
 */
export function relu6Backward(gradOutput: Tensor, x: Tensor): Tensor {
  checkTensor(x, "relu6Backward() argument x");
  const g = checkGradient("relu6Backward", gradOutput, x);
  return mapGradient(g, x, (dy, v) => (v > 0 && v < 6 ? dy : v !== v ? v : 0));
}

/**
 * The ReLU6 layer. Caches its input for the backward pass.
 *
 * @example Usage
 * ```ts
 * import { ReLU6, tensor } from "@nonlin/core";
 * import assert from "node:assert/strict";
 *
 * const layer = new ReLU6();
 * assert.deepEqual(layer.forward(tensor([-1, 1, 9])).toArray(), [0, 1, 6]);
 * assert.deepEqual(layer.backward(tensor([3, 3, 3])).toArray(), [0, 3, 0]);
 * ```
 */
export class ReLU6 implements Module {
  #x?: Tensor;

  /** Applies {@linkcode relu6} and caches the input. */
  forward(x: Tensor): Tensor {
    const y = relu6(x);
    this.#x = x;
    return y;
  }

  /** Returns dL/dx for the last forward call. */
  backward(gradOutput: Tensor): Tensor {
    return relu6Backward(gradOutput, requireForward(this.#x, "ReLU6"));
  }
}

defineActivation({
  name: "relu6",
  className: "ReLU6",
  title: "ReLU6",
  summary:
    "ReLU capped at 6: bounded activations that survive low-precision inference (MobileNet).",
  family: "rectifier",
  references: [
    {
      authors: "Krizhevsky",
      year: 2010,
      title: "Convolutional Deep Belief Networks on CIFAR-10",
      url: "https://www.cs.utoronto.ca/~kriz/conv-cifar10-aug2010.pdf",
    },
  ],
  kind: "elementwise",
  options: NO_OPTIONS,
  formula: {
    f: String.raw`\min(\max(0, x), 6)`,
    df: String.raw`\begin{cases} 1 & 0 < x < 6 \\ 0 & \text{otherwise} \end{cases}`,
  },
  range: "[0, 6]",
  properties: { monotonic: true, zeroCentred: false, smooth: false, bounded: true },
  cost: { transcendental: 0, arithmetic: 2 },
  caches: "input",
  shape: ELEMENTWISE,
  forward: (x, o) => relu6(x, o),
  backward: (dy, x) => relu6Backward(dy, x),
  create: () => new ReLU6(),
  naive: (x) => Math.min(Math.max(0, x), 6),
});
