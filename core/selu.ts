/**
 * SELU, the scaled exponential linear unit: `scale · elu(x, alpha)` with the two constants that
 * make deep networks self-normalising.
 *
 * @module
 */

import { ELEMENTWISE, NO_OPTIONS } from "./activation.ts";
import { defineActivation } from "./_declare.ts";
import { ddMul, prodError } from "./_dd.ts";
import { expm1DD } from "./_exp.ts";
import { checkGradient, checkTensor, mapGradient, mapUnary, outputFor } from "./_elementwise.ts";
import { requireForward } from "./_module.ts";
import { mulExp } from "./_scalars_smooth.ts";
import { type OutOption, resolveOptions } from "./_options.ts";
import type { Module } from "./module.ts";
import type { Tensor } from "./tensor.ts";

/** Options of {@linkcode selu}. */
export type SeluOptions = OutOption;

// α = 1.6732632423543772848170429916717 and λ = 1.0507009873554804934193349852946 (PyTorch's).
const SELU_SCALE = 1.0507009873554805;

// λ and λ·α in double-double (the double nearest, then the rest), from the 32-digit constants:
// rounding either to one double alone costs up to half an ULP before the product rounds.
const SCALE_LO = 3.9874847667154144e-17;
const SA = 1.7580993408473768, SA_LO = 1.41535193800845e-17;
const TWO_M600 = 2 ** -600, TWO_600 = 2 ** 600, TWO_M30 = 2 ** -30;

/**
 * (hi + lo)·v for a double-double constant, nearly correctly rounded: the product with the high
 * part plus its exact error plus the low part's product. Above 2^995 the splitting inside
 * `prodError` would overflow, so v is scaled down first (the result then overflows to ∞
 * exactly when it should).
 */
function mulDD(hi: number, lo: number, v: number): number {
  if (v > 1e300) return mulDD(hi, lo, v * TWO_M600) * TWO_600;
  const p = hi * v;
  return p + (prodError(hi, v, p) + lo * v);
}

/** selu of one number: λ·x, or λα·expm1(x) with only expm1's error before the rounding. */
function seluScalar(v: number): number {
  if (v > 0) return v === Infinity ? v : mulDD(SELU_SCALE, SCALE_LO, v);
  if (v === 0 || v !== v) return v; // keeps the sign of -0, which the error terms would lose
  // Near 0 expm1(v) rounds to v or its neighbour exactly enough; beyond, its double-double
  // keeps the product to one rounding (Math.expm1 alone is up to an ULP off).
  if (v > -TWO_M30) return mulDD(SA, SA_LO, Math.expm1(v));
  const r = ddMul({ hi: SA, lo: SA_LO }, expm1DD(v));
  return r.hi + r.lo;
}

/**
 * Applies SELU `λ · (x > 0 ? x : α · (e^x - 1))` element-wise, with PyTorch's constants
 * α = 1.6732632423543772848170429916717 and λ = 1.0507009873554804934193349852946.
 *
 * More accurate than the textbook form: `e^x - 1` uses `Math.expm1` (no cancellation near 0),
 * and λ and λ·α are carried in double-double, so the result is within 2 ULP in float64 of the
 * exact value for the 32-digit constants, and within 1 ULP in float32. selu(-∞) = -λα, NaN
 * stays NaN.
 *
 * @example Usage
 * ```ts
 * import { selu, tensor } from "@nonlin/core";
 * import assert from "node:assert/strict";
 *
 * const [a, b, c] = selu(tensor([-Infinity, 0, 1], { dtype: "float64" })).toArray() as number[];
 * assert.equal(a, -1.7580993408473768);
 * assert.equal(b, 0);
 * assert.equal(c, 1.0507009873554805);
 * ```
 */
export function selu(x: Tensor, options: SeluOptions = {}): Tensor {
  checkTensor(x, "selu() argument x");
  const { out } = resolveOptions<SeluOptions>("selu", options, []);
  return mapUnary(x, outputFor("selu", x, out), seluScalar);
}

/**
 * The gradient of SELU from its input: `λ · gradOutput` where `x > 0`, `λα · e^x ·
 * gradOutput` where `x ≤ 0` (PyTorch's convention: the negative branch at 0, so
 * selu'(0) = λα), NaN where `x` is NaN.
 *
 * @example Usage
 * ```ts
 * import { seluBackward, tensor } from "@nonlin/core";
 * import assert from "node:assert/strict";
 *
 * const x = tensor([-Infinity, 0, 1], { dtype: "float64" });
 * const g = seluBackward(tensor([1, 1, 1]), x).toArray();
 * assert.deepEqual(g, [0, 1.7580993408473768, 1.0507009873554805]);
 * ```
 */
export function seluBackward(gradOutput: Tensor, x: Tensor): Tensor {
  checkTensor(x, "seluBackward() argument x");
  const g = checkGradient("seluBackward", gradOutput, x);
  // λα·e^x with λα in double-double, rounded once (subnormals included).
  return mapGradient(
    g,
    x,
    (dy, v) => (v > 0 ? dy * SELU_SCALE : v !== v ? v : dy * mulExp(SA, v, 0, SA_LO)),
  );
}

/**
 * The SELU layer. Caches its input: the derivative from the output, `y + λα`, would cancel in
 * the far negative tail.
 *
 * @example Usage
 * ```ts
 * import { SELU, tensor } from "@nonlin/core";
 * import assert from "node:assert/strict";
 *
 * const layer = new SELU();
 * assert.deepEqual(layer.forward(tensor([0], { dtype: "float64" })).toArray(), [0]);
 * const dy = tensor([1], { dtype: "float64" });
 * assert.deepEqual(layer.backward(dy).toArray(), [1.7580993408473768]);
 * ```
 */
export class SELU implements Module {
  #x?: Tensor;

  /** Applies {@linkcode selu} and caches the input. */
  forward(x: Tensor): Tensor {
    const y = selu(x);
    this.#x = x;
    return y;
  }

  /** Returns dL/dx for the last forward call. */
  backward(gradOutput: Tensor): Tensor {
    return seluBackward(gradOutput, requireForward(this.#x, "SELU"));
  }
}

defineActivation({
  name: "selu",
  className: "SELU",
  title: "Scaled Exponential Linear Unit",
  summary: "ELU scaled by fixed constants that keep activations at zero mean and unit " +
    "variance through deep plain networks (self-normalising).",
  family: "rectifier",
  references: [
    {
      authors: "Klambauer, Unterthiner, Mayr and Hochreiter",
      year: 2017,
      title: "Self-Normalizing Neural Networks",
      url: "https://arxiv.org/abs/1706.02515",
    },
  ],
  kind: "elementwise",
  options: NO_OPTIONS,
  formula: {
    f: String
      .raw`\lambda \begin{cases} x & x > 0 \\ \alpha\,(e^{x} - 1) & x \le 0 \end{cases}, \; \alpha \approx 1.6733, \; \lambda \approx 1.0507`,
    df: String.raw`\lambda \begin{cases} 1 & x > 0 \\ \alpha\,e^{x} & x \le 0 \end{cases}`,
  },
  range: "(-λα, ∞) ≈ (-1.7581, ∞)",
  properties: { monotonic: true, zeroCentred: true, smooth: false, bounded: false },
  cost: { transcendental: 1, arithmetic: 20 },
  caches: "input",
  shape: ELEMENTWISE,
  forward: (x, o) => selu(x, o),
  backward: (dy, x) => seluBackward(dy, x),
  create: () => new SELU(),
  naive: (x) => (x > 0 ? SELU_SCALE * x : SA * (Math.exp(x) - 1)),
});
