import "./_test_utils/reference_kernels.ts";
import assert from "node:assert/strict";
import fc from "fast-check";
import { Hardswish, hardswish, hardswishBackward } from "./hardswish.ts";
import { hardsigmoid } from "./hardsigmoid.ts";
import { tensor } from "./tensor.ts";
import { assertGradient } from "./testing.ts";
import { describeWorst, sweep } from "./_test_utils/sweep.ts";
import * as oracle from "../tests/accuracy/oracle.ts";
import { type Case, sixth, twoProd, twoSum } from "../tests/accuracy/cases.ts";
import { verifyActivation } from "../tests/accuracy/register.ts";

Deno.test("hardswish() is -0 below -3, x above 3, x(x + 3)/6 between", () => {
  assert.deepEqual(hardswish(tensor([-4, -3, -1.5, 0, 1.5, 3, 4])).toArray(), [
    -0,
    -0,
    -0.375,
    0,
    1.125,
    3,
    4,
  ]);
  assert.equal(hardswish(tensor([1], { dtype: "float64" })).data[0], 4 / 6);
});

Deno.test("hardswish() extremes: ±1000, ±∞, float max without overflow, NaN, ±0, subnormals", () => {
  for (const dtype of ["float32", "float64"] as const) {
    const max = dtype === "float32" ? 3.4028234663852886e38 : Number.MAX_VALUE;
    const y = hardswish(
      tensor([1000, -1000, Infinity, -Infinity, max, -max, NaN, 0, -0], { dtype }),
    ).data;
    assert.deepEqual(Array.from(y.subarray(0, 6)), [1000, -0, Infinity, -0, max, -0]);
    assert.ok(Number.isNaN(y[6]));
    assert.ok(Object.is(y[7], 0) && Object.is(y[8], -0));
  }
  // Near 0 hardswish(x) ≈ x/2 + x²/6; for the smallest subnormal the x² term breaks the tie.
  const sub = hardswish(tensor([5e-324, -5e-324, 1e-310], { dtype: "float64" })).data;
  assert.deepEqual(Array.from(sub), [5e-324, -0, 5e-311]);
  assert.equal(hardswish(tensor([1.401298464324817e-45])).data[0], 1.401298464324817e-45);
  assert.equal(hardswish(tensor([])).size, 0);
});

for (const [dtype, bound] of [["float32", 1], ["float64", 2]] as const) {
  Deno.test(`hardswish() is within ${bound} ULP of exact in ${dtype}`, () => {
    const w = sweep(hardswish, oracle.hardswish, dtype, (s) => (s > 0 ? Infinity : 0), {
      count: 3000,
      extra: [-3, 3, -2.9999999, 2.9999999, -1.5, -1e-20, 1e-20, -1e-300, 3e-308, 1e-310],
    });
    assert.ok(w.ulp <= bound, describeWorst("hardswish", dtype, w));
  });
}

Deno.test("hardswish(x) = x·hardsigmoid(x), minimum -3/8 at -1.5 (property)", () => {
  fc.assert(
    fc.property(fc.double({ min: -1e6, max: 1e6, noNaN: true }), (a) => {
      const y = hardswish(tensor([a], { dtype: "float64" })).data[0];
      const s = hardsigmoid(tensor([a], { dtype: "float64" })).data[0];
      assert.ok(Math.abs(y - a * s) <= 3e-16 * Math.abs(y) + 1e-300);
      assert.ok(y >= -0.375);
    }),
  );
});

Deno.test("hardswishBackward() matches finite differences; PyTorch's values at ±3", () => {
  const x = tensor([-5, -2.5, -1.5, -1, 0, 1, 2.5, 5], { dtype: "float64" });
  const dy = tensor([1, 2, -1, 0.5, 3, 6, 1, 2], { dtype: "float64" });
  assertGradient(hardswish, hardswishBackward, x, dy);
  const g = hardswishBackward(tensor([2, 2, 2, 2, 2]), tensor([-3, 3, -1.5, -3.5, NaN])).data;
  assert.deepEqual(Array.from(g.subarray(0, 4)), [-1, 3, 0, 0]);
  assert.ok(Number.isNaN(g[4]));
});

Deno.test("hardswish() takes no options but out", () => {
  assert.throws(() => hardswish(tensor([1]), { beta: 1 } as never), {
    name: "TypeError",
    message: 'Cannot call hardswish() with unknown option "beta": expected one of "out"',
  });
  const x = tensor([-1, 4]);
  assert.equal(hardswish(x, { out: x }), x);
  assert.deepEqual(x.toArray(), [Math.fround(-1 / 3), 4]);
});

Deno.test("Hardswish module: forward, backward, and backward before forward", () => {
  const layer = new Hardswish();
  assert.throws(() => layer.backward(tensor([1])), /Hardswish.backward\(\) before forward/);
  assert.deepEqual(layer.forward(tensor([-6, 0, 6])).toArray(), [-0, 0, 6]);
  assert.deepEqual(layer.backward(tensor([2, 2, 2])).toArray(), [0, 1, 2]);
});

/** How `deno task verify` checks hardswish against exact values (see tests/accuracy). */
export const VERIFICATION: Case[] = verifyActivation("hardswish", () => [{
  forward: {
    exactDD: (x) => {
      if (x !== x || x >= 3) return [x, 0];
      if (x <= -3) return [-0, 0];
      // x(x + 3)/6 with x + 3 = s + se exact: x·s + x·se, both products exact.
      const [s, se] = twoSum(x, 3);
      const [p, pe] = twoProd(x, s);
      const [q, qe] = twoProd(x, se);
      const [h, he] = twoSum(p, q);
      const r = sixth([h, he + pe + qe]);
      return r[0] === 0 ? [x * 0, 0] : r;
    },
    atInfinity: [-0, Infinity],
  },
  backward: {
    exactDD: (x) => {
      if (x !== x) return [x, 0];
      if (x < -3) return [0, 0];
      if (x > 3) return [1, 0];
      return sixth(twoSum(2 * x, 3));
    },
    atInfinity: [0, 1],
  },
  cutoffs: [-3, 3],
}]);
