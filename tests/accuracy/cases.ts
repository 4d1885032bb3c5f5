/**
 * What the accuracy verification checks: every element-wise activation of the registry in the
 * option variants users are likely to pick (the defaults, plus the non-default variants the unit
 * tests use), forward and backward. Each side names its exact value (see `oracle.ts`), its
 * limits at ±∞, a second float64 implementation independent of the reference path (the
 * WebAssembly kernels where there are some, else plain formulas), and the cut-off constants of
 * the code, which the float64 sweep visits.
 *
 * @module
 */

import {
  ACTIVATIONS,
  type AnyOptions,
  getActivation,
  getKernels,
  setKernels,
  sigmoid,
  Tensor,
} from "@nonlin/core";
import { kernelCall, wasmKernels } from "@nonlin/core/internal";
import type { Decimal } from "decimal.js";
import { type Exact, SELU_ALPHA, SELU_SCALE } from "./oracle.ts";

/** One direction of one case. */
export interface Side {
  /** The library's result: f(x), or f'(x) as the backward pass with gradOutput 1. */
  run(x: Tensor): Tensor;
  /** The exact value at a finite x (Decimal), for the smooth functions. */
  exact?(x: Decimal): Exact;
  /**
   * The exact value at a finite x as a double-double [hi, lo] (hi the correctly rounded
   * double), for the piecewise-linear functions, whose values are sums and products of two
   * doubles.
   */
  exactDD?(x: number): [number, number];
  /** The values at -∞ and +∞. */
  atInfinity: readonly [number, number];
  /** A second float64 implementation, independent of the reference path, on many inputs. */
  independent?(x: Float64Array): Float64Array;
  /**
   * The exact value for 0 < |x| < 2^-60 as a double-double [x/2, c·x²] (or [x, c·x²]): there the
   * float64 values are exactly halfway between two float32 numbers whenever x/2 is, and only
   * the x² term says which way the exact value lies.
   */
  tiny?(x: number): [number, number];
  /** f(-0) is +0 (an even function, or a square), not -0 as for x·g(x). */
  evenAtZero?: boolean;
}

/** One activation in one option variant. */
export interface Case {
  /** `"softplus(beta=2)"`. */
  readonly id: string;
  /** The registry name. */
  readonly name: string;
  readonly options: AnyOptions;
  /** Whether the forward pass has a WebAssembly kernel, per dtype. */
  readonly kernels: { readonly float32: boolean; readonly float64: boolean };
  readonly forward: Side;
  readonly backward: Side;
  /** Constants in the code where a formula changes: the float64 sweep visits each closely. */
  readonly cutoffs: readonly number[];
}

/** Runs `f` on `x` as a float64 tensor on the kernel path, restoring the mode after. */
export function onKernels(f: (t: Tensor) => Tensor, x: Float64Array): Float64Array {
  const mode = getKernels();
  setKernels("auto");
  try {
    return f(new Tensor(x)).data as Float64Array;
  } finally {
    setKernels(mode);
  }
}

/** Element-wise map in plain float64. */
export function map(x: Float64Array, f: (v: number) => number): Float64Array {
  const y = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) y[i] = f(x[i]);
  return y;
}

/** σ from the float64 kernel, at x and at -x. */
export function sigmoids(x: Float64Array, scale = 1): [Float64Array, Float64Array] {
  const v = map(x, (a) => a * scale), w = map(x, (a) => -a * scale);
  return [onKernels((t) => sigmoid(t), v), onKernels((t) => sigmoid(t), w)];
}

/** The product a·b of two doubles as an exact double-double. */
export function twoProd(a: number, b: number): [number, number] {
  const p = a * b;
  if (!Number.isFinite(p) || p === 0) return [p, 0];
  const s = 134217729;
  let t = s * a;
  const ah = t - (t - a), al = a - ah;
  t = s * b;
  const bh = t - (t - b), bl = b - bh;
  return [p, ((ah * bh - p) + ah * bl + al * bh) + al * bl];
}

/** The sum a + b of two doubles as an exact double-double. */
export function twoSum(a: number, b: number): [number, number] {
  const s = a + b;
  if (!Number.isFinite(s)) return [s, 0];
  const bb = s - a;
  return [s, (a - (s - bb)) + (b - bb)];
}

/** (h + l)/6 for an exact double-double h + l, to 2^-105 (never a tie: 6 = 2·3). */
export function sixth([h, l]: [number, number]): [number, number] {
  const q = h / 6;
  const [p, pe] = twoProd(q, 6);
  const r = ((h - p) - pe + l) / 6;
  const hi = q + r;
  return [hi, r - (hi - q)];
}

/** √(2/π), GELU's tanh form. */
export const C: number = Math.sqrt(2 / Math.PI);
/** SELU's scale λ and λα as doubles. */
export const SELU_L: number = SELU_SCALE.toNumber(),
  SELU_LA: number = SELU_SCALE.mul(SELU_ALPHA).toNumber();

/**
 * RReLU's slope in evaluation as the code applies it: the mean of the two bounds rounded to a
 * double, as PyTorch does; the products with it are then exact double-doubles.
 */
export function rreluSlope(o: AnyOptions): number {
  return ((o.lower as number) + (o.upper as number)) / 2;
}

/** A step function's derivative: `inside` where the predicate holds, else 0 (NaN for NaN). */
export function stepDD(
  inside: (v: number) => boolean,
  value: number,
): (x: number) => [number, number] {
  return (x) => [x !== x ? x : inside(x) ? value : 0, 0];
}

/** One option variant of an activation's verification, as its test file writes it. */
export type Variant = {
  options?: AnyOptions;
  forward: Omit<Side, "run">;
  backward: Omit<Side, "run">;
  cutoffs?: number[];
};

/** An activation's variants, from its options resolved to their defaults. */
export type Variants = (defaults: AnyOptions) => Variant[];

function describe(o: AnyOptions): string {
  const keys = Object.keys(o);
  return keys.length === 0 ? "" : `(${keys.map((k) => `${k}=${o[k]}`).join(", ")})`;
}

/** Whether the registry binds a WebAssembly kernel that the module has for this dtype. */
function hasKernel(name: string, options: AnyOptions, dtype: "float32" | "float64"): boolean {
  const binding = getActivation(name).kernel;
  const call = binding === undefined ? undefined : kernelCall(binding, options);
  return call !== undefined && wasmKernels(dtype).includes(call.name);
}

/** The cases of one element-wise activation: its variants wired to the registry's entry. */
export function casesOf(name: string, variants: Variants): Case[] {
  const info = getActivation(name);
  const defaults: AnyOptions = {};
  for (const o of info.options) defaults[o.name] = o.default;
  return variants(defaults).map((v) => {
    const options = v.options ?? {};
    const resolved = { ...defaults, ...options };
    return {
      id: `${name}${describe(options)}`,
      name,
      options,
      kernels: {
        float32: hasKernel(name, resolved, "float32"),
        float64: hasKernel(name, resolved, "float64"),
      },
      forward: { ...v.forward, run: (x) => info.forward(x, options) },
      backward: {
        ...v.backward,
        run: (x) => {
          const dy = new Tensor(
            x.dtype === "float32"
              ? new Float32Array(x.size).fill(1)
              : new Float64Array(x.size).fill(1),
          );
          return info.backward(dy, x, options);
        },
      },
      cutoffs: v.cutoffs ?? [0],
    };
  });
}

/** The file name of an activation: `leakyRelu` → `leaky_relu`. */
export function fileOf(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/**
 * Every verification case, in registry order, from the `VERIFICATION` export of each
 * element-wise activation's test file (`core/<name>_test.ts`); throws if one has none. For
 * `deno run` only (`verify.ts` and its workers): under `deno test`, importing the test files
 * would register their tests a second time.
 */
export async function verificationCases(): Promise<Case[]> {
  const cases: Case[] = [];
  for (const entry of ACTIVATIONS) {
    if (entry.kind !== "elementwise") continue;
    const url = new URL(`../../core/${fileOf(entry.name)}_test.ts`, import.meta.url);
    const { VERIFICATION } = await import(url.href) as { VERIFICATION?: Case[] };
    if (VERIFICATION === undefined) {
      throw new Error(`No accuracy verification for the element-wise activation ${entry.name}`);
    }
    cases.push(...VERIFICATION);
  }
  return cases;
}
