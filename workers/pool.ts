/**
 * A pool of web workers that applies nonlin's activations to big tensors on every core, with
 * results bitwise identical to a single thread.
 *
 * @module
 */

import * as Comlink from "comlink";
import {
  type ActivationInfo,
  type AnyOptions,
  type DataArray,
  type DType,
  getActivation,
  Tensor,
} from "@nonlin/core";
import {
  allocateArray,
  type Block,
  blockSize,
  gather,
  type Geometry,
  geometryOf,
  sameShape,
  scatter,
  sizeOfShape,
  splitBlocks,
} from "./_blocks.ts";
import { calibrate, elementNs, shardCount } from "./_cost.ts";
import { type Plan, planFor, reductionDim } from "./_plan.ts";
import {
  type ArrayRef,
  type ChunkQueue,
  chunkQueue,
  execChunks,
  execJob,
  type Job,
  type JobResult,
  type WorkerApi,
} from "./_protocol.ts";
import { Tuning } from "./_tuning.ts";

/**
 * Least work a claimed chunk holds, in ns: each claim builds views and calls core once (some
 * microseconds), and the last claims decide how evenly the threads finish.
 */
const CHUNK_NS = 250_000;

/**
 * The largest pool this machine accepts: four threads per hardware thread, at most 256.
 *
 * @example Usage
 * ```ts
 * import { MAX_POOL_SIZE } from "@nonlin/workers";
 * import assert from "node:assert/strict";
 *
 * assert.ok(MAX_POOL_SIZE >= 4 && MAX_POOL_SIZE <= 256);
 * ```
 */
export const MAX_POOL_SIZE: number = Math.min(
  256,
  4 * Math.max(1, globalThis.navigator?.hardwareConcurrency ?? 1),
);

/** Options of {@linkcode WorkerPool}. */
export interface WorkerPoolOptions {
  /**
   * Number of threads a run may use (the caller and `size - 1` workers). At most
   * {@linkcode MAX_POOL_SIZE}: four per hardware thread, never more than 256; more only
   * multiplies memory (each worker holds its own heap and kernels) without adding speed.
   * @default {navigator.hardwareConcurrency}
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
  /** Cancels the run: it rejects with the signal's reason (an `AbortError` DOMException). */
  signal?: AbortSignal;
  /**
   * Preallocated output, as in core. Written in place when it lives in shared memory, filled by
   * one copy otherwise.
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
  /** Tasks that failed (threw, crashed their worker). */
  failed: number;
}

interface Task {
  readonly op: string;
  readonly job: Job | "ping";
  readonly transfer: Transferable[];
  readonly promise: Promise<JobResult | number>;
  resolve(value: JobResult | number): void;
  reject(reason: unknown): void;
  slot?: Slot;
  settled: boolean;
}

interface Slot {
  readonly worker: Worker;
  readonly api: Comlink.Remote<WorkerApi>;
  task?: Task;
}

interface Run {
  readonly op: string;
  readonly promise: Promise<Tensor>;
  tasks: Task[];
  settled: boolean;
  resolve(value: Tensor): void;
  reject(reason: unknown): void;
}

const DEFAULT_WORKER = new URL("./worker.ts", import.meta.url);

function show(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (value === null) return "null";
  if (typeof value === "object") return value.constructor?.name ?? "object";
  return String(value);
}

function checkCount(value: unknown, name: string, min: number, infinite = false): number {
  if (typeof value !== "number") {
    throw new TypeError(`Cannot use ${name} ${show(value)}: expected an integer ≥ ${min}`);
  }
  if (!(Number.isInteger(value) || (infinite && value === Infinity)) || value < min) {
    throw new RangeError(`Cannot use ${name} ${show(value)}: expected an integer ≥ ${min}`);
  }
  return value;
}

function deferred<T>(): { promise: Promise<T>; resolve(v: T): void; reject(e: unknown): void } {
  let resolve!: (v: T) => void, reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

function isShared(data: DataArray): boolean {
  return typeof SharedArrayBuffer !== "undefined" && data.buffer instanceof SharedArrayBuffer;
}

function refOf(data: DataArray, mid: number): ArrayRef {
  return {
    buffer: data.buffer,
    byteOffset: data.byteOffset,
    length: data.length,
    dtype: data instanceof Float64Array ? "float64" : "float32",
    mid,
  };
}

/**
 * A pool of module workers that applies any activation of the core registry, by name, to big
 * tensors: the tensor is cut into contiguous shards of whole slices, each worker computes its
 * shard with the very same core function, so the result is bitwise identical to
 * `getActivation(op).forward(x, options)` whatever the pool size.
 *
 * Memory: a tensor on a SharedArrayBuffer (`tensor(…, { shared: true })`) is read in place and
 * the result is written into a new shared tensor (or into a shared `out`) with no copy at all.
 * Any other tensor is copied once into shared memory first: one pass over its bytes on the
 * calling thread, about as long as a ReLU over it.
 *
 * Small work runs on the calling thread: a run is sent to the workers only when its estimated
 * time (the registry's cost per element times the size) exceeds one round trip to a worker,
 * measured at first use. Ops with tensor-valued options (such as a PReLU weight) and reductions
 * without a `dim` option also run on the calling thread.
 *
 * Faults: a worker that crashes rejects only its own task, with the cause, and is replaced the
 * next time work needs it; a task that throws rejects its run. Close the pool (or use
 * `await using`) so that the process can exit.
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
  readonly #maxQueue: number;
  readonly #workerUrl: string | URL;
  readonly #shared: boolean;
  readonly #callerRuns: boolean;
  readonly #fixedRoundTrip?: number;
  #roundTrip?: Promise<number>;
  #slots: Slot[] = [];
  #queue: Task[] = [];
  #runs = new Set<Run>();
  #plans = new Map<string, Plan | undefined>();
  #tuning = new Tuning();
  #completed = 0;
  #failed = 0;
  #closed = false;
  #destroyed = false;
  #closing?: Promise<void>;
  #idle: (() => void)[] = [];

  /** Creates the pool; workers start when the first run needs them. */
  constructor(options: WorkerPoolOptions = {}) {
    if (options === null || typeof options !== "object") {
      throw new TypeError(
        `Cannot create WorkerPool with options ${show(options)}: expected an object`,
      );
    }
    const fallback = globalThis.navigator?.hardwareConcurrency ?? 1;
    this.#size = checkCount(options.size ?? fallback, "size", 1);
    if (this.#size > MAX_POOL_SIZE) {
      throw new RangeError(
        `Cannot use size ${this.#size}: expected at most ${MAX_POOL_SIZE} ` +
          `(four per hardware thread of this machine's ${fallback}, and 256 at most)`,
      );
    }
    this.#maxQueue = checkCount(options.maxQueue ?? Infinity, "maxQueue", 0, true);
    if (options.roundTripMs !== undefined) {
      const r = options.roundTripMs;
      if (typeof r !== "number") {
        throw new TypeError(`Cannot use roundTripMs ${show(r)}: expected a number ≥ 0`);
      }
      if (!(r >= 0) || r === Infinity) {
        throw new RangeError(`Cannot use roundTripMs ${show(r)}: expected a finite number ≥ 0`);
      }
      this.#fixedRoundTrip = r;
    }
    const url = options.workerUrl ?? DEFAULT_WORKER;
    if (typeof url !== "string" && !(url instanceof URL)) {
      throw new TypeError(`Cannot use workerUrl ${show(url)}: expected a string or a URL`);
    }
    this.#workerUrl = url;
    const memory = options.memory ??
      (typeof SharedArrayBuffer === "undefined" ? "transfer" : "shared");
    if (memory !== "shared" && memory !== "transfer") {
      throw new RangeError(`Cannot use memory ${show(memory)}: expected "shared" or "transfer"`);
    }
    if (memory === "shared" && typeof SharedArrayBuffer === "undefined") {
      throw new RangeError(
        `Cannot use memory "shared": SharedArrayBuffer is unavailable (the page is not cross-origin isolated)`,
      );
    }
    this.#shared = memory === "shared";
    const callerRuns = options.callerRuns ?? !("document" in globalThis);
    if (typeof callerRuns !== "boolean") {
      throw new TypeError(`Cannot use callerRuns ${show(callerRuns)}: expected a boolean`);
    }
    this.#callerRuns = callerRuns;
  }

  /** The number of workers the pool runs at most. */
  get size(): number {
    return this.#size;
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
    return this.#start(
      op,
      options,
      (run, rest) => this.#apply(run, "forward", op, x, undefined, rest),
    );
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
    return this.#start(
      op,
      options,
      (run, rest) => this.#apply(run, "backward", op, x, gradOutput, rest),
    );
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
    if (options === null || typeof options !== "object") {
      throw new TypeError(`Cannot call map() with options ${show(options)}: expected an object`);
    }
    const { concurrency = this.#size, ...runOptions } = options;
    checkCount(concurrency, "concurrency", 1);
    if (runOptions.out !== undefined) {
      throw new TypeError(`Cannot call map() with option out: each batch needs its own output`);
    }
    const inFlight: Promise<Tensor>[] = [];
    try {
      for await (const x of batches) {
        const result = this.run(op, x, runOptions);
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
    return {
      workers: this.#slots.length,
      busy: this.#slots.filter((s) => s.task !== undefined).length,
      queued: this.#queue.length,
      completed: this.#completed,
      failed: this.#failed,
    };
  }

  /**
   * Finishes the runs in progress (running and queued), then terminates the workers. New runs
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
    if (this.#closing) return this.#closing;
    this.#closed = true;
    this.#closing = new Promise<void>((resolve) => {
      this.#idle.push(resolve);
      this.#checkIdle();
    }).then(() => this.#terminateAll());
    return this.#closing;
  }

  /**
   * Rejects every run in progress and terminates the workers at once.
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
    this.#closed = true;
    this.#destroyed = true;
    this.#closing ??= Promise.resolve();
    for (const run of [...this.#runs]) {
      this.#fail(run, new Error(`Cannot finish ${run.op}: the pool was destroyed`), false);
    }
    for (const task of this.#queue) this.#settle(task, new Error("The pool was destroyed"));
    this.#queue = [];
    this.#terminateAll();
    for (const resolve of this.#idle.splice(0)) resolve();
  }

  /** Same as {@linkcode WorkerPool.close}, for `await using`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  #start(
    op: string,
    options: RunOptions,
    body: (run: Run, rest: AnyOptions) => Promise<Tensor>,
  ): Promise<Tensor> {
    if (this.#closed) {
      return Promise.reject(new Error(`Cannot run ${show(op)}: the pool is closed`));
    }
    const d = deferred<Tensor>();
    const run: Run = { op, tasks: [], settled: false, ...d };
    this.#runs.add(run);
    let signal: AbortSignal | undefined;
    const onAbort = () => this.#fail(run, signal!.reason, true);
    try {
      if (options === null || typeof options !== "object") {
        throw new TypeError(
          `Cannot run ${show(op)} with options ${show(options)}: expected an object`,
        );
      }
      const { signal: s, ...rest } = options;
      if (s !== undefined && !(s instanceof AbortSignal)) {
        throw new TypeError(`Cannot use option signal ${show(s)}: expected an AbortSignal`);
      }
      signal = s;
      signal?.throwIfAborted();
      signal?.addEventListener("abort", onAbort, { once: true });
      body(run, rest).then((y) => this.#succeed(run, y), (e) => this.#fail(run, e, false));
    } catch (e) {
      this.#fail(run, e, false);
    }
    const done = () => {
      signal?.removeEventListener("abort", onAbort);
      this.#runs.delete(run);
      this.#checkIdle();
    };
    d.promise.then(done, done);
    return d.promise;
  }

  #succeed(run: Run, y: Tensor): void {
    if (run.settled) return;
    run.settled = true;
    run.resolve(y);
  }

  /** Rejects a run and drops its queued tasks; `kill` also stops its running ones (abort). */
  #fail(run: Run, reason: unknown, kill: boolean): void {
    if (run.settled) return;
    run.settled = true;
    run.reject(reason);
    for (const task of run.tasks) {
      if (task.settled) continue;
      if (task.slot === undefined) {
        this.#queue = this.#queue.filter((t) => t !== task);
        this.#settle(task, reason);
      } else if (kill) {
        // A worker cannot be interrupted mid-computation; replacing it frees the slot now.
        this.#kill(task.slot, reason);
      }
    }
    this.#pump();
  }

  async #apply(
    run: Run,
    pass: "forward" | "backward",
    op: string,
    x: Tensor,
    gradOutput: Tensor | undefined,
    options: AnyOptions,
  ): Promise<Tensor> {
    const entry = getActivation(op);
    if (!(x instanceof Tensor)) {
      throw new TypeError(`Cannot use ${op}() argument x ${show(x)}: expected a Tensor`);
    }
    // Core's backward functions take no `out`; neither does the pool's.
    const { out: given, ...opOptions } = options;
    const out = pass === "forward" ? given : undefined;
    const inline = (): Tensor =>
      pass === "forward"
        ? entry.forward(x, out === undefined ? opOptions : { ...opOptions, out })
        : entry.backward(gradOutput!, x, opOptions);
    // What an element of this op costs here, learnt from the runs this thread computes.
    const costKey = JSON.stringify([entry.name, x.dtype, pass, opOptions]);
    const timedInline = (): Tensor => {
      const t = performance.now();
      const y = inline();
      this.#tuning.recordCost(costKey, x.size, performance.now() - t);
      return y;
    };
    // Tensor-valued options (a PReLU weight) would need cutting along with x; the calling
    // thread computes those. So does anything core is about to reject, with core's error.
    if (Object.values(opOptions).some((v) => typeof v === "object" && v !== null)) return inline();
    if (pass === "backward" && !(gradOutput instanceof Tensor)) return inline();
    if (x.size === 0) return inline();
    const plan = this.#plan(entry, x, opOptions, pass);
    if (plan === undefined) return inline();
    const { dim, mid: yMid } = plan;
    const yShape = plan.shape;
    const g = geometryOf(x.shape, dim);
    if (pass === "backward") {
      if (!sameShape(gradOutput!.shape, yShape) || gradOutput!.dtype !== x.dtype) return inline();
    }
    if (out !== undefined) {
      const ok = out instanceof Tensor && sameShape(out.shape, yShape) && out.dtype === plan.dtype;
      if (!ok || !plan.acceptsOut) return inline();
      // An out sharing part of x's memory: shards would overwrite each other's inputs. Core
      // reads such an x from a copy; the calling thread computes it (rare, and then correct).
      const a = x.data, b = out.data;
      const same = a.byteOffset === b.byteOffset && a.length === b.length;
      if (a.buffer === b.buffer && !same) return inline();
    }
    const roundTrip = await this.#measureRoundTrip();
    if (run.settled) return x;
    // The pings' round trip and the registry's cost are first guesses; what the pool has seen
    // replaces them (a fixed roundTripMs stays fixed).
    const latency = this.#fixedRoundTrip ?? this.#tuning.overheadMs(roundTrip);
    const passes = pass === "backward" ? 2 : 1;
    const perElement = this.#tuning.costNs(costKey, passes * elementNs(entry.cost, calibrate()));
    const workNs = x.size * perElement;
    const shards = shardCount(workNs, latency * 1e6, this.#size, Math.max(g.outer, g.inner));
    if (shards === 0) return timedInline();

    const outMid = pass === "forward" ? yMid : (dim < 0 ? 1 : x.shape[dim]);
    const outShape = pass === "forward" ? yShape : [...x.shape];
    const target = out instanceof Tensor ? out : undefined;
    const xMid = dim < 0 ? 1 : x.shape[dim];
    // Whole outer rows can be shared out as the threads go (chunks claimed from a counter):
    // then a worker that starts late, or a core another process is using, costs only its own
    // share. Inner cuts (fewer outer rows than shards) keep fixed blocks.
    const rowElements = xMid * g.inner;
    const chunked = this.#shared && shards > 1 && (g.outer >= shards || g.outer >= g.inner);
    const blocks = chunked ? [{ o0: 0, o1: g.outer, i0: 0, i1: g.inner }] : splitBlocks(g, shards);
    if (this.#shared) {
      // One copy into shared memory unless the caller's tensors already live there.
      const xs = isShared(x.data) ? x.data : copyShared(x.data);
      const gs = gradOutput &&
        (isShared(gradOutput.data) ? gradOutput.data : copyShared(gradOutput.data));
      const ys = target && isShared(target.data)
        ? target.data
        : allocateArray(plan.dtype, sizeOfShape(outShape), true);
      const jobOf = (block: Block, chunks?: ChunkQueue): Job => ({
        op,
        pass,
        options: opOptions,
        useOut: plan.acceptsOut,
        shape: [...x.shape],
        geometry: g,
        block,
        x: refOf(xs, xMid),
        ...(gs ? { gradOutput: refOf(gs, yMid) } : {}),
        y: refOf(ys, outMid),
        ...(chunks ? { chunks } : {}),
      });
      let jobs: Job[], mine: Job | undefined;
      if (chunked) {
        // Claims of at least about CHUNK_NS of work each: fewer would be all overhead.
        const minRows = Math.ceil(CHUNK_NS / Math.max(perElement * rowElements, 1e-3));
        const job = jobOf(blocks[0], chunkQueue(minRows, shards));
        const callerTakes = this.#callerRuns;
        jobs = Array.from({ length: callerTakes ? shards - 1 : shards }, () => job);
        mine = callerTakes ? job : undefined;
      } else {
        jobs = blocks.map((block) => jobOf(block));
        // The caller takes the last shard (only in shared memory, where it writes in place).
        mine = this.#callerRuns && jobs.length > 1 ? jobs.pop() : undefined;
      }
      const start = performance.now();
      const pending = this.#runTasks(run, jobs.map((job) => ({ job, transfer: [] })));
      let callerMs = 0, callerShare = 0;
      if (mine !== undefined) {
        try {
          const t = performance.now();
          const rows = mine.chunks ? execChunks(mine) : (execJob(mine), 0);
          const elements = mine.chunks ? rows * rowElements : blockSize(mine.block, xMid);
          callerMs = performance.now() - t;
          callerShare = elements / x.size;
          this.#tuning.recordCost(costKey, elements, callerMs);
        } catch (error) {
          // Settle the workers' part first: nothing may be left running unobserved.
          await pending.catch(() => {});
          throw error;
        }
      }
      await pending;
      if (chunked && callerShare > 0) {
        // The caller's pace prices the whole run (alone it would take callerMs / callerShare);
        // what the run took beyond an even split of that is the pool's overhead: wake-ups,
        // messages and the wait for the last chunk.
        const wall = performance.now() - start;
        this.#tuning.recordOverhead(wall - callerMs / callerShare / shards);
      }
      if (target && target.data !== ys) target.data.set(ys);
      return target ?? new Tensor(ys, outShape);
    }
    const y = target ??
      new Tensor(allocateArray(plan.dtype, sizeOfShape(outShape), false), outShape);
    const parts = blocks.map((block) =>
      transferJob(op, pass, opOptions, plan.acceptsOut, x, gradOutput, g, block, {
        x: xMid,
        y: outMid,
        gradOutput: yMid,
        dtype: plan.dtype,
      })
    );
    const results = await this.#runTasks(run, parts);
    results.forEach((r, k) => {
      const data = r.buffer!;
      const part = plan.dtype === "float64" ? new Float64Array(data) : new Float32Array(data);
      scatter(part, y.data, g, blocks[k], outMid);
    });
    return y;
  }

  /** The op's plan for x, cached: map() and repeated runs ask the same question. */
  #plan(entry: ActivationInfo, x: Tensor, options: AnyOptions, pass: "forward" | "backward") {
    const dim = reductionDim(entry, x.shape, options);
    const key = JSON.stringify([
      entry.name,
      x.dtype,
      x.shape.length,
      dim,
      dim === undefined || dim < 0 ? 0 : x.shape[dim],
      options,
      pass,
    ]);
    if (this.#plans.has(key)) {
      const known = this.#plans.get(key);
      return known &&
        {
          ...known,
          shape: known.dim < 0
            ? [...x.shape]
            : x.shape.map((s, d) => (d === known.dim ? known.mid : s)),
        };
    }
    const plan = planFor(entry, x.shape, x.dtype, options, pass);
    if (this.#plans.size > 256) this.#plans.clear();
    this.#plans.set(key, plan);
    return plan;
  }

  #measureRoundTrip(): Promise<number> {
    if (this.#fixedRoundTrip !== undefined) return Promise.resolve(this.#fixedRoundTrip);
    if (this.#roundTrip) return this.#roundTrip;
    const measure = async () => {
      // The first ping also waits for a worker to start and load its modules: not counted.
      await this.#ping();
      const times: number[] = [];
      for (let i = 0; i < 5; i++) {
        const t = performance.now();
        await this.#ping();
        times.push(performance.now() - t);
      }
      times.sort((a, b) => a - b);
      return times[2];
    };
    this.#roundTrip = measure();
    // A failed measurement (a worker that cannot start) is retried by the next run.
    this.#roundTrip.catch(() => (this.#roundTrip = undefined));
    return this.#roundTrip;
  }

  #ping(): Promise<number> {
    const task = this.#task("ping", "ping", []);
    this.#queue.push(task);
    this.#pump();
    return task.promise as Promise<number>;
  }

  #task(op: string, job: Job | "ping", transfer: Transferable[]): Task {
    const d = deferred<JobResult | number>();
    // A task of a run that already failed may be rejected with nobody left to listen.
    d.promise.catch(() => {});
    return { op, job, transfer, settled: false, ...d };
  }

  async #runTasks(run: Run, parts: { job: Job; transfer: Transferable[] }[]): Promise<JobResult[]> {
    const tasks = parts.map(({ job, transfer }) => this.#task(run.op, job, transfer));
    run.tasks = tasks;
    this.#queue.push(...tasks);
    this.#pump();
    if (this.#queue.length > this.#maxQueue) {
      const waiting = tasks.filter((t) => t.slot === undefined).length;
      const error = new Error(
        `Cannot queue ${waiting} more tasks for ${
          show(run.op)
        }: the queue is full (maxQueue ${this.#maxQueue})`,
      );
      // Its other tasks may already run; they finish unobserved.
      this.#fail(run, error, false);
      throw error;
    }
    return (await Promise.all(tasks.map((t) => t.promise))) as JobResult[];
  }

  #settle(task: Task, error: unknown, value?: JobResult | number): void {
    if (task.settled) return;
    task.settled = true;
    task.slot = undefined;
    if (error === undefined) task.resolve(value!);
    else task.reject(error);
  }

  #spawn(): Slot {
    const worker = new Worker(this.#workerUrl, { type: "module" });
    const slot: Slot = { worker, api: Comlink.wrap<WorkerApi>(worker) };
    const crash = (event: Event) => {
      // Without this, Deno rethrows the worker's uncaught error in the host and exits.
      event.preventDefault();
      const message = (event as ErrorEvent).message ?? "the worker could not read a message";
      const op = slot.task?.op;
      const error = new Error(
        `Worker crashed${op ? ` while running ${show(op)}` : ""}: ${message}`,
        { cause: (event as ErrorEvent).error ?? message },
      );
      if (slot.task) this.#failed++;
      this.#kill(slot, error);
    };
    worker.addEventListener("error", crash);
    worker.addEventListener("messageerror", crash);
    this.#slots.push(slot);
    return slot;
  }

  #dispatch(slot: Slot, task: Task): void {
    slot.task = task;
    task.slot = slot;
    const call = task.job === "ping"
      ? slot.api.ping()
      : slot.api.exec(task.transfer.length ? Comlink.transfer(task.job, task.transfer) : task.job);
    (call as Promise<JobResult | number>).then(
      (value) => this.#finish(slot, task, undefined, value),
      (error) => this.#finish(slot, task, error ?? new Error("Worker failed")),
    );
  }

  #finish(slot: Slot, task: Task, error: unknown, value?: JobResult | number): void {
    if (slot.task !== task) return; // the worker was killed; the task is settled already
    slot.task = undefined;
    if (error === undefined) {
      if (task.job !== "ping") this.#completed++;
      this.#settle(task, undefined, value);
    } else {
      this.#failed++;
      const message = error instanceof Error ? error.message : String(error);
      this.#settle(
        task,
        new Error(`Worker failed while running ${show(task.op)}: ${message}`, { cause: error }),
      );
    }
    this.#pump();
  }

  /** Terminates a worker, rejecting its task with `reason`; a new one starts when needed. */
  #kill(slot: Slot, reason: unknown): void {
    const i = this.#slots.indexOf(slot);
    if (i >= 0) this.#slots.splice(i, 1);
    slot.worker.terminate();
    const task = slot.task;
    slot.task = undefined;
    if (task) this.#settle(task, reason);
    this.#pump();
  }

  #pump(): void {
    while (this.#queue.length > 0 && !this.#destroyed) {
      let slot = this.#slots.find((s) => s.task === undefined);
      if (slot === undefined) {
        if (this.#slots.length >= this.#size) break;
        slot = this.#spawn();
      }
      this.#dispatch(slot, this.#queue.shift()!);
    }
    this.#checkIdle();
  }

  #checkIdle(): void {
    if (this.#runs.size === 0 && this.#queue.length === 0 && this.#idle.length > 0) {
      for (const resolve of this.#idle.splice(0)) resolve();
    }
  }

  #terminateAll(): void {
    // Nothing is left pending: queued pings of a run that was aborted included.
    for (const task of this.#queue.splice(0)) this.#settle(task, new Error("The pool was closed"));
    for (const slot of this.#slots.splice(0)) {
      slot.worker.terminate();
      const task = slot.task;
      slot.task = undefined;
      if (task) this.#settle(task, new Error("The pool was closed"));
    }
  }
}

function copyShared(data: DataArray): DataArray {
  const copy = allocateArray(
    data instanceof Float64Array ? "float64" : "float32",
    data.length,
    true,
  );
  copy.set(data);
  return copy;
}

/** A job whose block of each array is copied into its own ArrayBuffer, to be transferred. */
function transferJob(
  op: string,
  pass: "forward" | "backward",
  options: AnyOptions,
  useOut: boolean,
  x: Tensor,
  gradOutput: Tensor | undefined,
  g: Geometry,
  block: Block,
  mids: { x: number; y: number; gradOutput: number; dtype: DType },
): { job: Job; transfer: Transferable[] } {
  const rows = block.o1 - block.o0, width = block.i1 - block.i0;
  const local: Geometry = { outer: rows, inner: width, dim: g.dim };
  const localBlock: Block = { o0: 0, o1: rows, i0: 0, i1: width };
  const piece = (t: Tensor, mid: number): DataArray => {
    const dst = allocateArray(t.dtype, blockSize(block, mid), false);
    gather(t.data, dst, g, block, mid);
    return dst;
  };
  const xs = piece(x, mids.x);
  const gs = gradOutput && piece(gradOutput, mids.gradOutput);
  const ys = allocateArray(mids.dtype, blockSize(block, mids.y), false);
  const job: Job = {
    op,
    pass,
    options,
    useOut,
    shape: [...x.shape],
    geometry: local,
    block: localBlock,
    x: refOf(xs, mids.x),
    ...(gs ? { gradOutput: refOf(gs, mids.gradOutput) } : {}),
    y: refOf(ys, mids.y),
  };
  const transfer = [xs.buffer, ys.buffer, ...(gs ? [gs.buffer] : [])] as ArrayBuffer[];
  return { job, transfer };
}
