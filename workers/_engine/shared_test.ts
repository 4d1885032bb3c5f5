import assert from "node:assert/strict";
import { getActivation, randn, Tensor } from "@nonlin/core";
import { Planner } from "../_plan.ts";
import { workerApi } from "../_protocol.ts";
import { Tuning } from "../_tuning.ts";
import { callOf } from "./call.ts";
import { Run } from "./run.ts";
import type { Part, TaskRunner } from "./scheduler.ts";
import { SharedBuffers } from "./buffers.ts";
import { SharedMemory } from "./shared.ts";
import { workOf } from "./work.ts";

/**
 * Runs the parts on this thread, as the workers would, and counts them. Like a worker it
 * starts after the caller has gone on (here: once the caller's share is done).
 */
class Inline implements TaskRunner {
  parts = 0;
  withdraw() {}
  async submit(_run: Run, parts: readonly Part[]) {
    this.parts += parts.length;
    await new Promise((resolve) => setTimeout(resolve));
    return parts.map(({ job }) => workerApi.exec(job));
  }
}

function work(op: string, x: Tensor, options: Record<string, unknown>, shards: number) {
  const call = callOf("forward", op, x, undefined, options);
  const plan = new Planner().plan(call.entry, x.shape, x.dtype, call.options, "forward")!;
  return workOf(call, plan, shards, 1);
}

/** A run nobody awaits: its failure is seen through compute() here. */
const run = () => {
  const r = new Run("test", () => {});
  r.promise.catch(() => {});
  return r;
};

Deno.test("SharedMemory gives core's bits, chunked or in fixed blocks, caller working or not", async () => {
  for (const callerRuns of [true, false]) {
    for (const [shape, dim] of [[[64, 10], -1], [[2, 64, 3], 0]] as const) {
      const x = randn([...shape], { seed: 3 });
      const tasks = new Inline();
      const memory = new SharedMemory(tasks, new Tuning(), callerRuns);
      const y = await memory.compute(run(), work("softmax", x, { dim }, 3));
      assert.deepEqual(y.data, getActivation("softmax").forward(x, { dim }).data);
      assert.ok(y.data.buffer instanceof SharedArrayBuffer);
      assert.ok(tasks.parts >= 2, `${tasks.parts} tasks`);
    }
  }
});

Deno.test("SharedMemory writes into a shared out in place, and copies once into another", async () => {
  const x = randn([32, 8], { seed: 4, shared: true });
  const expected = getActivation("gelu").forward(x).data;
  const memory = new SharedMemory(new Inline(), new Tuning(), true);
  const shared = new Tensor(new Float32Array(new SharedArrayBuffer(x.size * 4)), x.shape);
  assert.equal(await memory.compute(run(), work("gelu", x, { out: shared }, 2)), shared);
  assert.deepEqual(shared.data, expected);
  const plain = new Tensor(new Float32Array(x.size), x.shape);
  assert.equal(await memory.compute(run(), work("gelu", x, { out: plain }, 2)), plain);
  assert.deepEqual(plain.data, expected);
});

Deno.test("SharedMemory waits for the workers' part before rethrowing the caller's error", async () => {
  let settled = false;
  const failing: TaskRunner = {
    withdraw() {},
    submit: () => new Promise((resolve) => setTimeout(() => (settled = true, resolve([])), 5)),
  };
  const x = randn([16], { seed: 5 });
  const w = work("relu", x, {}, 2);
  // A job whose x view is out of its buffer's bounds: execJob throws on the caller's share.
  const broken = { ...w, x: new Tensor(new Float32Array(16), [16]), mids: { ...w.mids, x: 1e9 } };
  await assert.rejects(new SharedMemory(failing, new Tuning(), true).compute(run(), broken));
  assert.ok(settled);
});

Deno.test("SharedMemory computes an aborted run's output into the next run's result, and hands a completed one over for good", async () => {
  const outputs: ArrayBufferLike[] = [];
  /** Runs the parts like Inline; fails the run first when `abort` is set, as an abort would. */
  const tasks = (abort: boolean): TaskRunner => ({
    withdraw() {},
    async submit(r: Run, parts: readonly Part[]) {
      outputs.push(parts[0].job.y.buffer);
      if (abort) r.fail(new DOMException("Aborted", "AbortError"), true);
      await new Promise((resolve) => setTimeout(resolve));
      const results = parts.map(({ job }) => workerApi.exec(job));
      r.throwIfSettled();
      return results;
    },
  });
  const buffers = new SharedBuffers();
  const x = randn([4096], { seed: 6 });
  const expected = getActivation("gelu").forward(x).data;
  const compute = (abort: boolean) =>
    new SharedMemory(tasks(abort), new Tuning(), false, buffers).compute(
      run(),
      work("gelu", x, {}, 2),
    );
  await assert.rejects(compute(true), { name: "AbortError" });
  assert.equal(buffers.idleBytes, 2 * x.size * 4, "its staging copy and its output came back");
  const first = await compute(false);
  assert.equal(first.data.buffer, outputs[0], "the aborted run's output is the next result");
  assert.deepEqual(first.data, expected);
  const second = await compute(false);
  assert.notEqual(second.data.buffer, first.data.buffer, "a result is never lent again");
  assert.deepEqual(second.data, expected);
  assert.deepEqual(first.data, expected, "nor written again");
});
