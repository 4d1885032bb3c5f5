/**
 * What the pool and the file command must know about an op before cutting a tensor: which dim
 * it keeps whole, the output's size along it (GLU halves it) and whether it honours `out`.
 * Learnt by running the op on one slice; anything unexpected means "run it whole".
 * Private to the package.
 */

import type { ActivationInfo, AnyOptions, DType, Tensor as TensorType } from "@nonlin/core";
import { Tensor } from "@nonlin/core";
import { allocateArray, sameShape, sizeOfShape } from "./_blocks.ts";

/** How to cut a tensor for an op. */
export interface Plan {
  /** The normalised dim whose slices stay whole, or -1 for an element-wise op. */
  readonly dim: number;
  /** The output's size along `dim` (1 for an element-wise op). */
  readonly mid: number;
  /** The output's shape. */
  readonly shape: readonly number[];
  /** The result's dtype. */
  readonly dtype: DType;
  /** Whether the op writes into an `out` of the output's shape (then blocks are computed in place). */
  readonly acceptsOut: boolean;
}

/**
 * The dim an op keeps whole: -1 for element-wise ops; undefined when it cannot be known (a
 * reduction without a `dim` option) or is invalid (core then reports it).
 */
export function reductionDim(
  entry: ActivationInfo,
  shape: readonly number[],
  options: AnyOptions,
): number | undefined {
  if (entry.kind === "elementwise") return -1;
  const spec = entry.options.find((s) => s.name === "dim");
  const ndim = shape.length;
  if (spec === undefined || ndim === 0) return undefined;
  const dim = options.dim ?? spec.default ?? -1;
  if (typeof dim !== "number" || !Number.isInteger(dim) || dim < -ndim || dim >= ndim) {
    return undefined;
  }
  return dim < 0 ? dim + ndim : dim;
}

/**
 * Whether an element-wise op is really point-wise with these options: each output depends only
 * on its own input, not on its position. Not so for PReLU with one slope per channel, or RReLU
 * in training (slopes drawn in element order from a seed). Checked on a tiny tensor of x's rank
 * (each dim at most 2) against the op applied to each element alone.
 */
function pointwise(
  entry: ActivationInfo,
  shape: readonly number[],
  dtype: DType,
  options: AnyOptions,
): boolean {
  const small = shape.map((s) => Math.min(s, 2));
  const n = sizeOfShape(small);
  const data = allocateArray(dtype, n, false);
  // Mostly negative, all different: rectifiers with slopes only show them below zero.
  for (let i = 0; i < n; i++) data[i] = i % 4 === 3 ? 0.5 + i : -0.375 * (i + 1);
  try {
    const whole = entry.forward(new Tensor(data, small), options).data;
    const one = small.map(() => 1);
    for (let i = 0; i < n; i++) {
      const alone = allocateArray(dtype, 1, false);
      alone[0] = data[i];
      const y = entry.forward(new Tensor(alone, one), options).data[0];
      if (!Object.is(y, whole[i]) && !(y !== y && whole[i] !== whole[i])) return false;
    }
    return true;
  } catch {
    return false;
  }
}

/**
 * Plans `pass` of `entry` on a tensor of `shape` and `dtype`. Undefined when the op cannot be
 * cut (it must then run whole, where core also reports bad options with its exact message).
 */
export function planFor(
  entry: ActivationInfo,
  shape: readonly number[],
  dtype: DType,
  options: AnyOptions,
  pass: "forward" | "backward",
): Plan | undefined {
  const dim = reductionDim(entry, shape, options);
  if (dim === undefined) return undefined;
  const probeShape = shape.map((s, d) => (d === dim ? s : 1));
  const small = new Tensor(allocateArray(dtype, sizeOfShape(probeShape), false), probeShape);
  let y: TensorType, resultType: DType;
  try {
    y = entry.forward(small, options);
    resultType = y.dtype;
    if (pass === "backward") {
      const dy = new Tensor(allocateArray(y.dtype, y.size, false), y.shape);
      resultType = entry.backward(dy, small, options).dtype;
    }
  } catch {
    // Bad options, or options that only fit the real shape (PReLU's slopes per channel).
    return undefined;
  }
  if (dim < 0 && !pointwise(entry, shape, dtype, options)) return undefined;
  const perSlice = probeShape.map((s, d) => (d === dim ? y.shape[d] : s));
  if (!sameShape(y.shape, perSlice)) return undefined;
  let acceptsOut = false;
  try {
    const out = new Tensor(allocateArray(y.dtype, y.size, false), y.shape);
    acceptsOut = entry.forward(small, { ...options, out }).data === out.data;
  } catch {
    acceptsOut = false;
  }
  const mid = dim < 0 ? 1 : y.shape[dim];
  const outShape = dim < 0 ? [...shape] : shape.map((s, d) => (d === dim ? mid : s));
  return { dim, mid, shape: outShape, dtype: resultType, acceptsOut };
}
