/**
 * Threshold: the input where it exceeds `threshold`, a fixed `value` elsewhere.
 *
 * @module
 */

import { type AnyOptions, ELEMENTWISE } from "./activation.ts";
import { defineActivation } from "./_declare.ts";
import { checkGradient, checkTensor, mapGradient, mapUnary, outputFor } from "./_elementwise.ts";
import { requireForward } from "./_module.ts";
import { type OptionSpec, type OutOption, resolveOptions } from "./_options.ts";
import type { Module } from "./module.ts";
import type { Tensor } from "./tensor.ts";

/** Threshold's `threshold` and `value`, both required as in PyTorch. */
const THRESHOLD_OPTIONS: readonly OptionSpec[] = [{
  name: "threshold",
  kind: "number",
  required: true,
  description: "inputs at or below it are replaced",
}, {
  name: "value",
  kind: "number",
  required: true,
  description: "the replacement",
}];

/** Options of {@linkcode threshold}: both numbers are required, as in PyTorch. */
export interface ThresholdOptions extends OutOption {
  /** Inputs at or below it are replaced. */
  threshold: number;
  /** The replacement. */
  value: number;
}

/**
 * Applies Threshold `x > threshold ? x : value` element-wise. Exact apart from storing `value`
 * in the tensor's dtype; NaN stays NaN (it is not "at or below" anything).
 *
 * @example Usage
 * ```ts
 * import { threshold, tensor } from "@nonlin/core";
 * import assert from "node:assert/strict";
 *
 * const y = threshold(tensor([-1, 0.5, 1, 2, NaN]), { threshold: 1, value: -5 });
 * assert.deepEqual(y.toArray(), [-5, -5, -5, 2, NaN]);
 * ```
 */
export function threshold(x: Tensor, options: ThresholdOptions): Tensor {
  checkTensor(x, "threshold() argument x");
  const { threshold: t, value, out } = resolveOptions<ThresholdOptions>(
    "threshold",
    options,
    THRESHOLD_OPTIONS,
  );
  return mapUnary(x, outputFor("threshold", x, out), (v) => (v <= t ? value : v));
}

/**
 * The gradient of Threshold from its input: `gradOutput` where `x > threshold`, else 0 (0 at
 * the threshold itself, PyTorch's convention). NaN where `x` is NaN.
 *
 * @example Usage
 * ```ts
 * import { thresholdBackward, tensor } from "@nonlin/core";
 * import assert from "node:assert/strict";
 *
 * const g = thresholdBackward(tensor([4, 4, 4]), tensor([0, 1, 2]), { threshold: 1, value: 0 });
 * assert.deepEqual(g.toArray(), [0, 0, 4]);
 * ```
 */
export function thresholdBackward(
  gradOutput: Tensor,
  x: Tensor,
  options: Omit<ThresholdOptions, "out">,
): Tensor {
  checkTensor(x, "thresholdBackward() argument x");
  const g = checkGradient("thresholdBackward", gradOutput, x);
  const { threshold: t } = resolveOptions<ThresholdOptions>(
    "thresholdBackward",
    options,
    THRESHOLD_OPTIONS,
    [],
  );
  return mapGradient(g, x, (dy, v) => (v > t ? dy : v !== v ? v : 0));
}

/**
 * The Threshold layer. Caches its input for the backward pass.
 *
 * @example Usage
 * ```ts
 * import { Threshold, tensor } from "@nonlin/core";
 * import assert from "node:assert/strict";
 *
 * const layer = new Threshold({ threshold: 0.5, value: 9 });
 * assert.deepEqual(layer.forward(tensor([0, 1])).toArray(), [9, 1]);
 * assert.deepEqual(layer.backward(tensor([2, 2])).toArray(), [0, 2]);
 * ```
 */
export class Threshold implements Module {
  #x?: Tensor;
  readonly #options: { threshold: number; value: number };

  /**
   * Creates a Threshold layer.
   *
   * @param options The required `threshold` and `value`, as in {@linkcode threshold}.
   */
  constructor(options: Omit<ThresholdOptions, "out">) {
    const { threshold, value } = resolveOptions<ThresholdOptions>(
      "Threshold",
      options,
      THRESHOLD_OPTIONS,
      [],
    );
    this.#options = { threshold, value };
  }

  /** Applies {@linkcode threshold} and caches the input. */
  forward(x: Tensor): Tensor {
    const y = threshold(x, this.#options);
    this.#x = x;
    return y;
  }

  /** Returns dL/dx for the last forward call. */
  backward(gradOutput: Tensor): Tensor {
    return thresholdBackward(gradOutput, requireForward(this.#x, "Threshold"), this.#options);
  }
}

/** Threshold's options with both numbers defaulting to 0 (ReLU) for the registry. */
function thresholdOptions(options: AnyOptions = {}): ThresholdOptions {
  return { threshold: 0, value: 0, ...options } as ThresholdOptions;
}

defineActivation({
  name: "threshold",
  className: "Threshold",
  title: "Threshold",
  summary: "Keeps the inputs above threshold and replaces the others by value. Both are " +
    "required by the function and the class; here they default to 0 (ReLU).",
  family: "rectifier",
  kind: "elementwise",
  options: THRESHOLD_OPTIONS,
  formula: {
    f: String.raw`\begin{cases} x & x > t \\ v & x \le t \end{cases}`,
    df: String.raw`\begin{cases} 1 & x > t \\ 0 & x \le t \end{cases}`,
  },
  range: "{value} ∪ (threshold, ∞)",
  properties: { monotonic: false, zeroCentred: false, smooth: false, bounded: false },
  cost: { transcendental: 0, arithmetic: 1 },
  caches: "input",
  shape: ELEMENTWISE,
  forward: (x, o) => threshold(x, thresholdOptions(o)),
  backward: (dy, x, o) => thresholdBackward(dy, x, thresholdOptions(o)),
  create: (o) => new Threshold(thresholdOptions(o)),
  naive: (x, o) => x > ((o?.threshold as number) ?? 0) ? x : ((o?.value as number) ?? 0),
});
