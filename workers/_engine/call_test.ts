import assert from "node:assert/strict";
import { getActivation, Tensor, tensor } from "@nonlin/core";
import { Planner } from "../_plan.ts";
import { callOf, computeWhole, planOf } from "./call.ts";

const x = tensor([[-1, 2, -3, 4], [5, -6, 7, -8]]);

Deno.test("callOf() splits out from the op's options and checks op and x", () => {
  const out = tensor([[0, 0, 0, 0], [0, 0, 0, 0]]);
  const call = callOf("forward", "relu", x, undefined, { out });
  assert.equal(call.entry, getActivation("relu"));
  assert.deepEqual(call.options, {});
  assert.equal(call.out, out);
  assert.equal(computeWhole(call), out);
  assert.deepEqual(out.toArray(), [[0, 2, 0, 4], [5, 0, 7, 0]]);
  // Core's backward takes no out: the pool drops it there too.
  assert.equal(callOf("backward", "relu", x, x, { out }).out, undefined);
  assert.throws(() => callOf("forward", "nope", x, undefined, {}), RangeError);
  assert.throws(() => callOf("forward", "relu", [1], undefined, {}), {
    name: "TypeError",
    message: "Cannot use relu() argument x [1]: expected a Tensor",
  });
});

Deno.test("planOf() cuts ordinary calls", () => {
  const planner = new Planner();
  assert.equal(planOf(callOf("forward", "relu", x, undefined, {}), planner)?.dim, -1);
  assert.equal(planOf(callOf("backward", "softmax", x, x, { dim: 0 }), planner)?.dim, 0);
  const out = new Tensor(new Float32Array(8), [2, 4]);
  assert.ok(planOf(callOf("forward", "tanh", x, undefined, { out }), planner));
  assert.ok(planOf(callOf("forward", "tanh", x, undefined, { out: x }), planner), "in place");
});

Deno.test("planOf() leaves to core what it cannot cut exactly or core will refuse", () => {
  const planner = new Planner();
  const whole = (pass: "forward" | "backward", op: string, dy: unknown, options = {}) =>
    assert.equal(planOf(callOf(pass, op, x, dy, options), planner), undefined, op);
  whole("forward", "prelu", undefined, { weight: tensor([0.1]) });
  whole("forward", "gelu", undefined, { approximate: "fast" });
  whole("backward", "relu", [1]);
  whole("backward", "relu", tensor([1, 2]));
  whole("backward", "relu", new Tensor(new Float64Array(8), [2, 4]));
  whole("forward", "relu", undefined, { out: tensor([1]) });
  whole("forward", "relu", undefined, { out: new Tensor(new Float64Array(8), [2, 4]) });
  const empty = callOf("forward", "relu", new Tensor(new Float32Array(0), [0, 4]), undefined, {});
  assert.equal(planOf(empty, planner), undefined);
  // An out shifted by one element over x's own buffer: shards would read each other's output.
  const buffer = new Float32Array(9);
  const shifted = new Tensor(buffer.subarray(1), [2, 4]);
  const over = callOf("forward", "relu", new Tensor(buffer.subarray(0, 8), [2, 4]), undefined, {
    out: shifted,
  });
  assert.equal(planOf(over, planner), undefined);
});
