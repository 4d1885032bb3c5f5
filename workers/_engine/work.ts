/**
 * A call that was planned and priced: everything a memory strategy needs to cut it into jobs,
 * and the job for one block of it. Private to the package.
 */

import type { AnyOptions, Tensor } from "@nonlin/core";
import type { DataArray, DType } from "@nonlin/core/internal";
import { type Block, type Geometry, geometryOf } from "../_blocks.ts";
import type { Plan } from "../_plan.ts";
import { type ArrayRef, type ChunkQueue, chunkQueue, type Job } from "../_protocol.ts";
import type { Call } from "./call.ts";
import type { Run } from "./run.ts";

/** A call to be computed in `shards` shards. */
export interface Work {
  readonly op: string;
  readonly pass: "forward" | "backward";
  /** The op's options, without `out`. */
  readonly options: AnyOptions;
  /** Whether jobs may compute straight into the output through `out`. */
  readonly acceptsOut: boolean;
  readonly x: Tensor;
  readonly gradOutput?: Tensor;
  /** The caller's `out`, to be filled (in place when it is shared). */
  readonly target?: Tensor;
  readonly geometry: Geometry;
  /** Sizes along the plan's dim of x, of the result, and of gradOutput (1 when element-wise). */
  readonly mids: { readonly x: number; readonly y: number; readonly gradOutput: number };
  readonly outShape: readonly number[];
  readonly dtype: DType;
  readonly shards: number;
  /** Estimated ns per element of x, for sizing chunks. */
  readonly elementNs: number;
  /** Where what the calling thread measures is recorded. */
  readonly costKey: string;
}

/** The arrays of a job, on whatever memory the strategy chose. */
export interface Arrays {
  readonly x: DataArray;
  readonly gradOutput?: DataArray;
  readonly y: DataArray;
}

/** How a run is computed on the workers: in shared memory, or transferred shard by shard. */
export interface MemoryStrategy {
  /** Computes `work` as tasks of `run`; resolves with the result (`work.target` if given). */
  compute(run: Run, work: Work): Promise<Tensor>;
}

/** The work of a call cut as `plan` says into `shards` shards. */
export function workOf(call: Call, plan: Plan, shards: number, elementNs: number): Work {
  const { x, pass } = call;
  const xMid = plan.dim < 0 ? 1 : x.shape[plan.dim];
  // The backward pass gives dL/dx: x's shape; dL/dy comes in the forward output's.
  const forward = pass === "forward";
  return {
    op: call.entry.name,
    pass,
    options: call.options,
    acceptsOut: plan.acceptsOut,
    x,
    ...(forward ? {} : { gradOutput: call.gradOutput as Tensor }),
    ...(call.out === undefined ? {} : { target: call.out as Tensor }),
    geometry: geometryOf(x.shape, plan.dim),
    mids: { x: xMid, y: forward ? plan.mid : xMid, gradOutput: plan.mid },
    outShape: forward ? plan.shape : [...x.shape],
    dtype: plan.dtype,
    shards,
    elementNs,
    costKey: call.costKey,
  };
}

/** A view of one array for a job: its storage, where it starts, and its size along dim. */
export function refOf(data: DataArray, mid: number): ArrayRef {
  return {
    buffer: data.buffer,
    byteOffset: data.byteOffset,
    length: data.length,
    dtype: data instanceof Float64Array ? "float64" : "float32",
    mid,
  };
}

/**
 * Least work a claimed chunk holds, in ns: each claim builds views and calls core once (some
 * microseconds), and the last claims decide how evenly the threads finish.
 */
const CHUNK_MIN_NS = 250_000;
/**
 * Most work a claimed chunk holds, in ns: the threads of a stopped (aborted, failed) run see
 * its stop flag within one chunk, and what a worker allocates for a chunk stays this small.
 */
const CHUNK_MAX_NS = 2_000_000;

/** How {@linkcode queueOf} sets a queue up. */
export interface QueuePlan {
  /** Threads that claim from it. */
  readonly threads: number;
  /** Pages claimable at first; the caller publishes the rest as it copies them. @default {all} */
  readonly ready?: number;
  /** Whether each page is flagged once done (the caller copies it out then). */
  readonly flagged?: boolean;
}

/**
 * The queue threads claim `block` of `work` from: whole outer rows when there are enough of
 * them (contiguous blocks), else inner indices (gathered blocks); pages of about 0.25 ms of
 * work, claims of at most about 2 ms.
 */
export function queueOf(work: Work, block: Block, plan: QueuePlan): ChunkQueue {
  const rows = block.o1 - block.o0, width = block.i1 - block.i0;
  const axis = rows >= plan.threads || rows >= width ? "outer" : "inner";
  const units = axis === "outer" ? rows : width;
  const unitNs = Math.max(work.elementNs * work.mids.x * (axis === "outer" ? width : rows), 1e-3);
  const page = Math.min(units, Math.ceil(CHUNK_MIN_NS / unitNs));
  return chunkQueue({
    axis,
    threads: plan.threads,
    page,
    maxPages: Math.floor(CHUNK_MAX_NS / (page * unitNs)),
    ...(plan.ready === undefined ? {} : { ready: plan.ready }),
    ...(plan.flagged ? { flagUnits: units } : {}),
  });
}

/**
 * How a job is computed: claimed in chunks from a queue, stopped by its run's flag, and how
 * many bytes of shared memory it shows the worker for the first time.
 */
export interface JobControl {
  readonly chunks?: ChunkQueue;
  readonly stop?: SharedArrayBuffer;
  readonly fresh?: number;
}

/** The job computing `block` of `arrays` (laid out as `geometry`), as `control` says. */
export function jobOf(
  work: Work,
  arrays: Arrays,
  geometry: Geometry,
  block: Block,
  control: JobControl = {},
): Job {
  const { chunks, stop, fresh } = control;
  return {
    op: work.op,
    pass: work.pass,
    options: work.options,
    useOut: work.acceptsOut,
    shape: [...work.x.shape],
    geometry,
    block,
    x: refOf(arrays.x, work.mids.x),
    ...(arrays.gradOutput ? { gradOutput: refOf(arrays.gradOutput, work.mids.gradOutput) } : {}),
    y: refOf(arrays.y, work.mids.y),
    ...(chunks ? { chunks } : {}),
    ...(stop ? { stop } : {}),
    ...(fresh ? { fresh } : {}),
  };
}
