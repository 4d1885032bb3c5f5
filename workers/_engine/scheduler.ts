/**
 * The workers and their queue: slots that each run one task at a time, a FIFO of tasks waiting
 * for a slot (at most `maxQueue`), the runs in progress, and the pool's lifecycle (close once
 * idle, destroy at once). Every task in flight is tracked, so that a worker that dies (crashes,
 * or exits by itself) rejects its task instead of leaving a promise pending. Private to the
 * package.
 */

import type { PoolStats } from "../pool.ts";
import { poolStopped, queueFull, workerFailed } from "../_errors.ts";
import type { Job, JobResult } from "../_protocol.ts";
import type { Run } from "./run.ts";
import { type SlotEvents, WorkerSlot } from "./slot.ts";

/**
 * How long a task of a stopped run may take to notice its stop flag before its worker is
 * terminated. A task that watches the flag ends within one chunk (about 2 ms of work); one that
 * does not (a worker that hangs) is ended here. Terminating a busy worker is the last resort:
 * Deno lets it run on to the end of its call and never frees it.
 */
export const GRACE_MS = 2000;

/** One job for one worker, as handed to {@linkcode Scheduler.submit}. */
export interface Part {
  readonly job: Job;
  /** Buffers to transfer with the job (none in shared memory). */
  readonly transfer: Transferable[];
}

/** Runs parts of a run on the workers: what the memory strategies need of the scheduler. */
export interface TaskRunner {
  /**
   * Queues the parts as tasks of `run`. A task that fails fails the run at once (its other
   * tasks stop at their next chunk); the promise settles only once every task has, since
   * until then a worker may still use the run's memory. Resolves with the results in order,
   * or rejects with the reason the run failed.
   */
  submit(run: Run, parts: readonly Part[]): Promise<JobResult[]>;
  /**
   * Takes back the run's tasks that no worker has started (queued, or given to a worker still
   * starting): the other threads have claimed all their work already. They resolve with no
   * result, so the run ends without waiting for a busy worker to reach them.
   */
  withdraw(run: Run): void;
}

/** A job (or a ping, or a warm-up) waiting for a worker, running on one, or settled. */
export interface Task {
  readonly op: string;
  readonly job: Job | "ping" | "warm";
  readonly transfer: Transferable[];
  readonly promise: Promise<JobResult | number>;
  resolve(value: JobResult | number): void;
  reject(reason: unknown): void;
  /** The slot running it, while it runs. */
  slot?: WorkerSlot;
  settled: boolean;
  /**
   * Whether its worker was terminated while it ran. A terminated Deno worker may go on
   * writing into the task's memory until its call ends, so that memory is never reused.
   */
  killed: boolean;
  /** Terminates a stopped task's worker should it not return in time. */
  grace?: ReturnType<typeof setTimeout>;
}

/** Whether a task's job watches its run's stop flag, so that it ends by itself when stopped. */
function stoppable(task: Task): boolean {
  return typeof task.job === "object" && task.job.stop !== undefined &&
    task.job.chunks !== undefined;
}

/** The workers, the queue and the lifecycle of one pool. */
export class Scheduler implements TaskRunner {
  readonly #size: number;
  readonly #maxQueue: number;
  readonly #workerUrl: string | URL;
  readonly #events: SlotEvents = {
    answered: (slot, task, error, value) => this.#answered(slot, task, error, value),
    lost: (slot, error) => this.#lost(slot, error),
  };
  #slots: WorkerSlot[] = [];
  #queue: Task[] = [];
  #runs = new Set<Run>();
  #warming = new Set<Promise<unknown>>();
  #completed = 0;
  #failed = 0;
  #closed = false;
  #destroyed = false;
  #closing?: Promise<void>;
  #idle: (() => void)[] = [];

  /** At most `size` workers of the module `workerUrl`, and `maxQueue` waiting tasks. */
  constructor(size: number, maxQueue: number, workerUrl: string | URL) {
    this.#size = size;
    this.#maxQueue = maxQueue;
    this.#workerUrl = workerUrl;
  }

  /** Whether new runs are refused (after close() or destroy()). */
  get closed(): boolean {
    return this.#closed;
  }

  /** Counts `run` as in progress until it settles: close() waits for it. */
  track(run: Run): void {
    this.#runs.add(run);
    const done = () => {
      this.#runs.delete(run);
      this.#checkIdle();
    };
    run.promise.then(done, done);
  }

  /** Queues the parts as tasks of `run`; see {@linkcode TaskRunner.submit}. */
  async submit(run: Run, parts: readonly Part[]): Promise<JobResult[]> {
    const tasks = parts.map(({ job, transfer }) => this.#task(run.op, job, transfer));
    run.tasks = tasks;
    for (const task of tasks) task.promise.catch((error) => run.fail(error, false));
    this.#queue.push(...tasks);
    this.#pump();
    if (this.#queue.length > this.#maxQueue) {
      const waiting = tasks.filter((t) => t.slot === undefined).length;
      // Its tasks already running stop at their next chunk.
      run.fail(queueFull(run.op, waiting, this.#maxQueue), false);
    }
    const results = await Promise.allSettled(tasks.map((t) => t.promise));
    // Every task may have finished and the run still have failed: it was aborted meanwhile.
    run.throwIfSettled();
    return results.map((r) => (r as PromiseFulfilledResult<JobResult>).value);
  }

  /** Takes back the run's tasks no worker has started; see {@linkcode TaskRunner.withdraw}. */
  withdraw(run: Run): void {
    for (const task of run.tasks) {
      if (task.settled) continue;
      if (task.slot === undefined) {
        this.#queue = this.#queue.filter((t) => t !== task);
      } else if (!task.slot.unassign(task)) {
        continue;
      }
      this.#settle(task, undefined, {});
    }
    this.#pump();
  }

  /** One round trip to a worker (starting one if none is free and the pool has room). */
  ping(): Promise<number> {
    const task = this.#task("ping", "ping", []);
    this.#queue.push(task);
    this.#pump();
    return task.promise as Promise<number>;
  }

  /**
   * Starts workers until there are `count` (at most the pool's size), each warming up (see
   * `WorkerApi.warm`). Resolves once every warm-up started so far is done; rejects with the
   * first worker that could not start.
   */
  async ready(count: number): Promise<void> {
    while (this.#slots.length < Math.min(count, this.#size)) {
      const task = this.#task("warm", "warm", []);
      this.#spawn().run(task);
      const warming = task.promise;
      this.#warming.add(warming);
      const done = () => this.#warming.delete(warming);
      warming.then(done, done);
    }
    await Promise.all(this.#warming);
  }

  /**
   * Settles a failed run's unsettled tasks: queued ones (and those given to a worker still
   * starting) leave at once; when `kill` is set, running ones end at their next chunk, or are
   * terminated at once when they do not watch a stop flag, or after {@linkcode GRACE_MS} when
   * they do and have not ended by then.
   */
  cancel(tasks: readonly Task[], reason: unknown, kill: boolean): void {
    for (const task of tasks) {
      if (task.settled) continue;
      const slot = task.slot;
      if (slot === undefined) {
        this.#queue = this.#queue.filter((t) => t !== task);
        this.#settle(task, reason);
      } else if (slot.unassign(task)) {
        this.#settle(task, reason);
      } else if (kill && !stoppable(task)) {
        this.#kill(slot, reason);
      } else if (kill) {
        task.grace ??= setTimeout(() => {
          if (!task.settled && slot.task === task) this.#kill(slot, reason);
        }, GRACE_MS);
      }
    }
    this.#pump();
  }

  /** A snapshot of the workers and counters. */
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
   * Refuses new runs, waits for the tracked ones, the queue and the tasks of stopped runs
   * still ending, then terminates the workers (idle by then).
   */
  close(): Promise<void> {
    if (this.#closing) return this.#closing;
    this.#closed = true;
    this.#closing = new Promise<void>((resolve) => {
      this.#idle.push(resolve);
      this.#checkIdle();
    }).then(() => this.#terminateAll("closed"));
    return this.#closing;
  }

  /** Rejects every tracked run and task and terminates the workers at once. */
  destroy(): void {
    this.#closed = true;
    this.#destroyed = true;
    this.#closing ??= Promise.resolve();
    for (const run of [...this.#runs]) run.fail(poolStopped(run.op, "destroyed"), false);
    this.#terminateAll("destroyed");
    for (const resolve of this.#idle.splice(0)) resolve();
  }

  #task(op: string, job: Job | "ping" | "warm", transfer: Transferable[]): Task {
    let resolve!: (value: JobResult | number) => void, reject!: (reason: unknown) => void;
    const promise = new Promise<JobResult | number>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    // A task of a run that already failed may be rejected with nobody left to listen.
    promise.catch(() => {});
    return { op, job, transfer, promise, resolve, reject, settled: false, killed: false };
  }

  #settle(task: Task, error: unknown, value?: JobResult | number): void {
    if (task.settled) return;
    task.settled = true;
    task.slot = undefined;
    clearTimeout(task.grace);
    if (error === undefined) task.resolve(value!);
    else task.reject(error);
  }

  #spawn(): WorkerSlot {
    const slot = new WorkerSlot(this.#workerUrl, this.#events);
    this.#slots.push(slot);
    return slot;
  }

  #answered(slot: WorkerSlot, task: Task, error: unknown, value?: JobResult | number): void {
    if (slot.task !== task) return; // the worker was killed; the task is settled already
    slot.task = undefined;
    if (error === undefined) {
      if (typeof task.job === "object") this.#completed++;
      this.#settle(task, undefined, value);
    } else {
      this.#failed++;
      this.#settle(task, workerFailed(task.op, error));
    }
    this.#pump();
  }

  /** A worker crashed or exited by itself: its task fails with `error`, a new one replaces it. */
  #lost(slot: WorkerSlot, error: Error): void {
    if (!this.#slots.includes(slot)) return;
    if (slot.task) this.#failed++;
    this.#kill(slot, error);
  }

  /** Terminates a worker, rejecting its task with `reason`; a new one starts when needed. */
  #kill(slot: WorkerSlot, reason: unknown): void {
    const i = this.#slots.indexOf(slot);
    if (i >= 0) this.#slots.splice(i, 1);
    slot.terminate();
    const task = slot.task;
    slot.task = undefined;
    if (task) {
      task.killed = true;
      this.#settle(task, reason);
    }
    this.#pump();
  }

  #pump(): void {
    while (this.#queue.length > 0 && !this.#destroyed) {
      let slot = this.#slots.find((s) => s.task === undefined);
      if (slot === undefined) {
        if (this.#slots.length >= this.#size) break;
        try {
          slot = this.#spawn();
        } catch (error) {
          // No worker can start in this runtime: the task fails with the reason.
          this.#settle(this.#queue.shift()!, error);
          continue;
        }
      }
      slot.run(this.#queue.shift()!);
    }
    this.#checkIdle();
  }

  #checkIdle(): void {
    if (this.#idle.length === 0 || this.#runs.size > 0 || this.#queue.length > 0) return;
    if (this.#slots.some((s) => s.task !== undefined)) return;
    for (const resolve of this.#idle.splice(0)) resolve();
  }

  /** Settles whatever is left, queued pings of an aborted run included, and ends every worker. */
  #terminateAll(how: "closed" | "destroyed"): void {
    for (const task of this.#queue.splice(0)) this.#settle(task, poolStopped(task.op, how));
    for (const slot of this.#slots.splice(0)) {
      slot.terminate();
      const task = slot.task;
      slot.task = undefined;
      if (task) {
        task.killed = true;
        this.#settle(task, poolStopped(task.op, how));
      }
    }
    this.#warming.clear();
  }
}
