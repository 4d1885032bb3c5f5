/**
 * The logistic sigmoid `σ(x) = 1 / (1 + e^-x)`.
 *
 * @module
 */

import { checkGradient, checkTensor, mapGradient, mapUnary, outputFor } from "./_elementwise.ts";
import { requireForward } from "./_module.ts";
import { sigmoidScalar } from "./_scalars.ts";
import { type OutOption, resolveOptions } from "./_options.ts";
import type { Module } from "./module.ts";
import type { Tensor } from "./tensor.ts";

/** Options of {@linkcode sigmoid}. */
export type SigmoidOptions = OutOption;

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
  return mapUnary(x, outputFor("sigmoid", x, out), sigmoidScalar, "sigmoid");
}

/**
 * The gradient of the sigmoid from its output `y`: `gradOutput · y · (1 - y)`.
 *
 * @example Usage
 * ```ts
 * import { sigmoid, sigmoidBackward, tensor } from "@nonlin/core";
 * import assert from "node:assert/strict";
 *
 * const y = sigmoid(tensor([0]));
 * assert.deepEqual(sigmoidBackward(tensor([1]), y).toArray(), [0.25]);
 * ```
 */
export function sigmoidBackward(gradOutput: Tensor, y: Tensor): Tensor {
  checkTensor(y, "sigmoidBackward() argument y");
  const g = checkGradient("sigmoidBackward", gradOutput, y, "y");
  return mapGradient(g, y, (dy, s) => dy * s * (1 - s));
}

/**
 * The sigmoid layer. Caches its output, from which the derivative is exact: σ' = σ(1 - σ).
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
  #y?: Tensor;

  /** Applies {@linkcode sigmoid} and caches the output. */
  forward(x: Tensor): Tensor {
    return (this.#y = sigmoid(x));
  }

  /** Returns dL/dx for the last forward call. */
  backward(gradOutput: Tensor): Tensor {
    return sigmoidBackward(gradOutput, requireForward(this.#y, "Sigmoid"));
  }
}
