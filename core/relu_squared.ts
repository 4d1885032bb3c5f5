/**
 * Squared ReLU, `max(0, x)²`: the feed-forward activation of Primer (So et al., 2021).
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
const KERNEL: KernelBinding = { name: "reluSquared" };

/** Options of {@linkcode reluSquared}. */
export type ReluSquaredOptions = OutOption;

/**
 * One element: NaN stays NaN (`NaN <= 0` is false), -0 and -∞ give +0. The square of a float32
 * is exact in float64, so storing it rounds once: correctly rounded in both dtypes.
 */
function reluSquaredScalar(v: number): number {
  return v <= 0 ? 0 : v * v;
}

/**
 * Applies squared ReLU `max(0, x)²` element-wise, correctly rounded in float32 and float64.
 * NaN stays NaN; -0 and -∞ give +0; overflow gives ∞.
 *
 * @example Usage
 * ```ts
 * import { reluSquared, tensor } from "@nonlin/core";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(reluSquared(tensor([-2, 0, 3])).toArray(), [0, 0, 9]);
 * ```
 */
export function reluSquared(x: Tensor, options: ReluSquaredOptions = {}): Tensor {
  checkTensor(x, "reluSquared() argument x");
  const { out } = resolveOptions<ReluSquaredOptions>("reluSquared", options, []);
  return mapUnary(x, outputFor("reluSquared", x, out), reluSquaredScalar, KERNEL);
}

/**
 * The gradient of squared ReLU from its input: `gradOutput · 2x` where `x > 0`, 0 where
 * `x ≤ 0`, NaN where `x` is NaN.
 *
 * @example Usage
 * ```ts
 * import { reluSquaredBackward, tensor } from "@nonlin/core";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(reluSquaredBackward(tensor([1, 1, 1]), tensor([-1, 0, 3])).toArray(), [0, 0, 6]);
 * ```
 */
export function reluSquaredBackward(gradOutput: Tensor, x: Tensor): Tensor {
  checkTensor(x, "reluSquaredBackward() argument x");
  const g = checkGradient("reluSquaredBackward", gradOutput, x);
  return mapGradient(g, x, (dy, v) => (v > 0 ? dy * (2 * v) : v !== v ? v : 0));
}

/**
 * The squared ReLU layer. Caches its input.
 *
 * @example Usage
 * ```ts
 * import { ReLUSquared, tensor } from "@nonlin/core";
 * import assert from "node:assert/strict";
 *
 * const layer = new ReLUSquared();
 * assert.deepEqual(layer.forward(tensor([-1, 2])).toArray(), [0, 4]);
 * assert.deepEqual(layer.backward(tensor([1, 1])).toArray(), [0, 4]);
 * ```
 */
export class ReLUSquared implements Module {
  #x?: Tensor;

  /** Applies {@linkcode reluSquared} and caches the input. */
  forward(x: Tensor): Tensor {
    const y = reluSquared(x);
    this.#x = x;
    return y;
  }

  /** Returns dL/dx for the last forward call. */
  backward(gradOutput: Tensor): Tensor {
    return reluSquaredBackward(gradOutput, requireForward(this.#x, "ReLUSquared"));
  }
}

defineActivation({
  name: "reluSquared",
  className: "ReLUSquared",
  title: "Squared ReLU",
  summary: "ReLU squared: smooth at 0 to first order, and faster to train in transformer MLPs.",
  family: "rectifier",
  aliases: ["relu²", "ReLU^2"],
  references: [
    {
      authors: "So, Mańke, Liu, Dai, Shazeer and Le",
      year: 2021,
      title: "Primer: Searching for Efficient Transformers for Language Modeling",
      url: "https://arxiv.org/abs/2109.08668",
    },
  ],
  kind: "elementwise",
  options: NO_OPTIONS,
  formula: {
    f: String.raw`\max(0, x)^2`,
    df: String.raw`\begin{cases} 2x & x > 0 \\ 0 & x \le 0 \end{cases}`,
  },
  range: "[0, ∞)",
  properties: { monotonic: true, zeroCentred: false, smooth: false, bounded: false },
  cost: { transcendental: 0, arithmetic: 2 },
  caches: "input",
  shape: ELEMENTWISE,
  kernel: KERNEL,
  forward: (x, o) => reluSquared(x, o),
  backward: (dy, x) => reluSquaredBackward(dy, x),
  create: () => new ReLUSquared(),
  naive: (x) => Math.max(0, x) ** 2,
});
