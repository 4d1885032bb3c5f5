/**
 * Test helpers for code that uses nonlin: a NaN-aware closeness assertion that reports the
 * worst element, and a central-difference gradient checker.
 *
 * @module
 */

import { AssertionError } from "node:assert";
import { show } from "./_shape.ts";
import { type NestedArray, Tensor, tensor } from "./tensor.ts";

/** Tolerances of {@linkcode assertClose}: passes where |a - e| ≤ atol + rtol·|e|. */
export interface CloseOptions {
  /** Relative tolerance. @default {1e-6} */
  rtol?: number;
  /** Absolute tolerance. @default {1e-12} */
  atol?: number;
  /** Prefix for the failure message. */
  message?: string;
}

function flatten(v: Tensor | NestedArray | ArrayLike<number>, what: string): {
  data: ArrayLike<number>;
  shape: readonly number[];
} {
  if (v instanceof Tensor) return { data: v.data, shape: v.shape };
  if (typeof v === "number") return { data: [v], shape: [] };
  if (ArrayBuffer.isView(v)) {
    return { data: v as unknown as ArrayLike<number>, shape: [(v as Float64Array).length] };
  }
  if (Array.isArray(v)) {
    const t = tensor(v as NestedArray, { dtype: "float64" });
    return { data: t.data, shape: t.shape };
  }
  throw new TypeError(`Cannot compare ${what} ${show(v)}: expected a Tensor, number or array`);
}

function checkTolerance(name: string, value: number): void {
  if (typeof value !== "number" || !(value >= 0)) {
    throw new RangeError(`Cannot use ${name} ${show(value)}: expected a number ≥ 0`);
  }
}

/**
 * Asserts that `actual` and `expected` have the same shape and are element-wise close:
 * |a - e| ≤ atol + rtol·|e|. NaN matches only NaN, and ±∞ only the same infinity. On failure
 * the message names the worst element, its index and both values.
 *
 * @example Usage
 * ```ts
 * import { sigmoid, tensor } from "@nonlin/core";
 * import { assertClose } from "@nonlin/core/testing";
 * import assert from "node:assert/strict";
 *
 * assertClose(sigmoid(tensor([0, NaN])), [0.5, NaN]);
 * assert.throws(() => assertClose(tensor([1, 2]), [1, 2.5]), /index 1/);
 * ```
 */
export function assertClose(
  actual: Tensor | NestedArray | ArrayLike<number>,
  expected: Tensor | NestedArray | ArrayLike<number>,
  options: CloseOptions = {},
): void {
  const { rtol = 1e-6, atol = 1e-12, message } = options;
  checkTolerance("rtol", rtol);
  checkTolerance("atol", atol);
  const a = flatten(actual, "actual"), e = flatten(expected, "expected");
  const prefix = message ? `${message}: ` : "";
  if (a.shape.length !== e.shape.length || a.shape.some((d, i) => d !== e.shape[i])) {
    throw new AssertionError({
      message: `${prefix}shapes differ: actual ${show(a.shape)}, expected ${show(e.shape)}`,
    });
  }
  let worst = -1, worstExcess = 0, bad = 0;
  for (let i = 0; i < a.data.length; i++) {
    const x = a.data[i], y = e.data[i];
    let excess: number;
    if (x !== x || y !== y) excess = x !== x && y !== y ? 0 : Infinity;
    else if (!Number.isFinite(x) || !Number.isFinite(y)) excess = x === y ? 0 : Infinity;
    else excess = Math.abs(x - y) - (atol + rtol * Math.abs(y));
    if (excess > 0) {
      bad++;
      if (excess > worstExcess || worst < 0) {
        worst = i;
        worstExcess = excess;
      }
    }
  }
  if (bad > 0) {
    throw new AssertionError({
      message:
        `${prefix}${bad} of ${a.data.length} elements differ beyond rtol ${rtol}, atol ${atol}; ` +
        `worst at index ${worst} (${indexOf(worst, e.shape)}): actual ${a.data[worst]}, expected ${
          e.data[worst]
        }`,
    });
  }
}

function indexOf(flat: number, shape: readonly number[]): string {
  const idx: number[] = [];
  for (let d = shape.length - 1; d >= 0; d--) {
    idx.unshift(flat % shape[d]);
    flat = Math.floor(flat / shape[d]);
  }
  return `[${idx.join(", ")}]`;
}

/** Options of {@linkcode numericalGradient} and {@linkcode assertGradient}. */
export interface GradientOptions extends CloseOptions {
  /** Step of the central difference. @default {1e-6} */
  eps?: number;
}

/**
 * dL/dx of `L = Σ f(x) ⊙ gradOutput` by central differences in float64:
 * (L(x + h) - L(x - h)) / 2h for each element in turn.
 *
 * @example Usage
 * ```ts
 * import { tensor } from "@nonlin/core";
 * import { numericalGradient } from "@nonlin/core/testing";
 * import assert from "node:assert/strict";
 *
 * const square = (x: ReturnType<typeof tensor>) => x.mul(x);
 * const g = numericalGradient(square, tensor([3], { dtype: "float64" }), tensor([1]));
 * assert.ok(Math.abs(g.item() - 6) < 1e-6);
 * ```
 */
export function numericalGradient(
  f: (x: Tensor) => Tensor,
  x: Tensor,
  gradOutput: Tensor,
  options: GradientOptions = {},
): Tensor {
  const { eps = 1e-6 } = options;
  if (typeof eps !== "number" || !(eps > 0)) {
    throw new RangeError(`Cannot use eps ${show(eps)}: expected a number > 0`);
  }
  const base = x.clone({ dtype: "float64" });
  const g = gradOutput.clone({ dtype: "float64" }).data;
  const out = new Float64Array(x.size);
  const loss = (t: Tensor) => {
    const y = f(t).data;
    let s = 0;
    for (let i = 0; i < y.length; i++) s += y[i] * g[i];
    return s;
  };
  for (let i = 0; i < x.size; i++) {
    const v = base.data[i];
    base.data[i] = v + eps;
    const up = loss(base);
    base.data[i] = v - eps;
    const down = loss(base);
    base.data[i] = v;
    out[i] = (up - down) / (2 * eps);
  }
  return new Tensor(out, x.shape);
}

/**
 * Asserts that an analytic backward agrees with central differences (float64, default
 * rtol 1e-5, atol 1e-7).
 *
 * @example Usage
 * ```ts
 * import { sigmoid, sigmoidBackward, tensor } from "@nonlin/core";
 * import { assertGradient } from "@nonlin/core/testing";
 *
 * const x = tensor([-2, 0, 3], { dtype: "float64" });
 * const dy = tensor([1, 2, 3], { dtype: "float64" });
 * assertGradient(sigmoid, sigmoidBackward, x, dy);
 * ```
 */
export function assertGradient(
  f: (x: Tensor) => Tensor,
  backward: (gradOutput: Tensor, x: Tensor) => Tensor,
  x: Tensor,
  gradOutput: Tensor,
  options: GradientOptions = {},
): void {
  const { rtol = 1e-5, atol = 1e-7, ...rest } = options;
  const numeric = numericalGradient(f, x, gradOutput, rest);
  const analytic = backward(gradOutput, x);
  assertClose(analytic, numeric, { rtol, atol, message: options.message ?? "gradient" });
}
