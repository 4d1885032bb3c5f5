import "./_test_utils/reference_kernels.ts";
import assert from "node:assert/strict";
import fc from "fast-check";
import { ReLU, relu, reluBackward, tensor, zeros } from "./mod.ts";
import { assertGradient } from "./testing.ts";
import { type Case, stepDD } from "../tests/accuracy/cases.ts";
import { verifyActivation } from "../tests/accuracy/register.ts";

Deno.test("relu() zeroes negatives and keeps positives", () => {
  assert.deepEqual(relu(tensor([-2, -0.5, 0, 0.5, 2])).toArray(), [0, 0, 0, 0.5, 2]);
});

Deno.test("relu() keeps shape and dtype for 0-d to 3-d inputs", () => {
  for (const shape of [[], [4], [2, 3], [2, 3, 4]]) {
    for (const dtype of ["float32", "float64"] as const) {
      const x = zeros(shape, { dtype });
      const y = relu(x);
      assert.deepEqual(y.shape, shape);
      assert.equal(y.dtype, dtype);
    }
  }
  assert.deepEqual(relu(zeros([0, 3])).shape, [0, 3]);
});

Deno.test("relu() at the extremes: ±1000, ±∞, NaN, -0 and subnormals", () => {
  const y = relu(tensor([1000, -1000, Infinity, -Infinity, NaN, -0, 5e-324, -5e-324], {
    dtype: "float64",
  })).toArray() as number[];
  assert.deepEqual(y.slice(0, 4), [1000, 0, Infinity, 0]);
  assert.ok(Number.isNaN(y[4]));
  assert.ok(Object.is(y[5], 0), "relu(-0) is +0");
  assert.equal(y[6], 5e-324);
  assert.ok(Object.is(y[7], 0));
});

Deno.test("relu() sparsity: counts exactly the non-positive inputs as zeros", () => {
  const x = tensor([-3, -1, 0, 1, 2, -4, 5, 0]);
  const zerosOut = Array.from(relu(x).data).filter((v) => v === 0).length;
  assert.equal(zerosOut, 5);
});

Deno.test("relu() is non-negative, idempotent and monotonic (property)", () => {
  fc.assert(
    fc.property(fc.array(fc.double({ noNaN: true }), { minLength: 1, maxLength: 50 }), (xs) => {
      const x = tensor(xs, { dtype: "float64" });
      const y = relu(x);
      assert.ok(Array.from(y.data).every((v) => v >= 0));
      assert.deepEqual(relu(y).data, y.data);
      const sorted = [...xs].sort((a, b) => a - b);
      const ys = Array.from(relu(tensor(sorted, { dtype: "float64" })).data);
      for (let i = 1; i < ys.length; i++) assert.ok(ys[i] >= ys[i - 1]);
    }),
  );
});

Deno.test("relu() writes into out, in place too", () => {
  const x = tensor([-1, 2]);
  const out = zeros([2]);
  assert.equal(relu(x, { out }), out);
  assert.deepEqual(out.toArray(), [0, 2]);
  relu(x, { out: x });
  assert.deepEqual(x.toArray(), [0, 2]);
  assert.throws(() => relu(x, { out: zeros([3]) }), {
    name: "RangeError",
    message: /relu\(\) option out of float32 shape \[3\]: expected float32 shape \[2\]/,
  });
  assert.throws(() => relu(x, { out: zeros([2], { dtype: "float64" }) }), { name: "RangeError" });
});

Deno.test("relu() rejects non-tensors and unknown options", () => {
  assert.throws(() => relu([1, 2] as never), {
    name: "TypeError",
    message: "Cannot use relu() argument x [1, 2]: expected a Tensor",
  });
  assert.throws(() => relu(tensor([1]), { alpha: 1 } as never), {
    name: "TypeError",
    message: /relu\(\) with unknown option "alpha"/,
  });
  assert.throws(() => relu(tensor([1]), 5 as never), { name: "TypeError", message: /options 5/ });
});

Deno.test("reluBackward() passes gradients where x > 0 and matches finite differences", () => {
  assert.deepEqual(reluBackward(tensor([1, 1, 1]), tensor([-1, 0, 1])).toArray(), [0, 0, 1]);
  assert.ok(Number.isNaN(reluBackward(tensor([1]), tensor([NaN])).data[0]));
  const x = tensor([-2.5, -0.3, 0.4, 1.7, 3], { dtype: "float64" });
  assertGradient(relu, reluBackward, x, tensor([1, -2, 3, 0.5, 1], { dtype: "float64" }));
  assert.throws(() => reluBackward(tensor([1, 1]), tensor([1])), {
    name: "RangeError",
    message: /gradOutput of shape \[2\]: expected the shape of x, \[1\]/,
  });
});

Deno.test("ReLU module caches its input and refuses backward before forward", () => {
  const layer = new ReLU();
  assert.throws(() => layer.backward(tensor([1])), {
    name: "Error",
    message: "Cannot run ReLU.backward() before forward(): call forward(x) first",
  });
  assert.deepEqual(layer.forward(tensor([-1, 3])).toArray(), [0, 3]);
  assert.deepEqual(layer.backward(tensor([5, 5])).toArray(), [0, 5]);
});

/** How `deno task verify` checks relu against exact values (see tests/accuracy). */
export const VERIFICATION: Case[] = verifyActivation("relu", () => [{
  forward: {
    exactDD: (x) => [x !== x ? x : x > 0 ? x : 0, 0],
    atInfinity: [0, Infinity],
  },
  backward: { exactDD: stepDD((v) => v > 0, 1), atInfinity: [0, 1] },
}]);
