/** Element types and their storage. Private to the package. */

import { show } from "./_shape.ts";

/** The element types a Tensor can hold. */
export type DType = "float32" | "float64";

/** The typed array behind a Tensor: `Float32Array` for float32, `Float64Array` for float64. */
export type DataArray = Float32Array | Float64Array;

const DTYPES: readonly DType[] = ["float32", "float64"];

/** Checks a dtype name and returns it. */
export function checkDType(dtype: unknown, what = "dtype"): DType {
  if (typeof dtype !== "string") {
    throw new TypeError(`Cannot use ${what} ${show(dtype)}: expected "float32" or "float64"`);
  }
  if (!DTYPES.includes(dtype as DType)) {
    throw new RangeError(`Cannot use ${what} ${show(dtype)}: expected "float32" or "float64"`);
  }
  return dtype as DType;
}

/** Allocates zeroed storage of `size` elements, optionally on a SharedArrayBuffer. */
export function allocate(dtype: DType, size: number, shared = false): DataArray {
  if (dtype === "float64") {
    return shared ? new Float64Array(new SharedArrayBuffer(size * 8)) : new Float64Array(size);
  }
  return shared ? new Float32Array(new SharedArrayBuffer(size * 4)) : new Float32Array(size);
}
