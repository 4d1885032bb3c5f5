/**
 * Every error the package raises on its own, in one voice: sentence case, no trailing period,
 * "Cannot <do what>" naming the argument and quoting the value, then why. `TypeError` for a
 * wrong kind of value, `RangeError` for a value out of range, plain `Error` for the state of the
 * pool (closed, full, a worker lost). Errors in an op's own options are core's, never made here.
 * Private to the package.
 */

import { show } from "@nonlin/core/internal";

/** `what` got a value of the wrong kind: `Cannot use size "2": expected an integer ≥ 1`. */
export function wrongType(what: string, value: unknown, expected: string): TypeError {
  return new TypeError(`Cannot use ${what} ${show(value)}: expected ${expected}`);
}

/** `what` got a value out of range: `Cannot use size 0: expected an integer ≥ 1`. */
export function outOfRange(what: string, value: unknown, expected: string): RangeError {
  return new RangeError(`Cannot use ${what} ${show(value)}: expected ${expected}`);
}

/** `what` names a value this environment cannot provide. */
export function unsupported(what: string, value: unknown, reason: string): RangeError {
  return new RangeError(`Cannot use ${what} ${show(value)}: ${reason}`);
}

/** An option that this call does not take, though the op would. */
export function optionNotAllowed(call: string, option: string, reason: string): TypeError {
  return new TypeError(`Cannot call ${call} with option ${option}: ${reason}`);
}

/** An options argument that is not an object: `Cannot call map() with options null: …`. */
export function notAnObject(call: string, value: unknown): TypeError {
  return new TypeError(`Cannot ${call} with options ${show(value)}: expected an object`);
}

/** A run (or, without `op`, a warm-up) asked of a pool that was closed or destroyed. */
export function poolClosed(op?: string): Error {
  const what = op === undefined ? "warm the pool up" : `run ${show(op)}`;
  return new Error(`Cannot ${what}: the pool is closed`);
}

/** Work still pending when the pool was closed or destroyed under it. */
export function poolStopped(op: string, how: "closed" | "destroyed"): Error {
  return new Error(`Cannot finish ${show(op)}: the pool was ${how}`);
}

/** A run whose tasks would overflow `maxQueue`. */
export function queueFull(op: string, waiting: number, maxQueue: number): Error {
  return new Error(
    `Cannot queue ${waiting} more tasks for ${show(op)}: the queue is full (maxQueue ${maxQueue})`,
  );
}

/** A worker that died (uncaught error, unhandled rejection, a module that failed to load). */
export function workerCrashed(op: string | undefined, message: string, cause: unknown): Error {
  const running = op === undefined ? "" : ` while running ${show(op)}`;
  return new Error(`Worker crashed${running}: ${message}`, { cause });
}

/**
 * A worker that ended by itself in the middle of a task: `self.close()`, `Deno.exit()` or
 * `process.exit()`, or a thread stopped from outside the pool.
 */
export function workerExited(op: string | undefined, code?: number): Error {
  const running = op === undefined ? "" : ` while running ${show(op)}`;
  const how = code === undefined ? "" : ` (code ${code})`;
  return new Error(`Worker exited${running}${how}: it closed itself or called exit`);
}

/** A runtime with neither the web `Worker` nor `node:worker_threads`. */
export function noWorkerApi(): Error {
  return new Error(
    "Cannot start a worker: this runtime has neither the Worker API nor node:worker_threads " +
      "(Node 20.16 or later)",
  );
}

/** A task that threw inside its worker; the worker itself lives on. */
export function workerFailed(op: string, cause: unknown): Error {
  const message = cause instanceof Error ? cause.message : String(cause);
  return new Error(`Worker failed while running ${show(op)}: ${message}`, { cause });
}
