/**
 * The logistic sigmoid `σ(x) = 1 / (1 + e^-x)`.
 *
 * @module
 */

import { ELEMENTWISE, type KernelBinding, NO_OPTIONS } from "./activation.ts";
import { defineActivation } from "./_declare.ts";
import { checkGradient, checkTensor, mapGradient, mapUnary, outputFor } from "./_elementwise.ts";
import { requireForward } from "./_module.ts";
import { sigmoidScalar } from "./_scalars.ts";
import { type OutOption, resolveOptions } from "./_options.ts";
import { sigmoidDD, sigmoidGrad } from "./_scalars_smooth.ts";
import { ziv32 } from "./_dd.ts";
import type { Module } from "./module.ts";
import type { Tensor } from "./tensor.ts";

/** The WebAssembly kernels of the forward pass. */
const KERNEL: KernelBinding = { name: "sigmoid" };

/** Options of {@linkcode sigmoid}. */
export type SigmoidOptions = OutOption;

/** σ for float32 storage: correctly rounded also next to float32 ties (see `ziv32`). */
const SIGMOID32 = ziv32(sigmoidScalar, sigmoidDD);

/**
 * Applies the logistic sigmoid `1 / (1 + e^-x)` element-wise.
 *
 * Stable for any input: ±1000 give exactly 0 and 1, NaN stays NaN, and the far negative tail
 * reaches subnormals (σ(-710) in float64 is 4.5e-309, not 0).
 *
 * @example Usage
 * ```ts
 * import { sigmoid, tensor } from "@nonlin/core";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(sigmoid(tensor([0, -1000, 1000])).toArray(), [0.5, 0, 1]);
 * ```
 */
export function sigmoid(x: Tensor, options: SigmoidOptions = {}): Tensor {
  checkTensor(x, "sigmoid() argument x");
  const { out } = resolveOptions<SigmoidOptions>("sigmoid", options, []);
  const f = x.dtype === "float32" ? SIGMOID32 : sigmoidScalar;
  return mapUnary(x, outputFor("sigmoid", x, out), f, KERNEL);
}

/**
 * The gradient of the sigmoid from its input `x`: `gradOutput · σ(x)·σ(-x)`.
 *
 * Formed as e/(1 + e)² with e = e^-|x| in double-double, never as y(1 - y) from the output: once
 * y rounds to 1 (x ≳ 17 in float32, 37 in float64) that gives 0, where the true slope is
 * e^-x (4.66e-10 at x = 21.49). σ(x) rounds once, subnormals included.
 *
 * @example Usage
 * ```ts
 * import { sigmoidBackward, tensor } from "@nonlin/core";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(sigmoidBackward(tensor([1]), tensor([0])).toArray(), [0.25]);
 * const [tail] = sigmoidBackward(tensor([1], { dtype: "float64" }), tensor([40], { dtype: "float64" }))
 *   .toArray() as number[];
 * assert.ok(Math.abs(tail / Math.exp(-40) - 1) < 1e-15); // not 0
 * ```
 */
export function sigmoidBackward(gradOutput: Tensor, x: Tensor): Tensor {
  checkTensor(x, "sigmoidBackward() argument x");
  const g = checkGradient("sigmoidBackward", gradOutput, x);
  return mapGradient(g, x, (dy, v) => dy * sigmoidGrad(v));
}

/**
 * The sigmoid layer. Caches its input, from which the derivative keeps every digit in the
 * tails (the output would lose them once it rounds to 1); the bytes cached are the same.
 *
 * @example Usage
 * ```ts
 * import { Sigmoid, tensor } from "@nonlin/core";
 * import assert from "node:assert/strict";
 *
 * const layer = new Sigmoid();
 * assert.deepEqual(layer.forward(tensor([0])).toArray(), [0.5]);
 * assert.deepEqual(layer.backward(tensor([4])).toArray(), [1]);
 * ```
 */
export class Sigmoid implements Module {
  #x?: Tensor;

  /** Applies {@linkcode sigmoid} and caches the input. */
  forward(x: Tensor): Tensor {
    const y = sigmoid(x);
    this.#x = x;
    return y;
  }

  /** Returns dL/dx for the last forward call. */
  backward(gradOutput: Tensor): Tensor {
    return sigmoidBackward(gradOutput, requireForward(this.#x, "Sigmoid"));
  }
}

defineActivation({
  name: "sigmoid",
  className: "Sigmoid",
  title: "Logistic sigmoid",
  summary: "Squashes to (0, 1): probabilities and gates (LSTM, GRU).",
  family: "squashing",
  aliases: ["logistic"],
  kind: "elementwise",
  options: NO_OPTIONS,
  formula: {
    f: String.raw`\sigma(x) = \frac{1}{1 + e^{-x}}`,
    df: String.raw`\sigma(x)\,\sigma(-x)`,
  },
  range: "(0, 1)",
  properties: { monotonic: true, zeroCentred: false, smooth: true, bounded: true },
  cost: { transcendental: 1, arithmetic: 3 },
  caches: "input",
  shape: ELEMENTWISE,
  kernel: KERNEL,
  forward: (x, o) => sigmoid(x, o),
  backward: (dy, x) => sigmoidBackward(dy, x),
  create: () => new Sigmoid(),
  naive: (x) => 1 / (1 + Math.exp(-x)),
});
