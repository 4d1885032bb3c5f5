/**
 * Walks the 1-d slices of a row-major tensor along one dimension, for the activations that
 * normalise along `dim` (softmax family). Private to the package.
 */

/** The slices along `dim`: `count` of them, each `n` elements `stride` apart. */
export interface SliceLayout {
  /** Number of elements in each slice (the size of `dim`). */
  n: number;
  /** Distance between consecutive elements of one slice. */
  stride: number;
  /** Number of slices. */
  count: number;
  /** Offset of the first element of slice `k`. */
  start(k: number): number;
}

/** The slice layout of `shape` along the (already normalised) `dim`. */
export function slicesAlong(shape: readonly number[], dim: number): SliceLayout {
  const n = shape.length === 0 ? 1 : shape[dim];
  let inner = 1;
  for (let d = dim + 1; d < shape.length; d++) inner *= shape[d];
  let outer = 1;
  for (let d = 0; d < dim; d++) outer *= shape[d];
  return {
    n,
    stride: inner,
    count: outer * inner,
    // Slice k = (o, i) starts at o·n·inner + i.
    start: (k) => Math.floor(k / inner) * n * inner + (k % inner),
  };
}
