/**
 * The hyperbolic tangent `tanh(x) = (e^x - e^-x) / (e^x + e^-x)`.
 *
 * @module
 */

import { ELEMENTWISE, type KernelBinding, NO_OPTIONS } from "./activation.ts";
import { defineActivation } from "./_declare.ts";
import { checkGradient, checkTensor, mapGradient, mapUnary, outputFor } from "./_elementwise.ts";
import { requireForward } from "./_module.ts";
import { type OutOption, resolveOptions } from "./_options.ts";
import { tanhScalar } from "./_scalars.ts";
import { sigmoidGrad } from "./_scalars_smooth.ts";
import type { Module } from "./module.ts";
import type { Tensor } from "./tensor.ts";

/** The WebAssembly kernels of the forward pass. */
const KERNEL: KernelBinding = { name: "tanh" };

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
  return mapUnary(x, outputFor("tanh", x, out), tanhScalar, KERNEL);
}

/**
 * The gradient of tanh from its input `x`: `gradOutput · (1 - tanh²(x))`.
 *
 * Formed as 4σ'(2x) = 4e/(1 + e)² with e = e^-2|x| in double-double, never from the output:
 * 1 - y² gives 0 once y rounds to ±1 (|x| ≳ 9 in float32, 19 in float64), where the true slope
 * is 4e^-2|x| (1.86e-9 at x = 10.74). Rounds once, subnormals included.
 *
 * @example Usage
 * ```ts
 * import { tanhBackward, tensor } from "@nonlin/core";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(tanhBackward(tensor([2]), tensor([0])).toArray(), [2]);
 * const [tail] = tanhBackward(tensor([1], { dtype: "float64" }), tensor([20], { dtype: "float64" }))
 *   .toArray() as number[];
 * assert.ok(Math.abs(tail / (4 * Math.exp(-40)) - 1) < 1e-15); // not 0
 * ```
 */
export function tanhBackward(gradOutput: Tensor, x: Tensor): Tensor {
  checkTensor(x, "tanhBackward() argument x");
  const g = checkGradient("tanhBackward", gradOutput, x);
  return mapGradient(g, x, (dy, v) => dy * sigmoidGrad(2 * v, 0, 4));
}

/**
 * The tanh layer. Caches its input, from which the derivative keeps every digit in the tails
 * (the output would lose them once it rounds to ±1); the bytes cached are the same.
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
  #x?: Tensor;

  /** Applies {@linkcode tanh} and caches the input. */
  forward(x: Tensor): Tensor {
    const y = tanh(x);
    this.#x = x;
    return y;
  }

  /** Returns dL/dx for the last forward call. */
  backward(gradOutput: Tensor): Tensor {
    return tanhBackward(gradOutput, requireForward(this.#x, "Tanh"));
  }
}

defineActivation({
  name: "tanh",
  className: "Tanh",
  title: "Hyperbolic tangent",
  summary: "Zero-centred squashing to (-1, 1): RNN cells and bounded outputs.",
  family: "squashing",
  kind: "elementwise",
  options: NO_OPTIONS,
  formula: {
    f: String.raw`\tanh(x) = \frac{e^{x} - e^{-x}}{e^{x} + e^{-x}}`,
    df: String.raw`1 - \tanh^2(x)`,
  },
  range: "(-1, 1)",
  properties: { monotonic: true, zeroCentred: true, smooth: true, bounded: true },
  cost: { transcendental: 1, arithmetic: 4 },
  caches: "input",
  shape: ELEMENTWISE,
  kernel: KERNEL,
  forward: (x, o) => tanh(x, o),
  backward: (dy, x) => tanhBackward(dy, x),
  create: () => new Tanh(),
  naive: (x) => (Math.exp(x) - Math.exp(-x)) / (Math.exp(x) + Math.exp(-x)),
});
