/**
 * The interface every activation module implements, PyTorch-style: `forward` caches what
 * `backward` needs.
 *
 * @module
 */

import type { Tensor } from "./tensor.ts";

/**
 * A layer with a forward pass and the matching backward pass (the vector–Jacobian product).
 *
 * @example Usage
 * ```ts
 * import { type Module, ReLU, tensor } from "@nonlin/core";
 * import assert from "node:assert/strict";
 *
 * const layer: Module = new ReLU();
 * layer.forward(tensor([-1, 2]));
 * assert.deepEqual(layer.backward(tensor([1, 1])).toArray(), [0, 1]);
 * ```
 */
export interface Module {
  /** Computes the output and caches what `backward` needs. */
  forward(x: Tensor): Tensor;
  /** Returns dL/dx given dL/dy for the last `forward` call. */
  backward(gradOutput: Tensor): Tensor;
}
