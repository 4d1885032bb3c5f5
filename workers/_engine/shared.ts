/**
 * The shared-memory strategy: every array lives in a SharedArrayBuffer that all threads see, so
 * workers read x and write y in place. Whole outer rows are dealt out as the threads go (claimed
 * from one counter) and the calling thread takes its share. Private to the package.
 */

import { Tensor } from "@nonlin/core";
import { allocate, type DataArray, sizeOf } from "@nonlin/core/internal";
import { blockSize, splitBlocks } from "../_blocks.ts";
import { chunkQueue, execChunks, execJob, type Job } from "../_protocol.ts";
import type { Tuning } from "../_tuning.ts";
import type { Run } from "./run.ts";
import type { TaskRunner } from "./scheduler.ts";
import { type Arrays, jobOf, type MemoryStrategy, type Work } from "./work.ts";

/**
 * Least work a claimed chunk holds, in ns: each claim builds views and calls core once (some
 * microseconds), and the last claims decide how evenly the threads finish.
 */
const CHUNK_NS = 250_000;

function isShared(data: DataArray): boolean {
  return typeof SharedArrayBuffer !== "undefined" && data.buffer instanceof SharedArrayBuffer;
}

/** `t`'s data, copied once into shared memory unless it lives there already. */
function sharedData(t: Tensor): DataArray {
  if (isShared(t.data)) return t.data;
  const copy = allocate(t.dtype, t.size, true);
  copy.set(t.data);
  return copy;
}

/** The jobs of a run: those for the workers, and the one the calling thread computes. */
interface Deal {
  readonly jobs: Job[];
  readonly mine?: Job;
  /** Whether the threads claim rows from one counter rather than computing fixed blocks. */
  readonly chunked: boolean;
}

/** Computes runs in shared memory, the calling thread taking a share when `callerRuns`. */
export class SharedMemory implements MemoryStrategy {
  readonly #tasks: TaskRunner;
  readonly #tuning: Tuning;
  readonly #callerRuns: boolean;

  /** Runs tasks through `tasks` and records what the calling thread measures in `tuning`. */
  constructor(tasks: TaskRunner, tuning: Tuning, callerRuns: boolean) {
    this.#tasks = tasks;
    this.#tuning = tuning;
    this.#callerRuns = callerRuns;
  }

  /** Computes `work` as tasks of `run`, writing into a shared `work.target` in place. */
  async compute(run: Run, work: Work): Promise<Tensor> {
    const { target } = work;
    const arrays: Arrays = {
      x: sharedData(work.x),
      ...(work.gradOutput ? { gradOutput: sharedData(work.gradOutput) } : {}),
      y: target && isShared(target.data)
        ? target.data
        : allocate(work.dtype, sizeOf(work.outShape), true),
    };
    const { jobs, mine, chunked } = this.#deal(work, arrays);
    const start = performance.now();
    const pending = this.#tasks.submit(run, jobs.map((job) => ({ job, transfer: [] })));
    let caller: { ms: number; share: number } | undefined;
    try {
      caller = mine && this.#computeMine(work, mine);
    } catch (error) {
      // Settle the workers' part first: nothing may be left running unobserved.
      await pending.catch(() => {});
      throw error;
    }
    await pending;
    if (chunked && caller && caller.share > 0) {
      // The caller's pace prices the whole run (alone it would take ms / share); what the run
      // took beyond an even split of that is the pool's overhead: wake-ups, messages and the
      // wait for the last chunk.
      const wall = performance.now() - start;
      this.#tuning.recordOverhead(wall - caller.ms / caller.share / work.shards);
    }
    if (target && target.data !== arrays.y) target.data.set(arrays.y);
    return target ?? new Tensor(arrays.y, work.outShape);
  }

  /**
   * Whole outer rows are claimed as the threads go (a worker that starts late, or a core
   * another process uses, then costs only its own share); inner cuts (fewer outer rows than
   * shards) keep fixed blocks, the caller taking the last.
   */
  #deal(work: Work, arrays: Arrays): Deal {
    const { geometry: g, shards } = work;
    const chunked = shards > 1 && (g.outer >= shards || g.outer >= g.inner);
    if (!chunked) {
      const jobs = splitBlocks(g, shards).map((block) => jobOf(work, arrays, g, block));
      const mine = this.#callerRuns && jobs.length > 1 ? jobs.pop() : undefined;
      return mine ? { jobs, mine, chunked } : { jobs, chunked };
    }
    // Claims of at least about CHUNK_NS of work each: fewer would be all overhead.
    const rowNs = work.elementNs * work.mids.x * g.inner;
    const minRows = Math.ceil(CHUNK_NS / Math.max(rowNs, 1e-3));
    const all = { o0: 0, o1: g.outer, i0: 0, i1: g.inner };
    const job = jobOf(work, arrays, g, all, chunkQueue(minRows, shards));
    const workers = this.#callerRuns ? shards - 1 : shards;
    const jobs = Array.from({ length: workers }, () => job);
    return this.#callerRuns ? { jobs, mine: job, chunked } : { jobs, chunked };
  }

  /** Computes the caller's job here; returns its time and its share of the elements. */
  #computeMine(work: Work, mine: Job): { ms: number; share: number } {
    const t = performance.now();
    const rows = mine.chunks ? execChunks(mine) : (execJob(mine), 0);
    const elements = mine.chunks
      ? rows * work.mids.x * work.geometry.inner
      : blockSize(mine.block, work.mids.x);
    const ms = performance.now() - t;
    this.#tuning.recordCost(work.costKey, elements, ms);
    return { ms, share: elements / work.x.size };
  }
}
