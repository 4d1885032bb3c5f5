import "./_test_utils/reference_kernels.ts";
import assert from "node:assert/strict";
import fc from "fast-check";
import { Softshrink, softshrink, softshrinkBackward } from "./softshrink.ts";
import { tensor } from "./tensor.ts";
import { assertGradient } from "./testing.ts";
import { describeWorst, sweep } from "./_test_utils/sweep.ts";
import * as oracle from "../tests/accuracy/oracle.ts";
import { type Case, stepDD, twoSum } from "../tests/accuracy/cases.ts";
import { verifyActivation } from "../tests/accuracy/register.ts";

Deno.test("softshrink() moves values towards 0 by lambda", () => {
  assert.deepEqual(softshrink(tensor([-2, -0.5, 0.25, 0.5, 3])).toArray(), [-1.5, 0, 0, 0, 2.5]);
  assert.deepEqual(
    softshrink(tensor([-2, 0.5, 1.5], { dtype: "float64" }), { lambda: 0.1 }).toArray(),
    [-2 + 0.1, 0.5 - 0.1, 1.5 - 0.1],
  );
  assert.deepEqual(softshrink(tensor([-2, 3]), { lambda: 0 }).toArray(), [-2, 3]);
});

Deno.test("softshrink() extremes: ±1000, ±∞, float max, NaN, ±0, subnormals, empty", () => {
  for (const dtype of ["float32", "float64"] as const) {
    const max = dtype === "float32" ? 3.4028234663852886e38 : Number.MAX_VALUE;
    const tiny = dtype === "float32" ? 1.401298464324817e-45 : 5e-324;
    const y = softshrink(
      tensor([1000, -1000, Infinity, -Infinity, max, -max, NaN, 0, -0, tiny, -tiny], { dtype }),
    ).data;
    assert.deepEqual(Array.from(y.subarray(0, 6)), [
      999.5,
      -999.5,
      Infinity,
      -Infinity,
      max,
      -max,
    ]);
    assert.ok(Number.isNaN(y[6]), "NaN stays NaN (PyTorch gives 0)");
    assert.ok([7, 8, 9, 10].every((i) => Object.is(y[i], 0)), "the dead zone gives +0");
  }
  assert.equal(softshrink(tensor([])).size, 0);
  assert.deepEqual(softshrink(tensor([-Infinity, Infinity]), { lambda: Infinity }).toArray(), [
    0,
    0,
  ]);
});

for (const [dtype, bound] of [["float32", 1], ["float64", 2]] as const) {
  Deno.test(`softshrink() is within ${bound} ULP of exact in ${dtype}`, () => {
    for (const lambda of [0.5, 0.1, 1e-3, 7]) {
      const w = sweep(
        (x) => softshrink(x, { lambda }),
        oracle.softshrink(lambda),
        dtype,
        (s) => s * Infinity,
        { extra: [lambda, -lambda, lambda * 1.0000001, -lambda * 1.0000001] },
      );
      assert.ok(w.ulp <= bound, describeWorst(`softshrink ${lambda}`, dtype, w));
    }
  });
}

Deno.test("softshrink() is odd, monotonic and shrinks by at most lambda (property)", () => {
  fc.assert(
    fc.property(
      fc.double({ min: -1e10, max: 1e10, noNaN: true }),
      fc.double({ min: -1e10, max: 1e10, noNaN: true }),
      (a, b) => {
        const [ya, yb, yn] = softshrink(tensor([a, b, -a], { dtype: "float64" })).data;
        if (a <= b) assert.ok(ya <= yb);
        assert.equal(yn, ya === 0 ? 0 : -ya);
        assert.ok(Math.abs(ya) <= Math.abs(a) && Math.abs(a) - Math.abs(ya) <= 0.5 + 1e-6);
      },
    ),
  );
});

Deno.test("softshrinkBackward() matches finite differences and is 0 at ±lambda", () => {
  const x = tensor([-3, -0.6, -0.2, 0.2, 0.6, 3], { dtype: "float64" });
  const dy = tensor([1, 2, -1, 0.5, 3, 1], { dtype: "float64" });
  assertGradient(softshrink, softshrinkBackward, x, dy);
  const g = softshrinkBackward(tensor([5, 5, 5, 5]), tensor([-0.5, 0.5, -0.6, NaN])).data;
  assert.deepEqual(Array.from(g.subarray(0, 3)), [0, 0, 5]);
  assert.ok(Number.isNaN(g[3]));
});

Deno.test("softshrink() validates lambda", () => {
  assert.throws(() => softshrink(tensor([1]), { lambda: -1 }), {
    name: "RangeError",
    message: "Cannot use softshrink() option lambda -1: expected a number ≥ 0",
  });
  assert.throws(() => new Softshrink({ lambda: "1" as never }), {
    name: "TypeError",
    message: /Softshrink\(\) option lambda "1"/,
  });
  assert.throws(() => softshrinkBackward(tensor([1]), tensor([1]), { lambda: -2 }), RangeError);
});

Deno.test("Softshrink module: forward, backward, and backward before forward", () => {
  const layer = new Softshrink({ lambda: 1 });
  assert.throws(() => layer.backward(tensor([1])), /Softshrink.backward\(\) before forward/);
  assert.deepEqual(layer.forward(tensor([-3, 1, 3])).toArray(), [-2, 0, 2]);
  assert.deepEqual(layer.backward(tensor([2, 2, 2])).toArray(), [2, 0, 2]);
});

/** How `deno task verify` checks softshrink against exact values (see tests/accuracy). */
export const VERIFICATION: Case[] = verifyActivation("softshrink", () =>
  [0.5, 1].map((lambda) => ({
    options: { lambda },
    forward: {
      exactDD: (x) =>
        x !== x
          ? [x, 0]
          : x > lambda
          ? twoSum(x, -lambda)
          : x < -lambda
          ? twoSum(x, lambda)
          : [0, 0],
      atInfinity: [-Infinity, Infinity],
    },
    backward: { exactDD: stepDD((v) => v > lambda || v < -lambda, 1), atInfinity: [1, 1] },
    cutoffs: [-lambda, lambda],
  })));
