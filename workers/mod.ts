/**
 * Parallel batch processing for nonlin: a pool of web workers that applies any activation of
 * the core registry to big tensors on every core, bitwise identical to a single thread, and a
 * NumPy `.npy` reader and writer. The streaming command lives in `@nonlin/workers/cli`.
 *
 * ```ts
 * import { WorkerPool } from "@nonlin/workers";
 * import { randn, softmax } from "@nonlin/core";
 * import assert from "node:assert/strict";
 *
 * await using pool = new WorkerPool();
 * const x = randn([512, 1000], { seed: 7, shared: true });
 * const p = await pool.run("softmax", x, { dim: -1 });
 * assert.deepEqual(p.data, softmax(x).data);
 * ```
 *
 * @module
 */

export * from "./pool.ts";
export type { ArrayRef, ChunkQueue, Job, JobResult, WorkerApi } from "./_protocol.ts";
export type { Block, Geometry } from "./_blocks.ts";
export * from "./npy.ts";
