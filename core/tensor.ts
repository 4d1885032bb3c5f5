/**
 * The Tensor: an n-dimensional array of float32 or float64 numbers in contiguous row-major
 * storage, with the few operations the activations and their tests need.
 *
 * @module
 */

import {
  broadcastShapes,
  checkShape,
  normalizeDim,
  sameShape,
  show,
  sizeOf,
  stridesOf,
} from "./_shape.ts";
import { allocate, checkDType, type DataArray, type DType } from "./_dtype.ts";
import { uniform } from "./_random.ts";

export type { DataArray, DType } from "./_dtype.ts";

/** Nested arrays of numbers, as `toArray()` returns them and `tensor()` accepts them. */
export type NestedArray = number | NestedArray[];

/** Options of {@linkcode tensor} and the other constructors. */
export interface TensorOptions {
  /** Element type. @default {"float32"} */
  dtype?: DType;
  /** Shape for flat input (a typed array or a flat array); inferred from nested arrays. */
  shape?: readonly number[];
  /** Back the storage by a `SharedArrayBuffer`, so workers can use it without copying. @default {false} */
  shared?: boolean;
}

/** Options of the reductions {@linkcode Tensor.sum}, {@linkcode Tensor.max} and {@linkcode Tensor.mean}. */
export interface ReduceOptions {
  /** Dimension or dimensions to reduce (negative counts from the end); all when absent. */
  dim?: number | readonly number[];
  /** Keep reduced dimensions with size 1. @default {false} */
  keepdim?: boolean;
}

/**
 * Checks an options object of a tensor factory or method: an object, no names but `known`, and
 * `dtype` and `shared` (where known) of the right kind. Returns the dtype (default float32) and
 * the shared flag (default false).
 */
function checkFactoryOptions(
  what: string,
  options: unknown,
  known: readonly string[],
): { dtype: DType; shared: boolean } {
  if (options === null || typeof options !== "object" || Array.isArray(options)) {
    throw new TypeError(`Cannot call ${what} with options ${show(options)}: expected an object`);
  }
  const o = options as Record<string, unknown>;
  for (const name of Object.keys(o)) {
    if (!known.includes(name)) {
      throw new TypeError(
        `Cannot call ${what} with option ${show(name)}: expected one of ${known.join(", ")}`,
      );
    }
  }
  const dtype = o.dtype === undefined ? "float32" : checkDType(o.dtype, `${what} option dtype`);
  if (o.shared !== undefined && typeof o.shared !== "boolean") {
    throw new TypeError(
      `Cannot call ${what} with option shared ${show(o.shared)}: expected a boolean`,
    );
  }
  return { dtype, shared: o.shared === true };
}

/** Allocates storage for `shape`, naming the shape when the host cannot. */
function allocateFor(
  what: string,
  shape: readonly number[],
  dtype: DType,
  shared: boolean,
): DataArray {
  const size = sizeOf(shape);
  try {
    return allocate(dtype, size, shared);
  } catch (error) {
    throw new RangeError(
      `Cannot create ${what} of shape ${show(shape)}: ${size} ${dtype} elements ` +
        `(${size * (dtype === "float64" ? 8 : 4)} bytes) cannot be allocated here`,
      { cause: error },
    );
  }
}

/**
 * An n-dimensional array of numbers in contiguous row-major storage.
 *
 * Create one with {@linkcode tensor}, {@linkcode zeros}, {@linkcode ones}, {@linkcode full} or
 * {@linkcode randn}; the constructor wraps an existing typed array without copying it.
 *
 * @example Usage
 * ```ts
 * import { tensor } from "@nonlin/core";
 * import assert from "node:assert/strict";
 *
 * const x = tensor([[1, 2, 3], [4, 5, 6]]);
 * assert.deepEqual(x.shape, [2, 3]);
 * assert.equal(x.dtype, "float32");
 * assert.deepEqual(x.sum({ dim: 1 }).toArray(), [6, 15]);
 * ```
 */
export class Tensor {
  /** The elements in row-major order; its type follows {@linkcode Tensor.dtype}. */
  readonly data: DataArray;
  /** The size of each dimension. */
  readonly shape: readonly number[];
  /** The element type. */
  readonly dtype: DType;

  /**
   * Wraps `data` (not copied) as a tensor of the given shape.
   *
   * @param data Storage in row-major order; a view on a `SharedArrayBuffer` works too.
   * @param shape The shape; its product must equal `data.length`. Defaults to `[data.length]`.
   */
  constructor(data: DataArray, shape: readonly number[] = [data?.length]) {
    if (!(data instanceof Float32Array) && !(data instanceof Float64Array)) {
      throw new TypeError(
        `Cannot create Tensor from data ${show(data)}: expected a Float32Array or Float64Array`,
      );
    }
    const s = checkShape(shape, "shape");
    if (sizeOf(s) !== data.length) {
      throw new RangeError(
        `Cannot create Tensor of shape ${show(s)} (${
          sizeOf(s)
        } elements) from ${data.length} elements`,
      );
    }
    this.data = data;
    this.shape = s;
    this.dtype = data instanceof Float64Array ? "float64" : "float32";
  }

  /** The number of elements. */
  get size(): number {
    return this.data.length;
  }

  /** The number of dimensions. */
  get ndim(): number {
    return this.shape.length;
  }

  /** Whether the storage lives in a `SharedArrayBuffer`. */
  get shared(): boolean {
    return typeof SharedArrayBuffer !== "undefined" &&
      this.data.buffer instanceof SharedArrayBuffer;
  }

  /** Returns the elements as nested arrays (a plain number for a 0-d tensor). */
  toArray(): NestedArray {
    const { data, shape } = this;
    if (shape.length === 0) return data[0];
    const build = (dim: number, offset: number, stride: number): NestedArray[] => {
      const n = shape[dim];
      const inner = stride / (n || 1);
      const out: NestedArray[] = new Array(n);
      for (let i = 0; i < n; i++) {
        out[i] = dim === shape.length - 1
          ? data[offset + i]
          : build(dim + 1, offset + i * inner, inner);
      }
      return out;
    };
    return build(0, 0, data.length);
  }

  /** Returns the only element of a one-element tensor. */
  item(): number {
    if (this.size !== 1) {
      throw new RangeError(`Cannot call item() on a tensor of ${this.size} elements: expected 1`);
    }
    return this.data[0];
  }

  /** A copy with its own storage, optionally of another dtype or in shared memory. */
  clone(options: { dtype?: DType; shared?: boolean } = {}): Tensor {
    const { shared } = checkFactoryOptions("clone()", options, ["dtype", "shared"]);
    const dtype = options.dtype === undefined ? this.dtype : checkDType(options.dtype);
    const data = allocateFor("tensor", this.shape, dtype, shared);
    data.set(this.data);
    return new Tensor(data, this.shape);
  }

  /**
   * The same storage seen with another shape; one entry may be `-1` and is then inferred.
   */
  reshape(shape: readonly number[]): Tensor {
    if (!Array.isArray(shape)) {
      throw new TypeError(`Cannot reshape to ${show(shape)}: expected an array of integers`);
    }
    let infer = -1;
    let known = 1;
    for (let i = 0; i < shape.length; i++) {
      const d = shape[i];
      if (d === -1 && infer === -1) {
        infer = i;
        continue;
      }
      if (typeof d !== "number" || !Number.isInteger(d) || d < 0) {
        throw new RangeError(
          `Cannot reshape to ${show(shape)}: entry ${i} is ${
            show(d)
          }, expected a non-negative integer or one -1`,
        );
      }
      known *= d;
    }
    const resolved = [...shape];
    if (infer >= 0) {
      if (known === 0 || this.size % known !== 0) {
        throw new RangeError(
          `Cannot reshape tensor of shape ${show(this.shape)} to ${
            show(shape)
          }: ${this.size} elements do not divide by ${known}`,
        );
      }
      resolved[infer] = this.size / known;
    } else if (known !== this.size) {
      throw new RangeError(
        `Cannot reshape tensor of shape ${show(this.shape)} (${this.size} elements) to ${
          show(shape)
        } (${known} elements)`,
      );
    }
    return new Tensor(this.data, resolved);
  }

  /** Element-wise sum with NumPy broadcasting. */
  add(other: Tensor | number): Tensor {
    return binary(this, other, "add", (a, b) => a + b);
  }

  /** Element-wise difference with NumPy broadcasting. */
  sub(other: Tensor | number): Tensor {
    return binary(this, other, "sub", (a, b) => a - b);
  }

  /** Element-wise product with NumPy broadcasting. */
  mul(other: Tensor | number): Tensor {
    return binary(this, other, "mul", (a, b) => a * b);
  }

  /** Element-wise quotient with NumPy broadcasting. */
  div(other: Tensor | number): Tensor {
    return binary(this, other, "div", (a, b) => a / b);
  }

  /** Sum over `dim` (all dims when absent), accumulated in float64. Empty sums are 0. */
  sum(options: ReduceOptions = {}): Tensor {
    return reduce(this, options, "sum", 0, (acc, v) => acc + v, (acc) => acc);
  }

  /** Maximum over `dim`; NaN wins, as in PyTorch. Reducing an empty dim is an error. */
  max(options: ReduceOptions = {}): Tensor {
    return reduce(
      this,
      options,
      "max",
      -Infinity,
      (acc, v) => (v > acc || v !== v ? v : acc),
      (acc) => acc,
      true,
    );
  }

  /** Mean over `dim`, accumulated in float64. The mean of nothing is NaN. */
  mean(options: ReduceOptions = {}): Tensor {
    return reduce(this, options, "mean", 0, (acc, v) => acc + v, (acc, n) => acc / n);
  }

  /** A short description: dtype, shape and the first elements (-0 shown as -0, not 0). */
  toString(): string {
    // String(-0) is "0": a sign a result carries (gelu(-1000) is -0) would vanish in print.
    const head = Array.from(this.data.subarray(0, 6), (v) => (Object.is(v, -0) ? "-0" : String(v)))
      .join(", ");
    return `Tensor(${this.dtype}, [${this.shape.join(", ")}], [${head}${
      this.size > 6 ? ", …" : ""
    }])`;
  }
}

function binary(
  a: Tensor,
  other: Tensor | number,
  op: string,
  f: (a: number, b: number) => number,
): Tensor {
  if (typeof other === "number") {
    const out = allocate(a.dtype, a.size);
    const x = a.data;
    for (let i = 0; i < x.length; i++) out[i] = f(x[i], other);
    return new Tensor(out, a.shape);
  }
  if (!(other instanceof Tensor)) {
    throw new TypeError(
      `Cannot use ${op}() argument other ${show(other)}: expected a Tensor or a number`,
    );
  }
  const dtype: DType = a.dtype === "float64" || other.dtype === "float64" ? "float64" : "float32";
  const shape = broadcastShapes(a.shape, other.shape);
  const out = allocate(dtype, sizeOf(shape));
  const x = a.data, y = other.data;
  if (sameShape(a.shape, other.shape)) {
    for (let i = 0; i < out.length; i++) out[i] = f(x[i], y[i]);
    return new Tensor(out, shape);
  }
  const n = shape.length;
  const sa = broadcastStrides(a.shape, n), sb = broadcastStrides(other.shape, n);
  const index = new Array<number>(n).fill(0);
  let ia = 0, ib = 0;
  for (let i = 0; i < out.length; i++) {
    out[i] = f(x[ia], y[ib]);
    // Advance the multi-index like an odometer, moving both source offsets along.
    for (let d = n - 1; d >= 0; d--) {
      index[d]++;
      ia += sa[d];
      ib += sb[d];
      if (index[d] < shape[d]) break;
      ia -= sa[d] * shape[d];
      ib -= sb[d] * shape[d];
      index[d] = 0;
    }
  }
  return new Tensor(out, shape);
}

/** Strides of `shape` aligned to `n` trailing dims, with 0 where the shape broadcasts. */
function broadcastStrides(shape: readonly number[], n: number): number[] {
  const own = stridesOf(shape);
  const out = new Array<number>(n).fill(0);
  for (let i = 0; i < shape.length; i++) {
    out[n - shape.length + i] = shape[i] === 1 ? 0 : own[i];
  }
  return out;
}

function reduce(
  x: Tensor,
  options: ReduceOptions,
  op: string,
  init: number,
  step: (acc: number, v: number) => number,
  finish: (acc: number, count: number) => number,
  needsElements = false,
): Tensor {
  if (options === null || typeof options !== "object") {
    throw new TypeError(`Cannot call ${op}() with options ${show(options)}: expected an object`);
  }
  for (const name of Object.keys(options)) {
    if (name !== "dim" && name !== "keepdim") {
      throw new TypeError(`Cannot call ${op}() with option ${show(name)}: expected dim or keepdim`);
    }
  }
  const { dim, keepdim = false } = options;
  if (typeof keepdim !== "boolean") {
    throw new TypeError(
      `Cannot call ${op}() with option keepdim ${show(keepdim)}: expected a boolean`,
    );
  }
  const ndim = x.ndim;
  let dims: number[];
  if (dim === undefined) {
    dims = [...Array(ndim).keys()];
  } else {
    const list = Array.isArray(dim) ? dim : [dim];
    dims = list.map((d) => normalizeDim(d, ndim, `${op}() dim`));
    if (new Set(dims).size !== dims.length) {
      throw new RangeError(`Cannot call ${op}() with dim ${show(dim)}: a dimension repeats`);
    }
  }
  const reduced = new Array<boolean>(ndim).fill(false);
  for (const d of dims) if (d < ndim) reduced[d] = true;
  let count = 1;
  for (let d = 0; d < ndim; d++) if (reduced[d]) count *= x.shape[d];
  if (needsElements && count === 0) {
    throw new RangeError(
      `Cannot call ${op}() over an empty dimension of a tensor of shape ${show(x.shape)}`,
    );
  }
  const outShape: number[] = [];
  for (let d = 0; d < ndim; d++) {
    if (!reduced[d]) outShape.push(x.shape[d]);
    else if (keepdim) outShape.push(1);
  }
  const keptShape = x.shape.map((s, d) => (reduced[d] ? 1 : s));
  const ostrides = broadcastStrides(keptShape, ndim);
  const acc = new Float64Array(sizeOf(keptShape)).fill(init);
  const index = new Array<number>(ndim).fill(0);
  const src = x.data;
  let o = 0;
  for (let i = 0; i < src.length; i++) {
    acc[o] = step(acc[o], src[i]);
    for (let d = ndim - 1; d >= 0; d--) {
      index[d]++;
      o += ostrides[d];
      if (index[d] < x.shape[d]) break;
      o -= ostrides[d] * x.shape[d];
      index[d] = 0;
    }
  }
  const out = allocate(x.dtype, acc.length);
  for (let i = 0; i < acc.length; i++) out[i] = finish(acc[i], count);
  return new Tensor(out, outShape);
}

/** Reads the shape from the first element at each depth; `fill` then checks every array. */
function inferShape(values: unknown[]): number[] {
  const shape: number[] = [];
  let v: unknown = values;
  while (Array.isArray(v)) {
    shape.push(v.length);
    v = v[0];
  }
  return shape;
}

function fill(
  values: unknown,
  shape: readonly number[],
  depth: number,
  out: DataArray,
  offset: { i: number },
  path: string,
): void {
  if (depth < shape.length) {
    if (!Array.isArray(values) || values.length !== shape[depth]) {
      const got = Array.isArray(values) ? `an array of length ${values.length}` : show(values);
      throw new RangeError(
        `Cannot create tensor from ragged nested arrays: ${path} is ${got}, expected an array of length ${
          shape[depth]
        }`,
      );
    }
    for (let i = 0; i < values.length; i++) {
      fill(values[i], shape, depth + 1, out, offset, `${path}[${i}]`);
    }
    return;
  }
  if (Array.isArray(values)) {
    throw new RangeError(
      `Cannot create tensor from ragged nested arrays: ${path} is an array, expected a number`,
    );
  }
  if (typeof values !== "number") {
    throw new TypeError(
      `Cannot create tensor: ${path} is ${show(values)} (${typeof values}), expected a number`,
    );
  }
  out[offset.i++] = values;
}

/**
 * Creates a tensor from a number, nested arrays, or a flat array / typed array with a shape.
 * The values are copied.
 *
 * @example Nested arrays and an explicit shape
 * ```ts
 * import { tensor } from "@nonlin/core";
 * import assert from "node:assert/strict";
 *
 * const a = tensor([[1, 2], [3, 4]], { dtype: "float64" });
 * assert.deepEqual(a.shape, [2, 2]);
 * const b = tensor(new Float32Array([1, 2, 3, 4, 5, 6]), { shape: [3, 2] });
 * assert.deepEqual(b.toArray(), [[1, 2], [3, 4], [5, 6]]);
 * assert.throws(() => tensor([[1, 2], [3]]), RangeError);
 * ```
 */
export function tensor(
  values: number | NestedArray | ArrayLike<number>,
  options: TensorOptions = {},
): Tensor {
  const { dtype, shared } = checkFactoryOptions("tensor()", options, ["dtype", "shape", "shared"]);
  const given = options.shape === undefined ? undefined : checkShape(options.shape, "shape");
  if (typeof values === "number") {
    const shape = given ?? [];
    if (sizeOf(shape) !== 1) {
      throw new RangeError(
        `Cannot create tensor of shape ${show(shape)} from one number: expected ${
          sizeOf(shape)
        } values`,
      );
    }
    const data = allocate(dtype, 1, shared);
    data[0] = values;
    return new Tensor(data, shape);
  }
  if (ArrayBuffer.isView(values) && !(values instanceof DataView)) {
    const flat = values as unknown as ArrayLike<number> & { length: number };
    if (typeof (flat as unknown as BigInt64Array)[0] === "bigint") {
      throw new TypeError(
        `Cannot create tensor from a ${values.constructor.name}: expected numbers`,
      );
    }
    const shape = given ?? [flat.length];
    if (sizeOf(shape) !== flat.length) {
      throw new RangeError(
        `Cannot create tensor of shape ${show(shape)} (${
          sizeOf(shape)
        } elements) from ${flat.length} values`,
      );
    }
    const data = allocate(dtype, flat.length, shared);
    data.set(flat);
    return new Tensor(data, shape);
  }
  if (!Array.isArray(values)) {
    throw new TypeError(
      `Cannot create tensor from ${
        show(values)
      }: expected a number, nested arrays or a typed array`,
    );
  }
  const inferred = inferShape(values);
  const count = sizeOf(inferred);
  const data = allocate(dtype, count, shared);
  fill(values, inferred, 0, data, { i: 0 }, "values");
  if (given === undefined) return new Tensor(data, inferred);
  if (inferred.length > 1) {
    if (!sameShape(given, inferred)) {
      throw new RangeError(
        `Cannot create tensor of shape ${show(given)} from nested arrays of shape ${
          show(inferred)
        }`,
      );
    }
  } else if (sizeOf(given) !== count) {
    throw new RangeError(
      `Cannot create tensor of shape ${show(given)} (${
        sizeOf(given)
      } elements) from ${count} values`,
    );
  }
  return new Tensor(data, given);
}

/** Options of {@linkcode zeros}, {@linkcode ones} and {@linkcode full}. */
export interface FillOptions {
  /** Element type. @default {"float32"} */
  dtype?: DType;
  /** Back the storage by a `SharedArrayBuffer`. @default {false} */
  shared?: boolean;
}

/**
 * A tensor of the given shape filled with `value`.
 *
 * @example Usage
 * ```ts
 * import { full } from "@nonlin/core";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(full([2, 2], 7).toArray(), [[7, 7], [7, 7]]);
 * ```
 */
export function full(shape: readonly number[], value: number, options: FillOptions = {}): Tensor {
  return filled("full()", shape, value, options);
}

function filled(
  what: string,
  shape: readonly number[],
  value: number,
  options: FillOptions,
  known: readonly string[] = ["dtype", "shared"],
): Tensor {
  const s = checkShape(shape, "shape");
  if (typeof value !== "number") {
    throw new TypeError(`Cannot fill tensor with value ${show(value)}: expected a number`);
  }
  const { dtype, shared } = checkFactoryOptions(what, options, known);
  const data = allocateFor("tensor", s, dtype, shared);
  if (value !== 0) data.fill(value);
  return new Tensor(data, s);
}

/**
 * A tensor of zeros.
 *
 * @example Usage
 * ```ts
 * import { zeros } from "@nonlin/core";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(zeros([3], { dtype: "float64" }).toArray(), [0, 0, 0]);
 * ```
 */
export function zeros(shape: readonly number[], options: FillOptions = {}): Tensor {
  return filled("zeros()", shape, 0, options);
}

/**
 * A tensor of ones.
 *
 * @example Usage
 * ```ts
 * import { ones } from "@nonlin/core";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(ones([2]).toArray(), [1, 1]);
 * ```
 */
export function ones(shape: readonly number[], options: FillOptions = {}): Tensor {
  return filled("ones()", shape, 1, options);
}

/** Options of {@linkcode randn}. */
export interface RandnOptions extends FillOptions {
  /** Seed of the generator: the same seed gives the same numbers everywhere. @default {0} */
  seed?: number;
  /** Mean of the distribution. @default {0} */
  mean?: number;
  /** Standard deviation of the distribution. @default {1} */
  std?: number;
}

/**
 * Normally distributed numbers from a seeded generator (SplitMix32 and the Box–Muller
 * transform), reproducible across machines.
 *
 * @example Usage
 * ```ts
 * import { randn } from "@nonlin/core";
 * import assert from "node:assert/strict";
 *
 * const a = randn([1000], { seed: 42 });
 * assert.deepEqual(a.data, randn([1000], { seed: 42 }).data);
 * assert.ok(Math.abs(a.mean().item()) < 0.2);
 * ```
 */
export function randn(shape: readonly number[], options: RandnOptions = {}): Tensor {
  const t = filled("randn()", shape, 0, options, ["dtype", "shared", "seed", "mean", "std"]);
  const { seed = 0, mean = 0, std = 1 } = options;
  if (typeof seed !== "number" || !Number.isInteger(seed)) {
    throw new TypeError(`Cannot use seed ${show(seed)}: expected an integer`);
  }
  if (typeof std !== "number" || !(std >= 0) || std === Infinity) {
    throw new RangeError(`Cannot use std ${show(std)}: expected a finite non-negative number`);
  }
  if (typeof mean !== "number" || !Number.isFinite(mean)) {
    throw new RangeError(`Cannot use mean ${show(mean)}: expected a finite number`);
  }
  const next = uniform(seed);
  const d = t.data;
  for (let i = 0; i < d.length; i += 2) {
    // Box–Muller: two uniforms in (0, 1] give two independent normals.
    const r = Math.sqrt(-2 * Math.log(next()));
    const theta = 2 * Math.PI * next();
    d[i] = mean + std * r * Math.cos(theta);
    if (i + 1 < d.length) d[i + 1] = mean + std * r * Math.sin(theta);
  }
  return t;
}
