import assert from "node:assert/strict";
import { getActivation, randn } from "@nonlin/core";
import { geometryOf } from "./_blocks.ts";
import { execJob, type Job } from "./_protocol.ts";

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
