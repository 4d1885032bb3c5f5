import "./_test_utils/reference_kernels.ts";
import assert from "node:assert/strict";
import fc from "fast-check";
import { ReLU6, relu6, relu6Backward } from "./relu6.ts";
import { tensor } from "./tensor.ts";
import { assertGradient } from "./testing.ts";
import { describeWorst, sweep } from "./_test_utils/sweep.ts";
import * as oracle from "../tests/accuracy/oracle.ts";
import { type Case, stepDD } from "../tests/accuracy/cases.ts";
import { verifyActivation } from "../tests/accuracy/register.ts";

const F32_MAX = 3.4028234663852886e38;

Deno.test("relu6() clamps ordinary values to [0, 6]", () => {
  assert.deepEqual(relu6(tensor([-2, 0, 0.5, 3, 6, 8])).toArray(), [0, 0, 0.5, 3, 6, 6]);
  assert.deepEqual(relu6(tensor([[-1, 7], [2, 5.5]], { dtype: "float64" })).toArray(), [
    [0, 6],
    [2, 5.5],
  ]);
});

Deno.test("relu6() extremes: ±1000, ±∞, float max, NaN, ±0, subnormals, empty", () => {
  for (const dtype of ["float32", "float64"] as const) {
    const tiny = dtype === "float32" ? 1.401298464324817e-45 : 5e-324;
    const max = dtype === "float32" ? F32_MAX : Number.MAX_VALUE;
    const x = tensor([1000, -1000, Infinity, -Infinity, max, -max, NaN, 0, -0, tiny, -tiny], {
      dtype,
    });
    const y = relu6(x).data;
    assert.deepEqual(Array.from(y.subarray(0, 6)), [6, 0, 6, 0, 6, 0]);
    assert.ok(Number.isNaN(y[6]));
    assert.ok(Object.is(y[7], 0) && Object.is(y[8], 0), "-0 gives +0, like relu");
    assert.equal(y[9], tiny);
    assert.ok(Object.is(y[10], 0));
    assert.equal(relu6(x).dtype, dtype);
  }
  const empty = relu6(tensor([], { shape: [0, 3] }));
  assert.deepEqual(empty.shape, [0, 3]);
  assert.equal(empty.size, 0);
});

for (const dtype of ["float32", "float64"] as const) {
  Deno.test(`relu6() is exact (0 ULP) over the sweep in ${dtype}`, () => {
    const w = sweep(relu6, oracle.relu6, dtype, (s) => (s > 0 ? 6 : 0), {
      extra: [6, 5.999999, 6.000001],
    });
    assert.equal(w.ulp, 0, describeWorst("relu6", dtype, w));
  });
}

Deno.test("relu6() is bounded, monotonic and idempotent (property)", () => {
  fc.assert(
    fc.property(fc.double({ noNaN: true }), fc.double({ noNaN: true }), (a, b) => {
      const [ya, yb] = relu6(tensor([a, b], { dtype: "float64" })).data;
      assert.ok(ya >= 0 && ya <= 6);
      if (a <= b) assert.ok(ya <= yb);
      assert.equal(relu6(tensor([ya], { dtype: "float64" })).data[0], ya);
    }),
  );
});

Deno.test("relu6Backward() matches finite differences away from the kinks", () => {
  const x = tensor([-3, -0.5, 0.25, 1, 3, 5.5, 6.5, 100], { dtype: "float64" });
  const dy = tensor([1, 2, -1, 0.5, 3, 1, 2, 1], { dtype: "float64" });
  assertGradient(relu6, relu6Backward, x, dy);
});

Deno.test("relu6Backward() is 0 at both kinks (PyTorch's convention) and NaN for NaN", () => {
  const g = relu6Backward(tensor([7, 7, 7, 7]), tensor([0, 6, NaN, 3])).data;
  assert.equal(g[0], 0);
  assert.equal(g[1], 0);
  assert.ok(Number.isNaN(g[2]));
  assert.equal(g[3], 7);
});

Deno.test("relu6() writes into out, including in place", () => {
  const x = tensor([-1, 9, 2]);
  const out = tensor([0, 0, 0]);
  assert.equal(relu6(x, { out }), out);
  assert.deepEqual(out.toArray(), [0, 6, 2]);
  assert.equal(relu6(x, { out: x }), x);
  assert.deepEqual(x.toArray(), [0, 6, 2]);
  assert.throws(() => relu6(x, { out: tensor([0, 0]) }), {
    name: "RangeError",
    message: /Cannot use relu6\(\) option out of float32 shape \[2\]/,
  });
});

Deno.test("relu6() rejects bad arguments with clear errors", () => {
  assert.throws(() => relu6([1] as never), {
    name: "TypeError",
    message: "Cannot use relu6() argument x [1]: expected a Tensor",
  });
  assert.throws(() => relu6(tensor([1]), { alpha: 1 } as never), {
    name: "TypeError",
    message: 'Cannot call relu6() with unknown option "alpha": expected one of "out"',
  });
  assert.throws(() => relu6Backward(tensor([1, 2]), tensor([1])), {
    name: "RangeError",
    message: /relu6Backward\(\) argument gradOutput of shape \[2\]/,
  });
});

Deno.test("ReLU6 module: forward, backward, and backward before forward", () => {
  const layer = new ReLU6();
  assert.throws(() => layer.backward(tensor([1])), {
    name: "Error",
    message: "Cannot run ReLU6.backward() before forward(): call forward(x) first",
  });
  const x = tensor([-1, 3, 8], { dtype: "float64" });
  assert.deepEqual(layer.forward(x).toArray(), [0, 3, 6]);
  assert.deepEqual(layer.backward(tensor([2, 2, 2])).toArray(), [0, 2, 0]);
  assert.equal(layer.backward(tensor([2, 2, 2])).dtype, "float64");
});

/** How `deno task verify` checks relu6 against exact values (see tests/accuracy). */
export const VERIFICATION: Case[] = verifyActivation("relu6", () => [{
  forward: {
    exactDD: (x) => [x !== x ? x : x <= 0 ? 0 : x >= 6 ? 6 : x, 0],
    atInfinity: [0, 6],
  },
  backward: { exactDD: stepDD((v) => v > 0 && v < 6, 1), atInfinity: [0, 0] },
  cutoffs: [0, 6],
}]);
