import "./_test_utils/reference_kernels.ts";
import assert from "node:assert/strict";
import fc from "fast-check";
import { Hardtanh, hardtanh, hardtanhBackward } from "./hardtanh.ts";
import { tensor } from "./tensor.ts";
import { assertGradient } from "./testing.ts";
import { describeWorst, sweep } from "./_test_utils/sweep.ts";
import * as oracle from "../tests/accuracy/oracle.ts";
import { type Case, stepDD } from "../tests/accuracy/cases.ts";
import { verifyActivation } from "../tests/accuracy/register.ts";

Deno.test("hardtanh() clamps to [minVal, maxVal]", () => {
  assert.deepEqual(hardtanh(tensor([-3, -1, -0.5, 0.25, 1, 3])).toArray(), [
    -1,
    -1,
    -0.5,
    0.25,
    1,
    1,
  ]);
  assert.deepEqual(
    hardtanh(tensor([-3, 0.5, 3], { dtype: "float64" }), { minVal: -0.1, maxVal: 2 }).toArray(),
    [-0.1, 0.5, 2],
  );
  // minVal = maxVal is allowed: a constant.
  assert.deepEqual(hardtanh(tensor([-3, 3]), { minVal: 2, maxVal: 2 }).toArray(), [2, 2]);
});

Deno.test("hardtanh() extremes: ±1000, ±∞, float max, NaN, ±0, subnormals, empty", () => {
  for (const dtype of ["float32", "float64"] as const) {
    const max = dtype === "float32" ? 3.4028234663852886e38 : Number.MAX_VALUE;
    const tiny = dtype === "float32" ? 1.401298464324817e-45 : 5e-324;
    const y = hardtanh(
      tensor([1000, -1000, Infinity, -Infinity, max, -max, NaN, 0, -0, tiny, -tiny], { dtype }),
    ).data;
    assert.deepEqual(Array.from(y.subarray(0, 6)), [1, -1, 1, -1, 1, -1]);
    assert.ok(Number.isNaN(y[6]));
    assert.ok(Object.is(y[7], 0) && Object.is(y[8], -0), "the identity part keeps -0");
    assert.deepEqual(Array.from(y.subarray(9)), [tiny, -tiny]);
  }
  assert.equal(hardtanh(tensor([])).size, 0);
});

for (const dtype of ["float32", "float64"] as const) {
  Deno.test(`hardtanh() is exact (0 ULP) over the sweep in ${dtype}`, () => {
    for (const [lo, hi] of [[-1, 1], [-0.1, 2.5], [0, 6]]) {
      const w = sweep(
        (x) => hardtanh(x, { minVal: lo, maxVal: hi }),
        oracle.hardtanh(lo, hi),
        dtype,
        (s) => (s > 0 ? hi : lo),
        { extra: [lo, hi] },
      );
      assert.equal(w.ulp, 0, describeWorst(`hardtanh [${lo}, ${hi}]`, dtype, w));
    }
  });
}

Deno.test("hardtanh() is odd for symmetric bounds, bounded and monotonic (property)", () => {
  fc.assert(
    fc.property(fc.double({ noNaN: true }), fc.double({ noNaN: true }), (a, b) => {
      const [ya, yb, yn] = hardtanh(tensor([a, b, -a], { dtype: "float64" })).data;
      assert.ok(ya >= -1 && ya <= 1);
      if (a <= b) assert.ok(ya <= yb);
      assert.ok(Object.is(yn, -ya));
    }),
  );
});

Deno.test("hardtanhBackward() matches finite differences and is 0 at both bounds", () => {
  const x = tensor([-3, -0.9, -0.2, 0.2, 0.9, 3], { dtype: "float64" });
  const dy = tensor([1, 2, -1, 0.5, 3, 1], { dtype: "float64" });
  assertGradient(hardtanh, hardtanhBackward, x, dy);
  const g = hardtanhBackward(tensor([5, 5, 5, 5]), tensor([-1, 1, 0, NaN])).data;
  assert.deepEqual(Array.from(g.subarray(0, 3)), [0, 0, 5]);
  assert.ok(Number.isNaN(g[3]));
  const h = hardtanhBackward(tensor([5, 5]), tensor([0, 6]), { minVal: 0, maxVal: 6 });
  assert.deepEqual(h.toArray(), [0, 0]);
});

Deno.test("hardtanh() validates its bounds", () => {
  assert.throws(() => hardtanh(tensor([1]), { minVal: 2, maxVal: 1 }), {
    name: "RangeError",
    message: "Cannot use hardtanh() options minVal 2 and maxVal 1: expected minVal ≤ maxVal",
  });
  assert.throws(() => new Hardtanh({ minVal: 3 }), {
    name: "RangeError",
    message: "Cannot use Hardtanh() options minVal 3 and maxVal 1: expected minVal ≤ maxVal",
  });
  assert.throws(() => hardtanh(tensor([1]), { maxVal: Infinity }), {
    name: "RangeError",
    message: "Cannot use hardtanh() option maxVal Infinity: expected a finite number",
  });
  assert.throws(() => hardtanh(tensor([1]), { minVal: null as never }), TypeError);
  assert.throws(() => hardtanh(tensor([1]), { min: 0 } as never), {
    name: "TypeError",
    message: /unknown option "min": expected one of "minVal", "maxVal", "out"/,
  });
});

Deno.test("Hardtanh module: forward, backward, and backward before forward", () => {
  const layer = new Hardtanh({ minVal: -2, maxVal: 2 });
  assert.throws(() => layer.backward(tensor([1])), /Hardtanh.backward\(\) before forward/);
  assert.deepEqual(layer.forward(tensor([-3, 1, 3])).toArray(), [-2, 1, 2]);
  assert.deepEqual(layer.backward(tensor([1, 1, 1])).toArray(), [0, 1, 0]);
});

/** How `deno task verify` checks hardtanh against exact values (see tests/accuracy). */
export const VERIFICATION: Case[] = verifyActivation(
  "hardtanh",
  () =>
    [[-1, 1], [0, 6]].map(([minVal, maxVal]) => ({
      options: { minVal, maxVal },
      forward: {
        exactDD: (x) => [x !== x ? x : x < minVal ? minVal : x > maxVal ? maxVal : x, 0],
        atInfinity: [minVal, maxVal],
      },
      backward: { exactDD: stepDD((v) => v > minVal && v < maxVal, 1), atInfinity: [0, 0] },
      cutoffs: [minVal, maxVal],
    })),
);
