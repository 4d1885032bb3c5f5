/**
 * Shape arithmetic shared by the Tensor and the activations: validation, sizes, strides,
 * dim normalisation and broadcasting. Private to the package.
 */

/** Product of the entries of a shape: the number of elements. */
export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Row-major strides, in elements. */
export function stridesOf(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i];
  }
  return strides;
}

/** Formats a value for an error message: strings quoted, arrays bracketed. */
export function show(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(show).join(", ")}]`;
  if (typeof value === "number" && Object.is(value, -0)) return "-0";
  if (typeof value === "bigint") return `${value}n`;
  if (value === null) return "null";
  if (typeof value === "object") return value.constructor?.name ?? "object";
  return String(value);
}

/** Checks that `shape` is an array of non-negative integers and returns a frozen copy. */
export function checkShape(shape: unknown, what: string): readonly number[] {
  if (!Array.isArray(shape)) {
    throw new TypeError(`Cannot use ${what} ${show(shape)}: expected an array of integers`);
  }
  for (let i = 0; i < shape.length; i++) {
    const d = shape[i];
    if (typeof d !== "number") {
      throw new TypeError(
        `Cannot use ${what} ${show(shape)}: entry ${i} is ${show(d)}, expected an integer`,
      );
    }
    if (!Number.isInteger(d) || d < 0) {
      throw new RangeError(
        `Cannot use ${what} ${show(shape)}: entry ${i} is ${
          show(d)
        }, expected a non-negative integer`,
      );
    }
  }
  return Object.freeze([...shape]);
}

/**
 * Turns a possibly negative `dim` into an index in `[0, ndim)`. A 0-d tensor accepts dims -1
 * and 0 like PyTorch does.
 */
export function normalizeDim(dim: unknown, ndim: number, what = "dim"): number {
  const n = Math.max(ndim, 1);
  if (typeof dim !== "number") {
    throw new TypeError(`Cannot use ${what} ${show(dim)}: expected an integer`);
  }
  if (!Number.isInteger(dim) || dim < -n || dim >= n) {
    throw new RangeError(
      `Cannot use ${what} ${show(dim)}: expected an integer in [${-n}, ${n - 1}]`,
    );
  }
  return dim < 0 ? dim + n : dim;
}

/** NumPy broadcasting of two shapes; throws a RangeError naming both when they do not match. */
export function broadcastShapes(a: readonly number[], b: readonly number[]): number[] {
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const da = a[a.length - n + i] ?? 1;
    const db = b[b.length - n + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new RangeError(
        `Cannot broadcast shapes ${show(a)} and ${show(b)}: dimension ${i} is ${da} against ${db}`,
      );
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/** Whether two shapes are equal. */
export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}
