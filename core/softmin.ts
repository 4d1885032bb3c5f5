/**
 * Softmin `e^-xᵢ / Σⱼ e^-xⱼ` along a dimension: softmax of the negated input.
 *
 * @module
 */

import {} from "./activation.ts";
import { defineActivation } from "./_declare.ts";
import { checkGradient, checkTensor, inputFor, outputFor } from "./_elementwise.ts";
import { requireForward } from "./_module.ts";
import { resolveOptions } from "./_options.ts";
import { resolveSoftmaxOptions, SOFTMAX_OPTIONS } from "./_softmax.ts";
import type { Module } from "./module.ts";
import { softmax, softmaxBackward, type SoftmaxOptions } from "./softmax.ts";
import type { Tensor } from "./tensor.ts";

/** Options of {@linkcode softmin}: the same as softmax's. */
export type SoftminOptions = SoftmaxOptions;

/**
 * Applies softmin along `dim` (default -1): every slice becomes a probability distribution that
 * favours the smallest entries. Computed as softmax of -x (negation is exact) with softmax's
 * stable kernel, written into the output directly, so ±1000 work and the accuracy is
 * softmax's. Mirrored from softmax: a slice containing NaN or -∞, or only +∞, is NaN
 * throughout (as in PyTorch); +∞ elsewhere gives exact zeros.
 *
 * @example Usage
 * ```ts
 * import { softmin, tensor } from "@nonlin/core";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(softmin(tensor([[-1000, -1000], [0, Infinity]])).toArray(), [[0.5, 0.5], [1, 0]]);
 * const [a, b] = softmin(tensor([0, Math.log(3)], { dtype: "float64" })).toArray() as number[];
 * assert.ok(Math.abs(a - 0.75) < 1e-15 && Math.abs(b - 0.25) < 1e-15);
 * ```
 */
export function softmin(x: Tensor, options: SoftminOptions = {}): Tensor {
  checkTensor(x, "softmin() argument x");
  const { dim, out } = resolveSoftmaxOptions("softmin", x, options);
  const y = outputFor("softmin", x, out);
  const src = inputFor(x, y).data, dst = y.data;
  for (let i = 0; i < src.length; i++) dst[i] = -src[i];
  // softmax reads each slice completely before writing it, so it can work in place.
  return softmax(y, { dim, out: y });
}

/**
 * The gradient of softmin from its output `y`: `y ⊙ (Σ(g ⊙ y) - g)` along `dim`, the negated
 * softmax product (softmin(x) = softmax(-x)).
 *
 * @example Usage
 * ```ts
 * import { softmin, softminBackward, tensor } from "@nonlin/core";
 * import assert from "node:assert/strict";
 *
 * const y = softmin(tensor([0, 0]));
 * assert.deepEqual(softminBackward(tensor([1, 0]), y).toArray(), [-0.25, 0.25]);
 * ```
 */
export function softminBackward(
  gradOutput: Tensor,
  y: Tensor,
  options: SoftminOptions = {},
): Tensor {
  checkTensor(y, "softminBackward() argument y");
  const g = checkGradient("softminBackward", gradOutput, y, "y");
  const { dim } = resolveSoftmaxOptions("softminBackward", y, options, []);
  const dx = softmaxBackward(g, y, { dim });
  const d = dx.data;
  for (let i = 0; i < d.length; i++) d[i] = -d[i];
  return dx;
}

/**
 * The softmin layer. Caches its output, from which the backward pass is exact.
 *
 * @example Usage
 * ```ts
 * import { Softmin, tensor } from "@nonlin/core";
 * import assert from "node:assert/strict";
 *
 * const layer = new Softmin({ dim: 0 });
 * assert.deepEqual(layer.forward(tensor([[5], [5]])).toArray(), [[0.5], [0.5]]);
 * assert.deepEqual(layer.backward(tensor([[1], [0]])).toArray(), [[-0.25], [0.25]]);
 * ```
 */
export class Softmin implements Module {
  #y?: Tensor;
  readonly #dim: number;

  /**
   * Creates the layer; the options are validated here, once.
   *
   * @param options The dimension to normalise over, as in {@linkcode softmin}.
   */
  constructor(options: Omit<SoftminOptions, "out"> = {}) {
    this.#dim = resolveOptions<{ dim: number }>("Softmin", options, SOFTMAX_OPTIONS, []).dim;
  }

  /** Applies {@linkcode softmin} and caches the output. */
  forward(x: Tensor): Tensor {
    return (this.#y = softmin(x, { dim: this.#dim }));
  }

  /** Returns dL/dx for the last forward call. */
  backward(gradOutput: Tensor): Tensor {
    return softminBackward(gradOutput, requireForward(this.#y, "Softmin"), { dim: this.#dim });
  }
}

defineActivation({
  name: "softmin",
  className: "Softmin",
  title: "Softmin",
  summary: "Softmax of -x: a probability distribution that favours the smallest scores.",
  family: "normaliser",
  kind: "reduction",
  options: SOFTMAX_OPTIONS,
  formula: {
    f: String.raw`\frac{e^{-x_i}}{\sum_j e^{-x_j}}`,
    df: String.raw`-y_i\,(\delta_{ij} - y_j)`,
  },
  range: "(0, 1), summing to 1",
  properties: { monotonic: false, zeroCentred: false, smooth: true, bounded: true },
  cost: { transcendental: 1, arithmetic: 7 },
  caches: "output",
  shape: { slices: "dim-option", alongDim: "same", acceptsOut: true },
  forward: (x, o) => softmin(x, o),
  backward: (dy, x, o) => softminBackward(dy, softmin(x, o), o),
  create: (o) => new Softmin(o),
});
