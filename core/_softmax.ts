/** The pieces the softmax family shares. Private to the package. */

import { sumError } from "./_dd.ts";
import type { DataArray } from "./_dtype.ts";
import { resolveOptions } from "./_options.ts";
import { normalizeDim } from "./_shape.ts";
import { SOFTMAX_OPTIONS } from "./_specs.ts";
import type { Tensor } from "./tensor.ts";

/** Resolves and checks the options of a softmax-family function against `x`. */
export function resolveSoftmaxOptions(
  fn: string,
  x: Tensor,
  options: unknown,
  extra?: readonly string[],
): { dim: number; out?: Tensor } {
  const o = resolveOptions<{ dim: number; out?: Tensor }>(fn, options, SOFTMAX_OPTIONS, extra);
  return { dim: normalizeDim(o.dim, x.ndim, `${fn}() option dim`), out: o.out };
}

/**
 * Shifts one slice by its maximum: writes `x - max` as a double-double pair (hi into `dst`,
 * lo into `lo`) and returns the maximum, or NaN when the slice has a NaN or +∞ or is all -∞
 * (the slice's result is then NaN throughout, as in PyTorch).
 */
export function shiftByMax(
  src: DataArray,
  base: number,
  n: number,
  stride: number,
  hi: Float64Array,
  lo: Float64Array,
): number {
  let m = -Infinity;
  for (let j = 0, p = base; j < n; j++, p += stride) {
    const v = src[p];
    if (v > m) m = v;
    else if (v !== v) return NaN;
  }
  if (m === Infinity || m === -Infinity) return NaN;
  for (let j = 0, p = base; j < n; j++, p += stride) {
    // x - max is not always exact; its rounding error would be multiplied by |x - max| in exp.
    const v = src[p], d = v - m;
    hi[j] = d;
    lo[j] = d === -Infinity ? 0 : sumError(v, -m, d);
  }
  return m;
}
