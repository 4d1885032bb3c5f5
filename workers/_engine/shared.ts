/**
 * The shared-memory strategy: every array lives in a SharedArrayBuffer that all threads see, so
 * workers read x and write y in place. The calling thread and the workers claim chunks of the
 * run from one counter. An ordinary input is copied into recycled shared memory by the calling
 * thread while the workers already compute the pages it has copied; an output the workers
 * cannot write in place is computed into recycled shared memory and copied out page by page
 * as the pages are done. Private to the package.
 */

import { Tensor } from "@nonlin/core";
import { type DataArray, sizeOf } from "@nonlin/core/internal";
import { type ChunkQueue, execChunk, type Job, publishReady, wakeAll } from "../_protocol.ts";
import { COPY_KEY, type Tuning } from "../_tuning.ts";
import { type Lease, SharedBuffers } from "./buffers.ts";
import type { Run } from "./run.ts";
import type { TaskRunner } from "./scheduler.ts";
import { type Arrays, jobOf, type MemoryStrategy, queueOf, type Work } from "./work.ts";

/**
 * Bytes the caller copies before it lets the workers claim them: small enough that they start
 * at once, large enough that publishing each slice costs nothing.
 */
const STAGE_BYTES = 1 << 20;

function isShared(data: DataArray): boolean {
  return typeof SharedArrayBuffer !== "undefined" && data.buffer instanceof SharedArrayBuffer;
}

/** An ordinary array and its staging copy in shared memory. */
interface Staged {
  readonly from: DataArray;
  readonly to: DataArray;
  /** Elements per outer row. */
  readonly row: number;
}

/** A run's arrays as the workers see them, and the copies the caller makes in and out. */
interface Layout {
  /**
   * Shared inputs in place or their staging copies; as `y` a shared target, a new shared
   * array, or staging memory for an ordinary target.
   */
  readonly arrays: Arrays;
  readonly staged: readonly Staged[];
  /** The ordinary target the caller copies the staging output into. */
  readonly copyTo?: DataArray;
}

/**
 * Copies the ordinary inputs into shared memory a slice of whole pages at a time, publishing
 * each slice as ready so that the workers compute it while the next one is copied. An inner
 * cut needs every row of its columns: it is published whole at the end. Stops early when the
 * run is stopped. Returns the milliseconds it took.
 */
function stage(run: Run, queue: ChunkQueue, staged: readonly Staged[], rows: number): number {
  if (staged.length === 0) return 0;
  const t = performance.now();
  const outer = queue.axis === "outer";
  const rowBytes = staged.reduce((sum, s) => sum + s.row * s.to.BYTES_PER_ELEMENT, 0);
  const pageRows = outer ? queue.page : 1;
  const step = pageRows * Math.max(1, Math.floor(STAGE_BYTES / Math.max(rowBytes * pageRows, 1)));
  for (let r = 0; r < rows && !run.stopped; r += step) {
    const end = Math.min(rows, r + step);
    for (const s of staged) s.to.set(s.from.subarray(r * s.row, end * s.row), r * s.row);
    if (outer) publishReady(queue, Math.ceil(end / pageRows));
  }
  if (!outer) publishReady(queue, Infinity);
  return performance.now() - t;
}

/**
 * Copies a staging output into the final one, page by page as the pages are done (outer
 * cuts), so that the copy overlaps the computation; the rest at the end.
 */
class CopyOut {
  readonly #from: DataArray;
  readonly #to: DataArray;
  readonly #done?: Int32Array;
  readonly #pageElements: number;
  #next = 0;
  /** Milliseconds spent copying. */
  ms = 0;

  constructor(from: DataArray, to: DataArray, queue: ChunkQueue, rowElements: number) {
    this.#from = from;
    this.#to = to;
    if (queue.done && queue.axis === "outer") this.#done = new Int32Array(queue.done);
    this.#pageElements = queue.page * rowElements;
  }

  /** Copies the pages done since the last call, if they follow those copied already. */
  step(): void {
    const done = this.#done;
    if (done === undefined) return;
    let p = this.#next;
    while (p < done.length && Atomics.load(done, p) !== 0) p++;
    if (p > this.#next) this.#copy(p * this.#pageElements, p);
  }

  /** Copies whatever is left: call it once every page is done. */
  finish(): void {
    this.#copy(this.#to.length, Infinity);
  }

  #copy(end: number, page: number): void {
    const t = performance.now();
    const start = this.#next * this.#pageElements;
    const stop = Math.min(end, this.#to.length);
    if (stop > start) this.#to.set(this.#from.subarray(start, stop), start);
    this.#next = page;
    this.ms += performance.now() - t;
  }
}

/** Computes runs in shared memory, the calling thread taking a share when `callerRuns`. */
export class SharedMemory implements MemoryStrategy {
  readonly #tasks: TaskRunner;
  readonly #tuning: Tuning;
  readonly #callerRuns: boolean;
  readonly #buffers: SharedBuffers;
  /** The buffers the workers have been shown already. */
  readonly #seen = new WeakSet<ArrayBufferLike>();

  /**
   * Runs tasks through `tasks`, records what the calling thread measures in `tuning`, and
   * takes staging memory from `buffers`.
   */
  constructor(
    tasks: TaskRunner,
    tuning: Tuning,
    callerRuns: boolean,
    buffers: SharedBuffers = new SharedBuffers(),
  ) {
    this.#tasks = tasks;
    this.#tuning = tuning;
    this.#callerRuns = callerRuns;
    this.#buffers = buffers;
  }

  /**
   * Computes `work` as tasks of `run`: in place into a shared `work.target`, else into staging
   * memory copied out into the target, or into a new shared tensor without one.
   */
  async compute(run: Run, work: Work): Promise<Tensor> {
    const lease = this.#buffers.lease();
    try {
      const y = await this.#compute(run, work, this.#layout(work, lease));
      // The caller's from now on: a new output never goes back to the pool once returned.
      lease.handOver();
      return y;
    } finally {
      // #compute returns only once every task has; a task whose worker was terminated
      // mid-call may still be writing, so its memory is dropped instead of reused. Otherwise
      // the output of a run that failed or was aborted goes back with the staging memory:
      // it never reached the caller, and left to the garbage collector it would stay in
      // memory long after (see buffers.ts).
      if (!run.tasks.some((t) => t.killed)) lease.release();
    }
  }

  async #compute(run: Run, work: Work, { arrays, staged, copyTo }: Layout): Promise<Tensor> {
    const g = work.geometry;
    const all = { o0: 0, o1: g.outer, i0: 0, i1: g.inner };
    const queue = queueOf(work, all, {
      threads: work.shards,
      ...(staged.length > 0 ? { ready: 0 } : {}),
      flagged: copyTo !== undefined,
    });
    run.onStop(() => wakeAll(queue));
    const fresh = this.#fresh(arrays, work.target === undefined);
    const job = jobOf(work, arrays, g, all, { chunks: queue, stop: run.stop, fresh });
    const out = copyTo && new CopyOut(arrays.y, copyTo, queue, work.mids.y * g.inner);
    // With one shard the work goes to one worker; with more the caller takes part.
    const helps = this.#callerRuns && work.shards > 1;
    const workers = helps ? work.shards - 1 : work.shards;
    const start = performance.now();
    const pending = this.#tasks.submit(
      run,
      Array.from({ length: workers }, () => ({ job, transfer: [] })),
    );
    let stagingMs = 0, mine: { ms: number; share: number } | undefined;
    try {
      stagingMs = stage(run, queue, staged, g.outer);
      const copied = staged.reduce((sum, s) => sum + s.to.length, 0);
      this.#tuning.recordCost(COPY_KEY, copied, stagingMs);
      if (helps) {
        mine = this.#computeMine(work, job, out);
        // Every page is claimed: workers busy elsewhere have nothing left to do here.
        this.#tasks.withdraw(run);
      }
    } catch (error) {
      // Stop the workers, and let them go before the memory does.
      run.fail(error, false);
      await pending.catch(() => {});
      throw error;
    }
    await pending;
    out?.finish();
    if (mine && mine.share > 0) {
      // The caller's pace prices the whole run (alone it would take ms / share); what the run
      // took beyond an even split of that, and beyond the copies in and out, is the pool's
      // overhead: wake-ups, messages and the wait for the last chunk.
      const wall = performance.now() - start - stagingMs - (out?.ms ?? 0);
      this.#tuning.recordOverhead(wall - mine.ms / mine.share / work.shards);
    }
    return work.target ?? new Tensor(arrays.y, work.outShape);
  }

  /**
   * Bytes of the run's buffers the workers must not keep: those they have never been shown (a
   * new shared input), and a new output (`leaves`), which goes to the caller, or else back to
   * the pool to become a later result. Each worker lets go of its handles on them once the job
   * is done (see `letGo`).
   */
  #fresh(arrays: Arrays, leaves: boolean): number {
    let bytes = leaves ? arrays.y.buffer.byteLength : 0;
    for (const data of [arrays.x, arrays.gradOutput, ...(leaves ? [] : [arrays.y])]) {
      if (data === undefined || this.#seen.has(data.buffer)) continue;
      this.#seen.add(data.buffer);
      bytes += data.buffer.byteLength;
    }
    return bytes;
  }

  /**
   * Where each array of the run lives. Shared inputs are read in place and ordinary ones from
   * staging copies (see {@linkcode stage}). The workers write a shared target in place, a new
   * shared array for the caller when there is no target (so that every thread pays the page
   * faults of writing new memory for its own pages), or staging memory that the caller copies
   * into an ordinary target page by page. A new output is the output of an aborted run when
   * one of its size is idle: a completed run writes every element of it.
   */
  #layout(work: Work, lease: Lease): Layout {
    const staged: Staged[] = [];
    const inner = work.geometry.inner;
    const input = (t: Tensor, mid: number): DataArray => {
      if (isShared(t.data)) return t.data;
      const to = lease.take(t.dtype, t.size);
      staged.push({ from: t.data, to, row: mid * inner });
      return to;
    };
    const x = input(work.x, work.mids.x);
    const gradOutput = work.gradOutput && input(work.gradOutput, work.mids.gradOutput);
    const inputs = { x, ...(gradOutput ? { gradOutput } : {}) };
    const { target } = work;
    const size = sizeOf(work.outShape);
    if (target === undefined) {
      return { arrays: { ...inputs, y: lease.output(work.dtype, size) }, staged };
    }
    if (isShared(target.data)) return { arrays: { ...inputs, y: target.data }, staged };
    const y = lease.take(work.dtype, size);
    return { arrays: { ...inputs, y }, staged, copyTo: target.data };
  }

  /**
   * Computes the caller's share here, copying out the pages done between its chunks; returns
   * its time and its share of the elements.
   */
  #computeMine(work: Work, job: Job, out?: CopyOut): { ms: number; share: number } {
    const t = performance.now();
    let units = 0;
    for (;;) {
      out?.step();
      const outcome = execChunk(job);
      if (typeof outcome !== "number") break;
      units += outcome;
    }
    const g = work.geometry;
    const elements = units * work.mids.x * (job.chunks!.axis === "outer" ? g.inner : g.outer);
    const ms = performance.now() - t - (out?.ms ?? 0);
    this.#tuning.recordCost(work.costKey, elements, ms);
    return { ms, share: elements / work.x.size };
  }
}
