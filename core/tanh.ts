/**
 * The hyperbolic tangent `tanh(x) = (e^x - e^-x) / (e^x + e^-x)`.
 *
 * @module
 */

import { checkGradient, checkTensor, mapGradient, mapUnary, outputFor } from "./_elementwise.ts";
import { requireForward } from "./_module.ts";
import { type OutOption, resolveOptions } from "./_options.ts";
import { tanhScalar } from "./_scalars.ts";
import type { Module } from "./module.ts";
import type { Tensor } from "./tensor.ts";

/** Options of {@linkcode tanh}. */
export type TanhOptions = OutOption;

/**
 * Applies tanh element-wise: odd, bounded in (-1, 1), ±1 at ±∞, NaN stays NaN.
 *
 * @example Usage
 * ```ts
 * import { tanh, tensor } from "@nonlin/core";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(tanh(tensor([0, 1000, -1000])).toArray(), [0, 1, -1]);
 * ```
 */
export function tanh(x: Tensor, options: TanhOptions = {}): Tensor {
  checkTensor(x, "tanh() argument x");
  const { out } = resolveOptions<TanhOptions>("tanh", options, []);
  return mapUnary(x, outputFor("tanh", x, out), tanhScalar, "tanh");
}

/**
 * The gradient of tanh from its output `y`: `gradOutput · (1 - y²)`, formed as
 * `(1 - y)(1 + y)`, which does not cancel when |y| is near 1.
 *
 * @example Usage
 * ```ts
 * import { tanh, tanhBackward, tensor } from "@nonlin/core";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(tanhBackward(tensor([2]), tanh(tensor([0]))).toArray(), [2]);
 * ```
 */
export function tanhBackward(gradOutput: Tensor, y: Tensor): Tensor {
  checkTensor(y, "tanhBackward() argument y");
  const g = checkGradient("tanhBackward", gradOutput, y, "y");
  return mapGradient(g, y, (dy, t) => dy * ((1 - t) * (1 + t)));
}

/**
 * The tanh layer. Caches its output (tanh' = 1 - tanh²).
 *
 * @example Usage
 * ```ts
 * import { Tanh, tensor } from "@nonlin/core";
 * import assert from "node:assert/strict";
 *
 * const layer = new Tanh();
 * layer.forward(tensor([0]));
 * assert.deepEqual(layer.backward(tensor([1])).toArray(), [1]);
 * ```
 */
export class Tanh implements Module {
  #y?: Tensor;

  /** Applies {@linkcode tanh} and caches the output. */
  forward(x: Tensor): Tensor {
    return (this.#y = tanh(x));
  }

  /** Returns dL/dx for the last forward call. */
  backward(gradOutput: Tensor): Tensor {
    return tanhBackward(gradOutput, requireForward(this.#y, "Tanh"));
  }
}
