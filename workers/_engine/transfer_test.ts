import assert from "node:assert/strict";
import { getActivation, randn, Tensor } from "@nonlin/core";
import { Planner } from "../_plan.ts";
import { workerApi } from "../_protocol.ts";
import { callOf } from "./call.ts";
import { Run } from "./run.ts";
import type { Part, TaskRunner } from "./scheduler.ts";
import { TransferMemory, transferPart } from "./transfer.ts";
import { workOf } from "./work.ts";

const inline: TaskRunner = {
  withdraw() {},
  submit: (_run: Run, parts: readonly Part[]) =>
    Promise.resolve(parts.map(({ job }) => workerApi.exec(job))),
};

function work(
  pass: "forward" | "backward",
  op: string,
  x: Tensor,
  dy: Tensor | undefined,
  options = {},
) {
  const call = callOf(pass, op, x, dy, options);
  const plan = new Planner().plan(call.entry, x.shape, x.dtype, call.options, pass)!;
  return workOf(call, plan, 3, 1);
}

Deno.test("transferPart() copies the block of each array into its own buffer", () => {
  const x = randn([2, 6, 5], { seed: 1 });
  const w = work("forward", "softmax", x, undefined, { dim: 0 });
  const { job, transfer } = transferPart(w, { o0: 0, o1: 1, i0: 10, i1: 20 });
  assert.equal(transfer.length, 2);
  assert.ok(transfer.every((b) => b instanceof ArrayBuffer && b !== x.data.buffer));
  assert.deepEqual(job.block, { o0: 0, o1: 1, i0: 0, i1: 10 });
  assert.deepEqual(job.geometry, { outer: 1, inner: 10, dim: 0 });
  assert.equal(job.x.length, 2 * 10);
  assert.deepEqual(job.shape, [2, 6, 5]);
});

Deno.test("TransferMemory gives core's bits forward and backward, cut by rows or columns", async () => {
  const memory = new TransferMemory(inline);
  for (const [shape, dim] of [[[12, 7], -1], [[2, 9, 4], 0]] as const) {
    const x = randn([...shape], { seed: 2, dtype: "float64" });
    const softmax = getActivation("softmax");
    const y = await memory.compute(
      new Run("t", () => {}),
      work("forward", "softmax", x, undefined, { dim }),
    );
    assert.deepEqual(y.data, softmax.forward(x, { dim }).data);
    const dy = randn([...shape], { seed: 3, dtype: "float64" });
    const dx = await memory.compute(
      new Run("t", () => {}),
      work("backward", "softmax", x, dy, { dim }),
    );
    assert.deepEqual(dx.data, softmax.backward(dy, x, { dim }).data);
  }
});

Deno.test("TransferMemory fills the caller's out", async () => {
  const x = randn([30], { seed: 4 });
  const out = new Tensor(new Float32Array(30), [30]);
  const y = await new TransferMemory(inline).compute(
    new Run("t", () => {}),
    work("forward", "tanh", x, undefined, { out }),
  );
  assert.equal(y, out);
  assert.deepEqual(out.data, getActivation("tanh").forward(x).data);
});
