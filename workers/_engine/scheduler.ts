/**
 * The workers and their queue: slots that each run one task at a time, a FIFO of tasks waiting
 * for a slot (at most `maxQueue`), the runs in progress, and the pool's lifecycle (close once
 * idle, destroy at once). Every task in flight is tracked, so that a worker that dies rejects
 * its task instead of leaving a promise pending. Private to the package.
 */

import * as Comlink from "comlink";
import type { PoolStats } from "../pool.ts";
import { poolStopped, queueFull, workerCrashed, workerFailed } from "../_errors.ts";
import type { Job, JobResult, WorkerApi } from "../_protocol.ts";
import type { Run } from "./run.ts";

/** One job for one worker, as handed to {@linkcode Scheduler.submit}. */
export interface Part {
  readonly job: Job;
  /** Buffers to transfer with the job (none in shared memory). */
  readonly transfer: Transferable[];
}

/** Runs parts of a run on the workers: what the memory strategies need of the scheduler. */
export interface TaskRunner {
  /** Queues the parts as tasks of `run`; resolves with their results in order. */
  submit(run: Run, parts: readonly Part[]): Promise<JobResult[]>;
}

/** A job (or a ping) waiting for a worker, running on one, or settled. */
export interface Task {
  readonly op: string;
  readonly job: Job | "ping";
  readonly transfer: Transferable[];
  readonly promise: Promise<JobResult | number>;
  resolve(value: JobResult | number): void;
  reject(reason: unknown): void;
  /** The slot running it, while it runs. */
  slot?: Slot;
  settled: boolean;
}

interface Slot {
  readonly worker: Worker;
  readonly api: Comlink.Remote<WorkerApi>;
  task?: Task;
}

/** The workers, the queue and the lifecycle of one pool. */
export class Scheduler implements TaskRunner {
  readonly #size: number;
  readonly #maxQueue: number;
  readonly #workerUrl: string | URL;
  #slots: Slot[] = [];
  #queue: Task[] = [];
  #runs = new Set<Run>();
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

  /** Queues the parts as tasks of `run`; a queue over `maxQueue` fails the run at once. */
  async submit(run: Run, parts: readonly Part[]): Promise<JobResult[]> {
    const tasks = parts.map(({ job, transfer }) => this.#task(run.op, job, transfer));
    run.tasks = tasks;
    this.#queue.push(...tasks);
    this.#pump();
    if (this.#queue.length > this.#maxQueue) {
      const waiting = tasks.filter((t) => t.slot === undefined).length;
      const error = queueFull(run.op, waiting, this.#maxQueue);
      // Its other tasks may already run; they finish unobserved.
      run.fail(error, false);
      throw error;
    }
    return (await Promise.all(tasks.map((t) => t.promise))) as JobResult[];
  }

  /** One round trip to a worker (starting one if none is free and the pool has room). */
  ping(): Promise<number> {
    const task = this.#task("ping", "ping", []);
    this.#queue.push(task);
    this.#pump();
    return task.promise as Promise<number>;
  }

  /** Settles a failed run's unsettled tasks: queued ones leave the queue, running ones are killed if `kill`. */
  cancel(tasks: readonly Task[], reason: unknown, kill: boolean): void {
    for (const task of tasks) {
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

  /** Refuses new runs, waits for the tracked ones and the queue, then terminates the workers. */
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

  #task(op: string, job: Job | "ping", transfer: Transferable[]): Task {
    let resolve!: (value: JobResult | number) => void, reject!: (reason: unknown) => void;
    const promise = new Promise<JobResult | number>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    // A task of a run that already failed may be rejected with nobody left to listen.
    promise.catch(() => {});
    return { op, job, transfer, promise, resolve, reject, settled: false };
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
      const error = workerCrashed(slot.task?.op, message, (event as ErrorEvent).error ?? message);
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
      this.#settle(task, workerFailed(task.op, error));
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

  /** Settles whatever is left, queued pings of an aborted run included, and ends every worker. */
  #terminateAll(how: "closed" | "destroyed"): void {
    for (const task of this.#queue.splice(0)) this.#settle(task, poolStopped(task.op, how));
    for (const slot of this.#slots.splice(0)) {
      slot.worker.terminate();
      const task = slot.task;
      slot.task = undefined;
      if (task) this.#settle(task, poolStopped(task.op, how));
    }
  }
}
