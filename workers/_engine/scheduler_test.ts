import assert from "node:assert/strict";
import { randn, tensor } from "@nonlin/core";
import { chunkQueue, type Job } from "../_protocol.ts";
import { Run } from "./run.ts";
import { Scheduler } from "./scheduler.ts";
import { refOf } from "./work.ts";

const WORKER = new URL("../worker.ts", import.meta.url);
const FAULTY = new URL("../testdata/faulty_worker.ts", import.meta.url);

/** A ReLU job over shared memory; `y` receives the result. First value 999 hangs the faulty worker. */
function reluJob(values: number[]): { job: Job; y: Float32Array } {
  const n = values.length;
  const x = new Float32Array(new SharedArrayBuffer(n * 4));
  x.set(values);
  const y = new Float32Array(new SharedArrayBuffer(n * 4));
  const job: Job = {
    op: "relu",
    pass: "forward",
    options: {},
    useOut: true,
    shape: [n],
    geometry: { outer: n, inner: 1, dim: -1 },
    block: { o0: 0, o1: n, i0: 0, i1: 1 },
    x: refOf(x, 1),
    y: refOf(y, 1),
  };
  return { job, y };
}

function runOf(scheduler: Scheduler): Run {
  const run = new Run("relu", (tasks, reason, kill) => scheduler.cancel(tasks, reason, kill));
  scheduler.track(run);
  return run;
}

Deno.test("Scheduler runs submitted parts on its workers and counts them", async () => {
  const scheduler = new Scheduler(2, Infinity, WORKER);
  try {
    assert.equal(typeof await scheduler.ping(), "number");
    const a = reluJob([-1, 2]), b = reluJob([3, -4]);
    const run = runOf(scheduler);
    await scheduler.submit(run, [{ job: a.job, transfer: [] }, { job: b.job, transfer: [] }]);
    assert.deepEqual([...a.y, ...b.y], [0, 2, 3, 0]);
    run.succeed(tensor([0]));
    assert.deepEqual(scheduler.stats(), {
      workers: 2,
      busy: 0,
      queued: 0,
      completed: 2,
      failed: 0,
    });
  } finally {
    await scheduler.close();
  }
});

Deno.test("Scheduler fails a run that overflows maxQueue, and kills an aborted run's task", async () => {
  const scheduler = new Scheduler(1, 0, FAULTY);
  try {
    await scheduler.ping(); // the worker is started: the next task runs on it at once
    const hanging = runOf(scheduler);
    const pending = scheduler.submit(hanging, [{ job: reluJob([999]).job, transfer: [] }]);
    const full = runOf(scheduler);
    const overflow = scheduler.submit(full, [{ job: reluJob([1]).job, transfer: [] }]);
    await assert.rejects(overflow, /the queue is full \(maxQueue 0\)/);
    await assert.rejects(full.promise, /the queue is full/);
    assert.equal(scheduler.stats().queued, 0, "the overflowing task left the queue");
    hanging.fail(new Error("stop"), true);
    await assert.rejects(pending, /stop/);
    assert.deepEqual(scheduler.stats().workers, 0, "the busy worker was terminated");
  } finally {
    await scheduler.close();
  }
});

Deno.test("Scheduler.close() waits for tracked runs; destroy() rejects them at once", async () => {
  const closing = new Scheduler(1, Infinity, WORKER);
  const run = runOf(closing);
  let closed = false;
  const done = closing.close().then(() => (closed = true));
  assert.ok(closing.closed);
  await new Promise((r) => setTimeout(r, 5));
  assert.equal(closed, false, "a run in progress keeps the pool open");
  run.succeed(tensor([1]));
  await done;

  const destroyed = new Scheduler(1, Infinity, FAULTY);
  const hanging = runOf(destroyed);
  const task = destroyed.submit(hanging, [{ job: reluJob([999]).job, transfer: [] }]);
  destroyed.destroy();
  await assert.rejects(hanging.promise, {
    message: 'Cannot finish "relu": the pool was destroyed',
  });
  await assert.rejects(task, /the pool was destroyed/);
  assert.equal(destroyed.stats().workers, 0);
  await destroyed.close(); // harmless after destroy
});

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((r) => setTimeout(r, 1));
}

Deno.test("Scheduler: a stopped job ends at its next chunk, leaving pages undone, and its worker answers", async () => {
  const scheduler = new Scheduler(1, Infinity, WORKER);
  try {
    await scheduler.ping();
    const n = 1 << 23;
    const { job } = reluJob([]);
    const x = randn([n], { seed: 2, shared: true });
    const y = new Float32Array(new SharedArrayBuffer(n * 4));
    const run = runOf(scheduler);
    run.promise.catch(() => {});
    const chunks = chunkQueue({ page: 1 << 14, maxPages: 1, flagUnits: n });
    const big: Job = {
      ...job,
      op: "gelu",
      shape: [n],
      geometry: { outer: n, inner: 1, dim: -1 },
      block: { o0: 0, o1: n, i0: 0, i1: 1 },
      x: refOf(x.data, 1),
      y: refOf(y, 1),
      chunks,
      stop: run.stop,
    };
    const pending = scheduler.submit(run, [{ job: big, transfer: [] }]);
    const done = new Int32Array(chunks.done!);
    await until(() => done[0] === 1);
    run.fail(new Error("stop"), true);
    await assert.rejects(pending, /stop/);
    assert.ok(done.some((flag) => flag === 0), "pages were left undone");
    assert.deepEqual(scheduler.stats().workers, 1, "the worker was not terminated");
    assert.equal(scheduler.stats().busy, 0);
  } finally {
    await scheduler.close();
  }
});

Deno.test("Scheduler.withdraw() takes back the run's tasks no worker has started, resolving them", async () => {
  const scheduler = new Scheduler(1, Infinity, FAULTY);
  try {
    await scheduler.ping();
    const busy = runOf(scheduler);
    const hanging = scheduler.submit(busy, [{ job: reluJob([999]).job, transfer: [] }]);
    const run = runOf(scheduler);
    const { job, y } = reluJob([-1, 2]);
    const waiting = scheduler.submit(run, [{ job, transfer: [] }]);
    assert.equal(scheduler.stats().queued, 1);
    scheduler.withdraw(run);
    assert.deepEqual(await waiting, [{}]);
    assert.equal(scheduler.stats().queued, 0);
    assert.deepEqual([...y], [0, 0], "the withdrawn task never ran");
    run.succeed(tensor([0]));
    busy.fail(new Error("stop"), true);
    await assert.rejects(hanging, /stop/);
  } finally {
    await scheduler.close();
  }
});
