import "./_test_utils/reference_kernels.ts";
import assert from "node:assert/strict";
import fc from "fast-check";
import { ReLUSquared, reluSquared, reluSquaredBackward, setKernels, tensor, zeros } from "./mod.ts";
import { assertGradient } from "./testing.ts";
import { type Case, twoProd } from "../tests/accuracy/cases.ts";
import { verifyActivation } from "../tests/accuracy/register.ts";

Deno.test("reluSquared() squares positives and zeroes the rest", () => {
  assert.deepEqual(reluSquared(tensor([-2, -0.5, 0, 0.5, 3])).toArray(), [0, 0, 0, 0.25, 9]);
});

Deno.test("reluSquared() at the extremes: ±1000, ±∞, NaN, -0, subnormals, overflow", () => {
  for (const dtype of ["float32", "float64"] as const) {
    const y = reluSquared(tensor([1000, -1000, Infinity, -Infinity, NaN, -0, 1e-30, 1e200], {
      dtype,
    })).toArray() as number[];
    assert.deepEqual(y.slice(0, 4), [1e6, 0, Infinity, 0]);
    assert.ok(Number.isNaN(y[4]));
    assert.ok(Object.is(y[5], 0), "reluSquared(-0) is +0");
    assert.equal(y[6], dtype === "float32" ? 0 : 1e-30 * 1e-30); // underflows in float32
    assert.equal(y[7], Infinity);
  }
});

Deno.test("reluSquared() gives the same bits on both paths, shapes and out kept", () => {
  const x = tensor(Array.from({ length: 1000 }, (_, i) => (i - 500) / 7.3));
  const ref = reluSquared(x).data;
  setKernels("auto");
  try {
    assert.deepEqual(reluSquared(x).data, ref);
  } finally {
    setKernels("reference");
  }
  assert.deepEqual(reluSquared(zeros([2, 0, 3])).shape, [2, 0, 3]);
  const out = zeros([1000]);
  assert.equal(reluSquared(x, { out }), out);
});

Deno.test("reluSquared() is relu(x)² and monotonic (property)", () => {
  fc.assert(
    fc.property(fc.array(fc.double({ noNaN: true }), { minLength: 1, maxLength: 50 }), (xs) => {
      const y = reluSquared(tensor(xs, { dtype: "float64" })).data;
      xs.forEach((v, i) => assert.equal(y[i], v > 0 ? v * v : 0));
    }),
  );
});

Deno.test("reluSquaredBackward() matches finite differences and the layer", () => {
  assertGradient(
    reluSquared,
    reluSquaredBackward,
    tensor([-1.5, -0.25, 0.3, 2], { dtype: "float64" }),
    tensor([1, -2, 0.5, 3], { dtype: "float64" }),
  );
  const layer = new ReLUSquared();
  layer.forward(tensor([-1, 2]));
  assert.deepEqual(layer.backward(tensor([1, 0.5])).toArray(), [0, 2]);
  assert.throws(() => new ReLUSquared().backward(tensor([1])), /before forward/);
});

/** How `deno task verify` checks reluSquared against exact values (see tests/accuracy). */
export const VERIFICATION: Case[] = verifyActivation("reluSquared", () => [{
  forward: {
    exactDD: (x) => (x !== x ? [x, 0] : x > 0 ? twoProd(x, x) : [0, 0]),
    atInfinity: [0, Infinity],
  },
  backward: {
    exactDD: (x) => [x !== x ? x : x > 0 ? 2 * x : 0, 0],
    atInfinity: [0, Infinity],
  },
}]);
