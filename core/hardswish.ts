/**
 * Hardswish: `x · hardsigmoid(x)`, the piecewise-quadratic swish of MobileNetV3.
 *
 * @module
 */

import { ELEMENTWISE, type KernelBinding, NO_OPTIONS } from "./activation.ts";
import { defineActivation } from "./_declare.ts";
import { halfTies32, prodError, sumError } from "./_dd.ts";
import { checkGradient, checkTensor, mapGradient, mapUnary, outputFor } from "./_elementwise.ts";
import { requireForward } from "./_module.ts";
import { type OutOption, resolveOptions } from "./_options.ts";
import type { Module } from "./module.ts";
import type { Tensor } from "./tensor.ts";

/** The WebAssembly kernels of the forward pass. */
const KERNEL: KernelBinding = { name: "hardswish" };

/** Options of {@linkcode hardswish}. */
export type HardswishOptions = OutOption;

const TWO_M100 = 2 ** -100;

/**
 * hardswish of one number. Outside (-3, 3) there is no arithmetic at all, so nothing overflows
 * at float max. Inside, x·(x + 3)/6 is formed in double-double (the sum, the product and the
 * quotient each corrected by its exact rounding error); near 0, where the splitting of
 * `prodError` would underflow, the polynomial x/2 + x²/6 is evaluated directly.
 */
function hardswishScalar(v: number): number {
  if (v <= -3) return -0; // x·relu6(x + 3)/6 = x·0 carries the sign of x, as in PyTorch
  if (v >= 3) return v;
  if (v !== v) return v;
  if (Math.abs(v) < TWO_M100) {
    if (v === 0) return v;
    // x²/6 underflows for subnormal x, where halving can land on a tie: the exact value lies
    // just above x/2, so a half rounded down moves up one subnormal step.
    let h = 0.5 * v + (v * v) / 6;
    if (2 * h < v) h += 5e-324;
    return h === 0 ? v * 0 : h; // -0 for a negative x whose value rounds to zero
  }
  const s = v + 3, se = sumError(v, 3, s);
  const p = v * s, pe = prodError(v, s, p) + v * se;
  const q = p / 6, m = 6 * q;
  return q + ((p - m) - prodError(6, q, m) + pe) / 6;
}

/** Hardswish for float32 storage (see `halfTies32`). */
const HARDSWISH32 = halfTies32(hardswishScalar);

/**
 * Applies Hardswish element-wise: 0 for `x ≤ -3`, `x` for `x ≥ 3`, `x·(x + 3)/6` between.
 *
 * Correctly rounded in float64 (barring ties), within 1 ULP in float32, and finite everywhere
 * PyTorch is not: hardswish(-∞) = 0 (PyTorch: NaN) and the float32 maximum maps to itself
 * (`x·(x + 3)` would overflow). NaN stays NaN, -0 stays -0, and the zeros below -3 are -0 (x·0, as in PyTorch).
 *
 * @example Usage
 * ```ts
 * import { hardswish, tensor } from "@nonlin/core";
 * import assert from "node:assert/strict";
 *
 * const y = hardswish(tensor([-Infinity, -1.5, 0, 1.5, 4]));
 * assert.deepEqual(y.toArray(), [-0, -0.375, 0, 1.125, 4]);
 * assert.deepEqual(hardswish(tensor([3.4028234663852886e38])).toArray(), [3.4028234663852886e38]);
 * ```
 */
export function hardswish(x: Tensor, options: HardswishOptions = {}): Tensor {
  checkTensor(x, "hardswish() argument x");
  const { out } = resolveOptions<HardswishOptions>("hardswish", options, []);
  const f = x.dtype === "float32" ? HARDSWISH32 : hardswishScalar;
  return mapUnary(x, outputFor("hardswish", x, out), f, KERNEL);
}

/**
 * The gradient of Hardswish from its input, with PyTorch's conventions at the kinks: 0 for
 * `x < -3`, `(2x + 3)/6 · gradOutput` for `-3 ≤ x ≤ 3` (so -1/2 at -3 and 3/2 at 3), and
 * `gradOutput` above 3. NaN where `x` is NaN.
 *
 * @example Usage
 * ```ts
 * import { hardswishBackward, tensor } from "@nonlin/core";
 * import assert from "node:assert/strict";
 *
 * const g = hardswishBackward(tensor([2, 2, 2, 2, 2]), tensor([-4, -3, 0, 3, 4]));
 * assert.deepEqual(g.toArray(), [0, -1, 1, 3, 2]);
 * ```
 */
export function hardswishBackward(gradOutput: Tensor, x: Tensor): Tensor {
  checkTensor(x, "hardswishBackward() argument x");
  const g = checkGradient("hardswishBackward", gradOutput, x);
  // 2x + 3 is exact for x in [-3, -0.75], where (2x + 3)/6 crosses 0; x/3 + 1/2 would cancel.
  return mapGradient(
    g,
    x,
    (dy, v) => (v < -3 ? 0 : v <= 3 ? dy * ((2 * v + 3) / 6) : v > 3 ? dy : v),
  );
}

/**
 * The Hardswish layer. Caches its input for the backward pass.
 *
 * @example Usage
 * ```ts
 * import { Hardswish, tensor } from "@nonlin/core";
 * import assert from "node:assert/strict";
 *
 * const layer = new Hardswish();
 * assert.deepEqual(layer.forward(tensor([-4, 0, 4])).toArray(), [-0, 0, 4]);
 * assert.deepEqual(layer.backward(tensor([2, 2, 2])).toArray(), [0, 1, 2]);
 * ```
 */
export class Hardswish implements Module {
  #x?: Tensor;

  /** Applies {@linkcode hardswish} and caches the input. */
  forward(x: Tensor): Tensor {
    const y = hardswish(x);
    this.#x = x;
    return y;
  }

  /** Returns dL/dx for the last forward call. */
  backward(gradOutput: Tensor): Tensor {
    return hardswishBackward(gradOutput, requireForward(this.#x, "Hardswish"));
  }
}

defineActivation({
  name: "hardswish",
  className: "Hardswish",
  title: "Hard swish",
  summary: "x times the hard sigmoid: SiLU's shape without exponentials (MobileNetV3).",
  family: "smooth",
  aliases: ["h-swish"],
  references: [
    {
      authors: "Howard et al.",
      year: 2019,
      title: "Searching for MobileNetV3",
      url: "https://arxiv.org/abs/1905.02244",
    },
  ],
  kind: "elementwise",
  options: NO_OPTIONS,
  formula: {
    f: String.raw`x \cdot \frac{\min(\max(x + 3, 0), 6)}{6}`,
    df: String
      .raw`\begin{cases} 0 & x < -3 \\ \frac{2x + 3}{6} & -3 \le x \le 3 \\ 1 & x > 3 \end{cases}`,
  },
  range: "[-0.375, ∞)",
  properties: { monotonic: false, zeroCentred: false, smooth: false, bounded: false },
  cost: { transcendental: 0, arithmetic: 45 },
  caches: "input",
  shape: ELEMENTWISE,
  kernel: KERNEL,
  forward: (x, o) => hardswish(x, o),
  backward: (dy, x) => hardswishBackward(dy, x),
  create: () => new Hardswish(),
  naive: (x) => (x * Math.min(Math.max(x + 3, 0), 6)) / 6,
});
