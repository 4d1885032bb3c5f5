/**
 * The registry: one entry per activation, describing it (formula, options, ranges, cost, what
 * backward caches) and wiring it (forward, backward, module class). The docs site, the worker
 * pool and the benchmarks iterate over this one list.
 *
 * @module
 */

import { type ActivationInfo, ELEMENTWISE, NO_OPTIONS, withoutOut } from "./activation.ts";
import { RECTIFIER_ENTRIES } from "./_registry_rectifiers.ts";
import { SMOOTH_ENTRIES } from "./_registry_smooth.ts";
import { GELU_OPTIONS, SOFTMAX_OPTIONS } from "./_specs.ts";
import { GELU, gelu, geluBackward } from "./gelu.ts";
import { LogSoftmax, logSoftmax, logSoftmaxBackward } from "./log_softmax.ts";
import { ReLU, relu, reluBackward } from "./relu.ts";
import { Sigmoid, sigmoid, sigmoidBackward } from "./sigmoid.ts";
import { Softmax, softmax, softmaxBackward } from "./softmax.ts";
import { Tanh, tanh, tanhBackward } from "./tanh.ts";

export * from "./activation.ts";

/**
 * Every activation of the library, in documentation order.
 *
 * @example Iterate over the registry
 * ```ts
 * import { ACTIVATIONS, tensor } from "@nonlin/core";
 * import assert from "node:assert/strict";
 *
 * const x = tensor([-1, 0, 1]);
 * for (const a of ACTIVATIONS.filter((a) => a.kind === "elementwise")) {
 *   assert.deepEqual(a.forward(x, a.name === "threshold" ? { threshold: 0, value: 0 } : {}).shape, [3]);
 * }
 * assert.ok(ACTIVATIONS.some((a) => a.name === "gelu"));
 * ```
 */
export const ACTIVATIONS: readonly ActivationInfo[] = Object.freeze(
  [
    {
      name: "relu",
      className: "ReLU",
      title: "Rectified Linear Unit",
      summary:
        "Zero for negatives, identity for positives: cheap, sparse, the default hidden layer.",
      kind: "elementwise",
      options: NO_OPTIONS,
      formula: {
        f: String.raw`\max(0, x)`,
        df: String.raw`\begin{cases} 1 & x > 0 \\ 0 & x \le 0 \end{cases}`,
      },
      range: "[0, ∞)",
      properties: { monotonic: true, zeroCentred: false, smooth: false, bounded: false },
      cost: { transcendental: 0, arithmetic: 1 },
      caches: { what: "input", bytesPerElement: 4 },
      shape: ELEMENTWISE,
      forward: (x, o) => relu(x, o),
      backward: (dy, x) => reluBackward(dy, x),
      create: () => new ReLU(),
      naive: (x) => Math.max(0, x),
    },
    {
      name: "sigmoid",
      className: "Sigmoid",
      title: "Logistic sigmoid",
      summary: "Squashes to (0, 1): probabilities and gates (LSTM, GRU).",
      kind: "elementwise",
      options: NO_OPTIONS,
      formula: {
        f: String.raw`\sigma(x) = \frac{1}{1 + e^{-x}}`,
        df: String.raw`\sigma(x)\,\sigma(-x)`,
      },
      range: "(0, 1)",
      properties: { monotonic: true, zeroCentred: false, smooth: true, bounded: true },
      cost: { transcendental: 1, arithmetic: 3 },
      caches: { what: "input", bytesPerElement: 4 },
      shape: ELEMENTWISE,
      forward: (x, o) => sigmoid(x, o),
      backward: (dy, x) => sigmoidBackward(dy, x),
      create: () => new Sigmoid(),
      naive: (x) => 1 / (1 + Math.exp(-x)),
    },
    {
      name: "tanh",
      className: "Tanh",
      title: "Hyperbolic tangent",
      summary: "Zero-centred squashing to (-1, 1): RNN cells and bounded outputs.",
      kind: "elementwise",
      options: NO_OPTIONS,
      formula: {
        f: String.raw`\tanh(x) = \frac{e^{x} - e^{-x}}{e^{x} + e^{-x}}`,
        df: String.raw`1 - \tanh^2(x)`,
      },
      range: "(-1, 1)",
      properties: { monotonic: true, zeroCentred: true, smooth: true, bounded: true },
      cost: { transcendental: 1, arithmetic: 4 },
      caches: { what: "input", bytesPerElement: 4 },
      shape: ELEMENTWISE,
      forward: (x, o) => tanh(x, o),
      backward: (dy, x) => tanhBackward(dy, x),
      create: () => new Tanh(),
      naive: (x) => (Math.exp(x) - Math.exp(-x)) / (Math.exp(x) + Math.exp(-x)),
    },
    {
      name: "gelu",
      className: "GELU",
      title: "Gaussian Error Linear Unit",
      summary: "x weighted by the normal CDF: the smooth ReLU of transformers (BERT, GPT, ViT).",
      kind: "elementwise",
      options: GELU_OPTIONS,
      formula: {
        f: String
          .raw`x\,\Phi(x) = \tfrac{x}{2}\left(1 + \operatorname{erf}\tfrac{x}{\sqrt 2}\right)`,
        df: String.raw`\Phi(x) + x\,\varphi(x)`,
      },
      range: "[-0.17, ∞)",
      properties: { monotonic: false, zeroCentred: false, smooth: true, bounded: false },
      cost: { transcendental: 2, arithmetic: 20 },
      caches: { what: "input", bytesPerElement: 4 },
      shape: ELEMENTWISE,
      forward: (x, o) => gelu(x, o),
      backward: (dy, x, o) => geluBackward(dy, x, withoutOut(o)),
      create: (o) => new GELU(o),
      naive: (x, o) => {
        const approximate = o?.approximate ?? "none";
        if (approximate === "sigmoid") return x / (1 + Math.exp(-1.702 * x));
        if (approximate === "tanh") {
          return 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3)));
        }
        // The textbook form via 1 + erf: loses everything below x ≈ -8.
        const t = x / Math.SQRT2, s = 1 / (1 + 0.3275911 * Math.abs(t));
        const poly = s * (0.254829592 + s * (-0.284496736 + s * (1.421413741 +
                  s * (-1.453152027 + s * 1.061405429))));
        const e = 1 - poly * Math.exp(-t * t);
        return 0.5 * x * (1 + (t < 0 ? -e : e));
      },
    },
    {
      name: "softmax",
      className: "Softmax",
      title: "Softmax",
      summary:
        "Turns a slice of scores into a probability distribution: classifiers and attention.",
      kind: "reduction",
      options: SOFTMAX_OPTIONS,
      formula: {
        f: String.raw`\frac{e^{x_i}}{\sum_j e^{x_j}}`,
        df: String.raw`y_i\,(\delta_{ij} - y_j)`,
      },
      range: "(0, 1), summing to 1",
      properties: { monotonic: true, zeroCentred: false, smooth: true, bounded: true },
      cost: { transcendental: 1, arithmetic: 6 },
      caches: { what: "output", bytesPerElement: 4 },
      shape: { slices: "dim-option", alongDim: "same", acceptsOut: true },
      forward: (x, o) => softmax(x, o),
      backward: (dy, x, o) => softmaxBackward(dy, softmax(x, withoutOut(o)), withoutOut(o)),
      create: (o) => new Softmax(o),
    },
    {
      name: "logSoftmax",
      className: "LogSoftmax",
      title: "Log-softmax",
      summary: "The logarithm of softmax by log-sum-exp: what cross-entropy wants.",
      kind: "reduction",
      options: SOFTMAX_OPTIONS,
      formula: {
        f: String.raw`x_i - \log \sum_j e^{x_j}`,
        df: String.raw`\delta_{ij} - \operatorname{softmax}(x)_j`,
      },
      range: "(-∞, 0]",
      properties: { monotonic: true, zeroCentred: false, smooth: true, bounded: false },
      cost: { transcendental: 1, arithmetic: 5 },
      caches: { what: "output", bytesPerElement: 4 },
      shape: { slices: "dim-option", alongDim: "same", acceptsOut: true },
      forward: (x, o) => logSoftmax(x, o),
      backward: (dy, x, o) => logSoftmaxBackward(dy, logSoftmax(x, withoutOut(o)), withoutOut(o)),
      create: (o) => new LogSoftmax(o),
    },
    ...RECTIFIER_ENTRIES,
    ...SMOOTH_ENTRIES,
  ] satisfies ActivationInfo[],
);

/**
 * Looks up an activation by its functional name; a clear RangeError for unknown names.
 *
 * @example Usage
 * ```ts
 * import { getActivation, tensor } from "@nonlin/core";
 * import assert from "node:assert/strict";
 *
 * const info = getActivation("sigmoid");
 * assert.equal(info.className, "Sigmoid");
 * assert.deepEqual(info.forward(tensor([0])).toArray(), [0.5]);
 * assert.throws(() => getActivation("nope"), RangeError);
 * ```
 */
export function getActivation(name: string): ActivationInfo {
  const found = ACTIVATIONS.find((a) => a.name === name);
  if (found === undefined) {
    throw new RangeError(
      `Cannot find activation ${JSON.stringify(name)}: expected one of ${
        ACTIVATIONS.map((a) => a.name).join(", ")
      }`,
    );
  }
  return found;
}
