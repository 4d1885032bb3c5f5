/**
 * Hardtanh: the input clamped to `[minVal, maxVal]`, a piecewise-linear tanh.
 *
 * @module
 */

import { ELEMENTWISE } from "./activation.ts";
import { defineActivation } from "./_declare.ts";
import { checkGradient, checkTensor, mapGradient, mapUnary, outputFor } from "./_elementwise.ts";
import { requireForward } from "./_module.ts";
import { type OptionSpec, type OutOption, resolveOptions } from "./_options.ts";
import { show } from "./_shape.ts";
import type { Module } from "./module.ts";
import type { Tensor } from "./tensor.ts";

/** Hardtanh's clamping bounds. */
const HARDTANH_OPTIONS: readonly OptionSpec[] = [{
  name: "minVal",
  kind: "number",
  default: -1,
  description: "lower clamping bound",
}, {
  name: "maxVal",
  kind: "number",
  default: 1,
  description: "upper clamping bound (≥ minVal)",
}];

/** Options of {@linkcode hardtanh}. */
export interface HardtanhOptions extends OutOption {
  /** Lower bound. @default {-1} */
  minVal?: number;
  /** Upper bound, at least `minVal`. @default {1} */
  maxVal?: number;
}

function resolve(
  fn: string,
  options: unknown,
  extra?: readonly string[],
): Required<HardtanhOptions> {
  const o = resolveOptions<Required<HardtanhOptions>>(fn, options, HARDTANH_OPTIONS, extra);
  if (o.minVal > o.maxVal) {
    throw new RangeError(
      `Cannot use ${fn}() options minVal ${show(o.minVal)} and maxVal ${
        show(o.maxVal)
      }: expected minVal ≤ maxVal`,
    );
  }
  return o;
}

/**
 * Applies Hardtanh `min(max(x, minVal), maxVal)` element-wise. Exact: every output is a bound
 * or the input (whose -0 is kept). NaN stays NaN; ±∞ give the bounds.
 *
 * @example Usage
 * ```ts
 * import { hardtanh, tensor } from "@nonlin/core";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(hardtanh(tensor([-5, 0.5, 5])).toArray(), [-1, 0.5, 1]);
 * assert.deepEqual(hardtanh(tensor([-5, 5]), { minVal: -2, maxVal: 3 }).toArray(), [-2, 3]);
 * ```
 */
export function hardtanh(x: Tensor, options: HardtanhOptions = {}): Tensor {
  checkTensor(x, "hardtanh() argument x");
  const { minVal: lo, maxVal: hi, out } = resolve("hardtanh", options);
  return mapUnary(x, outputFor("hardtanh", x, out), (v) => (v < lo ? lo : v > hi ? hi : v));
}

/**
 * The gradient of Hardtanh from its input: `gradOutput` where `minVal < x < maxVal`, else 0.
 * At both bounds the gradient is 0, PyTorch's convention. NaN where `x` is NaN.
 *
 * @example Usage
 * ```ts
 * import { hardtanhBackward, tensor } from "@nonlin/core";
 * import assert from "node:assert/strict";
 *
 * const g = hardtanhBackward(tensor([2, 2, 2, 2]), tensor([-1, 0, 0.5, 1]));
 * assert.deepEqual(g.toArray(), [0, 2, 2, 0]);
 * ```
 */
export function hardtanhBackward(
  gradOutput: Tensor,
  x: Tensor,
  options: Omit<HardtanhOptions, "out"> = {},
): Tensor {
  checkTensor(x, "hardtanhBackward() argument x");
  const g = checkGradient("hardtanhBackward", gradOutput, x);
  const { minVal: lo, maxVal: hi } = resolve("hardtanhBackward", options, []);
  return mapGradient(g, x, (dy, v) => (v > lo && v < hi ? dy : v !== v ? v : 0));
}

/**
 * The Hardtanh layer. Caches its input for the backward pass.
 *
 * @example Usage
 * ```ts
 * import { Hardtanh, tensor } from "@nonlin/core";
 * import assert from "node:assert/strict";
 *
 * const layer = new Hardtanh({ minVal: 0, maxVal: 2 });
 * assert.deepEqual(layer.forward(tensor([-1, 1, 3])).toArray(), [0, 1, 2]);
 * assert.deepEqual(layer.backward(tensor([5, 5, 5])).toArray(), [0, 5, 0]);
 * ```
 */
export class Hardtanh implements Module {
  #x?: Tensor;
  readonly #options: { minVal: number; maxVal: number };

  /**
   * Creates a Hardtanh layer.
   *
   * @param options The same `minVal` and `maxVal` options as {@linkcode hardtanh}.
   */
  constructor(options: Omit<HardtanhOptions, "out"> = {}) {
    const { minVal, maxVal } = resolve("Hardtanh", options, []);
    this.#options = { minVal, maxVal };
  }

  /** Applies {@linkcode hardtanh} and caches the input. */
  forward(x: Tensor): Tensor {
    const y = hardtanh(x, this.#options);
    this.#x = x;
    return y;
  }

  /** Returns dL/dx for the last forward call. */
  backward(gradOutput: Tensor): Tensor {
    return hardtanhBackward(gradOutput, requireForward(this.#x, "Hardtanh"), this.#options);
  }
}

defineActivation({
  name: "hardtanh",
  className: "Hardtanh",
  title: "Hard tanh",
  summary: "The input clamped to [minVal, maxVal]: a piecewise-linear tanh.",
  family: "squashing",
  kind: "elementwise",
  options: HARDTANH_OPTIONS,
  formula: {
    f: String.raw`\min(\max(x, a), b)`,
    df: String.raw`\begin{cases} 1 & a < x < b \\ 0 & \text{otherwise} \end{cases}`,
  },
  range: "[minVal, maxVal]",
  properties: { monotonic: true, zeroCentred: true, smooth: false, bounded: true },
  cost: { transcendental: 0, arithmetic: 2 },
  caches: "input",
  shape: ELEMENTWISE,
  forward: (x, o) => hardtanh(x, o),
  backward: (dy, x, o) => hardtanhBackward(dy, x, o),
  create: (o) => new Hardtanh(o),
  naive: (x, o) => Math.min(Math.max(x, (o?.minVal as number) ?? -1), (o?.maxVal as number) ?? 1),
});
