/**
 * What an activation is, as the registry declares it: its description (formula, options,
 * ranges, cost, what backward caches), its shape behaviour and its wiring (forward, backward,
 * module class). Each activation's own file declares its entry with these types.
 *
 * @module
 */

import type { OptionSpec } from "./_options.ts";
import type { Module } from "./module.ts";
import type { Tensor } from "./tensor.ts";

export type { OptionSpec } from "./_options.ts";

/** Options as the registry passes them: a plain record, validated by the function itself. */
export type AnyOptions = Record<string, unknown>;

/**
 * How an activation's output follows its input's shape: what the worker pool and the `.npy`
 * command need to cut a tensor into blocks that can be computed apart. The output's dtype is
 * always the input's.
 */
export interface ShapeBehaviour {
  /**
   * The dim whose slices must stay whole: `"none"` for element-wise ops, `"dim-option"` for ops
   * that reduce along their `dim` option (softmax, GLU), or a fixed dim (Softmax2d's channels,
   * -3).
   */
  readonly slices: "none" | "dim-option" | number;
  /** The output's size along that dim: the input's, or half of it (GLU). */
  readonly alongDim: "same" | "half";
  /** Whether the forward pass writes into an `out` option of the output's shape. */
  readonly acceptsOut: boolean;
  /**
   * Whether, with these options, an output depends on its position as well as on its input
   * (PReLU with one slope per channel, RReLU in training): such calls must run whole. Absent:
   * never.
   */
  positionDependent?(options: AnyOptions): boolean;
}

/** The shape behaviour of a point-wise activation. */
export const ELEMENTWISE: ShapeBehaviour = Object.freeze({
  slices: "none",
  alongDim: "same",
  acceptsOut: true,
});

/**
 * How an activation's forward pass reaches its WebAssembly SIMD kernels
 * (`core/_kernels/asm/`), which export `<name>_f32` and/or `<name>_f64`. A dtype without an
 * export runs on the TypeScript reference path.
 */
export interface KernelBinding {
  /** The kernels' name, or one name per value of an option (GELU's `approximate`). */
  readonly name: string | {
    readonly option: string;
    readonly names: Readonly<Record<string, string>>;
  };
  /** The options passed to the kernel as its numeric parameters, in order (ELU's `alpha`). */
  readonly params?: readonly string[];
  /**
   * `"elementwise"` (the default): each element on its own; `"rows"`: along contiguous rows of
   * the last dim (the softmax family).
   */
  readonly layout?: "elementwise" | "rows";
}

/** A family of activations, for grouping them in the docs. */
export type Family = "rectifier" | "smooth" | "squashing" | "shrinkage" | "gate" | "normaliser";

/** A publication that introduced or named an activation. */
export interface Reference {
  /** The authors, as cited: `"Hendrycks and Gimpel"`. */
  readonly authors: string;
  /** The year it appeared. */
  readonly year: number;
  /** Its title. */
  readonly title: string;
  /** Where to read it, when it is freely available. */
  readonly url?: string;
}

/** Everything the docs, the pool and the benchmarks need to know about one activation. */
export interface ActivationInfo {
  /** The functional name, as exported: `"gelu"`, `"leakyRelu"`. */
  readonly name: string;
  /** The module class's name, PyTorch's spelling: `"GELU"`, `"LeakyReLU"`. */
  readonly className: string;
  /** The full name, for headings. */
  readonly title: string;
  /** One sentence on what it is for. */
  readonly summary: string;
  /** Its family, for grouping in the docs. */
  readonly family: Family;
  /** Other names it goes by (SiLU is also swish). */
  readonly aliases: readonly string[];
  /** The papers that introduced it, oldest first; none for the classical functions. */
  readonly references: readonly Reference[];
  /**
   * `"elementwise"`: each output depends on one input; `"reduction"`: each output depends on
   * a whole slice along `dim` (softmax family, GLU), so slices must not be split.
   */
  readonly kind: "elementwise" | "reduction";
  /** Its options, with defaults and valid ranges. */
  readonly options: readonly OptionSpec[];
  /** LaTeX of f and of its derivative f'. */
  readonly formula: { readonly f: string; readonly df: string };
  /** The output range, in interval notation. */
  readonly range: string;
  /** Shape of the function. */
  readonly properties: {
    readonly monotonic: boolean;
    readonly zeroCentred: boolean;
    readonly smooth: boolean;
    readonly bounded: boolean;
  };
  /** Work per element of the forward pass: transcendental calls and arithmetic operations. */
  readonly cost: { readonly transcendental: number; readonly arithmetic: number };
  /** What the module caches for backward, and its bytes per element in float32. */
  readonly caches: { readonly what: "input" | "output" | "none"; readonly bytesPerElement: number };
  /** The functional form. */
  forward(x: Tensor, options?: AnyOptions): Tensor;
  /** Its WebAssembly kernels, when it has some. */
  readonly kernel?: KernelBinding;
  /** How the output's shape follows the input's, for code that cuts tensors into blocks. */
  readonly shape: ShapeBehaviour;
  /**
   * dL/dx from dL/dy and the input, whatever the module caches: the argument order of every
   * `*Backward` function.
   */
  backward(gradOutput: Tensor, x: Tensor, options?: AnyOptions): Tensor;
  /** A new module instance. */
  create(options?: AnyOptions): Module;
  /** The textbook formula in plain float64, for comparing stability (not used for results). */
  naive?(x: number, options?: AnyOptions): number;
}

/** Options without `out`, for the backward functions and module constructors. */
export function withoutOut(options: AnyOptions = {}): AnyOptions {
  const { out: _out, ...rest } = options;
  return rest;
}

/** No options. */
export const NO_OPTIONS: readonly OptionSpec[] = Object.freeze([]);
