import "./_test_utils/reference_kernels.ts";
import assert from "node:assert/strict";
import fc from "fast-check";
import { Hardshrink, hardshrink, hardshrinkBackward } from "./hardshrink.ts";
import { tensor } from "./tensor.ts";
import { assertGradient } from "./testing.ts";
import { describeWorst, sweep } from "./_test_utils/sweep.ts";
import * as oracle from "../tests/accuracy/oracle.ts";
import { type Case, stepDD } from "../tests/accuracy/cases.ts";
import { verifyActivation } from "../tests/accuracy/register.ts";

Deno.test("hardshrink() zeroes [-lambda, lambda] and keeps the rest", () => {
  assert.deepEqual(hardshrink(tensor([-2, -0.5, -0.25, 0, 0.5, 0.75])).toArray(), [
    -2,
    0,
    0,
    0,
    0,
    0.75,
  ]);
  assert.deepEqual(hardshrink(tensor([-2, 1, 1.5]), { lambda: 1 }).toArray(), [-2, 0, 1.5]);
  assert.deepEqual(hardshrink(tensor([-2, 0, 3]), { lambda: 0 }).toArray(), [-2, 0, 3]);
  assert.deepEqual(hardshrink(tensor([-2, 3e38]), { lambda: Infinity }).toArray(), [0, 0]);
});

Deno.test("hardshrink() extremes: ±1000, ±∞, float max, NaN, ±0, subnormals, empty", () => {
  for (const dtype of ["float32", "float64"] as const) {
    const max = dtype === "float32" ? 3.4028234663852886e38 : Number.MAX_VALUE;
    const tiny = dtype === "float32" ? 1.401298464324817e-45 : 5e-324;
    const y = hardshrink(
      tensor([1000, -1000, Infinity, -Infinity, max, -max, NaN, 0, -0, tiny, -tiny], { dtype }),
    ).data;
    assert.deepEqual(Array.from(y.subarray(0, 6)), [1000, -1000, Infinity, -Infinity, max, -max]);
    assert.ok(Number.isNaN(y[6]), "NaN stays NaN");
    assert.ok([7, 8, 9, 10].every((i) => Object.is(y[i], 0)), "the dead zone gives +0");
  }
  assert.equal(hardshrink(tensor([])).size, 0);
});

for (const dtype of ["float32", "float64"] as const) {
  Deno.test(`hardshrink() is exact (0 ULP) over the sweep in ${dtype}`, () => {
    for (const lambda of [0.5, 0.1, 3]) {
      const w = sweep(
        (x) => hardshrink(x, { lambda }),
        oracle.hardshrink(lambda),
        dtype,
        (s) => s * Infinity,
        { extra: [lambda, -lambda] },
      );
      assert.equal(w.ulp, 0, describeWorst(`hardshrink ${lambda}`, dtype, w));
    }
  });
}

Deno.test("hardshrink() is odd and monotonic, and |f(x)| is 0 or > lambda (property)", () => {
  fc.assert(
    fc.property(fc.double({ noNaN: true }), fc.double({ noNaN: true }), (a, b) => {
      const [ya, yb, yn] = hardshrink(tensor([a, b, -a], { dtype: "float64" })).data;
      if (a <= b) assert.ok(ya <= yb);
      assert.equal(yn, ya === 0 ? 0 : -ya);
      assert.ok(ya === 0 || Math.abs(ya) > 0.5);
    }),
  );
});

Deno.test("hardshrinkBackward() matches finite differences and is 0 at ±lambda", () => {
  const x = tensor([-3, -0.6, -0.2, 0.2, 0.6, 3], { dtype: "float64" });
  const dy = tensor([1, 2, -1, 0.5, 3, 1], { dtype: "float64" });
  assertGradient(hardshrink, hardshrinkBackward, x, dy);
  const g = hardshrinkBackward(tensor([5, 5, 5, 5]), tensor([-0.5, 0.5, 0.6, NaN])).data;
  assert.deepEqual(Array.from(g.subarray(0, 3)), [0, 0, 5]);
  assert.ok(Number.isNaN(g[3]));
});

Deno.test("hardshrink() validates lambda", () => {
  assert.throws(() => hardshrink(tensor([1]), { lambda: -0.5 }), {
    name: "RangeError",
    message: "Cannot use hardshrink() option lambda -0.5: expected a number ≥ 0",
  });
  assert.throws(() => new Hardshrink({ lambda: NaN }), {
    name: "RangeError",
    message: /Hardshrink\(\) option lambda NaN/,
  });
  assert.throws(() => hardshrink(tensor([1]), { lambd: 1 } as never), {
    name: "TypeError",
    message: /unknown option "lambd": expected one of "lambda", "out"/,
  });
});

Deno.test("Hardshrink module: forward, backward, and backward before forward", () => {
  const layer = new Hardshrink({ lambda: 1 });
  assert.throws(() => layer.backward(tensor([1])), /Hardshrink.backward\(\) before forward/);
  assert.deepEqual(layer.forward(tensor([-3, 1, 3])).toArray(), [-3, 0, 3]);
  assert.deepEqual(layer.backward(tensor([2, 2, 2])).toArray(), [2, 0, 2]);
});

/** How `deno task verify` checks hardshrink against exact values (see tests/accuracy). */
export const VERIFICATION: Case[] = verifyActivation("hardshrink", () =>
  [0.5, 1].map((lambda) => ({
    options: { lambda },
    forward: {
      exactDD: (x) => [x !== x ? x : x > lambda || x < -lambda ? x : 0, 0],
      atInfinity: [-Infinity, Infinity],
    },
    backward: { exactDD: stepDD((v) => v > lambda || v < -lambda, 1), atInfinity: [1, 1] },
    cutoffs: [-lambda, lambda],
  })));
