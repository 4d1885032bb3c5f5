import assert from "node:assert/strict";
import { tensor } from "@nonlin/core";
import { Planner } from "../_plan.ts";
import { callOf } from "./call.ts";
import { jobOf, workOf } from "./work.ts";

const x = tensor([[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12]]);

Deno.test("workOf() sizes GLU's output along dim: half forward, x's backward", () => {
  const planner = new Planner();
  const forward = callOf("forward", "glu", x, undefined, { dim: 1 });
  const fw = workOf(
    forward,
    planner.plan(forward.entry, x.shape, x.dtype, forward.options, "forward")!,
    2,
    1,
  );
  assert.deepEqual(fw.mids, { x: 4, y: 2, gradOutput: 2 });
  assert.deepEqual(fw.outShape, [3, 2]);
  assert.deepEqual(fw.geometry, { outer: 3, inner: 1, dim: 1 });
  const dy = tensor([[1, 1], [1, 1], [1, 1]]);
  const backward = callOf("backward", "glu", x, dy, { dim: 1 });
  const plan = planner.plan(backward.entry, x.shape, x.dtype, backward.options, "backward")!;
  const bw = workOf(backward, plan, 2, 1);
  assert.deepEqual(bw.mids, { x: 4, y: 4, gradOutput: 2 });
  assert.deepEqual(bw.outShape, [3, 4]);
  assert.equal(bw.gradOutput, dy);
});

Deno.test("jobOf() describes a block with every array's view and size along dim", () => {
  const planner = new Planner();
  const call = callOf("forward", "softmax", x, undefined, { dim: 0 });
  const work = workOf(
    call,
    planner.plan(call.entry, x.shape, x.dtype, call.options, "forward")!,
    2,
    1,
  );
  const y = new Float32Array(12);
  const job = jobOf(work, { x: x.data, y }, work.geometry, { o0: 0, o1: 1, i0: 2, i1: 4 });
  assert.equal(job.op, "softmax");
  assert.deepEqual(job.options, { dim: 0 });
  assert.deepEqual(job.shape, [3, 4]);
  assert.deepEqual(job.x, {
    buffer: x.data.buffer,
    byteOffset: 0,
    length: 12,
    dtype: "float32",
    mid: 3,
  });
  assert.equal(job.y.buffer, y.buffer);
  assert.equal(job.gradOutput, undefined);
  assert.equal(job.chunks, undefined);
});
