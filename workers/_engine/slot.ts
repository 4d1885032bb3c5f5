/**
 * One worker of the pool: its thread, the comlink proxy to it, the check that tells when it is
 * gone, and the task it runs. A slot is live once its worker holds its liveness lock; a task
 * given to it earlier waits until then, so that a worker that exits in the middle of a task is
 * always noticed. Private to the package.
 */

import * as Comlink from "comlink";
import { workerCrashed, workerExited } from "../_errors.ts";
import { startWorker, type WorkerThread } from "../_platform.ts";
import type { JobResult, WorkerApi } from "../_protocol.ts";
import type { Task } from "./scheduler.ts";

/** What a slot reports to the scheduler. */
export interface SlotEvents {
  /** The task sent to the slot answered: with `value`, or with the `error` it threw. */
  answered(slot: WorkerSlot, task: Task, error: unknown, value?: JobResult | number): void;
  /** The worker is gone by itself (crashed or exited); `error` says how. */
  lost(slot: WorkerSlot, error: Error): void;
}

/** One worker and the task it runs. */
export class WorkerSlot {
  /** The task the worker runs, or will run once live. */
  task?: Task;
  readonly #thread: WorkerThread;
  readonly #api: Comlink.Remote<WorkerApi>;
  readonly #events: SlotEvents;
  #live = false;
  #gone = false;

  /** Starts the worker at `url`; it becomes live once it holds its lock. */
  constructor(url: string | URL, events: SlotEvents) {
    this.#events = events;
    this.#thread = startWorker(url, {
      crashed: (message, cause) => this.#lose(workerCrashed(this.task?.op, message, cause)),
      exited: (code) => this.#lose(workerExited(this.task?.op, code)),
    });
    this.#api = Comlink.wrap<WorkerApi>(this.#thread.endpoint);
    this.#api.hold(this.#thread.lock).then((held) => {
      if (this.#gone) return;
      if (held) this.#thread.watch();
      this.#live = true;
      if (this.task) this.#send(this.task);
    }, () => {
      // A worker that dies while starting is reported by its crash.
    });
  }

  /** Whether tasks are sent to the worker (it started and holds its lock). */
  get live(): boolean {
    return this.#live;
  }

  /** Runs `task` on this worker: now if it is live, once it is otherwise. */
  run(task: Task): void {
    this.task = task;
    task.slot = this;
    if (this.#live) this.#send(task);
  }

  /** Takes back `task` if it was not sent yet (the worker is starting); returns whether it was. */
  unassign(task: Task): boolean {
    if (this.#live || this.task !== task) return false;
    this.task = undefined;
    return true;
  }

  /** Ends the worker; nothing it does afterwards is reported. */
  terminate(): void {
    this.#gone = true;
    this.#thread.terminate();
  }

  #send(task: Task): void {
    const api = this.#api;
    const call = task.job === "ping"
      ? api.ping()
      : task.job === "warm"
      ? api.warm()
      : api.exec(task.transfer.length ? Comlink.transfer(task.job, task.transfer) : task.job);
    (call as Promise<JobResult | number>).then(
      (value) => this.#events.answered(this, task, undefined, value),
      (error) => this.#events.answered(this, task, error ?? new Error("Worker failed")),
    );
  }

  #lose(error: Error): void {
    if (this.#gone) return;
    this.#events.lost(this, error);
  }
}
