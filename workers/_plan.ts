/**
 * What the pool and the file command must know about an op before cutting a tensor: which dim
 * it keeps whole, the output's size along it (GLU halves it) and whether it honours `out`. All
 * of it is read from the registry's shape behaviour (`entry.shape`); no op is run to learn it.
 * Anything the registry cannot vouch for (a position-dependent call, a dim that does not exist,
 * options core refuses) means "run it whole", where core reports bad options with its own error.
 * Private to the package.
 */

import { type ActivationInfo, type AnyOptions, type DType, Tensor } from "@nonlin/core";
import { allocate, normalizeDim, sizeOf } from "@nonlin/core/internal";

/** How to cut a tensor for an op. */
export interface Plan {
  /** The normalised dim whose slices stay whole, or -1 for an element-wise op. */
  readonly dim: number;
  /** The output's size along `dim` (1 for an element-wise op). */
  readonly mid: number;
  /** The output's shape. */
  readonly shape: readonly number[];
  /** The result's dtype: always the input's. */
  readonly dtype: DType;
  /** Whether the op writes into an `out` of the output's shape (then blocks are computed in place). */
  readonly acceptsOut: boolean;
}

/**
 * The dim an op keeps whole: -1 for element-wise ops; undefined when it cannot be known (a 0-d
 * tensor, an op without the `dim` option it declares) or is invalid (core then reports it).
 */
export function reductionDim(
  entry: ActivationInfo,
  shape: readonly number[],
  options: AnyOptions,
): number | undefined {
  const { slices } = entry.shape;
  if (slices === "none") return -1;
  if (shape.length === 0) return undefined;
  let dim: unknown = slices;
  if (slices === "dim-option") {
    const spec = entry.options.find((s) => s.name === "dim");
    if (spec === undefined) return undefined;
    dim = options.dim ?? spec.default ?? -1;
  }
  try {
    return normalizeDim(dim, shape.length);
  } catch {
    return undefined;
  }
}

/**
 * The plan the registry declares for `entry` on a tensor of `shape` and `dtype` with these
 * options, without looking at the options' validity. Undefined when the call must run whole:
 * an output that depends on its position (PReLU with slopes per channel, RReLU in training), a
 * dim the tensor does not have, a dim GLU cannot halve.
 */
export function derivePlan(
  entry: ActivationInfo,
  shape: readonly number[],
  dtype: DType,
  options: AnyOptions,
): Plan | undefined {
  const dim = reductionDim(entry, shape, options);
  if (dim === undefined || entry.shape.positionDependent?.(options)) return undefined;
  const size = dim < 0 ? 1 : shape[dim];
  const mid = entry.shape.alongDim === "half" ? size / 2 : size;
  if (!Number.isInteger(mid)) return undefined;
  const outShape = dim < 0 ? [...shape] : shape.map((s, d) => (d === dim ? mid : s));
  return { dim, mid, shape: outShape, dtype, acceptsOut: entry.shape.acceptsOut };
}

/**
 * Whether core accepts these options for this pass on a tensor of this rank and size along the
 * plan's dim. Core is asked on an empty tensor of that layout (every other dim 0): nothing is
 * computed and nothing about the shape is learnt, but every check core makes of the options
 * runs (ranges, combinations such as Hardtanh's bounds, Softmax2d's rank), so that a refused
 * call runs whole and fails there with core's own error rather than inside a worker.
 */
export function coreAccepts(
  entry: ActivationInfo,
  shape: readonly number[],
  plan: Plan,
  options: AnyOptions,
  pass: "forward" | "backward",
): boolean {
  const empty = shape.map((s, d) => (d === plan.dim ? s : 0));
  const x = new Tensor(allocate(plan.dtype, sizeOf(empty)), empty);
  try {
    entry.forward(x, options);
    if (pass === "backward") {
      const yShape = empty.map((s, d) => (d === plan.dim ? plan.mid : s));
      entry.backward(new Tensor(allocate(plan.dtype, sizeOf(yShape)), yShape), x, options);
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
  return new Planner().plan(entry, shape, dtype, options, pass);
}

/**
 * {@linkcode planFor} with core's verdict on the options remembered: map() and repeated runs ask
 * the same question of tensors that differ only outside the plan's dim.
 */
export class Planner {
  readonly #accepted = new Map<string, boolean>();

  /** The plan, as {@linkcode planFor} gives it. */
  plan(
    entry: ActivationInfo,
    shape: readonly number[],
    dtype: DType,
    options: AnyOptions,
    pass: "forward" | "backward",
  ): Plan | undefined {
    const plan = derivePlan(entry, shape, dtype, options);
    if (plan === undefined) return undefined;
    const along = plan.dim < 0 ? 0 : shape[plan.dim];
    const key = JSON.stringify([entry.name, dtype, shape.length, plan.dim, along, options, pass]);
    let accepted = this.#accepted.get(key);
    if (accepted === undefined) {
      accepted = coreAccepts(entry, shape, plan, options, pass);
      if (this.#accepted.size >= 256) this.#accepted.clear();
      this.#accepted.set(key, accepted);
    }
    return accepted ? plan : undefined;
  }
}
