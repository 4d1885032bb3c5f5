import "./_test_utils/reference_kernels.ts";
import assert from "node:assert/strict";
import fc from "fast-check";
import { Threshold, threshold, thresholdBackward } from "./threshold.ts";
import { tensor } from "./tensor.ts";
import { assertGradient } from "./testing.ts";
import { describeWorst, sweep } from "./_test_utils/sweep.ts";
import * as oracle from "../tests/accuracy/oracle.ts";
import { type Case, stepDD } from "../tests/accuracy/cases.ts";
import { verifyActivation } from "../tests/accuracy/register.ts";

Deno.test("threshold() keeps x above the threshold and replaces the rest by value", () => {
  const y = threshold(tensor([-1, 0.5, 1, 1.5, 3]), { threshold: 1, value: -7 });
  assert.deepEqual(y.toArray(), [-7, -7, -7, 1.5, 3]);
  // threshold 0, value 0 is ReLU.
  assert.deepEqual(threshold(tensor([-2, 0, 2]), { threshold: 0, value: 0 }).toArray(), [0, 0, 2]);
});

Deno.test("threshold() extremes: ±1000, ±∞, float max, NaN, ±0, subnormals, empty", () => {
  for (const dtype of ["float32", "float64"] as const) {
    const max = dtype === "float32" ? 3.4028234663852886e38 : Number.MAX_VALUE;
    const tiny = dtype === "float32" ? 1.401298464324817e-45 : 5e-324;
    const y = threshold(
      tensor([1000, -1000, Infinity, -Infinity, max, -max, NaN, 0, -0, tiny, -tiny], { dtype }),
      { threshold: 0, value: 0.1 },
    ).data;
    const v = dtype === "float32" ? Math.fround(0.1) : 0.1;
    assert.deepEqual(Array.from(y.subarray(0, 6)), [1000, v, Infinity, v, max, v]);
    assert.ok(Number.isNaN(y[6]), "NaN is not at or below anything");
    assert.deepEqual(Array.from(y.subarray(7)), [v, v, tiny, v]);
  }
  assert.equal(threshold(tensor([]), { threshold: 0, value: 0 }).size, 0);
});

for (const dtype of ["float32", "float64"] as const) {
  Deno.test(`threshold() is exact (0 ULP) over the sweep in ${dtype}`, () => {
    for (const [t, v] of [[0.1, 20], [-3, -1e30], [1e10, 0]]) {
      const w = sweep(
        (x) => threshold(x, { threshold: t, value: v }),
        oracle.threshold(t, v),
        dtype,
        (s) => (s > 0 ? Infinity : v),
        { extra: [t] },
      );
      assert.equal(w.ulp, 0, describeWorst(`threshold ${t} ${v}`, dtype, w));
    }
  });
}

Deno.test("threshold() output is either value or above the threshold (property)", () => {
  fc.assert(
    fc.property(fc.double({ noNaN: true }), fc.double({ min: -1e6, max: 1e6, noNaN: true }), (
      a,
      t,
    ) => {
      const y = threshold(tensor([a], { dtype: "float64" }), { threshold: t, value: -42 }).data[0];
      assert.ok(y === -42 || (y > t && y === a));
    }),
  );
});

Deno.test("thresholdBackward() matches finite differences and is 0 at the threshold", () => {
  const x = tensor([-3, 0.5, 0.9, 1.1, 3], { dtype: "float64" });
  const dy = tensor([1, 2, -1, 0.5, 3], { dtype: "float64" });
  const options = { threshold: 1, value: 0.25 };
  assertGradient(
    (v) => threshold(v, options),
    (g, v) => thresholdBackward(g, v, options),
    x,
    dy,
  );
  const g = thresholdBackward(tensor([5, 5, 5]), tensor([1, 1.5, NaN]), options).data;
  assert.deepEqual(Array.from(g.subarray(0, 2)), [0, 5]);
  assert.ok(Number.isNaN(g[2]));
});

Deno.test("threshold() requires both threshold and value", () => {
  assert.throws(() => threshold(tensor([1]), { threshold: 1 } as never), {
    name: "TypeError",
    message: 'Cannot call threshold() without option "value": it is required',
  });
  assert.throws(() => threshold(tensor([1]), undefined as never), {
    name: "TypeError",
    message: 'Cannot call threshold() without option "threshold": it is required',
  });
  assert.throws(() => new Threshold({ threshold: NaN, value: 0 }), {
    name: "RangeError",
    message: "Cannot use Threshold() option threshold NaN: expected a finite number",
  });
  assert.throws(() => threshold(tensor([1]), { threshold: 0, value: "0" as never }), TypeError);
});

Deno.test("Threshold module: forward, backward, and backward before forward", () => {
  const layer = new Threshold({ threshold: 2, value: -1 });
  assert.throws(() => layer.backward(tensor([1])), /Threshold.backward\(\) before forward/);
  assert.deepEqual(layer.forward(tensor([1, 2, 3])).toArray(), [-1, -1, 3]);
  assert.deepEqual(layer.backward(tensor([4, 4, 4])).toArray(), [0, 0, 4]);
});

/** How `deno task verify` checks threshold against exact values (see tests/accuracy). */
export const VERIFICATION: Case[] = verifyActivation(
  "threshold",
  () =>
    [[1, 0.25], [0, 0]].map(([threshold, value]) => ({
      options: { threshold, value },
      forward: {
        exactDD: (x) => [x !== x ? x : x > threshold ? x : value, 0],
        atInfinity: [value, Infinity],
      },
      backward: { exactDD: stepDD((v) => v > threshold, 1), atInfinity: [0, 1] },
      cutoffs: [threshold],
    })),
);
