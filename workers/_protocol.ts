/**
 * What the pool and its workers say to each other, and the worker side of it: one typed API
 * object that the worker exposes through comlink. Kept free of Deno APIs so that it runs in
 * browsers too. Private to the package.
 */

import * as Comlink from "comlink";
import { calibrate } from "./_cost.ts";
import { webLocks } from "./_platform.ts";
import {
  ACTIVATIONS,
  type DataArray,
  type DType,
  getActivation,
  randn,
  Tensor,
} from "@nonlin/core";
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
   * The block is computed in chunks claimed from a counter: shared by the caller and the
   * workers of one run, so that a thread that starts late or runs slow (a busy core) simply
   * takes fewer; or private to the job, so that a stopped run ends at the next chunk. See
   * {@linkcode execChunks}.
   */
  chunks?: ChunkQueue;
  /**
   * The run's stop flag, an Int32Array of one element: non-zero once the run failed or was
   * aborted. Threads look at it between chunks and leave the rest undone.
   */
  stop?: SharedArrayBuffer;
  /**
   * Bytes of shared memory this job shows the worker for the first time (a new output, a new
   * shared input). See {@linkcode letGo}.
   */
  fresh?: number;
}

/** Slots of a {@linkcode ChunkQueue}'s counter. */
const NEXT = 0, READY = 1;
/** The largest count a queue holds: "all of them". */
const ALL = 2 ** 31 - 1;

/** How long a worker waits for the caller to copy more rows before it looks at the stop flag again. */
const WAIT_MS = 10;

/**
 * A counter of claimed pages of a job's block, shared by every thread working on it. A page is
 * a fixed number of units: whole outer rows (contiguous blocks) or, when the block is cut
 * across its inner indices, inner indices (gathered blocks). Claims are whole pages, so that
 * each page is computed by one claim and can be flagged as done.
 */
export interface ChunkQueue {
  /**
   * Int32Array storage, in pages from the block's start: element 0 is the next unclaimed
   * page, element 1 the pages ready to be claimed (those the caller has copied into shared
   * memory).
   */
  counter: SharedArrayBuffer;
  /** Whether units are outer rows or inner indices. */
  axis: "outer" | "inner";
  /** Units per page: the least a claim takes (fewer would be all overhead). */
  page: number;
  /** Pages a claim takes at most: how soon a stopped run's threads notice. */
  maxPages: number;
  /** Threads taking part: claims shrink as the pages run out (guided self-scheduling). */
  threads: number;
  /**
   * One Int32Array element per page, set once the page is computed: the caller copies the
   * pages done out of staging memory while the rest is computed.
   */
  done?: SharedArrayBuffer;
}

/** Sizes and sharing of a {@linkcode ChunkQueue}, as {@linkcode chunkQueue} takes them. */
export interface ChunkQueueOptions {
  /** Whether units are outer rows or inner indices. @default {"outer"} */
  axis?: "outer" | "inner";
  /** Units per page. @default {1} */
  page?: number;
  /** Pages a claim takes at most. @default {unbounded} */
  maxPages?: number;
  /** Threads taking part. @default {1} */
  threads?: number;
  /**
   * Pages ready at the start; the rest must be published with {@linkcode publishReady}.
   * @default {all}
   */
  ready?: number;
  /** Flag each page of a block of `units` units once it is computed. @default {no flags} */
  flagUnits?: number;
}

/** A fresh queue. */
export function chunkQueue(options: ChunkQueueOptions = {}): ChunkQueue {
  const counter = new SharedArrayBuffer(8);
  new Int32Array(counter)[READY] = Math.min(options.ready ?? ALL, ALL);
  const page = Math.max(1, Math.floor(options.page ?? 1));
  const flags = options.flagUnits;
  return {
    counter,
    axis: options.axis ?? "outer",
    page,
    maxPages: Math.max(1, Math.floor(Math.min(options.maxPages ?? ALL, ALL))),
    threads: Math.max(1, options.threads ?? 1),
    ...(flags === undefined ? {} : { done: new SharedArrayBuffer(4 * Math.ceil(flags / page)) }),
  };
}

/**
 * Makes the first `pages` pages of the queue claimable (`Infinity`: all) and wakes the threads
 * waiting for them.
 */
export function publishReady(queue: ChunkQueue, pages: number): void {
  const counter = new Int32Array(queue.counter);
  Atomics.store(counter, READY, Math.min(pages, ALL));
  Atomics.notify(counter, READY);
}

/**
 * Waits, in a worker, until the first page of the queue is ready to be claimed (copied into
 * shared memory by the caller), or `timeoutMs` has passed.
 */
export function waitForFirstPage(queue: ChunkQueue, timeoutMs = 1000): void {
  const counter = new Int32Array(queue.counter);
  const until = Date.now() + timeoutMs;
  while (Atomics.load(counter, READY) === 0 && Date.now() < until) {
    Atomics.wait(counter, READY, 0, WAIT_MS);
  }
}

/** Wakes every thread waiting on the queue, so that it sees a stop flag set. */
export function wakeAll(queue: ChunkQueue): void {
  Atomics.notify(new Int32Array(queue.counter), READY);
}

/** Whether the job's run was stopped. */
function stopped(stop: Int32Array | undefined): boolean {
  return stop !== undefined && Atomics.load(stop, 0) !== 0;
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
  /**
   * Takes the Web Lock named `lock` and keeps it for as long as the worker lives; resolves
   * with whether it holds it. The pool then asks for the same lock: it is granted when the
   * worker's thread ends, however it ends (`self.close()` fires no event). Resolves false
   * where there are no Web Locks, or when `lock` is undefined.
   */
  hold(lock?: string): Promise<boolean>;
  /**
   * Runs the forward pass of every activation of the registry on a small tensor, those with
   * WebAssembly kernels some tens of times, so that compiling them (to V8's optimising tier)
   * is not billed to the first real run. Returns the milliseconds it took.
   */
  warm(): number;
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

/** What {@linkcode execChunk} found: units computed, or why it computed none. */
export type ChunkOutcome = number | "none left" | "not ready" | "stopped";

/** How {@linkcode execChunk} claims. */
export interface ClaimOptions {
  /**
   * Wait for pages not yet ready (a worker), instead of answering `"not ready"` (the calling
   * thread, which must not block). @default {false}
   */
  wait?: boolean;
}

/**
 * Claims one chunk of `job.block` from its queue (a share of the pages left, at most
 * `maxPages`) and computes it as a block. Pages not yet copied into shared memory are never
 * claimed. Returns the units computed.
 */
export function execChunk(job: Job, options: ClaimOptions = {}): ChunkOutcome {
  const q = job.chunks;
  if (q === undefined) throw new TypeError("Cannot run execChunk on a job without chunks");
  const counter = new Int32Array(q.counter);
  const stop = job.stop && new Int32Array(job.stop);
  const { o0, o1, i0, i1 } = job.block;
  const outer = q.axis === "outer";
  const units = outer ? o1 - o0 : i1 - i0;
  const pages = Math.ceil(units / q.page);
  for (;;) {
    if (stopped(stop)) return "stopped";
    const start = Atomics.load(counter, NEXT);
    if (start >= pages) return "none left";
    const ready = Atomics.load(counter, READY);
    if (start >= ready) {
      if (!options.wait) return "not ready";
      Atomics.wait(counter, READY, ready, WAIT_MS);
      continue;
    }
    const share = Math.floor((pages - start) / (2 * q.threads));
    const end = Math.min(pages, ready, start + Math.min(q.maxPages, Math.max(1, share)));
    // Another thread may have claimed first: then try again from where it left the counter.
    if (Atomics.compareExchange(counter, NEXT, start, end) !== start) continue;
    const u0 = start * q.page, u1 = Math.min(units, end * q.page);
    const block = outer
      ? { ...job.block, o0: o0 + u0, o1: o0 + u1 }
      : { ...job.block, i0: i0 + u0, i1: i0 + u1 };
    execJob({ ...job, chunks: undefined, block });
    if (q.done) {
      const done = new Int32Array(q.done);
      for (let p = start; p < end; p++) Atomics.store(done, p, 1);
    }
    return u1 - u0;
  }
}

/**
 * Computes chunks of the job until none are left, the run is stopped or (without `wait`) the
 * rest is not ready; see {@linkcode execChunk}. Results are the same bits as one block would
 * give: every op computes a slice the same way wherever the cut falls. Returns the units this
 * thread computed.
 */
export function execChunks(job: Job, options: ClaimOptions = {}): number {
  let units = 0;
  for (;;) {
    const outcome = execChunk(job, options);
    if (typeof outcome !== "number") return units;
    units += outcome;
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

/** Short-lived objects {@linkcode letGo} allocates: about 2 MB, more than V8's young space holds at first. */
const NUDGE_OBJECTS = 1 << 16;

/**
 * Lets go of the shared buffers a finished job showed this worker for the first time. A
 * SharedArrayBuffer that arrives in a message gets a small handle in the worker's heap, and the
 * buffer lives as long as any handle does, whoever else dropped it. V8 does not count the
 * buffer as the worker's memory, and a worker allocates little, so it would not collect for a
 * long time: every new output it wrote stayed in memory (800 MB after 100 runs of 2M
 * elements). The handles are young objects, collected by V8's young-generation collection
 * (a scavenge), which runs once the young space is full: allocating a few megabytes of
 * short-lived objects, after the answer has gone, makes it run (about 0.3 ms).
 */
export function letGo(): void {
  setTimeout(() => {
    // Stored where the optimising compiler cannot prove them dead, so that it allocates them
    // all; only the last few stay alive, so that the collection copies next to nothing.
    for (let i = 0; i < NUDGE_OBJECTS; i++) nudges[i & (nudges.length - 1)] = [i];
  });
}

/** Where {@linkcode letGo} leaves its objects, a few at a time. */
const nudges: unknown[] = new Array(8).fill(null);

/**
 * The API a pool worker exposes. Outputs on an ArrayBuffer (no shared memory) go back by
 * transfer, so they are not copied on the way either.
 */
export const workerApi: WorkerApi = {
  exec(job: Job): JobResult {
    if (job.chunks) execChunks(job, { wait: true });
    else execJob(job);
    if (job.fresh) letGo();
    const buffer = job.y.buffer;
    if (typeof SharedArrayBuffer !== "undefined" && buffer instanceof SharedArrayBuffer) return {};
    const result = { buffer: buffer as ArrayBuffer };
    return Comlink.transfer(result, [result.buffer]);
  },
  ping(): number {
    return Date.now();
  },
  hold(lock?: string): Promise<boolean> {
    const locks = webLocks();
    if (lock === undefined || locks === undefined) return Promise.resolve(false);
    return new Promise((resolve) => {
      locks.request(lock, () => {
        resolve(true);
        // Held until the thread ends.
        return new Promise<never>(() => {});
      }).catch(() => resolve(false));
    });
  },
  warm(): number {
    const t = performance.now();
    calibrate();
    const x = randn([128, 128], { seed: 1 });
    for (const entry of ACTIVATIONS) {
      // WebAssembly kernels reach V8's optimising tier after some tens of calls (see
      // calibrate()); TypeScript loops get there within one call.
      const rounds = entry.kernel ? KERNEL_ROUNDS : 3;
      for (let round = 0; round < rounds; round++) {
        try {
          entry.forward(x, {});
        } catch {
          // An op that needs options of its own (a weight, a dim of size 2) is skipped.
        }
      }
    }
    return performance.now() - t;
  },
};

/** Calls of each WebAssembly kernel in {@linkcode WorkerApi.warm}. */
const KERNEL_ROUNDS = 12;
