/**
 * ReLU, the rectified linear unit: `max(0, x)`.
 *
 * @module
 */

import { ELEMENTWISE, type KernelBinding, NO_OPTIONS } from "./activation.ts";
import { defineActivation } from "./_declare.ts";
import { checkGradient, checkTensor, mapGradient, mapUnary, outputFor } from "./_elementwise.ts";
import { requireForward } from "./_module.ts";
import { type OutOption, resolveOptions } from "./_options.ts";
import type { Module } from "./module.ts";
import type { Tensor } from "./tensor.ts";

/** The WebAssembly kernels of the forward pass. */
const KERNEL: KernelBinding = { name: "relu" };

/** Options of {@linkcode relu}. */
export type ReluOptions = OutOption;

/** relu of one number; NaN stays NaN (`NaN <= 0` is false) and -0 becomes +0. */
function reluScalar(v: number): number {
  return v <= 0 ? 0 : v;
}

/**
 * Applies ReLU `max(0, x)` element-wise. NaN stays NaN; -0 gives +0.
 *
 * @example Usage
 * ```ts
 * import { relu, tensor } from "@nonlin/core";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(relu(tensor([-2, 0, 3])).toArray(), [0, 0, 3]);
 * ```
 */
export function relu(x: Tensor, options: ReluOptions = {}): Tensor {
  checkTensor(x, "relu() argument x");
  const { out } = resolveOptions<ReluOptions>("relu", options, []);
  return mapUnary(x, outputFor("relu", x, out), reluScalar, KERNEL);
}

/**
 * The gradient of ReLU from its input: `gradOutput` where `x > 0`, 0 where `x ≤ 0` (PyTorch's
 * convention at the kink, relu'(0) = 0), NaN where `x` is NaN.
 *
 * @example Usage
 * ```ts
 * import { reluBackward, tensor } from "@nonlin/core";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(reluBackward(tensor([5, 5, 5]), tensor([-1, 0, 2])).toArray(), [0, 0, 5]);
 * ```
 */
export function reluBackward(gradOutput: Tensor, x: Tensor): Tensor {
  checkTensor(x, "reluBackward() argument x");
  const g = checkGradient("reluBackward", gradOutput, x);
  return mapGradient(g, x, (dy, v) => (v > 0 ? dy : v !== v ? v : 0));
}

/**
 * The ReLU layer. Caches its input for the backward pass (4 bytes per element in float32; a
 * 1-bit mask would do, at the cost of a packing pass).
 *
 * @example Usage
 * ```ts
 * import { ReLU, tensor } from "@nonlin/core";
 * import assert from "node:assert/strict";
 *
 * const layer = new ReLU();
 * assert.deepEqual(layer.forward(tensor([-1, 1])).toArray(), [0, 1]);
 * assert.deepEqual(layer.backward(tensor([3, 3])).toArray(), [0, 3]);
 * ```
 */
export class ReLU implements Module {
  #x?: Tensor;

  /** Applies {@linkcode relu} and caches the input. */
  forward(x: Tensor): Tensor {
    const y = relu(x);
    this.#x = x;
    return y;
  }

  /** Returns dL/dx for the last forward call. */
  backward(gradOutput: Tensor): Tensor {
    return reluBackward(gradOutput, requireForward(this.#x, "ReLU"));
  }
}

defineActivation({
  name: "relu",
  className: "ReLU",
  title: "Rectified Linear Unit",
  summary: "Zero for negatives, identity for positives: cheap, sparse, the default hidden layer.",
  family: "rectifier",
  references: [
    {
      authors: "Nair and Hinton",
      year: 2010,
      title: "Rectified Linear Units Improve Restricted Boltzmann Machines",
      url: "https://www.cs.toronto.edu/~hinton/absps/reluICML.pdf",
    },
  ],
  kind: "elementwise",
  options: NO_OPTIONS,
  formula: {
    f: String.raw`\max(0, x)`,
    df: String.raw`\begin{cases} 1 & x > 0 \\ 0 & x \le 0 \end{cases}`,
  },
  range: "[0, ∞)",
  properties: { monotonic: true, zeroCentred: false, smooth: false, bounded: false },
  cost: { transcendental: 0, arithmetic: 1 },
  caches: "input",
  shape: ELEMENTWISE,
  kernel: KERNEL,
  forward: (x, o) => relu(x, o),
  backward: (dy, x) => reluBackward(dy, x),
  create: () => new ReLU(),
  naive: (x) => Math.max(0, x),
});
