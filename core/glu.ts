/**
 * GLU, the gated linear unit: the input is split in halves `a` and `b` along a dimension and
 * the result is `a ⊙ σ(b)`.
 *
 * @module
 */

import { defineActivation } from "./_declare.ts";
import { allocate } from "./_dtype.ts";
import { checkTensor, overlaps } from "./_elementwise.ts";
import { requireForward } from "./_module.ts";
import { type OptionSpec, type OutOption, resolveOptions } from "./_options.ts";
import { sigmoidScalar } from "./_scalars.ts";
import { mulSigmoid } from "./_scalars_smooth.ts";
import { normalizeDim, show } from "./_shape.ts";
import { slicesAlong } from "./_slices.ts";
import type { Module } from "./module.ts";
import { Tensor } from "./tensor.ts";

/** GLU's `dim`. */
const GLU_OPTIONS: readonly OptionSpec[] = [{
  name: "dim",
  kind: "integer",
  default: -1,
  description: "dimension split into halves a and b (negative counts from the end)",
}];

/** The parameters of {@linkcode glu}. */
export interface GluParameters {
  /** Dimension to split in halves; negative counts from the end. @default {-1} */
  dim?: number;
}

/** Options of {@linkcode glu}. `out` must have the halved shape. */
export interface GluOptions extends GluParameters, OutOption {}

/** Checks x and the options; returns the normalised dim and the output shape. */
function layout(
  fn: string,
  x: Tensor,
  options: unknown,
  extra?: readonly string[],
): { dim: number; half: number; shape: number[]; out?: Tensor } {
  const o = resolveOptions<{ dim: number; out?: Tensor }>(fn, options, GLU_OPTIONS, extra);
  if (x.ndim === 0) {
    throw new RangeError(
      `Cannot use ${fn}() argument x of shape []: expected at least one dimension to split`,
    );
  }
  const dim = normalizeDim(o.dim, x.ndim, `${fn}() option dim`);
  const n = x.shape[dim];
  if (n % 2 !== 0) {
    throw new RangeError(
      `Cannot split ${fn}() argument x of shape ${
        show(x.shape)
      } in halves along dim ${o.dim}: its size ${n} is odd`,
    );
  }
  const shape = x.shape.slice();
  shape[dim] = n / 2;
  return { dim, half: n / 2, shape, out: o.out };
}

/**
 * Applies GLU: splits `x` along `dim` (default -1) into halves `a` (first) and `b` (second) and
 * returns `a ⊙ σ(b)`, whose size along `dim` is half that of `x`. An odd size along `dim` is a
 * RangeError.
 *
 * Each element is rounded once in effect (within 1 ULP in float32 and 2 ULP in float64), for
 * any `a` up to the float maximum and with subnormal results kept: a·σ(-745) is not 0.
 * NaN stays NaN; ∞·σ(-∞) is NaN.
 *
 * @example Usage
 * ```ts
 * import { glu, tensor } from "@nonlin/core";
 * import assert from "node:assert/strict";
 *
 * const x = tensor([[1, 2, 0, 1000], [3, 4, -1000, Infinity]]);
 * assert.deepEqual(glu(x).toArray(), [[0.5, 2], [0, 4]]);
 * assert.deepEqual(glu(x, { dim: 0 }).shape, [1, 4]);
 * assert.throws(() => glu(tensor([1, 2, 3])), RangeError);
 * ```
 */
export function glu(x: Tensor, options: GluOptions = {}): Tensor {
  checkTensor(x, "glu() argument x");
  const { dim, half, shape, out } = layout("glu", x, options);
  const y = outputOf(x, shape, out);
  // out is half of x's size, so any shared memory is a shifted alias: read from a copy.
  const src = overlaps(x.data, y.data) ? x.data.slice() : x.data, dst = y.data;
  const inL = slicesAlong(x.shape, dim), outL = slicesAlong(shape, dim);
  const { stride } = inL, gap = half * stride;
  for (let k = 0; k < inL.count; k++) {
    const p = inL.start(k), q = outL.start(k);
    for (let j = 0; j < half; j++) {
      const o = j * stride;
      dst[q + o] = mulSigmoid(src[p + o], src[p + o + gap]);
    }
  }
  return y;
}

/** `out` after checking its dtype and the halved shape, or a new tensor. */
function outputOf(x: Tensor, shape: number[], out: unknown): Tensor {
  if (out === undefined) return new Tensor(allocate(x.dtype, x.size / 2), shape);
  const o = checkTensor(out, "glu() option out");
  if (
    o.dtype !== x.dtype || o.shape.length !== shape.length || o.shape.some((d, i) => d !== shape[i])
  ) {
    throw new RangeError(
      `Cannot use glu() option out of ${o.dtype} shape ${
        show(o.shape)
      }: expected ${x.dtype} shape ${show(shape)}`,
    );
  }
  return o;
}

/**
 * The gradient of GLU with respect to the whole input `x` (the shape of `x`): for the first
 * half `gradOutput · σ(b)`, for the second `gradOutput · a · σ(b)·(1 - σ(b))`, with 1 - σ(b)
 * computed as σ(-b). `gradOutput` has the output's (halved) shape.
 *
 * @example Usage
 * ```ts
 * import { gluBackward, tensor } from "@nonlin/core";
 * import assert from "node:assert/strict";
 *
 * // a = 3, b = 0: d/da = σ(0) = 0.5, d/db = 3·0.25.
 * assert.deepEqual(gluBackward(tensor([4]), tensor([3, 0])).toArray(), [2, 3]);
 * ```
 */
export function gluBackward(gradOutput: Tensor, x: Tensor, options: GluParameters = {}): Tensor {
  checkTensor(x, "gluBackward() argument x");
  const g = checkTensor(gradOutput, "gluBackward() argument gradOutput");
  const { dim, half, shape } = layout("gluBackward", x, options, []);
  if (g.shape.length !== shape.length || g.shape.some((d, i) => d !== shape[i])) {
    throw new RangeError(
      `Cannot use gluBackward() argument gradOutput of shape ${show(g.shape)}: expected ${
        show(shape)
      }, the shape of x halved along dim ${dim}`,
    );
  }
  const out = allocate(x.dtype, x.size);
  const src = x.data, dy = g.data;
  const inL = slicesAlong(x.shape, dim), outL = slicesAlong(shape, dim);
  const { stride } = inL, gap = half * stride;
  for (let k = 0; k < inL.count; k++) {
    const p = inL.start(k), q = outL.start(k);
    for (let j = 0; j < half; j++) {
      const o = j * stride, a = src[p + o], b = src[p + o + gap], d = dy[q + o];
      const s = sigmoidScalar(b);
      out[p + o] = d * s;
      out[p + o + gap] = d * a * s * sigmoidScalar(-b);
    }
  }
  return new Tensor(out, x.shape);
}

/**
 * The GLU layer. Caches its input (the gradient needs both halves).
 *
 * @example Usage
 * ```ts
 * import { GLU, tensor } from "@nonlin/core";
 * import assert from "node:assert/strict";
 *
 * const layer = new GLU({ dim: 0 });
 * assert.deepEqual(layer.forward(tensor([[2], [0]])).toArray(), [[1]]);
 * assert.deepEqual(layer.backward(tensor([[1]])).toArray(), [[0.5], [0.5]]);
 * ```
 */
export class GLU implements Module {
  #x?: Tensor;
  readonly #options: { dim: number };

  /**
   * Creates the layer; the options are validated here, once.
   *
   * @param options The dimension to split, as in {@linkcode glu}.
   */
  constructor(options: GluParameters = {}) {
    this.#options = { dim: resolveOptions<{ dim: number }>("GLU", options, GLU_OPTIONS, []).dim };
  }

  /** Applies {@linkcode glu} and caches the input. */
  forward(x: Tensor): Tensor {
    const y = glu(x, this.#options);
    this.#x = x;
    return y;
  }

  /** Returns dL/dx for the last forward call. */
  backward(gradOutput: Tensor): Tensor {
    return gluBackward(gradOutput, requireForward(this.#x, "GLU"), this.#options);
  }
}

defineActivation({
  name: "glu",
  className: "GLU",
  title: "Gated Linear Unit",
  summary: "Halves the input along dim into a and b and gates a by σ(b): language models.",
  family: "gate",
  references: [
    {
      authors: "Dauphin, Fan, Auli and Grangier",
      year: 2016,
      title: "Language Modeling with Gated Convolutional Networks",
      url: "https://arxiv.org/abs/1612.08083",
    },
  ],
  kind: "reduction",
  options: GLU_OPTIONS,
  formula: {
    f: String.raw`a \otimes \sigma(b), \quad x = [a; b]`,
    df: String
      .raw`\frac{\partial}{\partial a} = \sigma(b), \quad \frac{\partial}{\partial b} = a\,\sigma(b)\,(1 - \sigma(b))`,
  },
  range: "(-∞, ∞)",
  properties: { monotonic: false, zeroCentred: false, smooth: true, bounded: false },
  cost: { transcendental: 1, arithmetic: 12 },
  caches: "input",
  shape: { slices: "dim-option", alongDim: "half", acceptsOut: true },
  forward: (x, o) => glu(x, o),
  backward: (dy, x, o) => gluBackward(dy, x, o),
  create: (o) => new GLU(o),
});
