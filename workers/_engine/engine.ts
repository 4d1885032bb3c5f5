/**
 * The engine behind `WorkerPool`: starts runs, decides for each whether it is worth cutting
 * (registry plan, estimated work against the round trip), and hands the shards to the memory
 * strategy over the scheduler's workers. Private to the package.
 */

import { type AnyOptions, Tensor } from "@nonlin/core";
import { geometryOf } from "../_blocks.ts";
import { calibrate, elementNs, shardCount } from "../_cost.ts";
import { poolClosed } from "../_errors.ts";
import { type PoolConfig, runOptions } from "../_options.ts";
import { Planner } from "../_plan.ts";
import { COPY_KEY, Tuning } from "../_tuning.ts";
import type { PoolStats, RunOptions } from "../pool.ts";
import { type Call, callOf, computeWhole, planOf } from "./call.ts";
import { RoundTrip } from "./round_trip.ts";
import { Run } from "./run.ts";
import { Scheduler } from "./scheduler.ts";
import { SharedBuffers } from "./buffers.ts";
import { SharedMemory } from "./shared.ts";
import { TransferMemory } from "./transfer.ts";
import { type MemoryStrategy, workOf } from "./work.ts";

/** The pool's machinery, for one configuration. */
export class Engine {
  readonly #config: PoolConfig;
  readonly #scheduler: Scheduler;
  readonly #memory: MemoryStrategy;
  readonly #roundTrip: RoundTrip;
  readonly #planner = new Planner();
  readonly #tuning = new Tuning();
  readonly #buffers = new SharedBuffers();

  /** Sets the machinery up; workers start when the first run needs them. */
  constructor(config: PoolConfig) {
    this.#config = config;
    this.#scheduler = new Scheduler(config.size, config.maxQueue, config.workerUrl);
    this.#memory = config.shared
      ? new SharedMemory(this.#scheduler, this.#tuning, config.callerRuns, this.#buffers)
      : new TransferMemory(this.#scheduler);
    this.#roundTrip = new RoundTrip(() => this.#scheduler.ping());
  }

  /**
   * Starts one forward or backward run. Every error, in the arguments as in the work, rejects
   * the returned promise; nothing throws synchronously.
   */
  start(
    pass: "forward" | "backward",
    op: string,
    x: Tensor,
    gradOutput: Tensor | undefined,
    options: RunOptions,
  ): Promise<Tensor> {
    if (this.#scheduler.closed) return Promise.reject(poolClosed(op));
    const scheduler = this.#scheduler;
    const run = new Run(op, (tasks, reason, kill) => scheduler.cancel(tasks, reason, kill));
    scheduler.track(run);
    try {
      const { signal, rest } = runOptions(op, options);
      run.watch(signal);
      this.#apply(run, pass, op, x, gradOutput, rest).then(
        (y) => run.succeed(y),
        (error) => run.fail(error, false),
      );
    } catch (error) {
      run.fail(error, false);
    }
    return run.promise;
  }

  /** What the workers are doing. */
  stats(): PoolStats {
    return this.#scheduler.stats();
  }

  /**
   * Starts the workers a run uses (`size - 1` when the caller takes part, else `size`), warms
   * each up, prices the calling thread's kernels and measures the round trip, so that a first
   * run costs what later ones do.
   */
  async ready(): Promise<void> {
    if (this.#scheduler.closed) throw poolClosed();
    calibrate();
    const { size, callerRuns } = this.#config;
    await this.#scheduler.ready(callerRuns ? Math.max(1, size - 1) : size);
    await this.#latency();
  }

  /** Finishes the runs in progress, then terminates the workers and lets staging memory go. */
  async close(): Promise<void> {
    await this.#scheduler.close();
    this.#buffers.clear();
  }

  /** Rejects the runs in progress and terminates the workers at once. */
  destroy(): void {
    this.#scheduler.destroy();
    this.#buffers.clear();
  }

  async #apply(
    run: Run,
    pass: "forward" | "backward",
    op: string,
    x: Tensor,
    gradOutput: Tensor | undefined,
    options: AnyOptions,
  ): Promise<Tensor> {
    const call = callOf(pass, op, x, gradOutput, options);
    const plan = planOf(call, this.#planner);
    if (plan === undefined) return computeWhole(call);
    const roundTrip = await this.#latency();
    run.throwIfSettled();
    const perElement = this.#elementNs(call);
    const g = geometryOf(x.shape, plan.dim);
    const units = Math.max(g.outer, g.inner);
    // What the workers take over must also pay for copying ordinary inputs into shared memory.
    const work = x.size * perElement - this.#copyNs(call);
    const shards = shardCount(work, roundTrip * 1e6, this.#config.size, units);
    if (shards === 0) return this.#computeHere(call);
    return this.#memory.compute(run, workOf(call, plan, shards, perElement));
  }

  /**
   * The round trip to price a run against: the pings' first guess until parallel runs show
   * the pool's real overhead; a fixed roundTripMs stays fixed.
   */
  async #latency(): Promise<number> {
    const fixed = this.#config.roundTripMs;
    if (fixed !== undefined) return fixed;
    return this.#tuning.overheadMs(await this.#roundTrip.get());
  }

  /** Estimated ns per element: measured here for this op, else the registry's cost. */
  #elementNs(call: Call): number {
    const passes = call.pass === "backward" ? 2 : 1;
    return this.#tuning.costNs(call.costKey, passes * elementNs(call.entry.cost, calibrate()));
  }

  /**
   * Estimated ns to copy the call's ordinary inputs into shared memory: as measured by earlier
   * runs, else about one arithmetic operation per element.
   */
  #copyNs(call: Call): number {
    if (!this.#config.shared) return 0;
    const ordinary = [call.x, call.gradOutput].filter((t) =>
      t instanceof Tensor && !(t.data.buffer instanceof SharedArrayBuffer)
    ) as Tensor[];
    const elements = ordinary.reduce((sum, t) => sum + t.size, 0);
    return elements * this.#tuning.costNs(COPY_KEY, calibrate().arithmeticNs);
  }

  /** Computes the call whole on this thread, recording what an element cost. */
  #computeHere(call: Call): Tensor {
    const t = performance.now();
    const y = computeWhole(call);
    this.#tuning.recordCost(call.costKey, call.x.size, performance.now() - t);
    return y;
  }
}
