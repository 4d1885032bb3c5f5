/**
 * SiLU (also called swish), the sigmoid-weighted linear unit `x·σ(x)`.
 *
 * @module
 */

import { ELEMENTWISE, type KernelBinding, NO_OPTIONS } from "./activation.ts";
import { defineActivation } from "./_declare.ts";
import { halfTies32, ziv32 } from "./_dd.ts";
import { checkGradient, checkTensor, mapGradient, mapUnary, outputFor } from "./_elementwise.ts";
import { requireForward } from "./_module.ts";
import { type OutOption, resolveOptions } from "./_options.ts";
import { gateGrad, gateGradDD, mulSigmoid } from "./_scalars_smooth.ts";
import type { Module } from "./module.ts";
import type { Tensor } from "./tensor.ts";

/** The WebAssembly kernels of the forward pass. */
const KERNEL: KernelBinding = { name: "silu" };

/** Options of {@linkcode silu}. */
export type SiluOptions = OutOption;

/** x·σ(x); -∞ gives the limit -0 (x·σ(x) would be -∞·0 = NaN). */
function siluScalar(x: number): number {
  return x === -Infinity ? -0 : mulSigmoid(x, x);
}

/**
 * silu' for float32 storage: 1/2 + x/2 - x³/12 near 0 lands on float32 ties that only the x³
 * term breaks (see `ziv32`).
 */
const SILU_GRAD32 = ziv32(siluGrad, (v) => gateGradDD(v, 0, v, 0));

/** SiLU for float32 storage: x/2 + x²/4 near 0 (see `halfTies32`). */
const SILU32 = halfTies32(siluScalar);

/**
 * σ(x)·(1 + x·σ(-x)), with σ(-x) computed directly rather than as 1 - σ(x) and the bracket in
 * double-double, since it crosses zero at x ≈ -1.2785 (see `gateGrad`).
 */
function siluGrad(x: number): number {
  if (x !== x) return x;
  if (x === Infinity) return 1;
  if (x === -Infinity) return 0; // the limit; finite x round their negative values to -0
  return gateGrad(x, 0, x, 0);
}

/**
 * Applies SiLU `x·σ(x) = x / (1 + e^-x)` element-wise (PyTorch's `silu`, also known as swish).
 *
 * Within 1 ULP in float32 and 2 ULP in float64 everywhere: the negative tail keeps its
 * subnormals (silu(-740) is -3.1e-319 in float64, where PyTorch's float64 gives -0), silu(-∞) is
 * -0 (PyTorch gives NaN) and silu(∞) is ∞. NaN stays NaN.
 *
 * @example Usage
 * ```ts
 * import { silu, tensor } from "@nonlin/core";
 * import assert from "node:assert/strict";
 *
 * const y = silu(tensor([-Infinity, 0, Infinity, -1000], { dtype: "float64" })).toArray();
 * assert.deepEqual(y, [-0, 0, Infinity, -0]);
 * const [two] = silu(tensor([2], { dtype: "float64" })).toArray() as number[];
 * assert.ok(Math.abs(two - 2 / (1 + Math.exp(-2))) < 1e-15);
 * ```
 */
export function silu(x: Tensor, options: SiluOptions = {}): Tensor {
  checkTensor(x, "silu() argument x");
  const { out } = resolveOptions<SiluOptions>("silu", options, []);
  const f = x.dtype === "float32" ? SILU32 : siluScalar;
  return mapUnary(x, outputFor("silu", x, out), f, KERNEL);
}

/**
 * The gradient of SiLU from its input: `gradOutput · σ(x)·(1 + x·(1 - σ(x)))`. Its limits are
 * 1 at +∞ and 0 at -∞.
 *
 * @example Usage
 * ```ts
 * import { siluBackward, tensor } from "@nonlin/core";
 * import assert from "node:assert/strict";
 *
 * // silu'(0) = σ(0) = 0.5.
 * assert.deepEqual(siluBackward(tensor([2]), tensor([0])).toArray(), [1]);
 * ```
 */
export function siluBackward(gradOutput: Tensor, x: Tensor): Tensor {
  checkTensor(x, "siluBackward() argument x");
  const g = checkGradient("siluBackward", gradOutput, x);
  const d = x.dtype === "float32" ? SILU_GRAD32 : siluGrad;
  return mapGradient(g, x, (dy, v) => dy * d(v));
}

/**
 * The SiLU layer. Caches its input (the derivative needs σ(x), which the output alone does not
 * give exactly).
 *
 * @example Usage
 * ```ts
 * import { SiLU, tensor } from "@nonlin/core";
 * import assert from "node:assert/strict";
 *
 * const layer = new SiLU();
 * assert.deepEqual(layer.forward(tensor([0])).toArray(), [0]);
 * assert.deepEqual(layer.backward(tensor([4])).toArray(), [2]);
 * ```
 */
export class SiLU implements Module {
  #x?: Tensor;

  /** Applies {@linkcode silu} and caches the input. */
  forward(x: Tensor): Tensor {
    const y = silu(x);
    this.#x = x;
    return y;
  }

  /** Returns dL/dx for the last forward call. */
  backward(gradOutput: Tensor): Tensor {
    return siluBackward(gradOutput, requireForward(this.#x, "SiLU"));
  }
}

defineActivation({
  name: "silu",
  className: "SiLU",
  title: "Sigmoid Linear Unit (swish)",
  summary:
    "x gated by its own sigmoid: a smooth, non-monotonic ReLU (EfficientNet, LLaMA's SwiGLU).",
  family: "smooth",
  aliases: ["swish"],
  references: [
    {
      authors: "Hendrycks and Gimpel",
      year: 2016,
      title: "Gaussian Error Linear Units (GELUs)",
      url: "https://arxiv.org/abs/1606.08415",
    },
    {
      authors: "Elfwing, Uchibe and Doya",
      year: 2017,
      title:
        "Sigmoid-Weighted Linear Units for Neural Network Function Approximation in Reinforcement Learning",
      url: "https://arxiv.org/abs/1702.03118",
    },
    {
      authors: "Ramachandran, Zoph and Le",
      year: 2017,
      title: "Searching for Activation Functions",
      url: "https://arxiv.org/abs/1710.05941",
    },
  ],
  kind: "elementwise",
  options: NO_OPTIONS,
  formula: {
    f: String.raw`x\,\sigma(x) = \frac{x}{1 + e^{-x}}`,
    df: String.raw`\sigma(x)\,\bigl(1 + x\,(1 - \sigma(x))\bigr)`,
  },
  range: "[-0.28, ∞)",
  properties: { monotonic: false, zeroCentred: false, smooth: true, bounded: false },
  cost: { transcendental: 1, arithmetic: 12 },
  caches: "input",
  shape: ELEMENTWISE,
  kernel: KERNEL,
  forward: (x, o) => silu(x, o),
  backward: (dy, x) => siluBackward(dy, x),
  create: () => new SiLU(),
  naive: (x) => x / (1 + Math.exp(-x)),
});
