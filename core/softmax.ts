/**
 * Softmax `e^xᵢ / Σⱼ e^xⱼ` along a dimension.
 *
 * @module
 */

import type { KernelBinding } from "./activation.ts";
import { defineActivation } from "./_declare.ts";
import { divDD, sumError } from "./_dd.ts";
import type { DataArray } from "./_dtype.ts";
import { expSplit, ldexp, type Split } from "./_exp.ts";
import { requireForward } from "./_module.ts";
import { type OutOption, resolveOptions } from "./_options.ts";
import { slicesAlong } from "./_slices.ts";
import { backwardAlong, normaliseAlong, shiftByMax, SOFTMAX_OPTIONS } from "./_softmax.ts";
import type { Module } from "./module.ts";
import type { Tensor } from "./tensor.ts";

/** The WebAssembly kernels of the forward pass. */
const KERNEL: KernelBinding = { name: "softmax", layout: "rows" };

/** Options of {@linkcode softmax} and {@linkcode logSoftmax}. */
export interface SoftmaxOptions extends OutOption {
  /** Dimension to normalise over; negative counts from the end. @default {-1} */
  dim?: number;
}

function softmaxInto(x: Tensor, dim: number, dst: DataArray): void {
  const layout = slicesAlong(x.shape, dim);
  const { n, stride } = layout;
  const hi = new Float64Array(n), lo = new Float64Array(n), e = new Float64Array(n);
  // float64 results take their exps in double-double: Math.exp's own error of up to an ULP,
  // rounded into e and then into e/sum, reached 3 ULP of the quotient.
  const wide = dst instanceof Float64Array, el = new Float64Array(wide ? n : 0);
  const split: Split = { hi: 0, lo: 0, k: 0 };
  const src = x.data;
  for (let k = 0; k < layout.count; k++) {
    const base = layout.start(k);
    const m = shiftByMax(src, base, n, stride, hi, lo);
    if (m !== m) {
      for (let j = 0, p = base; j < n; j++, p += stride) dst[p] = NaN;
      continue;
    }
    // Neumaier-compensated sum: the terms are positive, so this is within an ULP of exact.
    let s = 0, c = 0;
    for (let j = 0; j < n; j++) {
      let v: number;
      if (!wide) {
        const t = Math.exp(hi[j]);
        v = t + t * lo[j];
      } else if (hi[j] < -746) {
        v = el[j] = 0; // e^-746 is below every double, and -∞ has no split
      } else {
        expSplit(hi[j], lo[j], split);
        v = ldexp(split.hi, split.k);
        el[j] = ldexp(split.lo, split.k);
        c += el[j];
      }
      e[j] = v;
      const u = s + v;
      c += sumError(s, v, u);
      s = u;
    }
    const sum = s + c;
    if (wide) {
      const sumLo = sumError(s, c, sum);
      for (let j = 0, p = base; j < n; j++, p += stride) dst[p] = divDD(e[j], el[j], sum, sumLo);
    } else {
      for (let j = 0, p = base; j < n; j++, p += stride) dst[p] = e[j] / sum;
    }
  }
}

/**
 * Applies softmax along `dim` (default -1): every slice becomes a probability distribution.
 *
 * Stable: the slice maximum is subtracted first, so ±1000 work. A slice containing NaN or +∞,
 * or only -∞, is NaN throughout, as in PyTorch; -∞ elsewhere gives exact zeros (masking).
 * Softmax over an empty dimension returns an empty tensor.
 *
 * @example Usage
 * ```ts
 * import { softmax, tensor } from "@nonlin/core";
 * import assert from "node:assert/strict";
 *
 * const p = softmax(tensor([[1000, 1000], [0, -Infinity]])).toArray();
 * assert.deepEqual(p, [[0.5, 0.5], [1, 0]]);
 * const q = softmax(tensor([[1, 2], [3, 4]]), { dim: 0 }).sum({ dim: 0 }).toArray() as number[];
 * assert.ok(q.every((v) => Math.abs(v - 1) < 1e-6));
 * ```
 */
export function softmax(x: Tensor, options: SoftmaxOptions = {}): Tensor {
  return normaliseAlong("softmax", x, options, softmaxInto, KERNEL);
}

/**
 * The gradient of softmax from its output `y`: `y ⊙ (g - Σ(g ⊙ y))` along `dim`, the
 * Jacobian-vector product without forming the Jacobian.
 *
 * @example Usage
 * ```ts
 * import { softmax, softmaxBackward, tensor } from "@nonlin/core";
 * import assert from "node:assert/strict";
 *
 * const y = softmax(tensor([0, 0]));
 * // A gradient that is constant along the slice does not change the probabilities.
 * assert.deepEqual(softmaxBackward(tensor([1, 1]), y).toArray(), [0, 0]);
 * ```
 */
export function softmaxBackward(
  gradOutput: Tensor,
  y: Tensor,
  options: SoftmaxOptions = {},
): Tensor {
  return backwardAlong(
    "softmaxBackward",
    gradOutput,
    y,
    options,
    (gy, yy, out, base, n, stride) => {
      let dot = 0;
      for (let j = 0, p = base; j < n; j++, p += stride) dot += gy[p] * yy[p];
      for (let j = 0, p = base; j < n; j++, p += stride) out[p] = yy[p] * (gy[p] - dot);
    },
  );
}

/**
 * The softmax layer. Caches its output, from which the backward pass is exact.
 *
 * @example Usage
 * ```ts
 * import { Softmax, tensor } from "@nonlin/core";
 * import assert from "node:assert/strict";
 *
 * const layer = new Softmax({ dim: 0 });
 * assert.deepEqual(layer.forward(tensor([[0], [0]])).toArray(), [[0.5], [0.5]]);
 * assert.deepEqual(layer.backward(tensor([[1], [1]])).toArray(), [[0], [0]]);
 * ```
 */
export class Softmax implements Module {
  #y?: Tensor;
  readonly #dim: number;

  /**
   * Creates a softmax layer.
   *
   * @param options The dimension to normalise over, as in {@linkcode softmax}.
   */
  constructor(options: Omit<SoftmaxOptions, "out"> = {}) {
    this.#dim = resolveOptions<{ dim: number }>("Softmax", options, SOFTMAX_OPTIONS, []).dim;
  }

  /** Applies {@linkcode softmax} and caches the output. */
  forward(x: Tensor): Tensor {
    return (this.#y = softmax(x, { dim: this.#dim }));
  }

  /** Returns dL/dx for the last forward call. */
  backward(gradOutput: Tensor): Tensor {
    return softmaxBackward(gradOutput, requireForward(this.#y, "Softmax"), { dim: this.#dim });
  }
}

defineActivation({
  name: "softmax",
  className: "Softmax",
  title: "Softmax",
  summary: "Turns a slice of scores into a probability distribution: classifiers and attention.",
  family: "normaliser",
  kind: "reduction",
  options: SOFTMAX_OPTIONS,
  formula: {
    f: String.raw`\frac{e^{x_i}}{\sum_j e^{x_j}}`,
    df: String.raw`y_i\,(\delta_{ij} - y_j)`,
  },
  range: "(0, 1), summing to 1",
  properties: { monotonic: true, zeroCentred: false, smooth: true, bounded: true },
  cost: { transcendental: 1, arithmetic: 6 },
  caches: "output",
  shape: { slices: "dim-option", alongDim: "same", acceptsOut: true },
  kernel: KERNEL,
  forward: (x, o) => softmax(x, o),
  backward: (dy, x, o) => softmaxBackward(dy, softmax(x, o), o),
  create: (o) => new Softmax(o),
});
