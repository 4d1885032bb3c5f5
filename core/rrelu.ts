/**
 * RReLU, the randomized leaky ReLU: in training every non-positive element gets its own slope
 * drawn uniformly from `[lower, upper]`; in evaluation the slope is their mean.
 *
 * @module
 */

import { ELEMENTWISE } from "./activation.ts";
import { defineActivation } from "./_declare.ts";
import { allocate, type DataArray } from "./_dtype.ts";
import { leaky } from "./_leaky.ts";
import {
  checkGradient,
  checkTensor,
  inputFor,
  mapGradient,
  mapUnary,
  outputFor,
} from "./_elementwise.ts";
import { requireForward } from "./_module.ts";
import { type OptionSpec, type OutOption, resolveOptions } from "./_options.ts";
import { uniform } from "./_random.ts";
import { show } from "./_shape.ts";
import type { Module } from "./module.ts";
import { Tensor } from "./tensor.ts";

/** RReLU's bounds, mode and seed. */
const RRELU_OPTIONS: readonly OptionSpec[] = [{
  name: "lower",
  kind: "number",
  default: 1 / 8,
  description: "lower bound of the random slope",
}, {
  name: "upper",
  kind: "number",
  default: 1 / 3,
  description: "upper bound of the random slope",
}, {
  name: "training",
  kind: "boolean",
  default: false,
  description: "sample a slope per element (training) or use (lower + upper) / 2 (evaluation)",
}, {
  name: "seed",
  kind: "integer",
  default: 0,
  description: "seed of the slope generator in training mode",
}];

/** Options of {@linkcode rrelu}. */
export interface RreluOptions extends OutOption {
  /** Lower bound of the slope. @default {1 / 8} */
  lower?: number;
  /** Upper bound of the slope (≥ lower). @default {1 / 3} */
  upper?: number;
  /**
   * Sample one slope per element (training) instead of using `(lower + upper) / 2`.
   * @default {false}
   */
  training?: boolean;
  /**
   * Seed of the slope generator in training: the same seed draws the same slopes, so pass a
   * new one at every step (the {@linkcode RReLU} layer does this for you). @default {0}
   */
  seed?: number;
}

type Resolved = Required<Omit<RreluOptions, "out">> & OutOption;

function resolve(fn: string, options: unknown, extra?: readonly string[]): Resolved {
  const o = resolveOptions<Resolved>(fn, options, RRELU_OPTIONS, extra);
  if (o.lower > o.upper) {
    throw new RangeError(
      `Cannot use ${fn}() options lower ${show(o.lower)} and upper ${
        show(o.upper)
      }: expected lower ≤ upper`,
    );
  }
  return o;
}

/**
 * Draws one slope per element from `next` (uniform in (0, 1]), stored in the dtype of `x` so
 * that the forward and backward passes use the very same rounded slope. Slopes are drawn for
 * every element, whatever its sign, so they depend only on the seed and the element's index.
 */
function drawSlopes(x: Tensor, lower: number, upper: number, next: () => number): DataArray {
  const r = allocate(x.dtype, x.size), span = upper - lower;
  for (let i = 0; i < r.length; i++) r[i] = lower + span * next();
  return r;
}

/**
 * Training-mode forward into `dst`; turns the slopes `r` into the local derivative (1 where
 * `x > 0`, NaN where `x` is NaN, the slope elsewhere, as PyTorch's noise tensor).
 */
function trainingForward(src: DataArray, dst: DataArray, r: DataArray): void {
  for (let i = 0; i < src.length; i++) {
    const v = src[i];
    if (v > 0) {
      dst[i] = v;
      r[i] = 1;
    } else if (v !== v) {
      dst[i] = v;
      r[i] = v;
    } else {
      dst[i] = r[i] === 0 ? 0 : v * r[i];
    }
  }
}

/**
 * Applies RReLU element-wise: `x > 0 ? x : a · x`.
 *
 * In evaluation (the default) `a = (lower + upper) / 2`, a leaky ReLU. In training
 * (`training: true`) each element draws `a` uniformly from `[lower, upper]`, rounded to the
 * tensor's dtype, from a generator seeded with `seed`: deterministic, so that
 * {@linkcode rreluBackward} with the same options recomputes the same slopes. Each product is
 * rounded once (correctly rounded in float64, within 1 ULP in float32). NaN stays NaN.
 *
 * @example Usage
 * ```ts
 * import { rrelu, tensor } from "@nonlin/core";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(rrelu(tensor([-4, 2]), { lower: 0.25, upper: 0.75 }).toArray(), [-2, 2]);
 * const y = rrelu(tensor([-1, -1, -1, 5]), { training: true, seed: 7 }).toArray() as number[];
 * assert.ok(y.slice(0, 3).every((v) => v <= -1 / 8 && v >= -1 / 3));
 * assert.equal(y[3], 5);
 * ```
 */
export function rrelu(x: Tensor, options: RreluOptions = {}): Tensor {
  checkTensor(x, "rrelu() argument x");
  const { lower, upper, training, seed, out } = resolve("rrelu", options);
  const y = outputFor("rrelu", x, out);
  if (!training) return mapUnary(x, y, leaky((lower + upper) / 2, x.dtype === "float32"));
  const r = drawSlopes(x, lower, upper, uniform(seed));
  trainingForward(inputFor(x, y).data, y.data, r);
  return y;
}

/**
 * The gradient of RReLU from its input, for the same options as the forward pass: `gradOutput`
 * where `x > 0`, `a · gradOutput` where `x ≤ 0` (PyTorch's convention: the slope applies at 0),
 * NaN where `x` is NaN. In training the slopes are drawn again from `seed`, exactly as
 * {@linkcode rrelu} drew them.
 *
 * @example Usage
 * ```ts
 * import { rrelu, rreluBackward, tensor } from "@nonlin/core";
 * import assert from "node:assert/strict";
 *
 * const x = tensor([-3, 0, 2], { dtype: "float64" });
 * const g = rreluBackward(tensor([1, 1, 1]), x, { lower: 0.5, upper: 0.5 });
 * assert.deepEqual(g.toArray(), [0.5, 0.5, 1]);
 * // In training the gradient holds each element's sampled slope.
 * const options = { training: true, seed: 3 };
 * const slope = rreluBackward(tensor([1, 1, 1]), x, options).toArray() as number[];
 * assert.equal((rrelu(x, options).toArray() as number[])[0], -3 * slope[0]);
 * ```
 */
export function rreluBackward(
  gradOutput: Tensor,
  x: Tensor,
  options: Omit<RreluOptions, "out"> = {},
): Tensor {
  checkTensor(x, "rreluBackward() argument x");
  const g = checkGradient("rreluBackward", gradOutput, x);
  const { lower, upper, training, seed } = resolve("rreluBackward", options, []);
  if (!training) {
    const a = (lower + upper) / 2;
    return mapGradient(g, x, (dy, v) => (v > 0 ? dy : v !== v ? v : dy * a));
  }
  const r = drawSlopes(x, lower, upper, uniform(seed));
  trainingForward(x.data, allocate(x.dtype, x.size), r);
  return mapGradient(g, new Tensor(r, x.shape), (dy, d) => dy * d);
}

/**
 * The RReLU layer. Set `training` to switch modes (PyTorch's `train()` / `eval()`). Its
 * generator is seeded once by the constructor and advances at every training forward, so each
 * call draws fresh slopes; the first call matches {@linkcode rrelu} with the same seed. In
 * training it caches the sampled slopes (the local derivative, one element per input element),
 * in evaluation the input.
 *
 * @example Usage
 * ```ts
 * import { RReLU, tensor } from "@nonlin/core";
 * import assert from "node:assert/strict";
 *
 * const layer = new RReLU({ lower: 0.1, upper: 0.3, training: true, seed: 1 });
 * const y = layer.forward(tensor([-10, 10], { dtype: "float64" })).toArray() as number[];
 * const g = layer.backward(tensor([1, 1], { dtype: "float64" })).toArray() as number[];
 * assert.equal(y[0], -10 * g[0]);
 * assert.ok(g[0] >= 0.1 && g[0] <= 0.3);
 * layer.training = false;
 * assert.deepEqual(layer.forward(tensor([-10])).toArray(), [-2]);
 * ```
 */
export class RReLU implements Module {
  /** Whether `forward` samples slopes (training) or uses their mean (evaluation). */
  training: boolean;
  readonly #lower: number;
  readonly #upper: number;
  readonly #next: () => number;
  #x?: Tensor;
  #slopes?: Tensor;

  /**
   * Creates an RReLU layer.
   *
   * @param options The bounds, the initial mode and the seed, as in {@linkcode rrelu}.
   */
  constructor(options: Omit<RreluOptions, "out"> = {}) {
    const { lower, upper, training, seed } = resolve("RReLU", options, []);
    this.#lower = lower;
    this.#upper = upper;
    this.training = training;
    this.#next = uniform(seed);
  }

  /** Applies RReLU in the current mode and caches what backward needs. */
  forward(x: Tensor): Tensor {
    if (!this.training) {
      const y = rrelu(x, { lower: this.#lower, upper: this.#upper });
      this.#x = x;
      this.#slopes = undefined;
      return y;
    }
    checkTensor(x, "RReLU.forward() argument x");
    const y = outputFor("RReLU.forward", x, undefined);
    const r = drawSlopes(x, this.#lower, this.#upper, this.#next);
    trainingForward(x.data, y.data, r);
    this.#slopes = new Tensor(r, x.shape);
    this.#x = undefined;
    return y;
  }

  /** Returns dL/dx for the last forward call, in the mode that call used. */
  backward(gradOutput: Tensor): Tensor {
    if (this.#slopes !== undefined) {
      const g = checkGradient("RReLU.backward", gradOutput, this.#slopes);
      return mapGradient(g, this.#slopes, (dy, d) => dy * d);
    }
    const x = requireForward(this.#x, "RReLU");
    return rreluBackward(gradOutput, x, { lower: this.#lower, upper: this.#upper });
  }
}

defineActivation({
  name: "rrelu",
  className: "RReLU",
  title: "Randomized Leaky ReLU",
  summary: "Leaky ReLU with a random slope from [lower, upper] per element in training, " +
    "their mean in evaluation; the training module caches the sampled slopes.",
  family: "rectifier",
  references: [
    {
      authors: "Xu, Wang, Chen and Li",
      year: 2015,
      title: "Empirical Evaluation of Rectified Activations in Convolutional Network",
      url: "https://arxiv.org/abs/1505.00853",
    },
  ],
  kind: "elementwise",
  options: RRELU_OPTIONS,
  formula: {
    f: String
      .raw`\begin{cases} x & x > 0 \\ a\,x & x \le 0 \end{cases}, \; a \sim U(l, u) \text{ (training)}, \; a = \tfrac{l + u}{2} \text{ (evaluation)}`,
    df: String.raw`\begin{cases} 1 & x > 0 \\ a & x \le 0 \end{cases}`,
  },
  range: "(-∞, ∞)",
  properties: { monotonic: true, zeroCentred: false, smooth: false, bounded: false },
  cost: { transcendental: 0, arithmetic: 2 },
  caches: "input",
  shape: { ...ELEMENTWISE, positionDependent: (o) => o.training === true },
  forward: (x, o) => rrelu(x, o),
  backward: (dy, x, o) => rreluBackward(dy, x, o),
  create: (o) => new RReLU(o),
  naive: (x, o) => {
    const a = (((o?.lower as number) ?? 1 / 8) + ((o?.upper as number) ?? 1 / 3)) / 2;
    return x > 0 ? x : a * x;
  },
});
