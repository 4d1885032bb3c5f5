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
    // With per-channel parameters (PReLU's numParameters > 1) each x goes through channel 0 of
    // a [n, channels] batch: every channel starts from the same parameters, so channel 0 is the
    // curve of all of them.
    const channels = info.shape.positionDependent?.(options) ? channelCount(info, options) : 1;
    const spread = values.flatMap((v) => Array<number>(channels).fill(v));
    const shape = channels > 1 ? [values.length, channels] : [values.length];
    const x = tensor(spread, { dtype, shape });
    const y = info.forward(x, options);
    const dy = info.backward(tensor(spread.map(() => 1), { dtype, shape }), x, options);
    const first = (data: ArrayLike<number>) => values.map((_, i) => data[i * channels]);
    return { f: first(y.data), df: first(dy.data) };
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

/** Largest channel count {@linkcode channelCount} looks for. */
const MAX_CHANNELS = 4096;

/**
 * How many channels (entries of dim 1) an entry needs with these options: the smallest `c`
 * for which a `[1, c]` input is accepted. The registry says only that the options make the
 * output depend on position (PReLU with one slope per channel), not on how many positions, so
 * the library's own validation answers. Throws a `RangeError` when no size up to
 * {@linkcode MAX_CHANNELS} is accepted.
 */
export function channelCount(info: ActivationInfo, options: Record<string, unknown>): number {
  let last: unknown;
  for (let c = 1; c <= MAX_CHANNELS; c++) {
    try {
      info.forward(tensor(new Array(c).fill(0), { shape: [1, c] }), options);
      return c;
    } catch (error) {
      if (!(error instanceof RangeError)) throw error;
      last = error;
    }
  }
  throw last instanceof RangeError ? last : new RangeError(
    `Cannot find how many channels ${info.name}() wants: none of 1 to ${MAX_CHANNELS} works`,
  );
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

/**
 * A value to start an option's control at, and to draw with: its default, else (for a required
 * option) the smallest value that needs no explaining: 0 when allowed, else its lower bound, the
 * first of an enum's values, false.
 */
export function startValue(spec: ActivationInfo["options"][number]): unknown {
  if (spec.default !== undefined) return spec.default;
  if (spec.kind === "enum") return spec.values?.[0];
  if (spec.kind === "boolean") return false;
  if (spec.min !== undefined && spec.min > 0) return spec.min;
  if (spec.above !== undefined && spec.above >= 0) return spec.above + 1;
  if (spec.max !== undefined && spec.max < 0) return spec.max;
  return 0;
}

/**
 * The options an entry is shown with before anyone changes them: each default, and a
 * {@linkcode startValue} for a required option (Threshold's `threshold` and `value` start at 0),
 * so a control never sits empty beside a plot drawn with something.
 */
export function defaultOptions(info: ActivationInfo): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const spec of info.options) result[spec.name] = startValue(spec);
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
