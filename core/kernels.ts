/**
 * Which kernels the activations run on. By default ("auto") the hot activations use
 * WebAssembly SIMD kernels where the host has them: relu, sigmoid, tanh, gelu (all three forms;
 * float64 tanh form excepted), silu, mish, softplus, elu, hardswish, and softmax and logSoftmax
 * along the last dim. Everything else, and every backward, runs the TypeScript reference.
 *
 * Accuracy against exact values: the reference stays within 1 ULP in float32 and 2 ULP in
 * float64; the kernels within 2 ULP in float32 and 4 ULP in float64, with the same limits at
 * ±∞, NaN rules and subnormals. Choose `"reference"` where the last ULP matters more than speed.
 *
 * @module
 */

import { setWasmEnabled, wasmAvailable, wasmInit } from "./_kernels/wasm/mod.ts";

/** `"auto"`: WebAssembly kernels where available; `"reference"`: TypeScript only. */
export type KernelMode = "auto" | "reference";

let mode: KernelMode = "auto";

/**
 * Chooses the kernels for this thread (workers keep their own setting, so set it in each, or
 * leave the default, when pooled results must match the calling thread's bit for bit).
 *
 * @example Usage
 * ```ts
 * import { getKernels, setKernels, sigmoid, tensor } from "@nonlin/core";
 * import assert from "node:assert/strict";
 *
 * setKernels("reference");
 * assert.equal(getKernels(), "reference");
 * assert.deepEqual(sigmoid(tensor([0])).toArray(), [0.5]);
 * setKernels("auto");
 * ```
 */
export function setKernels(kernels: KernelMode): void {
  if (kernels !== "auto" && kernels !== "reference") {
    throw new RangeError(
      `Cannot use kernels ${JSON.stringify(kernels)}: expected "auto" or "reference"`,
    );
  }
  mode = kernels;
  setWasmEnabled(kernels === "auto");
}

/**
 * The current kernel mode.
 *
 * @example Usage
 * ```ts
 * import { getKernels } from "@nonlin/core";
 * import assert from "node:assert/strict";
 *
 * assert.ok(["auto", "reference"].includes(getKernels()));
 * ```
 */
export function getKernels(): KernelMode {
  return mode;
}

/**
 * Whether WebAssembly SIMD kernels are in use on this thread right now.
 *
 * @example Usage
 * ```ts
 * import { kernelsActive } from "@nonlin/core";
 * import assert from "node:assert/strict";
 *
 * assert.equal(typeof kernelsActive(), "boolean");
 * ```
 */
export function kernelsActive(): boolean {
  return wasmAvailable();
}

/**
 * Compiles the kernels asynchronously. Deno and workers compile them synchronously on first
 * use; a browser's main thread refuses that for modules of this size, so call this once there.
 * Resolves to whether they are active.
 *
 * @example Usage
 * ```ts
 * import { initKernels } from "@nonlin/core";
 * import assert from "node:assert/strict";
 *
 * assert.equal(typeof await initKernels(), "boolean");
 * ```
 */
export function initKernels(): Promise<boolean> {
  return wasmInit();
}
