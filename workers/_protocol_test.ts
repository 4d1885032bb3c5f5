import assert from "node:assert/strict";
import { getActivation, randn } from "@nonlin/core";
import { geometryOf } from "./_blocks.ts";
import {
  chunkQueue,
  type ChunkQueueOptions,
  execChunk,
  execChunks,
  execJob,
  type Job,
  publishReady,
  workerApi,
} from "./_protocol.ts";

Deno.test("execJob() computes a gathered block in place of the whole", () => {
  const x = randn([3, 6, 4], { seed: 9, dtype: "float64", shared: true });
  const y = new Float64Array(new SharedArrayBuffer(x.size * 8));
  const g = geometryOf(x.shape, 0); // outer 1: the inner indices are cut
  const ref = (data: Float64Array, mid: number) => ({
    buffer: data.buffer,
    byteOffset: 0,
    length: data.length,
    dtype: "float64" as const,
    mid,
  });
  for (const [i0, i1] of [[0, 10], [10, 24]]) {
    const job: Job = {
      op: "softmax",
      pass: "forward",
      options: { dim: 0 },
      useOut: true,
      shape: [...x.shape],
      geometry: g,
      block: { o0: 0, o1: 1, i0, i1 },
      x: ref(x.data as Float64Array, 3),
      y: ref(y, 3),
    };
    assert.deepEqual(execJob(job), {});
  }
  assert.deepEqual(y, getActivation("softmax").forward(x, { dim: 0 }).data);
});

function chunkedJob(rows: number, cols: number, page: number, more: ChunkQueueOptions = {}) {
  const x = randn([rows, cols], { seed: 3, shared: true });
  const y = new Float32Array(new SharedArrayBuffer(x.size * 4));
  const ref = (data: Float32Array) => ({
    buffer: data.buffer,
    byteOffset: 0,
    length: data.length,
    dtype: "float32" as const,
    mid: cols,
  });
  const job: Job = {
    op: "softmax",
    pass: "forward",
    options: { dim: -1 },
    useOut: true,
    shape: [...x.shape],
    geometry: geometryOf(x.shape, 1),
    block: { o0: 0, o1: rows, i0: 0, i1: 1 },
    x: ref(x.data as Float32Array),
    y: ref(y),
    chunks: chunkQueue({ page, threads: 2, ...more }),
  };
  return { x, y, job };
}

Deno.test("execChunks() claims every row once and gives the bits of one whole block", () => {
  const { x, y, job } = chunkedJob(50, 7, 3);
  assert.equal(execChunks(job), 50);
  // A second thread arriving late finds nothing left.
  assert.equal(execChunks(job), 0);
  assert.deepEqual(y, getActivation("softmax").forward(x, { dim: -1 }).data);
});

Deno.test("execChunks() leaves rows another thread claimed alone", () => {
  const { x, y, job } = chunkedJob(40, 5, 1);
  new Int32Array(job.chunks!.counter)[0] = 15; // rows 0..14 taken elsewhere
  assert.equal(execChunks(job), 25);
  assert.ok(y.subarray(0, 15 * 5).every((v) => v === 0));
  const want = getActivation("softmax").forward(x, { dim: -1 }).data;
  assert.deepEqual(y.subarray(15 * 5), want.subarray(15 * 5));
});

Deno.test("execChunks() rejects a job without a queue", () => {
  const { job } = chunkedJob(4, 2, 1);
  assert.throws(() => execChunks({ ...job, chunks: undefined }), TypeError);
});

Deno.test("execChunk() does nothing once the run's stop flag is set", () => {
  const { y, job } = chunkedJob(30, 4, 1);
  const stop = new SharedArrayBuffer(4);
  new Int32Array(stop)[0] = 1;
  assert.equal(execChunk({ ...job, stop }), "stopped");
  assert.equal(execChunks({ ...job, stop }), 0);
  assert.ok(y.every((v) => v === 0));
});

Deno.test("execChunks() claims only the pages published as ready", () => {
  const { x, y, job } = chunkedJob(50, 6, 2, { ready: 5 });
  // The calling thread never waits: it computes what is ready (5 pages of 2 rows) and leaves.
  assert.equal(execChunks(job), 10);
  assert.equal(execChunk(job), "not ready");
  assert.ok(y.subarray(10 * 6).every((v) => v === 0));
  publishReady(job.chunks!, 15);
  assert.equal(execChunks(job), 20);
  publishReady(job.chunks!, Infinity);
  assert.equal(execChunks(job), 20);
  assert.equal(execChunk(job), "none left");
  assert.deepEqual(y, getActivation("softmax").forward(x, { dim: -1 }).data);
});

Deno.test("execChunk() claims whole pages, at most maxPages, and flags each page done", () => {
  const { x, y, job } = chunkedJob(23, 3, 4, { maxPages: 2, flagUnits: 23, threads: 1 });
  const done = new Int32Array(job.chunks!.done!);
  assert.equal(done.length, 6);
  const claims: number[] = [];
  for (let outcome = execChunk(job); typeof outcome === "number"; outcome = execChunk(job)) {
    claims.push(outcome as number);
  }
  // Pages of 4 rows (the last of 3), at most two pages a claim.
  assert.deepEqual(claims, [8, 8, 4, 3]);
  assert.ok(done.every((flag) => flag === 1));
  assert.deepEqual(y, getActivation("softmax").forward(x, { dim: -1 }).data);
});

Deno.test("execChunks() claims inner indices when the block is cut across its columns", () => {
  const x = randn([2, 5, 40], { seed: 4, dtype: "float64", shared: true });
  const y = new Float64Array(new SharedArrayBuffer(x.size * 8));
  const g = geometryOf(x.shape, 1);
  const ref = (data: Float64Array) => ({
    buffer: data.buffer,
    byteOffset: 0,
    length: data.length,
    dtype: "float64" as const,
    mid: 5,
  });
  const job: Job = {
    op: "softmax",
    pass: "forward",
    options: { dim: 1 },
    useOut: true,
    shape: [...x.shape],
    geometry: g,
    block: { o0: 0, o1: 2, i0: 0, i1: 40 },
    x: ref(x.data as Float64Array),
    y: ref(y),
    chunks: chunkQueue({ axis: "inner", page: 3, maxPages: 2, threads: 3 }),
  };
  assert.equal(execChunks(job), 40);
  assert.deepEqual(y, getActivation("softmax").forward(x, { dim: 1 }).data);
});

Deno.test("workerApi.warm() runs every activation, and hold() without a lock holds none", async () => {
  assert.ok(workerApi.warm() >= 0);
  assert.equal(await workerApi.hold(undefined), false);
});
