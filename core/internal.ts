/**
 * Core's internals that nonlin's own packages share (the worker pool, the `.npy` command, the
 * benchmarks), so that they never keep copies of them. **Not a public API**: these exports may
 * change in any release, semver does not cover them, and applications should use the main
 * entry point instead.
 *
 * @example Shapes, storage and the raw kernels
 * ```ts
 * import { allocate, boundKernels, sameShape, show, sizeOf, wasmUnary } from "@nonlin/core/internal";
 * import assert from "node:assert/strict";
 *
 * assert.equal(sizeOf([2, 3]), 6);
 * assert.ok(sameShape([2, 3], [2, 3]));
 * assert.equal(show("a"), '"a"');
 * const x = allocate("float32", 4), y = allocate("float32", 4);
 * x.set([-1, 0, 1, 2]);
 * if (wasmUnary("relu", x, y)) assert.deepEqual([...y], [0, 0, 1, 2]);
 * assert.ok(boundKernels().some((k) => k.name === "softplus" && k.params.join() === "1,20"));
 * ```
 *
 * @module
 */

import "./registry.ts"; // every activation declared, for boundKernels()
export { type BoundKernel, boundKernels, kernelCall } from "./_declare.ts";
export { allocate, checkDType, type DataArray, type DType } from "./_dtype.ts";
export { normalizeDim, sameShape, show, sizeOf, stridesOf } from "./_shape.ts";
export { type SliceLayout, slicesAlong } from "./_slices.ts";
export {
  type KernelName,
  wasmArena,
  wasmAvailable,
  wasmInit,
  wasmKernels,
  wasmRows,
  wasmUnary,
} from "./_kernels/wasm/mod.ts";
