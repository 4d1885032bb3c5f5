import "./_test_utils/reference_kernels.ts";
import assert from "node:assert/strict";
import fc from "fast-check";
import { Hardsigmoid, hardsigmoid, hardsigmoidBackward } from "./hardsigmoid.ts";
import { tensor } from "./tensor.ts";
import { assertGradient } from "./testing.ts";
import { describeWorst, sweep } from "./_test_utils/sweep.ts";
import * as oracle from "../tests/accuracy/oracle.ts";
import { type Case, sixth, stepDD, twoSum } from "../tests/accuracy/cases.ts";
import { verifyActivation } from "../tests/accuracy/register.ts";

Deno.test("hardsigmoid() is 0 below -3, 1 above 3, (x + 3)/6 between", () => {
  assert.deepEqual(hardsigmoid(tensor([-4, -3, -1.5, 0, 1.5, 3, 4])).toArray(), [
    0,
    0,
    0.25,
    0.5,
    0.75,
    1,
    1,
  ]);
  assert.equal(hardsigmoid(tensor([1], { dtype: "float64" })).data[0], 4 / 6);
});

Deno.test("hardsigmoid() extremes: ±1000, ±∞, float max, NaN, ±0, subnormals, empty", () => {
  for (const dtype of ["float32", "float64"] as const) {
    const max = dtype === "float32" ? 3.4028234663852886e38 : Number.MAX_VALUE;
    const tiny = dtype === "float32" ? 1.401298464324817e-45 : 5e-324;
    const y = hardsigmoid(
      tensor([1000, -1000, Infinity, -Infinity, max, -max, NaN, 0, -0, tiny, -tiny], { dtype }),
    ).data;
    assert.deepEqual(Array.from(y.subarray(0, 6)), [1, 0, 1, 0, 1, 0]);
    assert.ok(Number.isNaN(y[6]));
    assert.deepEqual(Array.from(y.subarray(7)), [0.5, 0.5, 0.5, 0.5]);
  }
  assert.equal(hardsigmoid(tensor([])).size, 0);
});

for (const [dtype, bound] of [["float32", 1], ["float64", 2]] as const) {
  Deno.test(`hardsigmoid() is within ${bound} ULP of exact in ${dtype}`, () => {
    const w = sweep(hardsigmoid, oracle.hardsigmoid, dtype, (s) => (s > 0 ? 1 : 0), {
      count: 3000,
      extra: [-3, 3, -2.9999999, 2.9999999, -3.0000001, -1e-20, 1e-20],
    });
    assert.ok(w.ulp <= bound, describeWorst("hardsigmoid", dtype, w));
  });
}

Deno.test("hardsigmoid() is monotonic, in [0, 1], with f(-x) = 1 - f(x) (property)", () => {
  fc.assert(
    fc.property(fc.double({ noNaN: true }), fc.double({ noNaN: true }), (a, b) => {
      const [ya, yb, yn] = hardsigmoid(tensor([a, b, -a], { dtype: "float64" })).data;
      if (a <= b) assert.ok(ya <= yb);
      assert.ok(ya >= 0 && ya <= 1);
      assert.ok(Math.abs(yn - (1 - ya)) <= 2 ** -53);
    }),
  );
});

Deno.test("hardsigmoidBackward() matches finite differences and is 0 at ±3", () => {
  const x = tensor([-5, -2.5, -1, 0, 1, 2.5, 5], { dtype: "float64" });
  const dy = tensor([1, 2, -1, 0.5, 3, 6, 1], { dtype: "float64" });
  assertGradient(hardsigmoid, hardsigmoidBackward, x, dy);
  const g = hardsigmoidBackward(tensor([6, 6, 6, 6]), tensor([-3, 3, 2.9, NaN])).data;
  assert.deepEqual(Array.from(g.subarray(0, 3)), [0, 0, 1]);
  assert.ok(Number.isNaN(g[3]));
});

Deno.test("hardsigmoid() takes no options but out", () => {
  assert.throws(() => hardsigmoid(tensor([1]), { slope: 1 } as never), {
    name: "TypeError",
    message: 'Cannot call hardsigmoid() with unknown option "slope": expected one of "out"',
  });
  assert.throws(() => hardsigmoid(null as never), TypeError);
});

Deno.test("Hardsigmoid module: forward, backward, and backward before forward", () => {
  const layer = new Hardsigmoid();
  assert.throws(() => layer.backward(tensor([1])), /Hardsigmoid.backward\(\) before forward/);
  assert.deepEqual(layer.forward(tensor([-6, 0, 6])).toArray(), [0, 0.5, 1]);
  assert.deepEqual(layer.backward(tensor([6, 6, 6])).toArray(), [0, 1, 0]);
});

/** How `deno task verify` checks hardsigmoid against exact values (see tests/accuracy). */
export const VERIFICATION: Case[] = verifyActivation("hardsigmoid", () => [{
  forward: {
    exactDD: (x) => (x !== x ? [x, 0] : x <= -3 ? [0, 0] : x >= 3 ? [1, 0] : sixth(twoSum(x, 3))),
    atInfinity: [0, 1],
  },
  backward: { exactDD: stepDD((v) => v > -3 && v < 3, 1 / 6), atInfinity: [0, 0] },
  cutoffs: [-3, 3],
}]);
