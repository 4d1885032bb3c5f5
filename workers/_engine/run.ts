/**
 * One run of the pool, from its call to its outcome: the promise the caller holds, the abort
 * signal it follows, the tasks it has in the scheduler, its stop flag, and the moment it
 * settles. A run settles once; whatever comes later (a shard finishing after an abort) is
 * dropped. Private to the package.
 */

import type { Tensor } from "@nonlin/core";
import type { Task } from "./scheduler.ts";

/**
 * What a failing run asks of the scheduler: drop its queued tasks and, when `kill` is set (an
 * abort), end the running ones: at their next chunk when they watch the stop flag, at once
 * otherwise.
 */
export type CancelTasks = (tasks: readonly Task[], reason: unknown, kill: boolean) => void;

/** One call of `run()` or `backward()` in progress. */
export class Run {
  /** The op's name, for messages. */
  readonly op: string;
  /** Settles with the result, or rejects with the first failure. */
  readonly promise: Promise<Tensor>;
  /**
   * The run's stop flag (an Int32Array of one element), set when it fails: every thread that
   * works on it looks at the flag between chunks. Absent without SharedArrayBuffer.
   */
  readonly stop?: SharedArrayBuffer;
  /** The tasks handed to the scheduler for this run, once there are any. */
  tasks: readonly Task[] = [];
  readonly #cancel: CancelTasks;
  readonly #onStop: (() => void)[] = [];
  #resolve!: (y: Tensor) => void;
  #reject!: (reason: unknown) => void;
  #settled = false;
  #failed = false;
  #reason: unknown;
  #unwatch?: () => void;

  constructor(op: string, cancel: CancelTasks) {
    this.op = op;
    this.#cancel = cancel;
    if (typeof SharedArrayBuffer !== "undefined") this.stop = new SharedArrayBuffer(4);
    this.promise = new Promise<Tensor>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
  }

  /** Whether the run has its outcome. */
  get settled(): boolean {
    return this.#settled;
  }

  /** Whether the run failed (or was aborted), so that its threads must stop. */
  get stopped(): boolean {
    return this.#failed;
  }

  /**
   * Follows `signal`: throws its reason if it is aborted already, fails the run and stops its
   * tasks when it aborts later.
   */
  watch(signal: AbortSignal | undefined): void {
    if (signal === undefined) return;
    signal.throwIfAborted();
    const onAbort = () => this.fail(signal.reason, true);
    signal.addEventListener("abort", onAbort, { once: true });
    this.#unwatch = () => signal.removeEventListener("abort", onAbort);
  }

  /** Calls `fn` when the run fails, after its stop flag is set (to wake waiting threads). */
  onStop(fn: () => void): void {
    this.#onStop.push(fn);
  }

  /** Resolves the run with its result. */
  succeed(y: Tensor): void {
    if (this.#settle()) this.#resolve(y);
  }

  /**
   * Rejects the run, sets its stop flag and cancels its tasks; `kill` also ends those already
   * running.
   */
  fail(reason: unknown, kill: boolean): void {
    if (!this.#settle()) return;
    this.#failed = true;
    this.#reason = reason;
    this.#reject(reason);
    if (this.stop) Atomics.store(new Int32Array(this.stop), 0, 1);
    for (const fn of this.#onStop.splice(0)) fn();
    this.#cancel(this.tasks, reason, kill);
  }

  /**
   * Throws the reason the run failed with, if it has. Work resumed after an await calls it:
   * a run that was aborted, or whose pool was destroyed, in the meantime must go no further.
   */
  throwIfSettled(): void {
    if (this.#settled) throw this.#reason;
  }

  #settle(): boolean {
    if (this.#settled) return false;
    this.#settled = true;
    this.#unwatch?.();
    return true;
  }
}
