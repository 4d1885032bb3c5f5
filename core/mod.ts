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
export * from "./relu.ts";
export * from "./sigmoid.ts";
export * from "./tanh.ts";
export * from "./gelu.ts";
export * from "./softmax.ts";
export * from "./log_softmax.ts";
export * from "./relu6.ts";
export * from "./leaky_relu.ts";
export * from "./prelu.ts";
export * from "./rrelu.ts";
export * from "./elu.ts";
export * from "./selu.ts";
export * from "./celu.ts";
export * from "./hardtanh.ts";
export * from "./hardshrink.ts";
export * from "./softshrink.ts";
export * from "./threshold.ts";
export * from "./hardsigmoid.ts";
export * from "./hardswish.ts";
export * from "./silu.ts";
export * from "./mish.ts";
export * from "./log_sigmoid.ts";
export * from "./softplus.ts";
export * from "./softsign.ts";
export * from "./tanhshrink.ts";
export * from "./glu.ts";
export * from "./softmin.ts";
export * from "./softmax2d.ts";
export type { OutOption } from "./_options.ts";
