/**
 * A pool worker that misbehaves on demand, for the fault tests. The first element of `x`
 * chooses: 666 throws an uncaught error (the worker dies), 777 throws inside the call, 999
 * never answers, 555 rejects a promise nobody awaits (the worker dies), 444 closes itself
 * (`self.close()`), 333 exits (`Deno.exit(3)`, `process.exit(3)` on Node); anything else
 * works.
 */

import { exposeApi } from "../_platform.ts";
import { type Job, waitForFirstPage, workerApi } from "../_protocol.ts";
import { viewOf } from "../_blocks.ts";

/** Ends this worker's thread by itself, as a worker that gives up would. */
function exitNow(code: number): void {
  const runtime = globalThis as {
    Deno?: { exit(code: number): never };
    process?: { exit(code: number): never };
  };
  if (runtime.Deno) runtime.Deno.exit(code);
  else runtime.process?.exit(code);
}

exposeApi({
  ...workerApi,
  exec(job: Job) {
    // An ordinary input is still being copied into shared memory when the job arrives.
    if (job.chunks) waitForFirstPage(job.chunks);
    const first = viewOf(job.x.dtype, job.x.buffer, job.x.byteOffset, job.x.length)[0];
    if (first === 666) {
      setTimeout(() => {
        throw new Error("worker crashed on purpose (an expected fault of the test)");
      });
      return new Promise(() => {});
    }
    if (first === 555) {
      Promise.reject(new Error("worker rejected on purpose (an expected fault of the test)"));
      return new Promise(() => {});
    }
    if (first === 444) {
      (globalThis as unknown as { close(): void }).close();
      return new Promise(() => {});
    }
    if (first === 333) {
      exitNow(3);
      return new Promise(() => {});
    }
    if (first === 777) throw new RangeError("worker threw on purpose");
    if (first === 999) return new Promise(() => {});
    return workerApi.exec(job);
  },
});
