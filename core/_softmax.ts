/** The pieces the softmax family shares. Private to the package. */

import type { KernelBinding, OptionSpec } from "./activation.ts";
import { sumError } from "./_dd.ts";
import { kernelCall } from "./_declare.ts";
import { allocate, type DataArray } from "./_dtype.ts";
import { checkGradient, checkTensor, inputFor, outputFor } from "./_elementwise.ts";
import { wasmRows } from "./_kernels/wasm/mod.ts";
import { slicesAlong } from "./_slices.ts";
import { resolveOptions } from "./_options.ts";
import { normalizeDim } from "./_shape.ts";
import { Tensor } from "./tensor.ts";

/** The softmax family's `dim`. */
export const SOFTMAX_OPTIONS: readonly OptionSpec[] = [{
  name: "dim",
  kind: "integer",
  default: -1,
  description: "dimension to normalise over (negative counts from the end)",
}];

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

/**
 * The forward pass of a softmax-family function: checks, the output (or `out`), then the
 * WebAssembly row kernel `kernel` when the slices are contiguous rows (dim is the last) and kernels are
 * on, else the reference `into(x, dim, dst)`.
 */
export function normaliseAlong(
  fn: "softmax" | "logSoftmax",
  x: Tensor,
  options: unknown,
  into: (x: Tensor, dim: number, dst: DataArray) => void,
  kernel?: KernelBinding,
): Tensor {
  checkTensor(x, `${fn}() argument x`);
  const { dim, out } = resolveSoftmaxOptions(fn, x, options);
  const y = outputFor(fn, x, out);
  x = inputFor(x, y);
  const last = dim === x.ndim - 1 || x.ndim === 0;
  const call = kernel === undefined ? undefined : kernelCall(kernel);
  const cols = x.ndim === 0 ? 1 : x.shape[dim];
  if (!(last && call !== undefined && wasmRows(call.name, x.data, y.data, cols))) {
    into(x, dim, y.data);
  }
  return y;
}

/**
 * The backward pass of a softmax-family function from its output `y`: checks, then
 * `slice(gy, yy, out, base, n, stride)` for every slice along `dim`.
 */
export function backwardAlong(
  fn: string,
  gradOutput: Tensor,
  y: Tensor,
  options: unknown,
  slice: (
    gy: DataArray,
    yy: DataArray,
    out: DataArray,
    base: number,
    n: number,
    stride: number,
  ) => void,
): Tensor {
  checkTensor(y, `${fn}() argument y`);
  const g = checkGradient(fn, gradOutput, y, "y");
  const { dim } = resolveSoftmaxOptions(fn, y, options, []);
  const layout = slicesAlong(y.shape, dim);
  const out = allocate(y.dtype, y.size);
  for (let k = 0; k < layout.count; k++) {
    slice(g.data, y.data, out, layout.start(k), layout.n, layout.stride);
  }
  return new Tensor(out, y.shape);
}
