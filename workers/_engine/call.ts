/**
 * One call of the pool as core would see it (the entry, `x`, `gradOutput`, the options and
 * `out`), and whether it may be cut into shards. Anything the pool cannot cut exactly, or that
 * core is about to reject, is computed whole on the calling thread, where core throws its own
 * error. Private to the package.
 */

import { type ActivationInfo, type AnyOptions, getActivation, Tensor } from "@nonlin/core";
import { sameShape } from "@nonlin/core/internal";
import { wrongType } from "../_errors.ts";
import type { Plan, Planner } from "../_plan.ts";

/** A forward or backward call, checked as far as the pool needs. */
export interface Call {
  readonly pass: "forward" | "backward";
  readonly entry: ActivationInfo;
  readonly x: Tensor;
  /** dL/dy, for the backward pass; any value: core checks it. */
  readonly gradOutput?: unknown;
  /** The `out` option of a forward pass; any value: core checks it. */
  readonly out?: unknown;
  /** The op's options, without `out`. */
  readonly options: AnyOptions;
  /** What an element of this op costs here is learnt under this key. */
  readonly costKey: string;
}

/** Reads a call's arguments: an unknown op is core's RangeError, an `x` not a Tensor a TypeError. */
export function callOf(
  pass: "forward" | "backward",
  op: string,
  x: unknown,
  gradOutput: unknown,
  options: AnyOptions,
): Call {
  const entry = getActivation(op);
  if (!(x instanceof Tensor)) throw wrongType(`${op}() argument x`, x, "a Tensor");
  // Core's backward functions take no `out`; neither does the pool's.
  const { out, ...rest } = options;
  const costKey = JSON.stringify([entry.name, x.dtype, pass, rest]);
  return {
    pass,
    entry,
    x,
    options: rest,
    costKey,
    ...(pass === "backward" ? { gradOutput } : out === undefined ? {} : { out }),
  };
}

/** Computes the call whole on this thread, with core's checks and errors. */
export function computeWhole(call: Call): Tensor {
  const { entry, x, options, out } = call;
  return call.pass === "forward"
    ? entry.forward(x, out === undefined ? options : { ...options, out })
    : entry.backward(call.gradOutput as Tensor, x, options);
}

/**
 * How to cut the call, or undefined when it must be computed whole: tensor-valued options (a
 * PReLU weight would need cutting along with x), an empty x, no plan, a `gradOutput` or `out`
 * core would refuse, or an `out` that shares part of x's memory.
 */
export function planOf(call: Call, planner: Planner): Plan | undefined {
  const { x, options } = call;
  if (Object.values(options).some((v) => typeof v === "object" && v !== null)) return undefined;
  if (call.pass === "backward" && !(call.gradOutput instanceof Tensor)) return undefined;
  if (x.size === 0) return undefined;
  const plan = planner.plan(call.entry, x.shape, x.dtype, options, call.pass);
  if (plan === undefined) return undefined;
  const dy = call.gradOutput;
  if (dy instanceof Tensor && (!sameShape(dy.shape, plan.shape) || dy.dtype !== x.dtype)) {
    return undefined;
  }
  return call.out === undefined || cutsInto(call.out, x, plan) ? plan : undefined;
}

/** Whether shards can write into `out`: one core accepts, in memory apart from x's. */
function cutsInto(out: unknown, x: Tensor, plan: Plan): boolean {
  const fits = out instanceof Tensor && sameShape(out.shape, plan.shape) &&
    out.dtype === plan.dtype;
  if (!fits || !plan.acceptsOut) return false;
  // An out sharing part of x's memory: shards would overwrite each other's inputs. Core reads
  // such an x from a copy; the calling thread computes it (rare, and then correct).
  const a = x.data, b = out.data;
  const same = a.byteOffset === b.byteOffset && a.length === b.length;
  return a.buffer !== b.buffer || same;
}
