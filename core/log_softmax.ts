/**
 * Log-softmax `xᵢ - log Σⱼ e^xⱼ` along a dimension, by log-sum-exp.
 *
 * @module
 */

import type { KernelBinding } from "./activation.ts";
import { defineActivation } from "./_declare.ts";
import { sumError } from "./_dd.ts";
import type { DataArray } from "./_dtype.ts";
import { requireForward } from "./_module.ts";
import { resolveOptions } from "./_options.ts";
import { slicesAlong } from "./_slices.ts";
import { backwardAlong, normaliseAlong, shiftByMax, SOFTMAX_OPTIONS } from "./_softmax.ts";
import type { Module } from "./module.ts";
import type { SoftmaxOptions } from "./softmax.ts";
import type { Tensor } from "./tensor.ts";

/** The WebAssembly kernels of the forward pass. */
const KERNEL: KernelBinding = { name: "logSoftmax", layout: "rows" };

function logSoftmaxInto(x: Tensor, dim: number, dst: DataArray): void {
  const layout = slicesAlong(x.shape, dim);
  const { n, stride } = layout;
  const hi = new Float64Array(n), lo = new Float64Array(n);
  const src = x.data;
  for (let k = 0; k < layout.count; k++) {
    const base = layout.start(k);
    const m = shiftByMax(src, base, n, stride, hi, lo);
    if (m !== m) {
      for (let j = 0, p = base; j < n; j++, p += stride) dst[p] = NaN;
      continue;
    }
    // Σ e^(x - max) = 1 + rest, where one maximum contributes exactly 1; log1p(rest) keeps the
    // log-sum-exp accurate when the other terms are tiny (log(1 + rest) would round them away).
    // The sum is compensated (Neumaier): a long row's rounding errors would otherwise add up
    // to several ULP of the log-sum-exp.
    let rest = 0, c = 0, skipped = false;
    for (let j = 0; j < n; j++) {
      if (!skipped && hi[j] === 0) {
        skipped = true;
        continue;
      }
      const t = Math.exp(hi[j]);
      const v = t + t * lo[j], u = rest + v;
      c += sumError(rest, v, u);
      rest = u;
    }
    const lse = Math.log1p(rest + c);
    for (let j = 0, p = base; j < n; j++, p += stride) dst[p] = (hi[j] - lse) + lo[j];
  }
}

/**
 * Applies log-softmax along `dim` (default -1) by the log-sum-exp trick, never as
 * `log(softmax(x))`: finite wherever softmax underflows to 0 (log-softmax of [0, -1000] is
 * [0, -1000], not [0, -∞]).
 *
 * @example Usage
 * ```ts
 * import { logSoftmax, tensor } from "@nonlin/core";
 * import assert from "node:assert/strict";
 *
 * const [top, low] = logSoftmax(tensor([0, -1000])).toArray() as number[];
 * assert.ok(top === 0 && low === -1000); // exactly -log1p(e^-1000) ≈ -5e-435, so ±0
 * const [a, b] = logSoftmax(tensor([1, 1], { dtype: "float64" })).toArray() as number[];
 * assert.equal(a, -Math.LN2);
 * assert.equal(b, -Math.LN2);
 * ```
 */
export function logSoftmax(x: Tensor, options: SoftmaxOptions = {}): Tensor {
  return normaliseAlong("logSoftmax", x, options, logSoftmaxInto, KERNEL);
}

/**
 * The gradient of log-softmax from its output `y`: `g - e^y · Σ g` along `dim`.
 *
 * @example Usage
 * ```ts
 * import { logSoftmax, logSoftmaxBackward, tensor } from "@nonlin/core";
 * import assert from "node:assert/strict";
 *
 * const y = logSoftmax(tensor([0, 0]));
 * assert.deepEqual(logSoftmaxBackward(tensor([1, 0]), y).toArray(), [0.5, -0.5]);
 * ```
 */
export function logSoftmaxBackward(
  gradOutput: Tensor,
  y: Tensor,
  options: SoftmaxOptions = {},
): Tensor {
  return backwardAlong(
    "logSoftmaxBackward",
    gradOutput,
    y,
    options,
    (gy, yy, out, base, n, stride) => {
      let total = 0;
      for (let j = 0, p = base; j < n; j++, p += stride) total += gy[p];
      for (let j = 0, p = base; j < n; j++, p += stride) out[p] = gy[p] - Math.exp(yy[p]) * total;
    },
  );
}

/**
 * The log-softmax layer. Caches its output (softmax is its exponential).
 *
 * @example Usage
 * ```ts
 * import { LogSoftmax, tensor } from "@nonlin/core";
 * import assert from "node:assert/strict";
 *
 * const layer = new LogSoftmax();
 * layer.forward(tensor([0, 0], { dtype: "float64" }));
 * const [a, b] = layer.backward(tensor([1, 1], { dtype: "float64" })).toArray() as number[];
 * assert.ok(Math.abs(a) < 1e-15 && Math.abs(b) < 1e-15);
 * ```
 */
export class LogSoftmax implements Module {
  #y?: Tensor;
  readonly #dim: number;

  /**
   * Creates a log-softmax layer.
   *
   * @param options The dimension to normalise over, as in {@linkcode logSoftmax}.
   */
  constructor(options: Omit<SoftmaxOptions, "out"> = {}) {
    this.#dim = resolveOptions<{ dim: number }>("LogSoftmax", options, SOFTMAX_OPTIONS, []).dim;
  }

  /** Applies {@linkcode logSoftmax} and caches the output. */
  forward(x: Tensor): Tensor {
    return (this.#y = logSoftmax(x, { dim: this.#dim }));
  }

  /** Returns dL/dx for the last forward call. */
  backward(gradOutput: Tensor): Tensor {
    return logSoftmaxBackward(gradOutput, requireForward(this.#y, "LogSoftmax"), {
      dim: this.#dim,
    });
  }
}

defineActivation({
  name: "logSoftmax",
  className: "LogSoftmax",
  title: "Log-softmax",
  summary: "The logarithm of softmax by log-sum-exp: what cross-entropy wants.",
  family: "normaliser",
  aliases: ["log_softmax"],
  kind: "reduction",
  options: SOFTMAX_OPTIONS,
  formula: {
    f: String.raw`x_i - \log \sum_j e^{x_j}`,
    df: String.raw`\delta_{ij} - \operatorname{softmax}(x)_j`,
  },
  range: "(-∞, 0]",
  properties: { monotonic: true, zeroCentred: false, smooth: true, bounded: false },
  cost: { transcendental: 1, arithmetic: 5 },
  caches: "output",
  shape: { slices: "dim-option", alongDim: "same", acceptsOut: true },
  kernel: KERNEL,
  forward: (x, o) => logSoftmax(x, o),
  backward: (dy, x, o) => logSoftmaxBackward(dy, logSoftmax(x, o), o),
  create: (o) => new LogSoftmax(o),
});
