/**
 * Evaluating a registry entry over a grid of x, for plots: f(x) from `forward` and f'(x) from
 * `backward` with a gradient of ones, so the plotted derivative is the library's own.
 *
 * Runs in the browser and on the server.
 */

import { type ActivationInfo, tensor } from "@nonlin/core";

/** Options of {@linkcode sampleActivation}. */
export interface SampleOptions {
  /** Smallest x. */
  from: number;
  /** Largest x. */
  to: number;
  /** Number of points, at least 2. @default {241} */
  count?: number;
  /** The activation's own options (alpha, approximate, …). */
  options?: Record<string, unknown>;
  /** Element type of the evaluation. @default {"float64"} */
  dtype?: "float32" | "float64";
}

/** f and f' on a grid; non-finite values are `NaN` so that a plot breaks the line there. */
export interface Samples {
  /** The grid. */
  x: number[];
  /** f(x). */
  f: number[];
  /** f'(x). */
  df: number[];
}

/** Evenly spaced numbers from `from` to `to` inclusive. */
export function linspace(from: number, to: number, count: number): number[] {
  if (!Number.isInteger(count) || count < 2) {
    throw new RangeError(`Cannot make a grid of ${count} points: expected an integer ≥ 2`);
  }
  const step = (to - from) / (count - 1);
  return Array.from({ length: count }, (_, i) => (i === count - 1 ? to : from + i * step));
}

/**
 * Evaluates one scalar input through `info`, returning f(x) and f'(x).
 *
 * Element-wise entries see `[x]`. Reductions (softmax, glu, …) see the vector `[x, 0]` and
 * report its first output, whose derivative with respect to x is the first entry of the
 * backward pass for a one-hot gradient: for softmax that is the logistic sigmoid, which is
 * the honest one-dimensional view of a function of many inputs. A reduction that refuses a
 * vector (softmax2d wants an image) gets the same two values as channels of a 1×1 image.
 */
export function evaluateAt(
  info: ActivationInfo,
  values: readonly number[],
  options: Record<string, unknown> = {},
  dtype: "float32" | "float64" = "float64",
): { f: number[]; df: number[] } {
  if (info.kind === "elementwise") {
    const x = tensor(values as number[], { dtype });
    const y = info.forward(x, options);
    const dy = info.backward(tensor(values.map(() => 1), { dtype }), x, options);
    return { f: [...y.data], df: [...dy.data] };
  }
  const shape = reductionShape(info, options, dtype);
  const f: number[] = [];
  const df: number[] = [];
  for (const v of values) {
    const x = tensor([v, 0], { dtype, shape });
    const y = info.forward(x, options);
    const grad = new Array(y.size).fill(0);
    grad[0] = 1;
    const dx = info.backward(tensor(grad, { dtype, shape: y.shape }), x, options);
    f.push(y.data[0]);
    df.push(dx.data[0]);
  }
  return { f, df };
}

/** The shape of the two-value input a reduction accepts: `[2]`, else a 2-channel 1×1 image. */
function reductionShape(
  info: ActivationInfo,
  options: Record<string, unknown>,
  dtype: "float32" | "float64",
): number[] {
  for (const shape of [[2], [2, 1, 1]]) {
    try {
      info.forward(tensor([0, 0], { dtype, shape }), options);
      return shape;
    } catch (error) {
      if (!(error instanceof RangeError)) throw error;
    }
  }
  return [2];
}

/** Samples f and f' of `info` over `[from, to]`. */
export function sampleActivation(info: ActivationInfo, options: SampleOptions): Samples {
  const x = linspace(options.from, options.to, options.count ?? 241);
  const { f, df } = evaluateAt(info, x, options.options ?? {}, options.dtype ?? "float64");
  const finite = (v: number) => (Number.isFinite(v) ? v : NaN);
  return { x, f: f.map(finite), df: df.map(finite) };
}

/** The default options of an entry, as its option specs declare them. */
export function defaultOptions(info: ActivationInfo): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const spec of info.options) {
    if (spec.default !== undefined) result[spec.name] = spec.default;
  }
  return result;
}

/** Finds a registry entry by functional name. */
export function findActivation(
  registry: readonly ActivationInfo[],
  name: string,
): ActivationInfo | undefined {
  return registry.find((info) => info.name === name);
}

/** Drops options left empty in a form, so that the library applies its own defaults. */
export function cleanOptions(options: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
}
