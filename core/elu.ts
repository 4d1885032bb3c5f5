/**
 * ELU, the exponential linear unit: `x` for positive inputs, `alpha · (e^x - 1)` otherwise.
 *
 * @module
 */

import { ELEMENTWISE, type KernelBinding } from "./activation.ts";
import { defineActivation } from "./_declare.ts";
import { checkGradient, checkTensor, mapGradient, mapUnary, outputFor } from "./_elementwise.ts";
import { ddMul, nudge32 } from "./_dd.ts";
import { expm1DD } from "./_exp.ts";
import { requireForward } from "./_module.ts";
import { mulExp } from "./_scalars_smooth.ts";
import { type OptionSpec, type OutOption, resolveOptions } from "./_options.ts";
import { show } from "./_shape.ts";
import type { Module } from "./module.ts";
import type { Tensor } from "./tensor.ts";

/** The WebAssembly kernels of the forward pass. */
const KERNEL: KernelBinding = { name: "elu", params: ["alpha"] };

/** ELU's `alpha`. */
const ELU_OPTIONS: readonly OptionSpec[] = [{
  name: "alpha",
  kind: "number",
  min: 0,
  default: 1,
  description: "finite; ELU saturates to -alpha as x → -∞",
}];

/** Options of {@linkcode elu}. */
export interface EluOptions extends OutOption {
  /**
   * Scale of the negative part, a finite number ≥ 0; ELU tends to -alpha at -∞.
   * @default {1}
   */
  alpha?: number;
}

function resolve(fn: string, options: unknown, extra?: readonly string[]): Required<EluOptions> {
  const o = resolveOptions<Required<EluOptions>>(fn, options, ELU_OPTIONS, extra);
  if (!Number.isFinite(o.alpha)) {
    throw new RangeError(
      `Cannot use ${fn}() option alpha ${show(o.alpha)}: expected a finite number ≥ 0`,
    );
  }
  return o;
}

/**
 * Applies ELU `x > 0 ? x : alpha · (e^x - 1)` element-wise.
 *
 * `e^x - 1` is computed as `Math.expm1(x)`, which keeps full relative accuracy near 0, where
 * `Math.exp(x) - 1` cancels (elu(-1e-10) is -9.999999999500001e-11, not -1.000000082740371e-10).
 * Within 2 ULP in float64 and 1 ULP in float32; elu(-∞) = -alpha, NaN stays NaN, -0 stays -0.
 *
 * @example Usage
 * ```ts
 * import { elu, tensor } from "@nonlin/core";
 * import assert from "node:assert/strict";
 *
 * const x = tensor([-1000, 0, 2], { dtype: "float64" });
 * assert.deepEqual(elu(x).toArray(), [-1, 0, 2]);
 * assert.deepEqual(elu(x, { alpha: 0.5 }).toArray(), [-0.5, 0, 2]);
 * ```
 */
export function elu(x: Tensor, options: EluOptions = {}): Tensor {
  checkTensor(x, "elu() argument x");
  const { alpha, out } = resolve("elu", options);
  return mapUnary(x, outputFor("elu", x, out), eluScalar(alpha, x.dtype === "float32"), KERNEL, {
    alpha,
  });
}

/**
 * elu of one number, rounded once for the dtype stored: α·expm1(x) with expm1 and the product in
 * double-double (α times a rounded Math.expm1 is two roundings and expm1's own error), and for
 * float32 through `nudge32`, since α·expm1(x) can land exactly halfway between two float32
 * numbers (α = 0.5 at an odd subnormal x).
 */
function eluScalar(alpha: number, float32: boolean): (v: number) => number {
  return (v) => {
    if (!(v < 0)) return v; // x > 0, ±0 and NaN
    if (Math.abs(alpha) > 2 ** 900 || alpha === 0) return alpha * Math.expm1(v);
    const p = ddMul({ hi: alpha, lo: 0 }, expm1DD(v));
    const r = float32 ? nudge32(p.hi, p.lo) : p.hi + p.lo;
    return r === 0 ? alpha * -0 : r; // a vanishing value keeps its sign (-0 + 0 would be +0)
  };
}

/**
 * The gradient of ELU from its input: `gradOutput` where `x > 0`, `alpha · e^x · gradOutput`
 * where `x ≤ 0` (PyTorch's convention: the negative branch at 0, so elu'(0) = alpha), NaN where
 * `x` is NaN.
 *
 * @example Usage
 * ```ts
 * import { eluBackward, tensor } from "@nonlin/core";
 * import assert from "node:assert/strict";
 *
 * const g = eluBackward(tensor([2, 2, 2]), tensor([-Infinity, 0, 1]), { alpha: 0.5 });
 * assert.deepEqual(g.toArray(), [0, 1, 2]);
 * ```
 */
export function eluBackward(
  gradOutput: Tensor,
  x: Tensor,
  options: Omit<EluOptions, "out"> = {},
): Tensor {
  checkTensor(x, "eluBackward() argument x");
  const g = checkGradient("eluBackward", gradOutput, x);
  const { alpha } = resolve("eluBackward", options, []);
  // α·e^x rounded once (subnormals included), not α times a rounded e^x.
  return mapGradient(g, x, (dy, v) => (v > 0 ? dy : v !== v ? v : dy * mulExp(alpha, v)));
}

/**
 * The ELU layer. Caches its input: the derivative from the output, `y + alpha`, would cancel
 * in the far negative tail.
 *
 * @example Usage
 * ```ts
 * import { ELU, tensor } from "@nonlin/core";
 * import assert from "node:assert/strict";
 *
 * const layer = new ELU({ alpha: 2 });
 * assert.deepEqual(layer.forward(tensor([-Infinity, 3])).toArray(), [-2, 3]);
 * assert.deepEqual(layer.backward(tensor([1, 1])).toArray(), [0, 1]);
 * ```
 */
export class ELU implements Module {
  #x?: Tensor;
  readonly #options: { alpha: number };

  /**
   * Creates an ELU layer.
   *
   * @param options The same `alpha` option as {@linkcode elu}.
   */
  constructor(options: Omit<EluOptions, "out"> = {}) {
    this.#options = { alpha: resolve("ELU", options, []).alpha };
  }

  /** Applies {@linkcode elu} and caches the input. */
  forward(x: Tensor): Tensor {
    const y = elu(x, this.#options);
    this.#x = x;
    return y;
  }

  /** Returns dL/dx for the last forward call. */
  backward(gradOutput: Tensor): Tensor {
    return eluBackward(gradOutput, requireForward(this.#x, "ELU"), this.#options);
  }
}

defineActivation({
  name: "elu",
  className: "ELU",
  title: "Exponential Linear Unit",
  summary: "Identity for positives, a smooth saturation to -alpha for negatives: mean " +
    "activations closer to zero than ReLU's.",
  family: "rectifier",
  references: [
    {
      authors: "Clevert, Unterthiner and Hochreiter",
      year: 2015,
      title: "Fast and Accurate Deep Network Learning by Exponential Linear Units (ELUs)",
      url: "https://arxiv.org/abs/1511.07289",
    },
  ],
  kind: "elementwise",
  options: ELU_OPTIONS,
  formula: {
    f: String.raw`\begin{cases} x & x > 0 \\ \alpha\,(e^{x} - 1) & x \le 0 \end{cases}`,
    df: String.raw`\begin{cases} 1 & x > 0 \\ \alpha\,e^{x} & x \le 0 \end{cases}`,
  },
  range: "(-α, ∞)",
  properties: { monotonic: true, zeroCentred: true, smooth: false, bounded: false },
  cost: { transcendental: 1, arithmetic: 2 },
  caches: "input",
  shape: ELEMENTWISE,
  kernel: KERNEL,
  forward: (x, o) => elu(x, o),
  backward: (dy, x, o) => eluBackward(dy, x, o),
  create: (o) => new ELU(o),
  naive: (x, o) => (x > 0 ? x : ((o?.alpha as number) ?? 1) * (Math.exp(x) - 1)),
});
