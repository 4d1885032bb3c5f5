/**
 * The registry: every activation of the library, in documentation order. Each activation's
 * file declares it completely (maths, backward, module class, options, shape behaviour, kernel
 * binding) and ends with its `defineActivation({...})`; this file's one line per activation
 * re-exports that file, and the order of those lines is the order of `ACTIVATIONS`. The docs
 * site, the worker pool, the `.npy` command, the tests and the benchmarks derive their lists
 * from it.
 *
 * @module
 */

import type { ActivationInfo } from "./activation.ts";
import { declaredActivations } from "./_declare.ts";

export * from "./activation.ts";

// One line per activation, in documentation order.
export * from "./relu.ts";
export * from "./sigmoid.ts";
export * from "./tanh.ts";
export * from "./gelu.ts";
export * from "./softmax.ts";
export * from "./log_softmax.ts";
export * from "./relu6.ts";
export * from "./relu_squared.ts";
export * from "./leaky_relu.ts";
export * from "./prelu.ts";
export * from "./rrelu.ts";
export * from "./elu.ts";
export * from "./selu.ts";
export * from "./celu.ts";
export * from "./hardtanh.ts";
export * from "./hardshrink.ts";
export * from "./softshrink.ts";
export * from "./threshold.ts";
export * from "./hardsigmoid.ts";
export * from "./hardswish.ts";
export * from "./silu.ts";
export * from "./mish.ts";
export * from "./log_sigmoid.ts";
export * from "./softplus.ts";
export * from "./softsign.ts";
export * from "./tanhshrink.ts";
export * from "./glu.ts";
export * from "./softmin.ts";
export * from "./softmax2d.ts";

/**
 * Every activation of the library, in documentation order.
 *
 * @example Iterate over the registry
 * ```ts
 * import { ACTIVATIONS, tensor } from "@nonlin/core";
 * import assert from "node:assert/strict";
 *
 * const x = tensor([-1, 0, 1]);
 * for (const a of ACTIVATIONS.filter((a) => a.kind === "elementwise")) {
 *   assert.deepEqual(a.forward(x, a.name === "threshold" ? { threshold: 0, value: 0 } : {}).shape, [3]);
 * }
 * assert.ok(ACTIVATIONS.some((a) => a.name === "gelu"));
 * ```
 */
export const ACTIVATIONS: readonly ActivationInfo[] = Object.freeze([...declaredActivations()]);

/**
 * Looks up an activation by its functional name; a clear RangeError for unknown names.
 *
 * @example Usage
 * ```ts
 * import { getActivation, tensor } from "@nonlin/core";
 * import assert from "node:assert/strict";
 *
 * const info = getActivation("sigmoid");
 * assert.equal(info.className, "Sigmoid");
 * assert.deepEqual(info.forward(tensor([0])).toArray(), [0.5]);
 * assert.throws(() => getActivation("nope"), RangeError);
 * ```
 */
export function getActivation(name: string): ActivationInfo {
  const found = ACTIVATIONS.find((a) => a.name === name);
  if (found === undefined) {
    throw new RangeError(
      `Cannot find activation ${JSON.stringify(name)}: expected one of ${
        ACTIVATIONS.map((a) => a.name).join(", ")
      }`,
    );
  }
  return found;
}
