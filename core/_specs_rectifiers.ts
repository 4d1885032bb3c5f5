/**
 * The option specs of the rectifier family (ReLU6 to Hardswish): the functions validate against
 * them and the registry publishes them. Private to the package.
 */

import type { OptionSpec } from "./_options.ts";

/** LeakyReLU's `negativeSlope`. */
export const LEAKY_RELU_OPTIONS: readonly OptionSpec[] = [{
  name: "negativeSlope",
  kind: "number",
  default: 0.01,
  description: "slope for x ≤ 0",
}];

/** PReLU's module options: how many slopes to learn and their initial value. */
export const PRELU_OPTIONS: readonly OptionSpec[] = [{
  name: "numParameters",
  kind: "integer",
  min: 1,
  default: 1,
  description: "number of learnable slopes: 1 (shared) or the size of dim 1 (one per channel)",
}, {
  name: "init",
  kind: "number",
  default: 0.25,
  description: "initial value of every slope",
}, {
  name: "dtype",
  kind: "enum",
  values: ["float32", "float64"],
  default: "float32",
  description: "element type of the weight",
}];

/** RReLU's bounds, mode and seed. */
export const RRELU_OPTIONS: readonly OptionSpec[] = [{
  name: "lower",
  kind: "number",
  default: 1 / 8,
  description: "lower bound of the random slope",
}, {
  name: "upper",
  kind: "number",
  default: 1 / 3,
  description: "upper bound of the random slope",
}, {
  name: "training",
  kind: "boolean",
  default: false,
  description: "sample a slope per element (training) or use (lower + upper) / 2 (evaluation)",
}, {
  name: "seed",
  kind: "integer",
  default: 0,
  description: "seed of the slope generator in training mode",
}];

/** ELU's `alpha`. */
export const ELU_OPTIONS: readonly OptionSpec[] = [{
  name: "alpha",
  kind: "number",
  min: 0,
  default: 1,
  description: "finite; ELU saturates to -alpha as x → -∞",
}];

/** CELU's `alpha` (0 would divide by zero). */
export const CELU_OPTIONS: readonly OptionSpec[] = [{
  name: "alpha",
  kind: "number",
  above: 0,
  default: 1,
  description: "finite; scale of the negative part, which saturates to -alpha",
}];

/** Hardtanh's clamping bounds. */
export const HARDTANH_OPTIONS: readonly OptionSpec[] = [{
  name: "minVal",
  kind: "number",
  default: -1,
  description: "lower clamping bound",
}, {
  name: "maxVal",
  kind: "number",
  default: 1,
  description: "upper clamping bound (≥ minVal)",
}];

/** Hardshrink's and Softshrink's `lambda`. */
export const SHRINK_OPTIONS: readonly OptionSpec[] = [{
  name: "lambda",
  kind: "number",
  min: 0,
  default: 0.5,
  description: "half-width of the dead zone [-lambda, lambda] (may be ∞)",
}];

/** Threshold's `threshold` and `value`, both required as in PyTorch. */
export const THRESHOLD_OPTIONS: readonly OptionSpec[] = [{
  name: "threshold",
  kind: "number",
  required: true,
  description: "inputs at or below it are replaced",
}, {
  name: "value",
  kind: "number",
  required: true,
  description: "the replacement",
}];
