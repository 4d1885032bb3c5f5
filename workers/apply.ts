/**
 * Applies an activation to a `.npy` file, streaming it through a worker pool: files larger than
 * memory work, and the output appears atomically. Deno only (it reads and writes files).
 *
 * @module
 */

import { fileURLToPath } from "node:url";
import { type AnyOptions, type DType, getActivation } from "@nonlin/core";
import { notAnObject } from "./_errors.ts";
import { checkCount } from "./_options.ts";
import { applyAtomically } from "./_batch/atomic.ts";
import { checkOutputPath } from "./_batch/temp.ts";
import { checkLittleEndian } from "./npy.ts";
import { WorkerPool } from "./pool.ts";

/** How far a streaming run has got. */
export interface ApplyProgress {
  /** Bytes of input data processed and written out. */
  done: number;
  /** Bytes of input data in all. */
  total: number;
}

/** Options of {@linkcode applyNpy}. */
export interface ApplyNpyOptions {
  /** The activation's options (`dim`, `approximate`, …), checked as core checks them. */
  options?: AnyOptions;
  /** A pool to use; one of `workers` workers is started (and closed) otherwise. */
  pool?: WorkerPool;
  /** Workers of the pool started when `pool` is absent. @default {navigator.hardwareConcurrency} */
  workers?: number;
  /**
   * Bytes of input per chunk. Four chunks are in memory at once (two read ahead or computing,
   * two being written), so 32 MiB keeps the whole process near 200 MiB. A chunk never splits a
   * slice, so it grows to one slice when a slice is larger. @default {33554432}
   */
  chunkBytes?: number;
  /** Called after each chunk is written. */
  onProgress?: (progress: ApplyProgress) => void;
  /** Stops the run: the temporary file is removed and the promise rejects with the reason. */
  signal?: AbortSignal;
}

/** What {@linkcode applyNpy} wrote. */
export interface ApplyNpyResult {
  /** The output's shape. */
  shape: number[];
  /** The output's dtype (the input's). */
  dtype: DType;
  /** Bytes of input data processed. */
  bytes: number;
}

/**
 * Applies the activation `op` to the `.npy` file `input` and writes `output`, a `.npy` of the
 * same dtype that `numpy.load` reads.
 *
 * The file is streamed in chunks of whole slices: for a reduction along `dim`, a chunk holds
 * whole rows of the dims before `dim` (contiguous), or, when a single row is larger than a
 * chunk (dim 0 of a tall array), a range of the dims after `dim` read as one strided run per
 * position along `dim`, so no slice is ever split. While the pool computes one chunk the next
 * is read and the previous written. Calls that cannot be cut (PReLU with slopes per channel,
 * RReLU in training) read the array whole.
 *
 * The output is written to a temporary file beside it and renamed at the end, so a failure or an
 * abort never leaves a partial output (an existing output stays as it was).
 *
 * It takes no lock and writes no completion record: for datasets, resumable runs and runs that
 * may overlap, use `applyDataset` from `@nonlin/workers/batch`.
 *
 * @example Usage
 * ```ts
 * import { applyNpy } from "@nonlin/workers/apply";
 * import { decodeNpy, encodeNpy } from "@nonlin/workers";
 * import { tensor } from "@nonlin/core";
 * import assert from "node:assert/strict";
 *
 * const dir = await Deno.makeTempDir();
 * await Deno.writeFile(`${dir}/in.npy`, encodeNpy(tensor([[1, 1], [-1000, 1000]])));
 * await applyNpy("softmax", `${dir}/in.npy`, `${dir}/out.npy`, { workers: 1 });
 * const y = decodeNpy(await Deno.readFile(`${dir}/out.npy`));
 * assert.deepEqual(y.toArray(), [[0.5, 0.5], [0, 1]]);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function applyNpy(
  op: string,
  input: string | URL,
  output: string | URL,
  options: ApplyNpyOptions = {},
): Promise<ApplyNpyResult> {
  const entry = getActivation(op);
  const { options: opOptions = {}, chunkBytes = 32 << 20, onProgress, signal } = options;
  checkCount(chunkBytes, "chunkBytes", 1);
  if (opOptions === null || typeof opOptions !== "object") {
    throw notAnObject("call applyNpy()", opOptions);
  }
  checkLittleEndian();
  signal?.throwIfAborted();
  const inPath = input instanceof URL ? fileURLToPath(input) : input;
  const outPath = output instanceof URL ? fileURLToPath(output) : output;
  await checkOutputPath(outPath);
  // The input is checked to exist before a pool starts, so that a typo costs no workers.
  await Deno.stat(inPath);
  const pool = options.pool ??
    new WorkerPool(options.workers === undefined ? {} : { size: options.workers });
  let ok = false;
  try {
    const result = await applyAtomically(entry, inPath, outPath, {
      options: opOptions,
      pool,
      chunkBytes,
      onProgress,
      signal,
      stale: "dead", // no lock is taken here: only a gone writer's file is removed
      checksum: false,
    });
    ok = true;
    return { shape: result.shape, dtype: result.dtype, bytes: result.bytes };
  } finally {
    if (options.pool === undefined) {
      if (ok) await pool.close();
      else pool.destroy();
    }
  }
}
