/**
 * Mish, the self-regularised non-monotonic activation `x·tanh(softplus(x))`.
 *
 * @module
 */

import { ELEMENTWISE, type KernelBinding, NO_OPTIONS } from "./activation.ts";
import { defineActivation } from "./_declare.ts";
import { type DD, ddAdd, ddDiv, ddMul, sumError } from "./_dd.ts";
import { expSplit, expSplitDD, ldexp, type Split } from "./_exp.ts";
import { checkGradient, checkTensor, mapGradient, mapUnary, outputFor } from "./_elementwise.ts";
import { requireForward } from "./_module.ts";
import { type OutOption, resolveOptions } from "./_options.ts";
import { mulExp } from "./_scalars_smooth.ts";
import type { Module } from "./module.ts";
import type { Tensor } from "./tensor.ts";

/** The WebAssembly kernels of the forward pass. */
const KERNEL: KernelBinding = { name: "mish" };

/** Options of {@linkcode mish}. */
export type MishOptions = OutOption;

/**
 * x·tanh(log(1 + e^x)) without tanh or log: with e = e^x, tanh(log(1 + e)) is
 * e(e + 2) / (e(e + 2) + 2), and with t = e^-x it is (1 + 2t) / (1 + 2t + 2t²). The first form
 * serves x < 0 and the second x ≥ 0, so nothing overflows and nothing cancels; numerator and
 * denominator are carried in double-double and divided once. Below x = -40 the ratio is e^x to
 * within 2^-57 and mish is x·e^x, down to subnormals; above 40 it is x.
 */
function mishScalar(x: number): number {
  if (x === 0 || x !== x) return x;
  if (x > 40) return x;
  if (x < -40) return x === -Infinity ? -0 : mulExp(x, x);
  // e^-|x| in double-double: a rounded exponential would cost up to an ULP of the ratio.
  const s = expSplit(-Math.abs(x), 0, scratch);
  const e: DD = { hi: ldexp(s.hi, s.k), lo: ldexp(s.lo, s.k) };
  let n: DD, d: DD;
  if (x > 0) {
    n = ddAdd(ONE, ddMul(TWO, e));
    d = ddAdd(n, ddMul(TWO, ddMul(e, e)));
  } else {
    n = ddMul(e, ddAdd(e, TWO));
    d = ddAdd(n, TWO);
  }
  const r = ddDiv(ddMul({ hi: x, lo: 0 }, n), d);
  return r.hi + r.lo;
}

/**
 * tanh(sp) + x·σ(x)·sech²(sp) with sp = softplus(x), in the same rational forms:
 * with e = e^x, n = e(e + 2) and d = n + 2 it is (n·d + 4x·e(1 + e)) / d²; with t = e^-x,
 * N = 1 + 2t and D = N + 2t² it is (N·D + 4x·t²(1 + t)) / D². Everything is carried in
 * double-double: the numerator crosses zero at x ≈ -1.1924. Below x = -40 it is e^x·(1 + x)
 * to within 2^-57, rounded once into subnormals; above 40 it is 1.
 */
function mishGrad(x: number): number {
  if (x !== x) return x;
  if (x > 40) return 1;
  if (x < -40) return x === -Infinity ? 0 : mulExp(1 + x, x, 0, sumError(1, x, 1 + x));
  // e^-|x| to 2^-64, or to 2^-102 beside the zero near -1.1924, where the numerator cancels.
  const s = x > -1.3 && x < -1.1
    ? expSplitDD(-Math.abs(x), 0, scratch)
    : expSplit(-Math.abs(x), 0, scratch);
  const e: DD = { hi: ldexp(s.hi, s.k), lo: ldexp(s.lo, s.k) };
  const FOUR_X: DD = { hi: 4 * x, lo: 0 };
  let num: DD, den: DD;
  if (x < 0) {
    const n = ddMul(e, ddAdd(e, TWO)), d = ddAdd(n, TWO);
    num = ddAdd(ddMul(n, d), ddMul(FOUR_X, ddMul(e, ddAdd(ONE, e))));
    den = ddMul(d, d);
  } else {
    const t2 = ddMul(e, e), n = ddAdd(ONE, ddMul(TWO, e)), d = ddAdd(n, ddMul(TWO, t2));
    num = ddAdd(ddMul(n, d), ddMul(FOUR_X, ddMul(t2, ddAdd(ONE, e))));
    den = ddMul(d, d);
  }
  const r = ddDiv(num, den);
  return r.hi + r.lo;
}

const ONE: DD = { hi: 1, lo: 0 };
const TWO: DD = { hi: 2, lo: 0 };
const scratch: Split = { hi: 0, lo: 0, k: 0 };

/**
 * Applies Mish `x·tanh(softplus(x)) = x·tanh(log(1 + e^x))` element-wise.
 *
 * Within 1 ULP in float32 and 2 ULP in float64 everywhere: for very negative x, mish(x) ≈ x·e^x
 * keeps its subnormals instead of rounding to -0, mish(-∞) is -0 (PyTorch gives NaN) and
 * mish(∞) is ∞. NaN stays NaN.
 *
 * @example Usage
 * ```ts
 * import { mish, tensor } from "@nonlin/core";
 * import assert from "node:assert/strict";
 *
 * const y = mish(tensor([-Infinity, 0, 50, Infinity])).toArray();
 * assert.deepEqual(y, [-0, 0, 50, Infinity]);
 * const [tail] = mish(tensor([-740], { dtype: "float64" })).toArray() as number[];
 * assert.ok(tail < 0); // -740·e^-740, a subnormal
 * ```
 */
export function mish(x: Tensor, options: MishOptions = {}): Tensor {
  checkTensor(x, "mish() argument x");
  const { out } = resolveOptions<MishOptions>("mish", options, []);
  return mapUnary(x, outputFor("mish", x, out), mishScalar, KERNEL);
}

/**
 * The gradient of Mish from its input:
 * `gradOutput · (tanh(sp) + x·σ(x)·(1 - tanh²(sp)))` with `sp = softplus(x)`. Its limits are
 * 1 at +∞ and 0 at -∞.
 *
 * @example Usage
 * ```ts
 * import { mishBackward, tensor } from "@nonlin/core";
 * import assert from "node:assert/strict";
 *
 * // mish'(0) = tanh(log 2) = 0.6.
 * const [g] = mishBackward(tensor([1], { dtype: "float64" }), tensor([0], { dtype: "float64" }))
 *   .toArray() as number[];
 * assert.ok(Math.abs(g - 0.6) < 1e-15);
 * ```
 */
export function mishBackward(gradOutput: Tensor, x: Tensor): Tensor {
  checkTensor(x, "mishBackward() argument x");
  const g = checkGradient("mishBackward", gradOutput, x);
  return mapGradient(g, x, (dy, v) => dy * mishGrad(v));
}

/**
 * The Mish layer. Caches its input.
 *
 * @example Usage
 * ```ts
 * import { Mish, tensor } from "@nonlin/core";
 * import assert from "node:assert/strict";
 *
 * const layer = new Mish();
 * assert.deepEqual(layer.forward(tensor([0, 100])).toArray(), [0, 100]);
 * assert.deepEqual(layer.backward(tensor([1, 1])).toArray(), [Math.fround(0.6), 1]);
 * ```
 */
export class Mish implements Module {
  #x?: Tensor;

  /** Applies {@linkcode mish} and caches the input. */
  forward(x: Tensor): Tensor {
    const y = mish(x);
    this.#x = x;
    return y;
  }

  /** Returns dL/dx for the last forward call. */
  backward(gradOutput: Tensor): Tensor {
    return mishBackward(gradOutput, requireForward(this.#x, "Mish"));
  }
}

defineActivation({
  name: "mish",
  className: "Mish",
  title: "Mish",
  summary: "x·tanh(softplus(x)): a smooth, self-regularised ReLU alternative (YOLOv4).",
  family: "smooth",
  references: [
    {
      authors: "Misra",
      year: 2019,
      title: "Mish: A Self Regularized Non-Monotonic Activation Function",
      url: "https://arxiv.org/abs/1908.08681",
    },
  ],
  kind: "elementwise",
  options: NO_OPTIONS,
  formula: {
    f: String.raw`x \tanh\bigl(\log(1 + e^{x})\bigr)`,
    df: String
      .raw`\tanh(\operatorname{sp}(x)) + x\,\sigma(x)\,\operatorname{sech}^2(\operatorname{sp}(x))`,
  },
  range: "[-0.31, ∞)",
  properties: { monotonic: false, zeroCentred: false, smooth: true, bounded: false },
  cost: { transcendental: 1, arithmetic: 20 },
  caches: "input",
  shape: ELEMENTWISE,
  kernel: KERNEL,
  forward: (x, o) => mish(x, o),
  backward: (dy, x) => mishBackward(dy, x),
  create: () => new Mish(),
  naive: (x) => x * Math.tanh(Math.log(1 + Math.exp(x))),
});
