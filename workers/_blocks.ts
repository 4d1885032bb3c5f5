/**
 * The geometry of sharding, shared by the pool, the worker and the file command.
 *
 * Every tensor is seen as `[outer, mid, inner]`: for a reduction along `dim`, `outer` is the
 * product of the dims before `dim`, `mid` the size of `dim` and `inner` the product of the dims
 * after it; an element-wise op is `[size, 1, 1]`. A block is a rectangle `[o0, o1) × [i0, i1)`
 * of whole slices (a slice is one `(o, i)` pair with all its `mid` elements), so no slice is
 * ever split. Private to the package.
 */

import type { DataArray, DType } from "@nonlin/core";
import { sizeOf } from "@nonlin/core/internal";

/** How a tensor is cut into slices: `outer × mid × inner`, with `dim` (-1 for element-wise). */
export interface Geometry {
  /** Product of the dims before `dim`. */
  readonly outer: number;
  /** Product of the dims after `dim`. */
  readonly inner: number;
  /** The normalised reduction dim, or -1 when the op is element-wise. */
  readonly dim: number;
}

/** A rectangle of whole slices: outer indices `[o0, o1)`, inner indices `[i0, i1)`. */
export interface Block {
  /** First outer index. */
  readonly o0: number;
  /** One past the last outer index. */
  readonly o1: number;
  /** First inner index. */
  readonly i0: number;
  /** One past the last inner index. */
  readonly i1: number;
}

/** The geometry of `shape` for an op that reduces along `dim` (-1: element-wise). */
export function geometryOf(shape: readonly number[], dim: number): Geometry {
  if (dim < 0) return { outer: sizeOf(shape), inner: 1, dim: -1 };
  let outer = 1, inner = 1;
  for (let d = 0; d < dim; d++) outer *= shape[d];
  for (let d = dim + 1; d < shape.length; d++) inner *= shape[d];
  return { outer, inner, dim };
}

/**
 * Cuts the geometry into at most `parts` blocks of nearly equal size. Whole outer rows are cut
 * first, since those blocks are contiguous in memory and need no copy; only when there are fewer
 * outer rows than parts (a reduction along dim 0, say) are the inner indices cut instead.
 */
export function splitBlocks(g: Geometry, parts: number): Block[] {
  const cut = (n: number, k: number): [number, number][] => {
    const ranges: [number, number][] = [];
    for (let p = 0; p < k; p++) {
      const a = Math.floor((p * n) / k), b = Math.floor(((p + 1) * n) / k);
      if (b > a) ranges.push([a, b]);
    }
    return ranges;
  };
  if (g.outer >= parts || g.outer >= g.inner) {
    return cut(g.outer, Math.min(parts, g.outer)).map(([o0, o1]) => ({
      o0,
      o1,
      i0: 0,
      i1: g.inner,
    }));
  }
  return cut(g.inner, Math.min(parts, g.inner)).map(([i0, i1]) => ({ o0: 0, o1: g.outer, i0, i1 }));
}

/** Whether the block is one contiguous run of memory (it spans every inner index). */
export function isContiguous(g: Geometry, b: Block): boolean {
  return b.i0 === 0 && b.i1 === g.inner;
}

/**
 * The shape a block is handed to the op with, for an array whose size along `dim` is `mid`.
 * It keeps the tensor's rank and `dim` (so `dim: -1` and `dim: 2` mean the same slices): the
 * dims before `dim` collapse into the one just before it, those after into the last one.
 */
export function blockShape(
  shape: readonly number[],
  g: Geometry,
  b: Block,
  mid: number,
): number[] {
  if (g.dim < 0) return [b.o1 - b.o0];
  const out = shape.map(() => 1);
  out[g.dim] = mid;
  if (g.dim > 0) out[g.dim - 1] = b.o1 - b.o0;
  if (g.dim < shape.length - 1) out[shape.length - 1] = b.i1 - b.i0;
  return out;
}

/** Number of elements of a block of an array whose size along `dim` is `mid`. */
export function blockSize(b: Block, mid: number): number {
  return (b.o1 - b.o0) * mid * (b.i1 - b.i0);
}

/** Copies a block out of `src` (laid out as `outer × mid × inner`) into contiguous `dst`. */
export function gather(
  src: DataArray,
  dst: DataArray,
  g: Geometry,
  b: Block,
  mid: number,
): void {
  const w = b.i1 - b.i0;
  let q = 0;
  for (let o = b.o0; o < b.o1; o++) {
    for (let j = 0; j < mid; j++) {
      const p = (o * mid + j) * g.inner + b.i0;
      dst.set(src.subarray(p, p + w), q);
      q += w;
    }
  }
}

/** The inverse of {@linkcode gather}: writes contiguous `src` back into the block of `dst`. */
export function scatter(
  src: DataArray,
  dst: DataArray,
  g: Geometry,
  b: Block,
  mid: number,
): void {
  const w = b.i1 - b.i0;
  let q = 0;
  for (let o = b.o0; o < b.o1; o++) {
    for (let j = 0; j < mid; j++) {
      const p = (o * mid + j) * g.inner + b.i0;
      dst.set(src.subarray(q, q + w), p);
      q += w;
    }
  }
}

/**
 * A typed array of `dtype` over `length` elements of `buffer` from `byteOffset`: how a worker
 * sees an array it was handed. Core has no such view (it allocates, it never wraps a buffer).
 */
export function viewOf(
  dtype: DType,
  buffer: ArrayBufferLike,
  byteOffset: number,
  length: number,
): DataArray {
  return dtype === "float64"
    ? new Float64Array(buffer, byteOffset, length)
    : new Float32Array(buffer, byteOffset, length);
}
