/**
 * Registry entries of the smooth family (SiLU to Softmax2d), spliced into `ACTIVATIONS` by the
 * registry. Private to the package.
 */

import { SOFTMAX_OPTIONS } from "./_specs.ts";
import { GLU_OPTIONS, SOFTPLUS_OPTIONS } from "./_specs_smooth.ts";
import { GLU, glu, gluBackward } from "./glu.ts";
import { LogSigmoid, logSigmoid, logSigmoidBackward } from "./log_sigmoid.ts";
import { Mish, mish, mishBackward } from "./mish.ts";
import { type ActivationInfo, ELEMENTWISE, NO_OPTIONS, withoutOut } from "./activation.ts";
import { SiLU, silu, siluBackward } from "./silu.ts";
import { Softmax2d, softmax2d, softmax2dBackward } from "./softmax2d.ts";
import { Softmin, softmin, softminBackward } from "./softmin.ts";
import { Softplus, softplus, softplusBackward } from "./softplus.ts";
import { Softsign, softsign, softsignBackward } from "./softsign.ts";
import { Tanhshrink, tanhshrink, tanhshrinkBackward } from "./tanhshrink.ts";

/** The smooth family's entries, in documentation order. */
export const SMOOTH_ENTRIES: readonly ActivationInfo[] = Object.freeze(
  [
    {
      name: "silu",
      className: "SiLU",
      title: "Sigmoid Linear Unit (swish)",
      summary:
        "x gated by its own sigmoid: a smooth, non-monotonic ReLU (EfficientNet, LLaMA's SwiGLU).",
      kind: "elementwise",
      options: NO_OPTIONS,
      formula: {
        f: String.raw`x\,\sigma(x) = \frac{x}{1 + e^{-x}}`,
        df: String.raw`\sigma(x)\,\bigl(1 + x\,(1 - \sigma(x))\bigr)`,
      },
      range: "[-0.28, ∞)",
      properties: { monotonic: false, zeroCentred: false, smooth: true, bounded: false },
      cost: { transcendental: 1, arithmetic: 12 },
      caches: { what: "input", bytesPerElement: 4 },
      shape: ELEMENTWISE,
      forward: (x, o) => silu(x, o),
      backward: (dy, x) => siluBackward(dy, x),
      create: () => new SiLU(),
      naive: (x) => x / (1 + Math.exp(-x)),
    },
    {
      name: "mish",
      className: "Mish",
      title: "Mish",
      summary: "x·tanh(softplus(x)): a smooth, self-regularised ReLU alternative (YOLOv4).",
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
      caches: { what: "input", bytesPerElement: 4 },
      shape: ELEMENTWISE,
      forward: (x, o) => mish(x, o),
      backward: (dy, x) => mishBackward(dy, x),
      create: () => new Mish(),
      naive: (x) => x * Math.tanh(Math.log(1 + Math.exp(x))),
    },
    {
      name: "logSigmoid",
      className: "LogSigmoid",
      title: "Log-sigmoid",
      summary: "The logarithm of the sigmoid by softplus: log-likelihoods of binary outcomes.",
      kind: "elementwise",
      options: NO_OPTIONS,
      formula: {
        f: String.raw`\log \sigma(x) = -\log(1 + e^{-x})`,
        df: String.raw`1 - \sigma(x) = \sigma(-x)`,
      },
      range: "(-∞, 0)",
      properties: { monotonic: true, zeroCentred: false, smooth: true, bounded: false },
      cost: { transcendental: 3, arithmetic: 15 },
      caches: { what: "input", bytesPerElement: 4 },
      shape: ELEMENTWISE,
      forward: (x, o) => logSigmoid(x, o),
      backward: (dy, x) => logSigmoidBackward(dy, x),
      create: () => new LogSigmoid(),
      naive: (x) => Math.log(1 / (1 + Math.exp(-x))),
    },
    {
      name: "softplus",
      className: "Softplus",
      title: "Softplus",
      summary: "A smooth ReLU, log(1 + e^x): positive outputs such as variances and rates.",
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
      caches: { what: "input", bytesPerElement: 4 },
      shape: ELEMENTWISE,
      forward: (x, o) => softplus(x, o),
      backward: (dy, x, o) => softplusBackward(dy, x, withoutOut(o)),
      create: (o) => new Softplus(o),
      naive: (x, o) => {
        const beta = (o?.beta as number | undefined) ?? 1;
        const threshold = (o?.threshold as number | undefined) ?? 20;
        return beta * x > threshold ? x : Math.log(1 + Math.exp(beta * x)) / beta;
      },
    },
    {
      name: "softsign",
      className: "Softsign",
      title: "Softsign",
      summary: "A rational tanh-like squashing to (-1, 1) with polynomial, not exponential, tails.",
      kind: "elementwise",
      options: NO_OPTIONS,
      formula: { f: String.raw`\frac{x}{1 + |x|}`, df: String.raw`\frac{1}{(1 + |x|)^2}` },
      range: "(-1, 1)",
      properties: { monotonic: true, zeroCentred: true, smooth: false, bounded: true },
      cost: { transcendental: 0, arithmetic: 8 },
      caches: { what: "input", bytesPerElement: 4 },
      shape: ELEMENTWISE,
      forward: (x, o) => softsign(x, o),
      backward: (dy, x) => softsignBackward(dy, x),
      create: () => new Softsign(),
      naive: (x) => x / (1 + Math.abs(x)),
    },
    {
      name: "tanhshrink",
      className: "Tanhshrink",
      title: "Tanhshrink",
      summary: "x - tanh(x): near-zero around the origin, linear in the tails; a smooth shrinkage.",
      kind: "elementwise",
      options: NO_OPTIONS,
      formula: { f: String.raw`x - \tanh(x)`, df: String.raw`\tanh^2(x)` },
      range: "(-∞, ∞)",
      properties: { monotonic: true, zeroCentred: true, smooth: true, bounded: false },
      cost: { transcendental: 1, arithmetic: 40 },
      caches: { what: "input", bytesPerElement: 4 },
      shape: ELEMENTWISE,
      forward: (x, o) => tanhshrink(x, o),
      backward: (dy, x) => tanhshrinkBackward(dy, x),
      create: () => new Tanhshrink(),
      naive: (x) => x - Math.tanh(x),
    },
    {
      name: "glu",
      className: "GLU",
      title: "Gated Linear Unit",
      summary: "Halves the input along dim into a and b and gates a by σ(b): language models.",
      kind: "reduction",
      options: GLU_OPTIONS,
      formula: {
        f: String.raw`a \otimes \sigma(b), \quad x = [a; b]`,
        df: String
          .raw`\frac{\partial}{\partial a} = \sigma(b), \quad \frac{\partial}{\partial b} = a\,\sigma(b)\,(1 - \sigma(b))`,
      },
      range: "(-∞, ∞)",
      properties: { monotonic: false, zeroCentred: false, smooth: true, bounded: false },
      cost: { transcendental: 1, arithmetic: 12 },
      caches: { what: "input", bytesPerElement: 4 },
      shape: { slices: "dim-option", alongDim: "half", acceptsOut: true },
      forward: (x, o) => glu(x, o),
      backward: (dy, x, o) => gluBackward(dy, x, withoutOut(o)),
      create: (o) => new GLU(o),
    },
    {
      name: "softmin",
      className: "Softmin",
      title: "Softmin",
      summary: "Softmax of -x: a probability distribution that favours the smallest scores.",
      kind: "reduction",
      options: SOFTMAX_OPTIONS,
      formula: {
        f: String.raw`\frac{e^{-x_i}}{\sum_j e^{-x_j}}`,
        df: String.raw`-y_i\,(\delta_{ij} - y_j)`,
      },
      range: "(0, 1), summing to 1",
      properties: { monotonic: false, zeroCentred: false, smooth: true, bounded: true },
      cost: { transcendental: 1, arithmetic: 7 },
      caches: { what: "output", bytesPerElement: 4 },
      shape: { slices: "dim-option", alongDim: "same", acceptsOut: true },
      forward: (x, o) => softmin(x, o),
      backward: (dy, x, o) => softminBackward(dy, softmin(x, withoutOut(o)), withoutOut(o)),
      create: (o) => new Softmin(o),
    },
    {
      name: "softmax2d",
      className: "Softmax2d",
      title: "Softmax2d",
      summary: "Softmax over the channels of every pixel of a (C, H, W) or (N, C, H, W) input.",
      kind: "reduction",
      options: NO_OPTIONS,
      formula: {
        f: String.raw`\frac{e^{x_{c,h,w}}}{\sum_{c'} e^{x_{c',h,w}}}`,
        df: String.raw`y_{c}\,(\delta_{cc'} - y_{c'})`,
      },
      range: "(0, 1), summing to 1 over channels",
      properties: { monotonic: true, zeroCentred: false, smooth: true, bounded: true },
      cost: { transcendental: 1, arithmetic: 6 },
      caches: { what: "output", bytesPerElement: 4 },
      shape: { slices: -3, alongDim: "same", acceptsOut: true },
      forward: (x, o) => softmax2d(x, o),
      backward: (dy, x) => softmax2dBackward(dy, softmax2d(x)),
      create: () => new Softmax2d(),
    },
  ] satisfies ActivationInfo[],
);
