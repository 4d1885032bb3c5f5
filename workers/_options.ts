/**
 * The checks of the pool's own options, once, at the public entry points: the constructor's
 * options filled with their defaults, and the run and map options split from the op's own
 * (which core checks). Private to the package.
 */

import type { AnyOptions } from "@nonlin/core";
import { show } from "@nonlin/core/internal";
import { notAnObject, optionNotAllowed, outOfRange, unsupported, wrongType } from "./_errors.ts";
import { hardwareThreads } from "./_platform.ts";
import type { MapOptions, RunOptions, WorkerPoolOptions } from "./pool.ts";

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
export const MAX_POOL_SIZE: number = Math.min(256, 4 * Math.max(1, hardwareThreads()));

/**
 * The pool's own worker, beside this module: `worker.ts` from source (Deno, JSR), `worker.js`
 * where the package was transpiled (the npm packages JSR makes for Node).
 */
const DEFAULT_WORKER = import.meta.url.endsWith(".ts")
  ? new URL("./worker.ts", import.meta.url)
  : new URL("./worker.js", import.meta.url);

/** A pool's options, checked and with every default filled in. */
export interface PoolConfig {
  readonly size: number;
  readonly maxQueue: number;
  /** A fixed round trip in ms; absent when the pool measures and learns it. */
  readonly roundTripMs?: number;
  readonly workerUrl: string | URL;
  /** Whether runs use SharedArrayBuffers (else each shard is transferred). */
  readonly shared: boolean;
  readonly callerRuns: boolean;
}

/** Checks a count: an integer ≥ `min` (or `Infinity` where `infinite` allows it). */
export function checkCount(value: unknown, name: string, min: number, infinite = false): number {
  const expected = `an integer ≥ ${min}`;
  if (typeof value !== "number") throw wrongType(name, value, expected);
  if (!(Number.isInteger(value) || (infinite && value === Infinity)) || value < min) {
    throw outOfRange(name, value, expected);
  }
  return value;
}

function checkSize(value: unknown): number {
  const hardware = hardwareThreads();
  const size = checkCount(value ?? hardware, "size", 1);
  if (size > MAX_POOL_SIZE) {
    throw outOfRange(
      "size",
      size,
      `at most ${MAX_POOL_SIZE} (four per hardware thread of this machine's ${hardware}, and 256 at most)`,
    );
  }
  return size;
}

function checkRoundTrip(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "number") throw wrongType("roundTripMs", value, "a number ≥ 0");
  if (!(value >= 0) || value === Infinity) {
    throw outOfRange("roundTripMs", value, "a finite number ≥ 0");
  }
  return value;
}

function checkShared(value: unknown): boolean {
  const available = typeof SharedArrayBuffer !== "undefined";
  const memory = value ?? (available ? "shared" : "transfer");
  if (memory !== "shared" && memory !== "transfer") {
    throw outOfRange("memory", memory, `"shared" or "transfer"`);
  }
  if (memory === "shared" && !available) {
    throw unsupported(
      "memory",
      memory,
      "SharedArrayBuffer is unavailable (the page is not cross-origin isolated)",
    );
  }
  return memory === "shared";
}

function checkWorkerUrl(value: unknown): string | URL {
  const url = value ?? DEFAULT_WORKER;
  if (typeof url !== "string" && !(url instanceof URL)) {
    throw wrongType("workerUrl", url, "a string or a URL");
  }
  return url;
}

function checkCallerRuns(value: unknown): boolean {
  // The calling thread of a page is its UI thread: there it only coordinates.
  const callerRuns = value ?? !("document" in globalThis);
  if (typeof callerRuns !== "boolean") throw wrongType("callerRuns", callerRuns, "a boolean");
  return callerRuns;
}

/** Checks the constructor's options, in the order they are documented, and fills defaults. */
export function poolConfig(options: WorkerPoolOptions): PoolConfig {
  if (options === null || typeof options !== "object") {
    throw notAnObject("create WorkerPool", options);
  }
  const size = checkSize(options.size);
  const maxQueue = checkCount(options.maxQueue ?? Infinity, "maxQueue", 0, true);
  const roundTripMs = checkRoundTrip(options.roundTripMs);
  const workerUrl = checkWorkerUrl(options.workerUrl);
  const shared = checkShared(options.memory);
  const callerRuns = checkCallerRuns(options.callerRuns);
  return {
    size,
    maxQueue,
    ...(roundTripMs === undefined ? {} : { roundTripMs }),
    workerUrl,
    shared,
    callerRuns,
  };
}

/** Splits a run's options into its `signal` and the rest (the op's options and `out`). */
export function runOptions(
  op: string,
  options: RunOptions,
): { signal?: AbortSignal; rest: AnyOptions } {
  if (options === null || typeof options !== "object") {
    throw notAnObject(`run ${show(op)}`, options);
  }
  const { signal, ...rest } = options;
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw wrongType("option signal", signal, "an AbortSignal");
  }
  return signal === undefined ? { rest } : { signal, rest };
}

/** Splits map()'s options into its `concurrency` (default `size`) and the runs' options. */
export function mapOptions(
  options: MapOptions,
  size: number,
): { concurrency: number; run: RunOptions } {
  if (options === null || typeof options !== "object") throw notAnObject("call map()", options);
  const { concurrency = size, ...run } = options;
  checkCount(concurrency, "concurrency", 1);
  if (run.out !== undefined) {
    throw optionNotAllowed("map()", "out", "each batch needs its own output");
  }
  return { concurrency, run };
}
