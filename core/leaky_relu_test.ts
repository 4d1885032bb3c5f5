import "./_test_utils/reference_kernels.ts";
import assert from "node:assert/strict";
import fc from "fast-check";
import { LeakyReLU, leakyRelu, leakyReluBackward } from "./leaky_relu.ts";
import { tensor } from "./tensor.ts";
import { assertGradient } from "./testing.ts";
import { describeWorst, sweep } from "./_test_utils/sweep.ts";
import * as oracle from "../tests/accuracy/oracle.ts";
import { type Case, twoProd } from "../tests/accuracy/cases.ts";
import { verifyActivation } from "../tests/accuracy/register.ts";

Deno.test("leakyRelu() closed form with the default and a custom slope", () => {
  const x = tensor([-3, -1, 0, 2], { dtype: "float64" });
  assert.deepEqual(leakyRelu(x).toArray(), [-0.03, -0.01, 0, 2]);
  assert.deepEqual(leakyRelu(x, { negativeSlope: 0.2 }).toArray(), [-3 * 0.2, -0.2, 0, 2]);
  // A negative slope is allowed, as in PyTorch.
  assert.deepEqual(leakyRelu(x, { negativeSlope: -1 }).toArray(), [3, 1, -0, 2]);
});

Deno.test("leakyRelu() extremes: ±1000, ±∞, NaN, ±0, subnormals, empty, float32 max", () => {
  const y = leakyRelu(tensor([1000, -1000, Infinity, -Infinity, NaN, 0, -0], { dtype: "float64" }))
    .data;
  assert.deepEqual(Array.from(y.subarray(0, 4)), [1000, -10, Infinity, -Infinity]);
  assert.ok(Number.isNaN(y[4]));
  assert.ok(Object.is(y[5], 0) && Object.is(y[6], -0), "the sign of zero follows the product");
  // Subnormal products round once, to the nearest subnormal.
  assert.deepEqual(
    leakyRelu(tensor([-5e-324, -1e-310], { dtype: "float64" }), { negativeSlope: 0.5 }).toArray(),
    [-0, -5e-311],
  );
  assert.deepEqual(leakyRelu(tensor([3.4028234663852886e38, -3.4028234663852886e38])).toArray(), [
    3.4028234663852886e38,
    Math.fround(-3.4028234663852886e36),
  ]);
  assert.equal(leakyRelu(tensor([], { dtype: "float64" })).size, 0);
  // A zero slope is ReLU, -∞ included (not -∞ · 0 = NaN).
  assert.deepEqual(
    leakyRelu(tensor([-Infinity, -2, 3]), { negativeSlope: 0 }).toArray(),
    [0, 0, 3],
  );
});

for (const [dtype, bound] of [["float32", 1], ["float64", 2]] as const) {
  for (const slope of [0.01, 0.3, 1 / 3]) {
    Deno.test(`leakyRelu({ negativeSlope: ${slope} }) is within ${bound} ULP in ${dtype}`, () => {
      const w = sweep(
        (x) => leakyRelu(x, { negativeSlope: slope }),
        oracle.leakyRelu(slope),
        dtype,
        (s) => s * Infinity,
      );
      assert.ok(w.ulp <= bound, describeWorst("leakyRelu", dtype, w));
    });
  }
}

Deno.test("leakyRelu() is monotonic and f(-x) = -0.01·x for x > 0 (property)", () => {
  fc.assert(
    fc.property(
      fc.double({ min: -1e300, max: 1e300, noNaN: true }),
      fc.double({ min: -1e300, max: 1e300, noNaN: true }),
      (a, b) => {
        const [ya, yb] = leakyRelu(tensor([a, b], { dtype: "float64" })).data;
        if (a <= b) assert.ok(ya <= yb);
        if (a > 0) assert.equal(leakyRelu(tensor([-a], { dtype: "float64" })).data[0], -a * 0.01);
      },
    ),
  );
});

Deno.test("leakyReluBackward() matches finite differences and uses the slope at 0", () => {
  const x = tensor([-5, -1, -0.2, 0.3, 2, 40], { dtype: "float64" });
  const dy = tensor([1, -2, 3, 0.5, 1, 2], { dtype: "float64" });
  for (const negativeSlope of [0.01, 0.25, -0.5]) {
    assertGradient(
      (v) => leakyRelu(v, { negativeSlope }),
      (g, v) => leakyReluBackward(g, v, { negativeSlope }),
      x,
      dy,
    );
  }
  const g = leakyReluBackward(tensor([4, 4, 4]), tensor([0, NaN, -0]), { negativeSlope: 0.5 });
  assert.equal(g.data[0], 2, "leakyRelu'(0) is the negative slope, as in PyTorch");
  assert.ok(Number.isNaN(g.data[1]));
  assert.equal(g.data[2], 2);
});

Deno.test("leakyRelu() validates negativeSlope and its arguments", () => {
  assert.throws(() => leakyRelu(tensor([1]), { negativeSlope: "0.1" as never }), {
    name: "TypeError",
    message: 'Cannot use leakyRelu() option negativeSlope "0.1": expected a finite number',
  });
  assert.throws(() => leakyRelu(tensor([1]), { negativeSlope: Infinity }), {
    name: "RangeError",
    message: "Cannot use leakyRelu() option negativeSlope Infinity: expected a finite number",
  });
  assert.throws(() => leakyRelu(tensor([1]), { negativeSlope: NaN }), RangeError);
  assert.throws(() => leakyRelu(tensor([1]), { slope: 0.1 } as never), {
    name: "TypeError",
    message: /unknown option "slope": expected one of "negativeSlope", "out"/,
  });
  assert.throws(() => new LeakyReLU({ negativeSlope: Infinity }), {
    name: "RangeError",
    message: /LeakyReLU\(\) option negativeSlope/,
  });
  assert.throws(() => leakyReluBackward(tensor([1]), tensor([1]), { out: tensor([1]) } as never), {
    name: "TypeError",
    message: /leakyReluBackward\(\) with unknown option "out"/,
  });
});

Deno.test("LeakyReLU module: forward, backward, and backward before forward", () => {
  const layer = new LeakyReLU({ negativeSlope: 0.1 });
  assert.throws(() => layer.backward(tensor([1])), /LeakyReLU.backward\(\) before forward/);
  const x = tensor([-10, 0, 10], { dtype: "float64" });
  assert.deepEqual(layer.forward(x).toArray(), [-1, 0, 10]);
  assert.deepEqual(layer.backward(tensor([1, 1, 1])).toArray(), [0.1, 0.1, 1]);
  assert.deepEqual(new LeakyReLU().forward(x).toArray(), [-0.1, 0, 10]);
});

/** How `deno task verify` checks leakyRelu against exact values (see tests/accuracy). */
export const VERIFICATION: Case[] = verifyActivation(
  "leakyRelu",
  () =>
    [0.01, 0.2].map((negativeSlope) => ({
      options: { negativeSlope },
      forward: {
        exactDD: (x) => (x !== x ? [x, 0] : x > 0 ? [x, 0] : twoProd(x, negativeSlope)),
        atInfinity: [-Infinity, Infinity],
      },
      backward: {
        exactDD: (x) => [x !== x ? x : x > 0 ? 1 : negativeSlope, 0],
        atInfinity: [negativeSlope, 1],
      },
    })),
);
