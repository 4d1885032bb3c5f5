/**
 * The parallel demo's view of a worker pool: {@linkcode BatchRunner}, a batch in, a batch out,
 * with progress. {@linkcode createLibraryPool} implements it with `@nonlin/workers`' pool; the
 * island depends only on the interface, so it survives changes to the pool's API.
 */

import { WorkerPool } from "@nonlin/workers";
import { Tensor } from "@nonlin/core";

/** Runs an activation over a large batch on some threads. */
export interface BatchRunner {
  /** Number of worker threads. */
  readonly threads: number;
  /** Whether input and output live in shared memory (no copies). */
  readonly shared: boolean;
  /** Applies activation `name` to `input`, calling `onProgress` as chunks finish. */
  run(
    name: string,
    options: Record<string, unknown>,
    input: Float32Array,
    onProgress?: (done: number, total: number) => void,
  ): Promise<Float32Array>;
  /** Stops the workers. */
  close(): void;
}

/** Options of {@linkcode createLibraryPool}. */
export interface LibraryPoolOptions {
  /** Number of workers. */
  threads: number;
  /** URL of the bundled pool worker (`@nonlin/workers/worker`). */
  workerUrl: string | URL;
  /** Chunks per thread, each reported as progress. @default {8} */
  chunksPerThread?: number;
}

/** Whether this page may share memory between workers (it must be cross-origin isolated). */
export function canShareMemory(): boolean {
  return globalThis.crossOriginIsolated === true && typeof SharedArrayBuffer === "function";
}

/** A {@linkcode BatchRunner} over `@nonlin/workers`' `WorkerPool`. */
export function createLibraryPool(options: LibraryPoolOptions): BatchRunner {
  if (typeof Worker === "undefined") throw new Error("This browser cannot start workers");
  const shared = canShareMemory();
  const pool = new WorkerPool({
    size: options.threads,
    workerUrl: options.workerUrl,
    memory: shared ? "shared" : "transfer",
    // Send every chunk to the workers: the demo measures the pool, not the small-run shortcut.
    roundTripMs: 0,
  });
  const chunksPerThread = options.chunksPerThread ?? 8;
  return {
    threads: options.threads,
    shared,
    close: () => pool.destroy(),
    async run(name, activationOptions, batch, onProgress) {
      const n = batch.length;
      const input = shared ? toShared(batch) : batch;
      const total = Math.max(1, Math.min(n, options.threads * chunksPerThread));
      const size = Math.ceil(n / total);
      // Views on one buffer: in shared memory, the chunks cross to the workers without copies.
      const chunks = Array.from(
        { length: total },
        (_, i) => new Tensor(input.subarray(i * size, Math.min(n, (i + 1) * size))),
      );
      const output = new Float32Array(
        shared ? new SharedArrayBuffer(n * 4) : new ArrayBuffer(n * 4),
      );
      let done = 0;
      for await (
        const y of pool.map(name, chunks, { ...activationOptions, concurrency: options.threads })
      ) {
        output.set(y.data, done * size);
        onProgress?.(++done, total);
      }
      return output;
    },
  };
}

function toShared(data: Float32Array): Float32Array {
  if (data.buffer instanceof SharedArrayBuffer) return data;
  const copy = new Float32Array(new SharedArrayBuffer(data.byteLength));
  copy.set(data);
  return copy;
}
