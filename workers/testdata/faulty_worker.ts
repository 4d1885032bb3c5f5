/**
 * A pool worker that misbehaves on demand, for the fault tests. The first element of `x`
 * chooses: 666 throws an uncaught error (the worker dies), 777 throws inside the call, 999
 * never answers, 555 rejects a promise nobody awaits (the worker dies), anything else works.
 */

import * as Comlink from "comlink";
import { type Job, workerApi } from "../_protocol.ts";
import { viewOf } from "../_blocks.ts";

Comlink.expose({
  ...workerApi,
  exec(job: Job) {
    const first = viewOf(job.x.dtype, job.x.buffer, job.x.byteOffset, job.x.length)[0];
    if (first === 666) {
      setTimeout(() => {
        throw new Error("worker crashed on purpose");
      });
      return new Promise(() => {});
    }
    if (first === 555) {
      Promise.reject(new Error("worker rejected on purpose"));
      return new Promise(() => {});
    }
    if (first === 777) throw new RangeError("worker threw on purpose");
    if (first === 999) return new Promise(() => {});
    return workerApi.exec(job);
  },
});
