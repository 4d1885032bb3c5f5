/**
 * The option specs of the smooth activations (Softplus, GLU), in one private table: the
 * functions validate against them and the registry publishes them.
 */

import type { OptionSpec } from "./_options.ts";

/** Softplus's `beta` and `threshold`, with PyTorch's defaults. */
export const SOFTPLUS_OPTIONS: readonly OptionSpec[] = [{
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

/** GLU's `dim`. */
export const GLU_OPTIONS: readonly OptionSpec[] = [{
  name: "dim",
  kind: "integer",
  default: -1,
  description: "dimension split into halves a and b (negative counts from the end)",
}];
