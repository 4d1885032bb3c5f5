/**
 * Softplus `log(1 + e^(βx)) / β`, the smooth ReLU, with PyTorch's `beta` and `threshold`.
 *
 * @module
 */

import { ELEMENTWISE, type KernelBinding } from "./activation.ts";
import { defineActivation } from "./_declare.ts";
import { checkGradient, checkTensor, mapGradient, mapUnary, outputFor } from "./_elementwise.ts";
import { requireForward } from "./_module.ts";
import { type OptionSpec, type OutOption, resolveOptions } from "./_options.ts";
import { mulSigmoid } from "./_exp.ts";
import { type DD, divDD, log1pExpDD, mulError, mulExp, sigmoidDD } from "./_scalars_smooth.ts";
import { ziv32 } from "./_dd.ts";
import { show } from "./_shape.ts";
import type { Module } from "./module.ts";
import type { Tensor } from "./tensor.ts";

/** The WebAssembly kernels of the forward pass. */
const KERNEL: KernelBinding = { name: "softplus", params: ["beta", "threshold"] };

/** Softplus's `beta` and `threshold`, with PyTorch's defaults. */
const SOFTPLUS_OPTIONS: readonly OptionSpec[] = [{
  name: "beta",
  kind: "number",
  default: 1,
  above: 0,
  description: "sharpness: log(1 + e^(βx)) / β approaches relu(x) as β grows",
}, {
  name: "threshold",
  kind: "number",
  default: 20,
  description: "above βx = threshold the function is x itself (PyTorch's switch to linear)",
}];

/** The parameters of {@linkcode softplus}. */
export interface SoftplusParameters {
  /** Sharpness β > 0 (finite); larger is closer to ReLU. @default {1} */
  beta?: number;
  /** Where βx exceeds this (finite) value the result is x itself, as in PyTorch. @default {20} */
  threshold?: number;
}

/** Options of {@linkcode softplus}. */
export interface SoftplusOptions extends SoftplusParameters, OutOption {}

const BETA_MIN = 2 ** -400, BETA_MAX = 2 ** 400;

type Resolved = { beta: number; threshold: number; out?: Tensor };

function resolve(fn: string, options: unknown, extra?: readonly string[]): Resolved {
  const o = resolveOptions<Resolved>(fn, options, SOFTPLUS_OPTIONS, extra);
  if (!Number.isFinite(o.beta)) {
    throw new RangeError(
      `Cannot use ${fn}() option beta ${show(o.beta)}: expected a finite number > 0`,
    );
  }
  return o;
}

/**
 * βx as a double-double (uh, ul) and whether it exceeds the threshold, exactly: the rounded
 * product can equal the threshold while the exact one is above it.
 */
function product(x: number, beta: number): [number, number] {
  const uh = beta * x;
  return [uh, beta === 1 ? 0 : mulError(beta, x, uh)];
}

/**
 * log(1 + e^(βx)) / β, or x where βx > threshold. βx is carried in double-double because
 * softplus's condition number grows like |βx| in the negative tail, and so is the logarithm
 * (see `log1pExpDD`) until the division by β; below βx = -700 the value is e^(βx) / β, formed
 * so that it rounds once into subnormals.
 */
function softplusScalar(x: number, beta: number, threshold: number): number {
  const [uh, ul] = product(x, beta);
  if (uh !== uh) return uh;
  if (uh > threshold || (uh === threshold && ul > 0)) return x;
  if (uh < -700) return mulExp(1 / beta, uh, ul);
  const l = log1pExpDD(uh, ul);
  if (beta === 1) return l.hi + l.lo;
  // One corrected division keeps the double-double; outside 2^±400 Dekker's split could
  // overflow, so the quotient is rounded plainly there.
  return beta > BETA_MIN && beta < BETA_MAX ? divDD(l.hi, l.lo, beta, 0) : (l.hi + l.lo) / beta;
}

/** σ(βx), or 1 where βx > threshold (PyTorch's convention, also at the switch itself). */
function softplusGrad(x: number, beta: number, threshold: number): number {
  const [uh, ul] = product(x, beta);
  if (uh !== uh) return uh;
  if (uh > threshold || (uh === threshold && ul > 0)) return 1;
  // σ at the double-double βx: its condition number grows like |βx| in the negative tail.
  return mulSigmoid(1, uh, ul);
}

/** `softplusGrad` as a double-double (see `ziv32`). */
function softplusGradDD(x: number, beta: number, threshold: number): DD {
  const [uh, ul] = product(x, beta);
  if (uh !== uh || uh > threshold || (uh === threshold && ul > 0)) {
    return { hi: softplusGrad(x, beta, threshold), lo: 0 };
  }
  return sigmoidDD(uh, ul);
}

/**
 * Applies softplus element-wise: `log(1 + e^(βx)) / β`, and `x` itself where `βx > threshold`
 * (PyTorch's semantics, with the comparison made on the exact product βx).
 *
 * Within 1 ULP in float32 and 2 ULP in float64 for every finite input: log1p where e^(βx) is
 * small, βx + log1p(e^(-βx)) where it is large, and the far negative tail keeps its subnormals
 * (softplus(-740) is e^-740, not 0). softplus(-∞) is 0, softplus(∞) is ∞ and NaN stays NaN.
 *
 * @example Usage
 * ```ts
 * import { softplus, tensor } from "@nonlin/core";
 * import assert from "node:assert/strict";
 *
 * const x = tensor([-Infinity, 0, 30], { dtype: "float64" });
 * assert.deepEqual(softplus(x).toArray(), [0, Math.LN2, 30]);
 * // β = 2 makes it sharper; 2·30 > 20, so the last element is linear.
 * assert.deepEqual(softplus(x, { beta: 2 }).toArray(), [0, Math.LN2 / 2, 30]);
 * ```
 */
export function softplus(x: Tensor, options: SoftplusOptions = {}): Tensor {
  checkTensor(x, "softplus() argument x");
  const { beta, threshold, out } = resolve("softplus", options);
  return mapUnary(
    x,
    outputFor("softplus", x, out),
    (v) => softplusScalar(v, beta, threshold),
    KERNEL,
    { beta, threshold },
  );
}

/**
 * The gradient of softplus from its input: `gradOutput · σ(βx)`, and `gradOutput` where
 * `βx > threshold`, as PyTorch does.
 *
 * @example Usage
 * ```ts
 * import { softplusBackward, tensor } from "@nonlin/core";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(softplusBackward(tensor([2, 2]), tensor([0, 25])).toArray(), [1, 2]);
 * ```
 */
export function softplusBackward(
  gradOutput: Tensor,
  x: Tensor,
  options: SoftplusParameters = {},
): Tensor {
  checkTensor(x, "softplusBackward() argument x");
  const g = checkGradient("softplusBackward", gradOutput, x);
  const { beta, threshold } = resolve("softplusBackward", options, []);
  // σ(βx) = 1/2 + βx/4 - … lands on float32 ties near 0 that only the cubic term breaks.
  const d = x.dtype === "float32"
    ? ziv32((v) => softplusGrad(v, beta, threshold), (v) => softplusGradDD(v, beta, threshold))
    : (v: number) => softplusGrad(v, beta, threshold);
  return mapGradient(g, x, (dy, v) => dy * d(v));
}

/**
 * The softplus layer. Caches its input.
 *
 * @example Usage
 * ```ts
 * import { Softplus, tensor } from "@nonlin/core";
 * import assert from "node:assert/strict";
 *
 * const layer = new Softplus({ beta: 2, threshold: 10 });
 * assert.deepEqual(layer.forward(tensor([6])).toArray(), [6]);
 * assert.deepEqual(layer.backward(tensor([3])).toArray(), [3]);
 * ```
 */
export class Softplus implements Module {
  #x?: Tensor;
  readonly #options: { beta: number; threshold: number };

  /**
   * Creates the layer; the options are validated here, once.
   *
   * @param options The same `beta` and `threshold` as {@linkcode softplus}.
   */
  constructor(options: SoftplusParameters = {}) {
    const { beta, threshold } = resolve("Softplus", options, []);
    this.#options = { beta, threshold };
  }

  /** Applies {@linkcode softplus} and caches the input. */
  forward(x: Tensor): Tensor {
    const y = softplus(x, this.#options);
    this.#x = x;
    return y;
  }

  /** Returns dL/dx for the last forward call. */
  backward(gradOutput: Tensor): Tensor {
    return softplusBackward(gradOutput, requireForward(this.#x, "Softplus"), this.#options);
  }
}

defineActivation({
  name: "softplus",
  className: "Softplus",
  title: "Softplus",
  summary: "A smooth ReLU, log(1 + e^x): positive outputs such as variances and rates.",
  family: "smooth",
  aliases: ["smooth ReLU"],
  references: [
    {
      authors: "Dugas, Bengio, Bélisle, Nadeau and Garcia",
      year: 2000,
      title: "Incorporating Second-Order Functional Knowledge for Better Option Pricing",
    },
  ],
  kind: "elementwise",
  options: SOFTPLUS_OPTIONS,
  formula: {
    f: String
      .raw`\begin{cases} \frac{1}{\beta}\log(1 + e^{\beta x}) & \beta x \le t \\ x & \beta x > t \end{cases}`,
    df: String
      .raw`\begin{cases} \sigma(\beta x) & \beta x \le t \\ 1 & \beta x > t \end{cases}`,
  },
  range: "(0, ∞)",
  properties: { monotonic: true, zeroCentred: false, smooth: true, bounded: false },
  cost: { transcendental: 3, arithmetic: 15 },
  caches: "input",
  shape: ELEMENTWISE,
  kernel: KERNEL,
  forward: (x, o) => softplus(x, o),
  backward: (dy, x, o) => softplusBackward(dy, x, o),
  create: (o) => new Softplus(o),
  naive: (x, o) => {
    const beta = (o?.beta as number | undefined) ?? 1;
    const threshold = (o?.threshold as number | undefined) ?? 20;
    return beta * x > threshold ? x : Math.log(1 + Math.exp(beta * x)) / beta;
  },
});
