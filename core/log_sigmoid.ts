/**
 * LogSigmoid `log σ(x) = -log(1 + e^-x)`, by softplus rather than as log of a sigmoid.
 *
 * @module
 */

import { ELEMENTWISE, NO_OPTIONS } from "./activation.ts";
import { defineActivation } from "./_declare.ts";
import { checkGradient, checkTensor, mapGradient, mapUnary, outputFor } from "./_elementwise.ts";
import { requireForward } from "./_module.ts";
import { type OutOption, resolveOptions } from "./_options.ts";
import { sigmoidScalar } from "./_scalars.ts";
import { log1pExpDD, mulExp, sigmoidDD } from "./_scalars_smooth.ts";
import { ziv32 } from "./_dd.ts";
import type { Module } from "./module.ts";
import type { Tensor } from "./tensor.ts";

/** Options of {@linkcode logSigmoid}. */
export type LogSigmoidOptions = OutOption;

/**
 * -softplus(-x) in double-double (see `log1pExpDD`): -log1p(e^-x) for x ≥ -1, x - log1p(e^x)
 * below, where the two terms have opposite signs and nothing cancels, and -e^-x from x = 700
 * on, down to subnormals.
 */
function logSigmoidScalar(x: number): number {
  if (x > 700) return -mulExp(1, -x);
  if (x === -Infinity) return x;
  const l = log1pExpDD(-x);
  return -(l.hi + l.lo);
}

/** σ(-x) for float32 storage (see `ziv32`). */
const SIGMOID_NEG32 = ziv32((v) => sigmoidScalar(-v), (v) => sigmoidDD(-v));

/**
 * Applies log-sigmoid `log σ(x) = -log(1 + e^-x)` element-wise, never as `log(sigmoid(x))`:
 * finite where σ underflows (logSigmoid(-1000) is -1000, not -∞) and exact to the last bits
 * where σ rounds to 1 (logSigmoid(40) is -4.2e-18, not 0). Within 1 ULP in float32 and 2 ULP
 * in float64; logSigmoid(∞) is -0, logSigmoid(-∞) is -∞, NaN stays NaN.
 *
 * @example Usage
 * ```ts
 * import { logSigmoid, tensor } from "@nonlin/core";
 * import assert from "node:assert/strict";
 *
 * const y = logSigmoid(tensor([-1000, 0, Infinity], { dtype: "float64" })).toArray();
 * assert.deepEqual(y, [-1000, -Math.LN2, -0]);
 * ```
 */
export function logSigmoid(x: Tensor, options: LogSigmoidOptions = {}): Tensor {
  checkTensor(x, "logSigmoid() argument x");
  const { out } = resolveOptions<LogSigmoidOptions>("logSigmoid", options, []);
  return mapUnary(x, outputFor("logSigmoid", x, out), logSigmoidScalar);
}

/**
 * The gradient of log-sigmoid from its input: `gradOutput · σ(-x) = gradOutput · (1 - σ(x))`,
 * with σ(-x) computed directly so that it does not cancel for large x.
 *
 * @example Usage
 * ```ts
 * import { logSigmoidBackward, tensor } from "@nonlin/core";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(logSigmoidBackward(tensor([1, 1]), tensor([0, -Infinity])).toArray(), [0.5, 1]);
 * ```
 */
export function logSigmoidBackward(gradOutput: Tensor, x: Tensor): Tensor {
  checkTensor(x, "logSigmoidBackward() argument x");
  const g = checkGradient("logSigmoidBackward", gradOutput, x);
  // σ(-x) = 1/2 - x/4 + x³/48 lands on float32 ties near 0 that only the x³ term breaks.
  const d = x.dtype === "float32" ? SIGMOID_NEG32 : (v: number) => sigmoidScalar(-v);
  return mapGradient(g, x, (dy, v) => dy * d(v));
}

/**
 * The log-sigmoid layer. Caches its input (1 - e^y would cancel where y is near 0).
 *
 * @example Usage
 * ```ts
 * import { LogSigmoid, tensor } from "@nonlin/core";
 * import assert from "node:assert/strict";
 *
 * const layer = new LogSigmoid();
 * assert.deepEqual(layer.forward(tensor([-1000])).toArray(), [-1000]);
 * assert.deepEqual(layer.backward(tensor([2])).toArray(), [2]);
 * ```
 */
export class LogSigmoid implements Module {
  #x?: Tensor;

  /** Applies {@linkcode logSigmoid} and caches the input. */
  forward(x: Tensor): Tensor {
    const y = logSigmoid(x);
    this.#x = x;
    return y;
  }

  /** Returns dL/dx for the last forward call. */
  backward(gradOutput: Tensor): Tensor {
    return logSigmoidBackward(gradOutput, requireForward(this.#x, "LogSigmoid"));
  }
}

defineActivation({
  name: "logSigmoid",
  className: "LogSigmoid",
  title: "Log-sigmoid",
  summary: "The logarithm of the sigmoid by softplus: log-likelihoods of binary outcomes.",
  family: "squashing",
  kind: "elementwise",
  options: NO_OPTIONS,
  formula: {
    f: String.raw`\log \sigma(x) = -\log(1 + e^{-x})`,
    df: String.raw`1 - \sigma(x) = \sigma(-x)`,
  },
  range: "(-∞, 0)",
  properties: { monotonic: true, zeroCentred: false, smooth: true, bounded: false },
  cost: { transcendental: 3, arithmetic: 15 },
  caches: "input",
  shape: ELEMENTWISE,
  forward: (x, o) => logSigmoid(x, o),
  backward: (dy, x) => logSigmoidBackward(dy, x),
  create: () => new LogSigmoid(),
  naive: (x) => Math.log(1 / (1 + Math.exp(-x))),
});
