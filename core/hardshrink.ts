/**
 * Hardshrink: zero inside the dead zone `[-lambda, lambda]`, the input outside it.
 *
 * @module
 */

import { ELEMENTWISE } from "./activation.ts";
import { defineActivation } from "./_declare.ts";
import { checkGradient, checkTensor, mapGradient, mapUnary, outputFor } from "./_elementwise.ts";
import { requireForward } from "./_module.ts";
import { type OptionSpec, type OutOption, resolveOptions } from "./_options.ts";
import type { Module } from "./module.ts";
import type { Tensor } from "./tensor.ts";

/** Hardshrink's and Softshrink's `lambda`. */
const SHRINK_OPTIONS: readonly OptionSpec[] = [{
  name: "lambda",
  kind: "number",
  min: 0,
  default: 0.5,
  description: "half-width of the dead zone [-lambda, lambda] (may be ∞)",
}];

/** Options of {@linkcode hardshrink}. */
export interface HardshrinkOptions extends OutOption {
  /** Half-width of the dead zone, a number ≥ 0 (∞ zeroes everything). @default {0.5} */
  lambda?: number;
}

/**
 * Applies Hardshrink `|x| > lambda ? x : 0` element-wise. Exact; NaN stays NaN (PyTorch's
 * comparisons let it through too), and the zeros are +0.
 *
 * @example Usage
 * ```ts
 * import { hardshrink, tensor } from "@nonlin/core";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(hardshrink(tensor([-2, -0.5, 0.25, 0.75])).toArray(), [-2, 0, 0, 0.75]);
 * assert.deepEqual(hardshrink(tensor([-2, 1]), { lambda: 1 }).toArray(), [-2, 0]);
 * ```
 */
export function hardshrink(x: Tensor, options: HardshrinkOptions = {}): Tensor {
  checkTensor(x, "hardshrink() argument x");
  const { lambda, out } = resolveOptions<Required<HardshrinkOptions>>(
    "hardshrink",
    options,
    SHRINK_OPTIONS,
  );
  return mapUnary(
    x,
    outputFor("hardshrink", x, out),
    (v) => (v >= -lambda && v <= lambda ? 0 : v),
  );
}

/**
 * The gradient of Hardshrink from its input: `gradOutput` where `|x| > lambda`, else 0 (so 0
 * at ±lambda, PyTorch's convention). NaN where `x` is NaN.
 *
 * @example Usage
 * ```ts
 * import { hardshrinkBackward, tensor } from "@nonlin/core";
 * import assert from "node:assert/strict";
 *
 * const g = hardshrinkBackward(tensor([3, 3, 3]), tensor([-0.5, 0, 0.6]));
 * assert.deepEqual(g.toArray(), [0, 0, 3]);
 * ```
 */
export function hardshrinkBackward(
  gradOutput: Tensor,
  x: Tensor,
  options: Omit<HardshrinkOptions, "out"> = {},
): Tensor {
  checkTensor(x, "hardshrinkBackward() argument x");
  const g = checkGradient("hardshrinkBackward", gradOutput, x);
  const { lambda } = resolveOptions<Required<HardshrinkOptions>>(
    "hardshrinkBackward",
    options,
    SHRINK_OPTIONS,
    [],
  );
  return mapGradient(g, x, (dy, v) => (v < -lambda || v > lambda ? dy : v !== v ? v : 0));
}

/**
 * The Hardshrink layer. Caches its input for the backward pass.
 *
 * @example Usage
 * ```ts
 * import { Hardshrink, tensor } from "@nonlin/core";
 * import assert from "node:assert/strict";
 *
 * const layer = new Hardshrink({ lambda: 1 });
 * assert.deepEqual(layer.forward(tensor([-3, 0.5, 2])).toArray(), [-3, 0, 2]);
 * assert.deepEqual(layer.backward(tensor([1, 1, 1])).toArray(), [1, 0, 1]);
 * ```
 */
export class Hardshrink implements Module {
  #x?: Tensor;
  readonly #options: { lambda: number };

  /**
   * Creates a Hardshrink layer.
   *
   * @param options The same `lambda` option as {@linkcode hardshrink}.
   */
  constructor(options: Omit<HardshrinkOptions, "out"> = {}) {
    const { lambda } = resolveOptions<Required<HardshrinkOptions>>(
      "Hardshrink",
      options,
      SHRINK_OPTIONS,
      [],
    );
    this.#options = { lambda };
  }

  /** Applies {@linkcode hardshrink} and caches the input. */
  forward(x: Tensor): Tensor {
    const y = hardshrink(x, this.#options);
    this.#x = x;
    return y;
  }

  /** Returns dL/dx for the last forward call. */
  backward(gradOutput: Tensor): Tensor {
    return hardshrinkBackward(gradOutput, requireForward(this.#x, "Hardshrink"), this.#options);
  }
}

defineActivation({
  name: "hardshrink",
  className: "Hardshrink",
  title: "Hard shrinkage",
  summary: "Zeroes the inputs inside [-lambda, lambda] and keeps the rest: sparse codes.",
  family: "shrinkage",
  kind: "elementwise",
  options: SHRINK_OPTIONS,
  formula: {
    f: String.raw`\begin{cases} x & |x| > \lambda \\ 0 & |x| \le \lambda \end{cases}`,
    df: String.raw`\begin{cases} 1 & |x| > \lambda \\ 0 & |x| \le \lambda \end{cases}`,
  },
  range: "(-∞, -λ) ∪ {0} ∪ (λ, ∞)",
  properties: { monotonic: true, zeroCentred: true, smooth: false, bounded: false },
  cost: { transcendental: 0, arithmetic: 2 },
  caches: "input",
  shape: ELEMENTWISE,
  forward: (x, o) => hardshrink(x, o),
  backward: (dy, x, o) => hardshrinkBackward(dy, x, o),
  create: (o) => new Hardshrink(o),
  naive: (x, o) => (Math.abs(x) > ((o?.lambda as number) ?? 0.5) ? x : 0),
});
