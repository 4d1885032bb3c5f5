/**
 * GELU, the Gaussian error linear unit `x·Φ(x)`, exact or in one of its two approximations.
 *
 * @module
 */

import { prodError, sumError } from "./_dd.ts";
import { checkGradient, checkTensor, mapGradient, mapUnary, outputFor } from "./_elementwise.ts";
import { erf, ERF_LARGE, ERF_MID, erfc, erfcTailLog, highPart } from "./_erf.ts";
import { requireForward } from "./_module.ts";
import { type OutOption, resolveOptions } from "./_options.ts";
import { expAccurate, mulSigmoid } from "./_exp.ts";
import { sigmoidScalar } from "./_scalars.ts";
import { GELU_OPTIONS } from "./_specs.ts";
import type { Module } from "./module.ts";
import type { Tensor } from "./tensor.ts";

/** Which GELU to compute. */
export type GeluApproximate = "none" | "tanh" | "sigmoid";

/** Options of {@linkcode gelu}. */
export interface GeluOptions extends OutOption {
  /**
   * `"none"`: the exact `x·Φ(x)` with erf; `"tanh"`: `0.5x(1 + tanh(√(2/π)(x + 0.044715x³)))`
   * as PyTorch's `approximate="tanh"`; `"sigmoid"`: `x·σ(1.702x)`, the course's form (1.702 is a
   * fitted constant, not derived from √(2/π)).
   * @default {"none"}
   */
  approximate?: GeluApproximate;
}

// Constants split into a double and its rounding error, for arguments carried in double-double.
const INV_SQRT2 = 0.7071067811865476, INV_SQRT2_LO = -4.833646656726457e-17;
const LN_SQRT2 = 0.34657359027997264;
const TWO_OVER_SQRT_PI = 1.1283791670955126;
const INV_SQRT_2PI = 0.3989422804014327;
const C = 0.7978845608028654, C_LO = -4.98465440455546e-17; // √(2/π)
const K = 0.044715, K_LO = 2.1960211427085595e-18;
const A = 1.702, A_LO = 4.263256414560601e-17;

/**
 * f(x) for |x| < 1e-300 of a GELU form: f(x) = x/2 + c·x² with c > 0 to double precision, so
 * x/2 is right unless it is a tie between two subnormals, which c·x² then breaks upwards.
 */
function tinyGelu(x: number): number {
  const h = 0.5 * x;
  if (h * 2 === x) return h;
  return (x + 5e-324) * 0.5 || -0;
}

/**
 * x·Φ(x) = 0.5·x·erfc(-x/√2) in float64.
 *
 * The argument x/√2 is carried in double-double and erf/erfc are corrected to first order for
 * its low part: in the negative tail erfc's condition number grows like 2t², so a rounded t
 * would cost hundreds of ULP. Beyond |t| = 1.25 the tail is rewritten so that no quotient by t
 * remains: 0.5·x·exp(-t² - 0.5625 + R/S)/t = -exp(-x²/2 - 0.5625 + R/S - ln√2), with x²/2
 * split exactly (see `highPart`).
 */
function geluExactScalar(x: number): number {
  if (x !== x) return x;
  if (Math.abs(x) < 1e-300) return tinyGelu(x);
  if (x >= 0) {
    if (x > 40) return x; // Φ(x) rounds to 1; also keeps the split below from overflowing
    const th = x * INV_SQRT2, tl = prodError(x, INV_SQRT2, th) + x * INV_SQRT2_LO;
    const e = erf(th) + tl * TWO_OVER_SQRT_PI * Math.exp(-th * th);
    return 0.5 * x * (1 + e);
  }
  const ah = -x * INV_SQRT2;
  if (ah < ERF_MID) {
    const al = prodError(-x, INV_SQRT2, ah) - x * INV_SQRT2_LO;
    return 0.5 * x * (erfc(ah) - al * TWO_OVER_SQRT_PI * Math.exp(-ah * ah));
  }
  if (ah >= ERF_LARGE) return -0;
  const z = highPart(x);
  const big = -0.5 * z * z - 0.5625; // exact: z has 21 significant bits
  const small = -0.5 * (x - z) * (x + z) + erfcTailLog(ah) - LN_SQRT2;
  const h = big + small;
  return -expAccurate(h, sumError(big, small, h));
}

/** d/dx x·Φ(x) = Φ(x) + x·φ(x). */
function geluExactGrad(x: number): number {
  if (x === Infinity) return 1;
  if (x === -Infinity) return 0;
  return 0.5 * erfc(-x * INV_SQRT2) + x * INV_SQRT_2PI * Math.exp(-0.5 * x * x);
}

/**
 * x·σ(2u), u = √(2/π)(x + 0.044715x³): the same value as 0.5x(1 + tanh u) without the
 * cancellation of 1 + tanh u for negative x. The argument 2u is formed in double-double because
 * σ's condition number grows like |2u| in the tail.
 */
function geluTanhScalar(x: number): number {
  if (!(x > -40)) return x !== x ? x : -0; // below -40 the value underflows to -0
  if (x > 40) return x; // σ(2u) rounds to 1 long before
  if (Math.abs(x) < 1e-300) return tinyGelu(x);
  const x2 = x * x, x2e = prodError(x, x, x2);
  const x3 = x2 * x, x3e = prodError(x2, x, x3) + x2e * x;
  const p = K * x3, pe = prodError(K, x3, p) + K * x3e + K_LO * x3;
  const s = x + p, se = sumError(x, p, s) + pe;
  const vh = 2 * C * s, vl = prodError(2 * C, s, vh) + 2 * C * se + 2 * C_LO * s;
  return mulSigmoid(x, vh, vl);
}

/** σ(2u) + 2x·σ(2u)(1 − σ(2u))·√(2/π)(1 + 3·0.044715x²). */
function geluTanhGrad(x: number): number {
  if (!(Math.abs(x) <= 40)) return x !== x ? x : x > 0 ? 1 : 0;
  const s = sigmoidScalar(2 * C * (x + K * x * x * x));
  return s + 2 * x * s * (1 - s) * C * (1 + 3 * K * x * x);
}

/** x·σ(1.702x) with 1.702x in double-double (σ's condition number grows like |1.702x|). */
function geluSigmoidScalar(x: number): number {
  if (!(x > -450)) return x !== x ? x : -0;
  if (x > 40) return x;
  if (Math.abs(x) < 1e-300) return tinyGelu(x);
  const vh = A * x, vl = prodError(A, x, vh) + A_LO * x;
  return mulSigmoid(x, vh, vl);
}

/** σ(1.702x) + 1.702x·σ(1 − σ). */
function geluSigmoidGrad(x: number): number {
  if (!(Math.abs(x) <= 450)) return x !== x ? x : x > 0 ? 1 : 0;
  const s = sigmoidScalar(A * x);
  return s + A * x * s * (1 - s);
}

const FORWARD = { none: geluExactScalar, tanh: geluTanhScalar, sigmoid: geluSigmoidScalar };
const KERNEL = { none: "gelu", tanh: "geluTanh", sigmoid: "geluSigmoid" } as const;
const GRADIENT = { none: geluExactGrad, tanh: geluTanhGrad, sigmoid: geluSigmoidGrad };

/**
 * Applies GELU element-wise: exact `x·Φ(x)` by default, or an approximation.
 *
 * More accurate than PyTorch in the negative tail: gelu(-10) is -7.62e-23 (PyTorch gives -0),
 * gelu(-∞) is -0 (PyTorch gives NaN), and every finite input is within 1 ULP in float32 on the
 * reference path (2 ULP on the default SIMD kernels, see `setKernels`).
 *
 * @example Usage
 * ```ts
 * import { gelu, tensor } from "@nonlin/core";
 * import assert from "node:assert/strict";
 *
 * const x = tensor([-10, 0, 1], { dtype: "float64" });
 * const [a, b, c] = gelu(x).toArray() as number[];
 * assert.ok(Math.abs(a - -7.619853024160527e-23) < 1e-37);
 * assert.equal(b, 0);
 * assert.ok(Math.abs(c - 0.8413447460685429) < 1e-15);
 * const t = gelu(x, { approximate: "tanh" }).toArray() as number[];
 * assert.ok(Math.abs(t[2] - 0.8411919906082768) < 1e-15);
 * ```
 */
export function gelu(x: Tensor, options: GeluOptions = {}): Tensor {
  checkTensor(x, "gelu() argument x");
  const { approximate, out } = resolveOptions<Required<GeluOptions>>("gelu", options, GELU_OPTIONS);
  return mapUnary(x, outputFor("gelu", x, out), FORWARD[approximate], KERNEL[approximate]);
}

/**
 * The gradient of GELU from its input, for the same `approximate` form as the forward pass.
 *
 * @example Usage
 * ```ts
 * import { geluBackward, tensor } from "@nonlin/core";
 * import assert from "node:assert/strict";
 *
 * // GELU's slope at 0 is Φ(0) = 0.5 in every form.
 * assert.deepEqual(geluBackward(tensor([1]), tensor([0])).toArray(), [0.5]);
 * ```
 */
export function geluBackward(gradOutput: Tensor, x: Tensor, options: GeluOptions = {}): Tensor {
  checkTensor(x, "geluBackward() argument x");
  const g = checkGradient("geluBackward", gradOutput, x);
  const { approximate } = resolveOptions<Required<GeluOptions>>(
    "geluBackward",
    options,
    GELU_OPTIONS,
    [],
  );
  const d = GRADIENT[approximate];
  return mapGradient(g, x, (dy, v) => dy * d(v));
}

/**
 * The GELU layer. Caches its input (the derivative needs x, not the output).
 *
 * @example Usage
 * ```ts
 * import { GELU, tensor } from "@nonlin/core";
 * import assert from "node:assert/strict";
 *
 * const layer = new GELU({ approximate: "tanh" });
 * assert.deepEqual(layer.forward(tensor([0])).toArray(), [0]);
 * assert.deepEqual(layer.backward(tensor([2])).toArray(), [1]);
 * ```
 */
export class GELU implements Module {
  #x?: Tensor;
  readonly #options: { approximate: GeluApproximate };

  /**
   * Creates a GELU layer.
   *
   * @param options The same `approximate` option as {@linkcode gelu}.
   */
  constructor(options: Omit<GeluOptions, "out"> = {}) {
    const { approximate } = resolveOptions<Required<GeluOptions>>(
      "GELU",
      options,
      GELU_OPTIONS,
      [],
    );
    this.#options = { approximate };
  }

  /** Applies {@linkcode gelu} and caches the input. */
  forward(x: Tensor): Tensor {
    const y = gelu(x, this.#options);
    this.#x = x;
    return y;
  }

  /** Returns dL/dx for the last forward call. */
  backward(gradOutput: Tensor): Tensor {
    return geluBackward(gradOutput, requireForward(this.#x, "GELU"), this.#options);
  }
}
