/** Helpers shared by the module classes. Private to the package. */

import type { Tensor } from "./tensor.ts";

/** Returns the cached tensor, or explains that `forward` has to run first. */
export function requireForward<T extends Tensor | undefined>(cached: T, className: string): Tensor {
  if (cached === undefined) {
    throw new Error(`Cannot run ${className}.backward() before forward(): call forward(x) first`);
  }
  return cached;
}
