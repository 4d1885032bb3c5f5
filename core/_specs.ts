/**
 * The option specs of every activation, in one private table: the functions validate against
 * them and the registry publishes them.
 */

import type { OptionSpec } from "./_options.ts";

/** GELU's `approximate`. */
export const GELU_OPTIONS: readonly OptionSpec[] = [{
  name: "approximate",
  kind: "enum",
  values: ["none", "tanh", "sigmoid"],
  default: "none",
  description: "exact erf form, or the tanh or sigmoid approximation",
}];

/** The softmax family's `dim`. */
export const SOFTMAX_OPTIONS: readonly OptionSpec[] = [{
  name: "dim",
  kind: "integer",
  default: -1,
  description: "dimension to normalise over (negative counts from the end)",
}];
