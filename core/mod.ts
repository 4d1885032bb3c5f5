/**
 * nonlin's core: a small float32/float64 Tensor and every PyTorch activation, forward and
 * backward, in functional (`gelu(x, { approximate: "tanh" })`) and module
 * (`new GELU().forward(x)`) form, accurate to 1 ULP in float32 and 2 ULP in float64 on the
 * TypeScript reference path and to 2 and 4 ULP on the WebAssembly SIMD kernels that run the hot
 * activations by default (see `setKernels`).
 *
 * ```ts
 * import { GELU, relu, softmax, tensor } from "@nonlin/core";
 * import assert from "node:assert/strict";
 *
 * const x = tensor([[-1, 0, 2], [1000, -1000, 0]]);
 * assert.deepEqual(relu(x).toArray(), [[0, 0, 2], [1000, 0, 0]]);
 * const p = softmax(x).toArray() as number[][];
 * assert.deepEqual(p[1], [1, 0, 0]);
 * const layer = new GELU();
 * layer.forward(x);
 * assert.deepEqual(layer.backward(tensor([[1, 1, 1], [1, 1, 1]])).shape, [2, 3]);
 * ```
 *
 * @module
 */

export * from "./tensor.ts";
export * from "./module.ts";
export * from "./registry.ts";
export * from "./kernels.ts";
export * from "./arena.ts";
export type { OutOption } from "./_options.ts";
