/**
 * A pool of web workers that applies nonlin's activations to big tensors on every core, with
 * results bitwise identical to a single thread.
 *
 * @module
 */

import type { Tensor } from "@nonlin/core";
import { Engine } from "./_engine/engine.ts";
import { mapOptions, poolConfig } from "./_options.ts";

export { MAX_POOL_SIZE } from "./_options.ts";

/** Options of {@linkcode WorkerPool}. */
export interface WorkerPoolOptions {
  /**
   * Number of threads a run may use (the caller and `size - 1` workers). At most
   * {@linkcode MAX_POOL_SIZE}: four per hardware thread, never more than 256; more only
   * multiplies memory (each worker holds its own heap and kernels) without adding speed.
   * @default {navigator.hardwareConcurrency (on Node 20: os.availableParallelism())}
   */
  size?: number;
  /**
   * Most tasks (shards of runs) that may wait for a free worker; a run that would queue more
   * rejects at once. @default {Infinity}
   */
  maxQueue?: number;
  /**
   * The round trip to a worker, in milliseconds, used to decide what is worth sending: a run
   * whose estimated work is shorter than two round trips runs on the calling thread, and a run
   * is cut into one shard per round trip's worth of work, up to `size`. When absent the pool
   * measures it: with a few pings at first use, then from what its parallel runs took beyond an
   * even split of their work (a sleeping worker's wake-up, which pings back to back do not see,
   * the messages, the wait for the last chunk). The work is estimated from the registry's cost
   * at first, then from what this thread measured for the op. A fixed value turns the learning
   * of the round trip off; `0` sends every run to the workers.
   */
  roundTripMs?: number;
  /**
   * The worker module to load, for bundlers that move it. @default {new URL("./worker.ts", import.meta.url)}
   */
  workerUrl?: string | URL;
  /**
   * `"shared"`: inputs and outputs live in SharedArrayBuffers that every worker sees;
   * `"transfer"`: each shard is copied into an ArrayBuffer and transferred both ways (for pages
   * that are not cross-origin isolated). @default {"shared" when SharedArrayBuffer exists}
   */
  memory?: "shared" | "transfer";
  /**
   * Whether the calling thread computes one shard of a run itself instead of only waiting: a
   * run then uses the caller plus at most `size - 1` workers (so the default pool keeps one
   * thread per core busy), and half of a two-way run pays no wake-up of a sleeping worker.
   * Off in a browser window, whose calling thread is the UI thread.
   * @default {true where there is no DOM (Deno, workers), false in a page}
   */
  callerRuns?: boolean;
}

/** Options of {@linkcode WorkerPool.run}: the activation's own options, `out` and `signal`. */
export interface RunOptions {
  /**
   * Cancels the run: it rejects at once with the signal's reason (an `AbortError`
   * DOMException by default), and its workers stop at their next chunk.
   */
  signal?: AbortSignal;
  /**
   * Preallocated output, as in core. Written in place when it lives in shared memory, else
   * filled from shared staging memory page by page as the pages are done.
   */
  out?: Tensor;
  /** The activation's options (`dim`, `approximate`, `alpha`, …), as in core. */
  [option: string]: unknown;
}

/** Options of {@linkcode WorkerPool.map}. */
export interface MapOptions extends RunOptions {
  /** Most batches in flight at once. @default {the pool's size} */
  concurrency?: number;
}

/** A snapshot of what the pool is doing. */
export interface PoolStats {
  /** Workers alive. */
  workers: number;
  /** Workers running a task. */
  busy: number;
  /** Tasks waiting for a worker. */
  queued: number;
  /** Tasks that finished. */
  completed: number;
  /** Tasks that failed (threw, crashed or ended their worker). */
  failed: number;
}

/**
 * A pool of module workers that applies any activation of the core registry, by name, to big
 * tensors: the tensor is cut into contiguous shards of whole slices, each worker computes its
 * shard with the very same core function, so the result is bitwise identical to
 * `getActivation(op).forward(x, options)` whatever the pool size. Runs on the web Worker API
 * (Deno, browsers) and on Node's `node:worker_threads` (Node 20.16 or later).
 *
 * Memory: a tensor on a SharedArrayBuffer (`tensor(…, { shared: true })`) is read in place and
 * a shared `out` is written in place, with no copy at all. Any other input is copied into
 * recycled shared staging memory by the calling thread while the workers already compute what
 * it has copied. Without `out` the threads write the result into a new shared tensor; an
 * ordinary `out` is filled from staging memory page by page as the pages are done. Staging
 * memory is let go by `close()`; a result is never staging memory, so no later run overwrites
 * it.
 *
 * Small work runs on the calling thread: a run is sent to the workers only when its estimated
 * time (the registry's cost per element times the size) exceeds two round trips to a worker,
 * measured at first use (or by {@linkcode WorkerPool.ready}). Ops with tensor-valued options
 * (such as a PReLU weight) and calls whose output depends on position (PReLU with slopes per
 * channel, RReLU in training) also run on the calling thread.
 *
 * Faults: a worker that crashes, or exits by itself in the middle of a task, rejects only its
 * own run, with the cause, and is replaced the next time work needs it; a task that throws
 * rejects its run. An aborted run rejects at once and its workers stop at their next chunk
 * (about 2 ms of work). Close the pool (or use `await using`) so that the process can exit.
 *
 * @example Usage
 * ```ts
 * import { WorkerPool } from "@nonlin/workers";
 * import { gelu, randn } from "@nonlin/core";
 * import assert from "node:assert/strict";
 *
 * await using pool = new WorkerPool({ size: 2 });
 * const x = randn([256, 1024], { seed: 1, shared: true });
 * const y = await pool.run("gelu", x, { approximate: "tanh" });
 * assert.deepEqual(y.data, gelu(x, { approximate: "tanh" }).data);
 * ```
 */
export class WorkerPool implements AsyncDisposable {
  readonly #size: number;
  readonly #engine: Engine;

  /** Creates the pool; workers start when the first run needs them. */
  constructor(options: WorkerPoolOptions = {}) {
    const config = poolConfig(options);
    this.#size = config.size;
    this.#engine = new Engine(config);
  }

  /** The number of workers the pool runs at most. */
  get size(): number {
    return this.#size;
  }

  /**
   * Starts and warms the pool up, so that the first run after it is as fast as later ones:
   * starts the workers a run uses (`size - 1` when the calling thread takes part, else
   * `size`), has each compile every activation, prices the calling thread's kernels and
   * measures the round trip to a worker. Without it all of this happens inside the first run
   * that needs workers. Resolves when the pool is ready; rejects if a worker cannot start.
   * Calling it again starts any worker missing since (one that crashed) and waits for those
   * still warming up.
   *
   * @example Usage
   * ```ts
   * import { WorkerPool } from "@nonlin/workers";
   * import { randn } from "@nonlin/core";
   * import assert from "node:assert/strict";
   *
   * await using pool = new WorkerPool({ size: 2 });
   * await pool.ready();
   * assert.equal(pool.stats().workers, 1); // the calling thread is the second
   * const y = await pool.run("gelu", randn([1 << 20], { seed: 1 }));
   * assert.equal(y.size, 1 << 20);
   * ```
   */
  ready(): Promise<void> {
    return this.#engine.ready();
  }

  /**
   * Applies the activation `op` (its functional name in the core registry) with its options.
   * Resolves to a tensor bitwise identical to `getActivation(op).forward(x, options)`; errors
   * in the arguments reject with the same error as core.
   *
   * @example Usage
   * ```ts
   * import { WorkerPool } from "@nonlin/workers";
   * import { tensor } from "@nonlin/core";
   * import assert from "node:assert/strict";
   *
   * await using pool = new WorkerPool({ size: 2, roundTripMs: 0 });
   * const y = await pool.run("softmax", tensor([[0, 0], [1000, 1000]]), { dim: 1 });
   * assert.deepEqual(y.toArray(), [[0.5, 0.5], [0.5, 0.5]]);
   * ```
   */
  run(op: string, x: Tensor, options: RunOptions = {}): Promise<Tensor> {
    return this.#engine.start("forward", op, x, undefined, options);
  }

  /**
   * The gradient dL/dx of the activation `op` at `x`, from `gradOutput` = dL/dy, bitwise
   * identical to `getActivation(op).backward(gradOutput, x, options)`: the argument order of
   * core's `*Backward` functions.
   *
   * @example Usage
   * ```ts
   * import { WorkerPool } from "@nonlin/workers";
   * import { tensor } from "@nonlin/core";
   * import assert from "node:assert/strict";
   *
   * await using pool = new WorkerPool({ size: 1, roundTripMs: 0 });
   * const dx = await pool.backward("relu", tensor([5, 5]), tensor([-1, 2]));
   * assert.deepEqual(dx.toArray(), [0, 5]);
   * ```
   */
  backward(op: string, gradOutput: Tensor, x: Tensor, options: RunOptions = {}): Promise<Tensor> {
    return this.#engine.start("backward", op, x, gradOutput, options);
  }

  /**
   * Applies `op` to every tensor of `batches` (an iterable or async iterable) and yields the
   * results in order. At most `concurrency` batches are in flight: the source is not read
   * further ahead while the consumer is slow (backpressure). Stopping early leaves the batches
   * already in flight to finish on their own.
   *
   * @example Usage
   * ```ts
   * import { WorkerPool } from "@nonlin/workers";
   * import { tensor } from "@nonlin/core";
   * import assert from "node:assert/strict";
   *
   * await using pool = new WorkerPool({ size: 2, roundTripMs: 0 });
   * const batches = [tensor([-1, 1]), tensor([-2, 2])];
   * const out = [];
   * for await (const y of pool.map("relu", batches)) out.push(y.toArray());
   * assert.deepEqual(out, [[0, 1], [0, 2]]);
   * ```
   */
  async *map(
    op: string,
    batches: Iterable<Tensor> | AsyncIterable<Tensor>,
    options: MapOptions = {},
  ): AsyncGenerator<Tensor, void, undefined> {
    const { concurrency, run } = mapOptions(options, this.#size);
    const inFlight: Promise<Tensor>[] = [];
    try {
      for await (const x of batches) {
        const result = this.run(op, x, run);
        // Rejections are seen when the result's turn comes; until then they are not unhandled.
        result.catch(() => {});
        inFlight.push(result);
        if (inFlight.length >= concurrency) yield await inFlight.shift()!;
      }
      while (inFlight.length > 0) yield await inFlight.shift()!;
    } finally {
      inFlight.length = 0;
    }
  }

  /**
   * What the pool is doing now.
   *
   * @example Usage
   * ```ts
   * import { WorkerPool } from "@nonlin/workers";
   * import assert from "node:assert/strict";
   *
   * await using pool = new WorkerPool({ size: 2 });
   * assert.deepEqual(pool.stats(), { workers: 0, busy: 0, queued: 0, completed: 0, failed: 0 });
   * ```
   */
  stats(): PoolStats {
    return this.#engine.stats();
  }

  /**
   * Finishes the runs in progress (running and queued), waits for the workers of aborted runs
   * to end their chunk, then terminates the workers and lets the staging memory go. New runs
   * are refused from the moment it is called. Resolves when every worker is gone.
   *
   * @example Usage
   * ```ts
   * import { WorkerPool } from "@nonlin/workers";
   * import { randn } from "@nonlin/core";
   * import assert from "node:assert/strict";
   *
   * const pool = new WorkerPool({ size: 2, roundTripMs: 0 });
   * const pending = pool.run("tanh", randn([1000]));
   * await pool.close();
   * assert.equal((await pending).size, 1000);
   * await assert.rejects(pool.run("tanh", randn([10])), /closed/);
   * ```
   */
  close(): Promise<void> {
    return this.#engine.close();
  }

  /**
   * Rejects every run in progress and terminates the workers at once. Prefer
   * {@linkcode WorkerPool.close}: a worker terminated in the middle of a chunk finishes it
   * anyway, and Deno never frees a worker terminated while busy.
   *
   * @example Usage
   * ```ts
   * import { WorkerPool } from "@nonlin/workers";
   * import { randn } from "@nonlin/core";
   * import assert from "node:assert/strict";
   *
   * const pool = new WorkerPool({ size: 1, roundTripMs: 0 });
   * const pending = pool.run("gelu", randn([100000]));
   * pool.destroy();
   * await assert.rejects(pending, /destroyed/);
   * ```
   */
  destroy(): void {
    this.#engine.destroy();
  }

  /** Same as {@linkcode WorkerPool.close}, for `await using`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}
