/**
 * Softmax2d: softmax over the channels of every spatial location, for (C, H, W) and
 * (N, C, H, W) inputs.
 *
 * @module
 */

import { NO_OPTIONS } from "./activation.ts";
import { defineActivation } from "./_declare.ts";
import { checkGradient, checkTensor, outputFor } from "./_elementwise.ts";
import { requireForward } from "./_module.ts";
import { type OutOption, resolveOptions } from "./_options.ts";
import { show } from "./_shape.ts";
import type { Module } from "./module.ts";
import { softmax, softmaxBackward } from "./softmax.ts";
import type { Tensor } from "./tensor.ts";

/** Options of {@linkcode softmax2d}. */
export type Softmax2dOptions = OutOption;

/** The channel dimension: -3 in both (C, H, W) and (N, C, H, W). */
const CHANNELS = -3;

function checkRank(fn: string, x: Tensor, name: string): void {
  if (x.ndim !== 3 && x.ndim !== 4) {
    throw new RangeError(
      `Cannot use ${fn}() argument ${name} of shape ${
        show(x.shape)
      }: expected a 3-d (C, H, W) or 4-d (N, C, H, W) tensor`,
    );
  }
}

/**
 * Applies softmax over the channel dimension (dim -3) of a (C, H, W) or (N, C, H, W) tensor:
 * at every pixel the channels become a probability distribution. Other ranks are a RangeError.
 * Same kernel, stability and accuracy as {@linkcode softmax}.
 *
 * @example Usage
 * ```ts
 * import { softmax2d, tensor } from "@nonlin/core";
 * import assert from "node:assert/strict";
 *
 * // Two channels of a 1×2 image: each pixel's channels sum to 1.
 * const x = tensor([[[0, 1000]], [[0, -1000]]]);
 * assert.deepEqual(softmax2d(x).toArray(), [[[0.5, 1]], [[0.5, 0]]]);
 * assert.throws(() => softmax2d(tensor([[1, 2]])), RangeError);
 * ```
 */
export function softmax2d(x: Tensor, options: Softmax2dOptions = {}): Tensor {
  checkTensor(x, "softmax2d() argument x");
  const { out } = resolveOptions<Softmax2dOptions>("softmax2d", options, []);
  checkRank("softmax2d", x, "x");
  return softmax(x, { dim: CHANNELS, out: outputFor("softmax2d", x, out) });
}

/**
 * The gradient of softmax2d from its output `y`: softmax's backward over the channels.
 *
 * @example Usage
 * ```ts
 * import { softmax2d, softmax2dBackward, tensor } from "@nonlin/core";
 * import assert from "node:assert/strict";
 *
 * const y = softmax2d(tensor([[[0]], [[0]]]));
 * assert.deepEqual(softmax2dBackward(tensor([[[1]], [[0]]]), y).toArray(), [[[0.25]], [[-0.25]]]);
 * ```
 */
export function softmax2dBackward(gradOutput: Tensor, y: Tensor): Tensor {
  checkTensor(y, "softmax2dBackward() argument y");
  const g = checkGradient("softmax2dBackward", gradOutput, y, "y");
  checkRank("softmax2dBackward", y, "y");
  return softmaxBackward(g, y, { dim: CHANNELS });
}

/**
 * The Softmax2d layer. Caches its output.
 *
 * @example Usage
 * ```ts
 * import { Softmax2d, tensor } from "@nonlin/core";
 * import assert from "node:assert/strict";
 *
 * const layer = new Softmax2d();
 * assert.deepEqual(layer.forward(tensor([[[[3]], [[3]]]])).toArray(), [[[[0.5]], [[0.5]]]]);
 * assert.deepEqual(layer.backward(tensor([[[[1]], [[1]]]])).toArray(), [[[[0]], [[0]]]]);
 * ```
 */
export class Softmax2d implements Module {
  #y?: Tensor;

  /** Applies {@linkcode softmax2d} and caches the output. */
  forward(x: Tensor): Tensor {
    return (this.#y = softmax2d(x));
  }

  /** Returns dL/dx for the last forward call. */
  backward(gradOutput: Tensor): Tensor {
    return softmax2dBackward(gradOutput, requireForward(this.#y, "Softmax2d"));
  }
}

defineActivation({
  name: "softmax2d",
  className: "Softmax2d",
  title: "Softmax2d",
  summary: "Softmax over the channels of every pixel of a (C, H, W) or (N, C, H, W) input.",
  family: "normaliser",
  kind: "reduction",
  options: NO_OPTIONS,
  formula: {
    f: String.raw`\frac{e^{x_{c,h,w}}}{\sum_{c'} e^{x_{c',h,w}}}`,
    df: String.raw`y_{c}\,(\delta_{cc'} - y_{c'})`,
  },
  range: "(0, 1), summing to 1 over channels",
  properties: { monotonic: true, zeroCentred: false, smooth: true, bounded: true },
  cost: { transcendental: 1, arithmetic: 6 },
  caches: "output",
  shape: { slices: -3, alongDim: "same", acceptsOut: true },
  forward: (x, o) => softmax2d(x, o),
  backward: (dy, x) => softmax2dBackward(dy, softmax2d(x)),
  create: () => new Softmax2d(),
});
