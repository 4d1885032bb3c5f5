/**
 * One run of the pool, from its call to its outcome: the promise the caller holds, the abort
 * signal it follows, the tasks it has in the scheduler, and the moment it settles. A run
 * settles once; whatever comes later (a shard finishing after an abort) is dropped. Private to
 * the package.
 */

import type { Tensor } from "@nonlin/core";
import type { Task } from "./scheduler.ts";

/**
 * What a failing run asks of the scheduler: drop its queued tasks and, when `kill` is set (an
 * abort), stop the running ones.
 */
export type CancelTasks = (tasks: readonly Task[], reason: unknown, kill: boolean) => void;

/** One call of `run()` or `backward()` in progress. */
export class Run {
  /** The op's name, for messages. */
  readonly op: string;
  /** Settles with the result, or rejects with the first failure. */
  readonly promise: Promise<Tensor>;
  /** The tasks handed to the scheduler for this run, once there are any. */
  tasks: readonly Task[] = [];
  readonly #cancel: CancelTasks;
  #resolve!: (y: Tensor) => void;
  #reject!: (reason: unknown) => void;
  #settled = false;
  #reason: unknown;
  #unwatch?: () => void;

  constructor(op: string, cancel: CancelTasks) {
    this.op = op;
    this.#cancel = cancel;
    this.promise = new Promise<Tensor>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
  }

  /** Whether the run has its outcome. */
  get settled(): boolean {
    return this.#settled;
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

  /** Resolves the run with its result. */
  succeed(y: Tensor): void {
    if (this.#settle()) this.#resolve(y);
  }

  /** Rejects the run and cancels its tasks; `kill` also stops those already running. */
  fail(reason: unknown, kill: boolean): void {
    if (!this.#settle()) return;
    this.#reason = reason;
    this.#reject(reason);
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
