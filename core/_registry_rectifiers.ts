/**
 * Registry entries of the rectifier family (ReLU6 to Hardswish), spliced into `ACTIVATIONS` by
 * the registry. Private to the package.
 */

import { resolveOptions } from "./_options.ts";
import {
  CELU_OPTIONS,
  ELU_OPTIONS,
  HARDTANH_OPTIONS,
  LEAKY_RELU_OPTIONS,
  PRELU_OPTIONS,
  RRELU_OPTIONS,
  SHRINK_OPTIONS,
  THRESHOLD_OPTIONS,
} from "./_specs_rectifiers.ts";
import { CELU, celu, celuBackward } from "./celu.ts";
import { ELU, elu, eluBackward } from "./elu.ts";
import { Hardshrink, hardshrink, hardshrinkBackward } from "./hardshrink.ts";
import { Hardsigmoid, hardsigmoid, hardsigmoidBackward } from "./hardsigmoid.ts";
import { Hardswish, hardswish, hardswishBackward } from "./hardswish.ts";
import { Hardtanh, hardtanh, hardtanhBackward } from "./hardtanh.ts";
import { LeakyReLU, leakyRelu, leakyReluBackward } from "./leaky_relu.ts";
import { PReLU, prelu, preluBackward } from "./prelu.ts";
import {
  type ActivationInfo,
  type AnyOptions,
  ELEMENTWISE,
  NO_OPTIONS,
  withoutOut,
} from "./activation.ts";
import { ReLU6, relu6, relu6Backward } from "./relu6.ts";
import { RReLU, rrelu, rreluBackward } from "./rrelu.ts";
import { SELU, selu, seluBackward } from "./selu.ts";
import { Softshrink, softshrink, softshrinkBackward } from "./softshrink.ts";
import { Threshold, threshold, thresholdBackward, type ThresholdOptions } from "./threshold.ts";
import { type DType, full, type Tensor } from "./tensor.ts";

/**
 * PReLU's weight for the registry's uniform `forward(x, o)`: `o.weight` when given, else
 * `numParameters` slopes filled with `init` in `o.dtype`, as a new {@linkcode PReLU} holds.
 */
function preluWeight(options: AnyOptions = {}): Tensor {
  const { numParameters, init, dtype } = resolveOptions<
    { numParameters: number; init: number; dtype: DType }
  >("prelu", options, PRELU_OPTIONS, ["out", "weight"]);
  if (options.weight !== undefined) return options.weight as Tensor;
  return full([numParameters], init, { dtype });
}

/** PReLU's slopes are one per channel when there are more than one. */
function preluPerChannel(options: AnyOptions): boolean {
  const weight = options.weight as Tensor | undefined;
  return weight !== undefined ? weight.size > 1 : ((options.numParameters as number) ?? 1) > 1;
}

/** Threshold's options with both numbers defaulting to 0 (ReLU) for the registry. */
function thresholdOptions(options: AnyOptions = {}): ThresholdOptions {
  return { threshold: 0, value: 0, ...options } as ThresholdOptions;
}

const SA = 1.7580993408473768, SCALE = 1.0507009873554805;

/** The rectifier family's entries, in documentation order. */
export const RECTIFIER_ENTRIES: readonly ActivationInfo[] = Object.freeze(
  [
    {
      name: "relu6",
      className: "ReLU6",
      title: "ReLU6",
      summary:
        "ReLU capped at 6: bounded activations that survive low-precision inference (MobileNet).",
      kind: "elementwise",
      options: NO_OPTIONS,
      formula: {
        f: String.raw`\min(\max(0, x), 6)`,
        df: String.raw`\begin{cases} 1 & 0 < x < 6 \\ 0 & \text{otherwise} \end{cases}`,
      },
      range: "[0, 6]",
      properties: { monotonic: true, zeroCentred: false, smooth: false, bounded: true },
      cost: { transcendental: 0, arithmetic: 2 },
      caches: { what: "input", bytesPerElement: 4 },
      shape: ELEMENTWISE,
      forward: (x, o) => relu6(x, o),
      backward: (dy, x) => relu6Backward(dy, x),
      create: () => new ReLU6(),
      naive: (x) => Math.min(Math.max(0, x), 6),
    },
    {
      name: "leakyRelu",
      className: "LeakyReLU",
      title: "Leaky ReLU",
      summary: "ReLU with a small fixed slope for negatives, so that no unit stops learning.",
      kind: "elementwise",
      options: LEAKY_RELU_OPTIONS,
      formula: {
        f: String.raw`\begin{cases} x & x > 0 \\ a\,x & x \le 0 \end{cases}`,
        df: String.raw`\begin{cases} 1 & x > 0 \\ a & x \le 0 \end{cases}`,
      },
      range: "(-∞, ∞)",
      properties: { monotonic: true, zeroCentred: false, smooth: false, bounded: false },
      cost: { transcendental: 0, arithmetic: 2 },
      caches: { what: "input", bytesPerElement: 4 },
      shape: ELEMENTWISE,
      forward: (x, o) => leakyRelu(x, o),
      backward: (dy, x, o) => leakyReluBackward(dy, x, withoutOut(o)),
      create: (o) => new LeakyReLU(withoutOut(o)),
      naive: (x, o) => Math.max(0, x) + ((o?.negativeSlope as number) ?? 0.01) * Math.min(0, x),
    },
    {
      name: "prelu",
      className: "PReLU",
      title: "Parametric ReLU",
      summary: "Leaky ReLU whose negative slope is learned, shared or one per channel (dim 1). " +
        "Here forward takes the slopes from option weight (a Tensor), else numParameters slopes " +
        "equal to init.",
      kind: "elementwise",
      options: PRELU_OPTIONS,
      formula: {
        f: String.raw`\begin{cases} x & x > 0 \\ w_c\,x & x \le 0 \end{cases}`,
        df: String
          .raw`\frac{\partial f}{\partial x} = \begin{cases} 1 & x > 0 \\ w_c & x \le 0 \end{cases}, \quad \frac{\partial f}{\partial w_c} = \begin{cases} 0 & x > 0 \\ x & x \le 0 \end{cases}`,
      },
      range: "(-∞, ∞)",
      properties: { monotonic: true, zeroCentred: false, smooth: false, bounded: false },
      cost: { transcendental: 0, arithmetic: 2 },
      caches: { what: "input", bytesPerElement: 4 },
      shape: { ...ELEMENTWISE, positionDependent: preluPerChannel },
      forward: (x, o) => prelu(x, preluWeight(o), { out: o?.out as Tensor | undefined }),
      backward: (dy, x, o) => preluBackward(dy, x, preluWeight(o)).gradInput,
      create: (o) => {
        const { weight, ...rest } = withoutOut(o);
        const layer = new PReLU(rest);
        if (weight !== undefined) layer.weight = weight as Tensor;
        return layer;
      },
      naive: (x, o) => (x > 0 ? x : ((o?.init as number) ?? 0.25) * x),
    },
    {
      name: "rrelu",
      className: "RReLU",
      title: "Randomized Leaky ReLU",
      summary: "Leaky ReLU with a random slope from [lower, upper] per element in training, " +
        "their mean in evaluation; the training module caches the sampled slopes.",
      kind: "elementwise",
      options: RRELU_OPTIONS,
      formula: {
        f: String
          .raw`\begin{cases} x & x > 0 \\ a\,x & x \le 0 \end{cases}, \; a \sim U(l, u) \text{ (training)}, \; a = \tfrac{l + u}{2} \text{ (evaluation)}`,
        df: String.raw`\begin{cases} 1 & x > 0 \\ a & x \le 0 \end{cases}`,
      },
      range: "(-∞, ∞)",
      properties: { monotonic: true, zeroCentred: false, smooth: false, bounded: false },
      cost: { transcendental: 0, arithmetic: 2 },
      caches: { what: "input", bytesPerElement: 4 },
      shape: { ...ELEMENTWISE, positionDependent: (o) => o.training === true },
      forward: (x, o) => rrelu(x, o),
      backward: (dy, x, o) => rreluBackward(dy, x, withoutOut(o)),
      create: (o) => new RReLU(withoutOut(o)),
      naive: (x, o) => {
        const a = (((o?.lower as number) ?? 1 / 8) + ((o?.upper as number) ?? 1 / 3)) / 2;
        return x > 0 ? x : a * x;
      },
    },
    {
      name: "elu",
      className: "ELU",
      title: "Exponential Linear Unit",
      summary: "Identity for positives, a smooth saturation to -alpha for negatives: mean " +
        "activations closer to zero than ReLU's.",
      kind: "elementwise",
      options: ELU_OPTIONS,
      formula: {
        f: String.raw`\begin{cases} x & x > 0 \\ \alpha\,(e^{x} - 1) & x \le 0 \end{cases}`,
        df: String.raw`\begin{cases} 1 & x > 0 \\ \alpha\,e^{x} & x \le 0 \end{cases}`,
      },
      range: "(-α, ∞)",
      properties: { monotonic: true, zeroCentred: true, smooth: false, bounded: false },
      cost: { transcendental: 1, arithmetic: 2 },
      caches: { what: "input", bytesPerElement: 4 },
      shape: ELEMENTWISE,
      forward: (x, o) => elu(x, o),
      backward: (dy, x, o) => eluBackward(dy, x, withoutOut(o)),
      create: (o) => new ELU(withoutOut(o)),
      naive: (x, o) => (x > 0 ? x : ((o?.alpha as number) ?? 1) * (Math.exp(x) - 1)),
    },
    {
      name: "selu",
      className: "SELU",
      title: "Scaled Exponential Linear Unit",
      summary: "ELU scaled by fixed constants that keep activations at zero mean and unit " +
        "variance through deep plain networks (self-normalising).",
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
      caches: { what: "input", bytesPerElement: 4 },
      shape: ELEMENTWISE,
      forward: (x, o) => selu(x, o),
      backward: (dy, x) => seluBackward(dy, x),
      create: () => new SELU(),
      naive: (x) => (x > 0 ? SCALE * x : SA * (Math.exp(x) - 1)),
    },
    {
      name: "celu",
      className: "CELU",
      title: "Continuously Differentiable ELU",
      summary: "ELU with its input scaled by 1/alpha, so that the slope is 1 on both sides of 0 " +
        "for every alpha.",
      kind: "elementwise",
      options: CELU_OPTIONS,
      formula: {
        f: String.raw`\max(0, x) + \min\left(0, \alpha\,(e^{x/\alpha} - 1)\right)`,
        df: String.raw`\begin{cases} 1 & x > 0 \\ e^{x/\alpha} & x \le 0 \end{cases}`,
      },
      range: "(-α, ∞)",
      properties: { monotonic: true, zeroCentred: true, smooth: true, bounded: false },
      cost: { transcendental: 1, arithmetic: 40 },
      caches: { what: "input", bytesPerElement: 4 },
      shape: ELEMENTWISE,
      forward: (x, o) => celu(x, o),
      backward: (dy, x, o) => celuBackward(dy, x, withoutOut(o)),
      create: (o) => new CELU(withoutOut(o)),
      naive: (x, o) => {
        const alpha = (o?.alpha as number) ?? 1;
        return Math.max(0, x) + Math.min(0, alpha * (Math.exp(x / alpha) - 1));
      },
    },
    {
      name: "hardtanh",
      className: "Hardtanh",
      title: "Hard tanh",
      summary: "The input clamped to [minVal, maxVal]: a piecewise-linear tanh.",
      kind: "elementwise",
      options: HARDTANH_OPTIONS,
      formula: {
        f: String.raw`\min(\max(x, a), b)`,
        df: String.raw`\begin{cases} 1 & a < x < b \\ 0 & \text{otherwise} \end{cases}`,
      },
      range: "[minVal, maxVal]",
      properties: { monotonic: true, zeroCentred: true, smooth: false, bounded: true },
      cost: { transcendental: 0, arithmetic: 2 },
      caches: { what: "input", bytesPerElement: 4 },
      shape: ELEMENTWISE,
      forward: (x, o) => hardtanh(x, o),
      backward: (dy, x, o) => hardtanhBackward(dy, x, withoutOut(o)),
      create: (o) => new Hardtanh(withoutOut(o)),
      naive: (x, o) =>
        Math.min(Math.max(x, (o?.minVal as number) ?? -1), (o?.maxVal as number) ?? 1),
    },
    {
      name: "hardshrink",
      className: "Hardshrink",
      title: "Hard shrinkage",
      summary: "Zeroes the inputs inside [-lambda, lambda] and keeps the rest: sparse codes.",
      kind: "elementwise",
      options: SHRINK_OPTIONS,
      formula: {
        f: String.raw`\begin{cases} x & |x| > \lambda \\ 0 & |x| \le \lambda \end{cases}`,
        df: String.raw`\begin{cases} 1 & |x| > \lambda \\ 0 & |x| \le \lambda \end{cases}`,
      },
      range: "(-∞, -λ) ∪ {0} ∪ (λ, ∞)",
      properties: { monotonic: true, zeroCentred: true, smooth: false, bounded: false },
      cost: { transcendental: 0, arithmetic: 2 },
      caches: { what: "input", bytesPerElement: 4 },
      shape: ELEMENTWISE,
      forward: (x, o) => hardshrink(x, o),
      backward: (dy, x, o) => hardshrinkBackward(dy, x, withoutOut(o)),
      create: (o) => new Hardshrink(withoutOut(o)),
      naive: (x, o) => (Math.abs(x) > ((o?.lambda as number) ?? 0.5) ? x : 0),
    },
    {
      name: "softshrink",
      className: "Softshrink",
      title: "Soft shrinkage",
      summary: "Moves every input towards 0 by lambda, stopping at 0: soft thresholding, the " +
        "proximal step of L1 regularisation.",
      kind: "elementwise",
      options: SHRINK_OPTIONS,
      formula: {
        f: String
          .raw`\begin{cases} x - \lambda & x > \lambda \\ x + \lambda & x < -\lambda \\ 0 & \text{otherwise} \end{cases}`,
        df: String.raw`\begin{cases} 1 & |x| > \lambda \\ 0 & |x| \le \lambda \end{cases}`,
      },
      range: "(-∞, ∞)",
      properties: { monotonic: true, zeroCentred: true, smooth: false, bounded: false },
      cost: { transcendental: 0, arithmetic: 3 },
      caches: { what: "input", bytesPerElement: 4 },
      shape: ELEMENTWISE,
      forward: (x, o) => softshrink(x, o),
      backward: (dy, x, o) => softshrinkBackward(dy, x, withoutOut(o)),
      create: (o) => new Softshrink(withoutOut(o)),
      naive: (x, o) => {
        const l = (o?.lambda as number) ?? 0.5;
        return x > l ? x - l : x < -l ? x + l : 0;
      },
    },
    {
      name: "threshold",
      className: "Threshold",
      title: "Threshold",
      summary: "Keeps the inputs above threshold and replaces the others by value. Both are " +
        "required by the function and the class; here they default to 0 (ReLU).",
      kind: "elementwise",
      options: THRESHOLD_OPTIONS,
      formula: {
        f: String.raw`\begin{cases} x & x > t \\ v & x \le t \end{cases}`,
        df: String.raw`\begin{cases} 1 & x > t \\ 0 & x \le t \end{cases}`,
      },
      range: "{value} ∪ (threshold, ∞)",
      properties: { monotonic: false, zeroCentred: false, smooth: false, bounded: false },
      cost: { transcendental: 0, arithmetic: 1 },
      caches: { what: "input", bytesPerElement: 4 },
      shape: ELEMENTWISE,
      forward: (x, o) => threshold(x, thresholdOptions(o)),
      backward: (dy, x, o) => thresholdBackward(dy, x, thresholdOptions(withoutOut(o))),
      create: (o) => new Threshold(thresholdOptions(withoutOut(o))),
      naive: (x, o) => x > ((o?.threshold as number) ?? 0) ? x : ((o?.value as number) ?? 0),
    },
    {
      name: "hardsigmoid",
      className: "Hardsigmoid",
      title: "Hard sigmoid",
      summary: "A piecewise-linear sigmoid without exponentials: cheap gates (MobileNetV3).",
      kind: "elementwise",
      options: NO_OPTIONS,
      formula: {
        f: String
          .raw`\begin{cases} 0 & x \le -3 \\ 1 & x \ge 3 \\ \frac{x}{6} + \frac{1}{2} & \text{otherwise} \end{cases}`,
        df: String.raw`\begin{cases} \frac{1}{6} & -3 < x < 3 \\ 0 & \text{otherwise} \end{cases}`,
      },
      range: "[0, 1]",
      properties: { monotonic: true, zeroCentred: false, smooth: false, bounded: true },
      cost: { transcendental: 0, arithmetic: 25 },
      caches: { what: "input", bytesPerElement: 4 },
      shape: ELEMENTWISE,
      forward: (x, o) => hardsigmoid(x, o),
      backward: (dy, x) => hardsigmoidBackward(dy, x),
      create: () => new Hardsigmoid(),
      naive: (x) => Math.min(Math.max(x / 6 + 0.5, 0), 1),
    },
    {
      name: "hardswish",
      className: "Hardswish",
      title: "Hard swish",
      summary: "x times the hard sigmoid: SiLU's shape without exponentials (MobileNetV3).",
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
      caches: { what: "input", bytesPerElement: 4 },
      shape: ELEMENTWISE,
      forward: (x, o) => hardswish(x, o),
      backward: (dy, x) => hardswishBackward(dy, x),
      create: () => new Hardswish(),
      naive: (x) => (x * Math.min(Math.max(x + 3, 0), 6)) / 6,
    },
  ] satisfies ActivationInfo[],
);
