/**
 * PReLU, the parametric ReLU: Leaky ReLU whose negative slope is learned, one slope shared by
 * all elements or one per channel (dim 1).
 *
 * @module
 */

import { type AnyOptions, ELEMENTWISE } from "./activation.ts";
import { defineActivation } from "./_declare.ts";
import { sumError } from "./_dd.ts";
import { allocate } from "./_dtype.ts";
import { checkGradient, checkTensor, inputFor, outputFor, overlaps } from "./_elementwise.ts";
import { requireForward } from "./_module.ts";
import { type OptionSpec, type OutOption, resolveOptions } from "./_options.ts";
import { show, sizeOf } from "./_shape.ts";
import type { Module } from "./module.ts";
import { type DType, full, Tensor } from "./tensor.ts";

/** PReLU's module options: how many slopes to learn and their initial value. */
const PRELU_OPTIONS: readonly OptionSpec[] = [{
  name: "numParameters",
  kind: "integer",
  min: 1,
  default: 1,
  description: "number of learnable slopes: 1 (shared) or the size of dim 1 (one per channel)",
}, {
  name: "init",
  kind: "number",
  default: 0.25,
  description: "initial value of every slope",
}, {
  name: "dtype",
  kind: "enum",
  values: ["float32", "float64"],
  default: "float32",
  description: "element type of the weight",
}];

/** Options of {@linkcode prelu}. */
export type PreluOptions = OutOption;

/** What {@linkcode preluBackward} returns: the gradients with respect to both arguments. */
export interface PreluGradients {
  /** dL/dx, with the shape and dtype of `x`. */
  gradInput: Tensor;
  /** dL/dweight, with the shape and dtype of `weight`. */
  gradWeight: Tensor;
}

/** Options of the {@linkcode PReLU} layer. */
export interface PReLUOptions {
  /**
   * Number of slopes: 1 (shared) or the size of the input's dim 1 (one per channel).
   * @default {1}
   */
  numParameters?: number;
  /** Initial value of every slope. @default {0.25} */
  init?: number;
  /** Element type of the weight. @default {"float32"} */
  dtype?: DType;
}

/** How the elements of `x` map to slopes: `outer` blocks of `channels` runs of `inner`. */
interface Layout {
  outer: number;
  channels: number;
  inner: number;
}

/**
 * Checks `weight` against `x` as PyTorch does: a 0-d or 1-d tensor holding one slope, or one
 * slope per entry of dim 1 (which needs `x` to have at least 2 dimensions).
 */
function layoutOf(fn: string, x: Tensor, weight: unknown): Layout {
  const w = checkTensor(weight, `${fn}() argument weight`);
  const n = w.size;
  if (w.ndim > 1 || n === 0) {
    throw new RangeError(
      `Cannot use ${fn}() argument weight of shape ${
        show(w.shape)
      }: expected a 1-d tensor of 1 slope or one per channel`,
    );
  }
  if (n === 1) return { outer: 1, channels: 1, inner: x.size };
  if (x.ndim < 2) {
    throw new RangeError(
      `Cannot use ${fn}() argument weight of ${n} slopes with x of shape ${
        show(x.shape)
      }: expected 1 slope, since x has no channel dimension (dim 1)`,
    );
  }
  if (x.shape[1] !== n) {
    throw new RangeError(
      `Cannot use ${fn}() argument weight of ${n} slopes with x of shape ${
        show(x.shape)
      }: expected 1 or ${x.shape[1]} (the size of dim 1)`,
    );
  }
  return { outer: x.shape[0], channels: n, inner: sizeOf(x.shape.slice(2)) };
}

/**
 * Applies PReLU `x > 0 ? x : w · x` element-wise, with `w` the slope of the element's channel
 * (the index along dim 1), or the single shared slope.
 *
 * One rounding per element: correctly rounded in float64 and within 1 ULP in float32. NaN stays
 * NaN; a zero slope gives 0 at -∞ (not -∞ · 0 = NaN).
 *
 * @example Usage
 * ```ts
 * import { prelu, tensor } from "@nonlin/core";
 * import assert from "node:assert/strict";
 *
 * // Two channels along dim 1, each with its own slope.
 * const x = tensor([[-4, -4], [2, -8]]);
 * const w = tensor([0.25, 0.5]);
 * assert.deepEqual(prelu(x, w).toArray(), [[-1, -2], [2, -4]]);
 * assert.deepEqual(prelu(x, tensor([0.5])).toArray(), [[-2, -2], [2, -4]]);
 * ```
 */
export function prelu(x: Tensor, weight: Tensor, options: PreluOptions = {}): Tensor {
  checkTensor(x, "prelu() argument x");
  const { outer, channels, inner } = layoutOf("prelu", x, weight);
  const { out } = resolveOptions<PreluOptions>("prelu", options, []);
  const y = outputFor("prelu", x, out);
  // The weights may share memory with out too: read from copies where they do.
  const src = inputFor(x, y).data,
    dst = y.data,
    wd = overlaps(weight.data, y.data) ? weight.data.slice() : weight.data;
  let i = 0;
  for (let o = 0; o < outer; o++) {
    for (let c = 0; c < channels; c++) {
      const w = wd[c];
      for (let k = 0; k < inner; k++, i++) {
        const v = src[i];
        dst[i] = v > 0 ? v : w === 0 ? (v !== v ? v : 0) : v * w;
      }
    }
  }
  return y;
}

/**
 * The gradients of PReLU: `gradInput = x > 0 ? gradOutput : w · gradOutput` (PyTorch's
 * convention: the slope applies at 0) and `gradWeight[c] = Σ gradOutput · x` over the elements
 * of channel `c` with `x ≤ 0`, summed in float64 with compensation. NaN in `x` makes its
 * gradients NaN.
 *
 * @example Usage
 * ```ts
 * import { preluBackward, tensor } from "@nonlin/core";
 * import assert from "node:assert/strict";
 *
 * const x = tensor([-2, 3, -1]);
 * const { gradInput, gradWeight } = preluBackward(tensor([1, 1, 1]), x, tensor([0.25]));
 * assert.deepEqual(gradInput.toArray(), [0.25, 1, 0.25]);
 * assert.deepEqual(gradWeight.toArray(), [-3]);
 * ```
 */
export function preluBackward(gradOutput: Tensor, x: Tensor, weight: Tensor): PreluGradients {
  checkTensor(x, "preluBackward() argument x");
  const g = checkGradient("preluBackward", gradOutput, x);
  const { outer, channels, inner } = layoutOf("preluBackward", x, weight);
  const gi = allocate(x.dtype, x.size);
  const sums = new Float64Array(channels), errs = new Float64Array(channels);
  const src = x.data, dy = g.data, wd = weight.data;
  let i = 0;
  for (let o = 0; o < outer; o++) {
    for (let c = 0; c < channels; c++) {
      const w = wd[c];
      let s = sums[c], e = errs[c];
      for (let k = 0; k < inner; k++, i++) {
        const v = src[i], d = dy[i];
        if (v > 0) {
          gi[i] = d;
          continue;
        }
        gi[i] = v !== v ? v : d * w;
        // Neumaier summation of the x·dy terms.
        const t = v * d, u = s + t;
        e += sumError(s, t, u);
        s = u;
      }
      sums[c] = s;
      errs[c] = e;
    }
  }
  const gw = allocate(weight.dtype, weight.size);
  for (let c = 0; c < channels; c++) gw[c] = sums[c] + errs[c];
  return { gradInput: new Tensor(gi, x.shape), gradWeight: new Tensor(gw, weight.shape) };
}

/**
 * The PReLU layer: owns its learnable slopes in the public `weight` (shape `[numParameters]`)
 * and, after each `backward`, exposes their gradient in `gradWeight` (replaced, not
 * accumulated, by every backward call). Caches its input and the weight it used.
 *
 * @example Usage
 * ```ts
 * import { PReLU, tensor } from "@nonlin/core";
 * import assert from "node:assert/strict";
 *
 * const layer = new PReLU({ numParameters: 2, init: 0.5 });
 * assert.deepEqual(layer.forward(tensor([[-2, -4], [1, -2]])).toArray(), [[-1, -2], [1, -1]]);
 * assert.deepEqual(layer.backward(tensor([[1, 1], [1, 1]])).toArray(), [[0.5, 0.5], [1, 0.5]]);
 * assert.deepEqual(layer.gradWeight?.toArray(), [-2, -6]);
 * ```
 */
export class PReLU implements Module {
  /** The slopes, one per channel or a single shared one; replace or update it freely. */
  weight: Tensor;
  /** dL/dweight from the last backward call; undefined before the first one. */
  gradWeight?: Tensor;
  #x?: Tensor;
  #w?: Tensor;

  /**
   * Creates a PReLU layer with `numParameters` slopes equal to `init`.
   *
   * @param options How many slopes, their initial value and dtype.
   */
  constructor(options: PReLUOptions = {}) {
    const { numParameters, init, dtype } = resolveOptions<Required<PReLUOptions>>(
      "PReLU",
      options,
      PRELU_OPTIONS,
      [],
    );
    this.weight = full([numParameters], init, { dtype });
  }

  /** Applies {@linkcode prelu} with `weight` and caches the input. */
  forward(x: Tensor): Tensor {
    const y = prelu(x, this.weight);
    this.#x = x;
    this.#w = this.weight;
    return y;
  }

  /** Returns dL/dx for the last forward call and stores dL/dweight in `gradWeight`. */
  backward(gradOutput: Tensor): Tensor {
    const x = requireForward(this.#x, "PReLU");
    const { gradInput, gradWeight } = preluBackward(gradOutput, x, this.#w!);
    this.gradWeight = gradWeight;
    return gradInput;
  }
}

/**
 * PReLU's weight for the registry's uniform `forward(x, o)`: `o.weight` when given, else
 * `numParameters` slopes filled with `init` in `o.dtype`, as a new {@linkcode PReLU} holds.
 */
function preluWeight(options: AnyOptions = {}): Tensor {
  const { numParameters, init, dtype } = resolveOptions<
    { numParameters: number; init: number; dtype: DType }
  >("prelu", options, PRELU_OPTIONS, ["out", "weight"]);
  if (options.weight !== undefined) return options.weight as Tensor;
  return full([numParameters], init, { dtype });
}

/** PReLU's slopes are one per channel when there are more than one. */
function preluPerChannel(options: AnyOptions): boolean {
  const weight = options.weight as Tensor | undefined;
  return weight !== undefined ? weight.size > 1 : ((options.numParameters as number) ?? 1) > 1;
}

defineActivation({
  name: "prelu",
  className: "PReLU",
  title: "Parametric ReLU",
  summary: "Leaky ReLU whose negative slope is learned, shared or one per channel (dim 1). " +
    "Here forward takes the slopes from option weight (a Tensor), else numParameters slopes " +
    "equal to init.",
  family: "rectifier",
  references: [
    {
      authors: "He, Zhang, Ren and Sun",
      year: 2015,
      title:
        "Delving Deep into Rectifiers: Surpassing Human-Level Performance on ImageNet Classification",
      url: "https://arxiv.org/abs/1502.01852",
    },
  ],
  kind: "elementwise",
  options: PRELU_OPTIONS,
  formula: {
    f: String.raw`\begin{cases} x & x > 0 \\ w_c\,x & x \le 0 \end{cases}`,
    df: String
      .raw`\frac{\partial f}{\partial x} = \begin{cases} 1 & x > 0 \\ w_c & x \le 0 \end{cases}, \quad \frac{\partial f}{\partial w_c} = \begin{cases} 0 & x > 0 \\ x & x \le 0 \end{cases}`,
  },
  range: "(-∞, ∞)",
  properties: { monotonic: true, zeroCentred: false, smooth: false, bounded: false },
  cost: { transcendental: 0, arithmetic: 2 },
  caches: "input",
  shape: { ...ELEMENTWISE, positionDependent: preluPerChannel },
  forward: (x, o) => prelu(x, preluWeight(o), { out: o?.out as Tensor | undefined }),
  backward: (dy, x, o) => preluBackward(dy, x, preluWeight(o)).gradInput,
  create: (o) => {
    const { weight, ...rest } = o ?? {};
    const layer = new PReLU(rest);
    if (weight !== undefined) layer.weight = weight as Tensor;
    return layer;
  },
  naive: (x, o) => (x > 0 ? x : ((o?.init as number) ?? 0.25) * x),
});
