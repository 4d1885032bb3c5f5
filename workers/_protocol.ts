/**
 * What the pool and its workers say to each other, and the worker side of it: one typed API
 * object that the worker exposes through comlink. Kept free of Deno APIs so that it runs in
 * browsers too. Private to the package.
 */

import * as Comlink from "comlink";
import { type DataArray, type DType, getActivation, Tensor } from "@nonlin/core";
import { allocate } from "@nonlin/core/internal";
import {
  type Block,
  blockShape,
  blockSize,
  gather,
  type Geometry,
  isContiguous,
  scatter,
  viewOf,
} from "./_blocks.ts";

/** One array in a job: a view on a (usually shared) buffer, laid out as `outer × mid × inner`. */
export interface ArrayRef {
  /** The storage; a SharedArrayBuffer is shared with the caller, an ArrayBuffer is transferred. */
  buffer: ArrayBufferLike;
  /** Offset of element 0 in bytes. */
  byteOffset: number;
  /** Number of elements of the whole array. */
  length: number;
  /** Element type. */
  dtype: DType;
  /** Its size along the reduction dim (1 for element-wise ops). */
  mid: number;
}

/** One shard of a run: apply `op` to one block of `x` (and `gradOutput`) into `y`. */
export interface Job {
  /** The activation's functional name. */
  op: string;
  /** Which function of the activation to apply. */
  pass: "forward" | "backward";
  /** The op's options, without `out`; plain values only. */
  options: Record<string, unknown>;
  /** Whether the op honours `out` of the block's output shape, so it can write in place. */
  useOut: boolean;
  /** The full tensor's shape. */
  shape: number[];
  /** How the tensor is cut into slices. */
  geometry: Geometry;
  /** The block of slices this job computes. */
  block: Block;
  /** The input. */
  x: ArrayRef;
  /** dL/dy, for the backward pass. */
  gradOutput?: ArrayRef;
  /** Where the block's result goes. */
  y: ArrayRef;
  /**
   * Shared work instead of a fixed block: the caller and the workers claim chunks of whole
   * outer rows of `block` from one counter until none are left, so a thread that starts late or
   * runs slow (a busy core) simply takes fewer. See {@linkcode execChunks}.
   */
  chunks?: ChunkQueue;
}

/** A counter of claimed outer rows, shared by every thread working on one run. */
export interface ChunkQueue {
  /** Int32Array storage: element 0 is the next unclaimed row, relative to `block.o0`. */
  counter: SharedArrayBuffer;
  /** Rows a claim takes at least. */
  minRows: number;
  /** Threads taking part: claims shrink as the rows run out (guided self-scheduling). */
  threads: number;
}

/** A fresh queue for `threads` threads, each claim taking `minRows` rows at least. */
export function chunkQueue(minRows: number, threads: number): ChunkQueue {
  return { counter: new SharedArrayBuffer(4), minRows: Math.max(1, minRows), threads };
}

/** What a job sends back: the output buffer when it was transferred rather than shared. */
export interface JobResult {
  /** The output storage, handed back when it is not shared memory. */
  buffer?: ArrayBuffer;
}

/** The object each worker exposes through comlink. */
export interface WorkerApi {
  /** Runs one job; its result is written into `job.y`. */
  exec(job: Job): JobResult;
  /** Answers at once: used to measure the round trip. */
  ping(): number;
}

function blockOf(job: Job, ref: ArrayRef): DataArray {
  const all = viewOf(ref.dtype, ref.buffer, ref.byteOffset, ref.length);
  const { geometry: g, block: b } = job;
  if (isContiguous(g, b)) {
    const start = b.o0 * ref.mid * g.inner;
    return all.subarray(start, start + blockSize(b, ref.mid));
  }
  const dst = allocate(ref.dtype, blockSize(b, ref.mid));
  gather(all, dst, g, b, ref.mid);
  return dst;
}

/**
 * Computes the job's share of a chunked run: claims rows of `job.block` from the shared counter
 * (each claim a share of what is left, at least `minRows`) and computes each as a block, until
 * none are left. Results are the same bits as one block would give: every op computes a slice
 * the same way wherever the cut falls. Returns the rows this thread computed.
 */
export function execChunks(job: Job): number {
  const q = job.chunks;
  if (q === undefined) throw new TypeError("Cannot run execChunks on a job without chunks");
  const counter = new Int32Array(q.counter);
  const { o0, o1 } = job.block;
  const total = o1 - o0;
  let done = 0;
  for (;;) {
    const start = Atomics.load(counter, 0);
    if (start >= total) return done;
    const take = Math.max(q.minRows, Math.floor((total - start) / (2 * q.threads)));
    const end = Math.min(total, start + take);
    // Another thread may have claimed first: then try again from where it left the counter.
    if (Atomics.compareExchange(counter, 0, start, end) !== start) continue;
    execJob({ ...job, chunks: undefined, block: { ...job.block, o0: o0 + start, o1: o0 + end } });
    done += end - start;
  }
}

/** Computes one job in the current thread: what a worker does, also usable for testing. */
export function execJob(job: Job): JobResult {
  const entry = getActivation(job.op);
  const { geometry: g, block: b, shape } = job;
  const x = new Tensor(blockOf(job, job.x), blockShape(shape, g, b, job.x.mid));
  const yAll = viewOf(job.y.dtype, job.y.buffer, job.y.byteOffset, job.y.length);
  const contiguous = isContiguous(g, b);
  const yShape = blockShape(shape, g, b, job.y.mid);
  let result: Tensor;
  if (job.pass === "forward") {
    // Writing through `out` straight into the shared output saves a copy when the block is
    // contiguous; a gathered block is computed apart and scattered back.
    const out = contiguous && job.useOut
      ? new Tensor(
        yAll.subarray(
          b.o0 * job.y.mid * g.inner,
          b.o0 * job.y.mid * g.inner +
            blockSize(b, job.y.mid),
        ),
        yShape,
      )
      : undefined;
    result = entry.forward(x, out ? { ...job.options, out } : job.options);
    if (out && result.data === out.data) return {};
  } else {
    const ref = job.gradOutput!;
    const dy = new Tensor(blockOf(job, ref), blockShape(shape, g, b, ref.mid));
    result = entry.backward(dy, x, job.options);
  }
  if (contiguous) {
    yAll.set(result.data, b.o0 * job.y.mid * g.inner);
  } else {
    scatter(result.data, yAll, g, b, job.y.mid);
  }
  return {};
}

/**
 * The API a pool worker exposes. Outputs on an ArrayBuffer (no shared memory) go back by
 * transfer, so they are not copied on the way either.
 */
export const workerApi: WorkerApi = {
  exec(job: Job): JobResult {
    if (job.chunks) execChunks(job);
    else execJob(job);
    const buffer = job.y.buffer;
    if (typeof SharedArrayBuffer !== "undefined" && buffer instanceof SharedArrayBuffer) return {};
    const result = { buffer: buffer as ArrayBuffer };
    return Comlink.transfer(result, [result.buffer]);
  },
  ping(): number {
    return Date.now();
  },
};
