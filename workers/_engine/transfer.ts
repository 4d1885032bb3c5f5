/**
 * The transfer strategy, for pages without SharedArrayBuffer: each shard's block of every array
 * is copied into its own ArrayBuffer and transferred to its worker, and the output block comes
 * back the same way, to be scattered into the result. Private to the package.
 */

import { Tensor } from "@nonlin/core";
import { allocate, type DataArray, sizeOf } from "@nonlin/core/internal";
import {
  type Block,
  blockSize,
  gather,
  type Geometry,
  scatter,
  splitBlocks,
  viewOf,
} from "../_blocks.ts";
import type { Run } from "./run.ts";
import type { Part, TaskRunner } from "./scheduler.ts";
import { jobOf, type MemoryStrategy, queueOf, type Work } from "./work.ts";

/**
 * The part computing `block` of `work`, on copies of its arrays to be transferred. With a
 * `stop` flag (where SharedArrayBuffer exists) the worker computes the block in chunks and
 * leaves the rest once the flag is set, so that a stopped run never needs its worker killed.
 */
export function transferPart(work: Work, block: Block, stop?: SharedArrayBuffer): Part {
  const g = work.geometry;
  const piece = (t: Tensor, mid: number): DataArray => {
    const dst = allocate(t.dtype, blockSize(block, mid));
    gather(t.data, dst, g, block, mid);
    return dst;
  };
  const x = piece(work.x, work.mids.x);
  const gradOutput = work.gradOutput && piece(work.gradOutput, work.mids.gradOutput);
  const y = allocate(work.dtype, blockSize(block, work.mids.y));
  // The copies are the whole arrays of the job: one block at the origin.
  const rows = block.o1 - block.o0, width = block.i1 - block.i0;
  const local: Geometry = { outer: rows, inner: width, dim: g.dim };
  const whole = { o0: 0, o1: rows, i0: 0, i1: width };
  const control = stop ? { chunks: queueOf(work, whole, { threads: 1 }), stop } : {};
  const job = jobOf(work, gradOutput ? { x, gradOutput, y } : { x, y }, local, whole, control);
  const transfer = [x.buffer, y.buffer, ...(gradOutput ? [gradOutput.buffer] : [])];
  return { job, transfer: transfer as ArrayBuffer[] };
}

/** Computes runs by transferring each shard to its worker and back. */
export class TransferMemory implements MemoryStrategy {
  readonly #tasks: TaskRunner;

  /** Runs tasks through `tasks`. */
  constructor(tasks: TaskRunner) {
    this.#tasks = tasks;
  }

  /** Computes `work` as tasks of `run`; the result is `work.target` when given. */
  async compute(run: Run, work: Work): Promise<Tensor> {
    const y = work.target ??
      new Tensor(allocate(work.dtype, sizeOf(work.outShape)), work.outShape);
    const blocks = splitBlocks(work.geometry, work.shards);
    const parts = blocks.map((b) => transferPart(work, b, run.stop));
    const results = await this.#tasks.submit(run, parts);
    results.forEach(({ buffer }, k) => {
      const part = viewOf(work.dtype, buffer!, 0, blockSize(blocks[k], work.mids.y));
      scatter(part, y.data, work.geometry, blocks[k], work.mids.y);
    });
    return y;
  }
}
