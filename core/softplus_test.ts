import "./_test_utils/reference_kernels.ts";
import assert from "node:assert/strict";
import fc from "fast-check";
import { Softplus, softplus, softplusBackward } from "./softplus.ts";
import { tensor } from "./tensor.ts";
import { assertClose, assertGradient } from "./testing.ts";
import { fromDouble, roundTo, softplus as exactSoftplus } from "../tests/accuracy/oracle.ts";
import { describeWorst, worstUlp } from "./_test_utils/sweep.ts";
import { type Case, map, onKernels } from "../tests/accuracy/cases.ts";
import { verifyActivation } from "../tests/accuracy/register.ts";
import * as oracle from "../tests/accuracy/oracle.ts";
import { sigmoid } from "./mod.ts";

const F32_MAX = 3.4028234663852886e38;

Deno.test("softplus() matches log(1 + e^(βx)) / β on ordinary values", () => {
  const xs = [-6, -2.5, -1, -0.25, 0, 0.25, 1, 2.5, 6];
  for (const beta of [1, 0.5, 3]) {
    assertClose(
      softplus(tensor(xs, { dtype: "float64" }), { beta }),
      xs.map((x) => Math.log1p(Math.exp(beta * x)) / beta),
      { rtol: 1e-14 },
    );
  }
});

Deno.test("softplus() is linear above the threshold, comparing the exact βx", () => {
  const y = softplus(tensor([20, 20.5, 30, 10.25], { dtype: "float64" })).data;
  assert.equal(
    y[0],
    roundTo(exactSoftplus()(fromDouble(20)), "float64"),
    "βx = 20 is not above 20",
  );
  assert.equal(y[1], 20.5);
  assert.equal(y[2], 30);
  assert.equal(softplus(tensor([10.25]), { beta: 2 }).data[0], 10.25);
  assert.equal(softplus(tensor([5]), { threshold: 4 }).data[0], 5);
  // 0.1·200 rounds to exactly 20 but the exact product is above it: linear, as PyTorch's
  // comparison would be with exact arithmetic.
  assert.equal(0.1 * 200, 20);
  assert.equal(softplus(tensor([200], { dtype: "float64" }), { beta: 0.1 }).data[0], 200);
});

Deno.test("softplus() limits at ±∞ and ±1000, NaN propagation, the subnormal tail", () => {
  for (const dtype of ["float32", "float64"] as const) {
    const y = softplus(tensor([-Infinity, Infinity, -1000, 1000, NaN], { dtype })).data;
    assert.deepEqual([...y.slice(0, 4)], [0, Infinity, 0, 1000]);
    assert.ok(Number.isNaN(y[4]));
    assert.deepEqual(softplus(tensor([], { dtype })).shape, [0]);
  }
  assert.deepEqual(softplus(tensor([F32_MAX, -F32_MAX])).data, new Float32Array([F32_MAX, 0]));
  const xs = [-40, -710, -740, -745];
  const y = softplus(tensor(xs, { dtype: "float64" })).data;
  xs.forEach((x, i) => assert.equal(y[i], roundTo(exactSoftplus()(fromDouble(x)), "float64")));
  assert.ok(y[3] > 0, "softplus(-745) = 5e-324, not 0");
  const b = softplus(tensor([-360, -1000], { dtype: "float64" }), { beta: 2 }).data;
  assert.equal(b[0], roundTo(exactSoftplus(2)(fromDouble(-360)), "float64"));
  assert.equal(b[1], 0);
});

for (const [dtype, bound] of [["float32", 1], ["float64", 2]] as const) {
  for (const [beta, threshold] of [[1, 20], [3, 20], [0.7, 15]]) {
    Deno.test(`softplus({ beta: ${beta}, threshold: ${threshold} }) is within ${bound} ULP of exact in ${dtype}`, () => {
      const w = worstUlp(
        (x) => softplus(x, { beta, threshold }),
        exactSoftplus(beta, threshold),
        dtype,
        { special: (x) => (x > 0 ? Infinity : x < 0 ? 0 : NaN), count: beta === 1 ? 1000 : 300 },
      );
      assert.ok(w.ulp <= bound, describeWorst("softplus", dtype, w));
    });
  }
}

Deno.test("softplus() is positive, increasing, above relu, with sp(x) - sp(-x) = x (property)", () => {
  fc.assert(
    fc.property(
      fc.double({ min: -15, max: 15, noNaN: true }),
      fc.double({ min: 0, max: 5, noNaN: true }),
      (v, d) => {
        const [a, b, c] = softplus(tensor([v, -v, v + d], { dtype: "float64" }))
          .toArray() as number[];
        assert.ok(a > 0 && a >= v && a <= c);
        assert.ok(Math.abs(a - b - v) <= 1e-14 * Math.max(1, Math.abs(v)));
      },
    ),
  );
});

Deno.test("softplusBackward() is σ(βx), 1 above the threshold, and matches finite differences", () => {
  const x = tensor([-30, -4, -0.5, 0, 0.5, 2, 9, 25], { dtype: "float64" });
  const dy = tensor([1, 2, 3, 4, 5, 6, 7, 8], { dtype: "float64" });
  for (const beta of [1, 2.5]) {
    assertGradient(
      (v) => softplus(v, { beta }),
      (g, v) => softplusBackward(g, v, { beta }),
      x,
      dy,
    );
  }
  const g = softplusBackward(tensor([3, 3, 3, 3]), tensor([0, 21, -Infinity, NaN])).data;
  assert.deepEqual([...g.slice(0, 3)], [1.5, 3, 0]);
  assert.ok(Number.isNaN(g[3]));
});

Deno.test("softplus() rejects bad beta and threshold with the function, option and value", () => {
  for (const beta of [0, -1, NaN, Infinity]) {
    assert.throws(() => softplus(tensor([1]), { beta }), {
      name: "RangeError",
      message: new RegExp(`softplus\\(\\) option beta ${beta}`),
    });
  }
  assert.throws(() => softplus(tensor([1]), { threshold: Infinity }), {
    name: "RangeError",
    message: /softplus\(\) option threshold Infinity/,
  });
  assert.throws(() => softplus(tensor([1]), { beta: "2" as never }), TypeError);
  assert.throws(() => softplus(tensor([1]), { lambda: 1 } as never), TypeError);
  assert.throws(() => new Softplus({ beta: -2 }), /Softplus\(\) option beta -2/);
  assert.throws(() => softplusBackward(tensor([1]), tensor([1]), { beta: 0 }), RangeError);
  assert.throws(() => softplus(tensor([1]), { out: tensor([1, 2]) }), RangeError);
  const x = tensor([0, 30]);
  assert.equal(softplus(x, { out: x, beta: 2 }), x);
  assert.deepEqual(x.toArray(), [Math.fround(Math.LN2 / 2), 30]);
});

Deno.test("Softplus module keeps its options and caches its input", () => {
  const layer = new Softplus({ beta: 2, threshold: 10 });
  assert.throws(() => layer.backward(tensor([1])), /Softplus.backward\(\) before forward/);
  assert.deepEqual(layer.forward(tensor([0, 6])).toArray(), [Math.fround(Math.LN2 / 2), 6]);
  assert.deepEqual(layer.backward(tensor([4, 4])).toArray(), [2, 4]);
});

/** How `deno task verify` checks softplus against exact values (see tests/accuracy). */
export const VERIFICATION: Case[] = verifyActivation(
  "softplus",
  () =>
    [[1, 20], [2, 20], [2, 10]].map(([beta, threshold]) => ({
      options: { beta, threshold },
      forward: {
        exact: oracle.softplus(beta, threshold),
        atInfinity: [0, Infinity],
        independent: (x) => onKernels((t) => softplus(t, { beta, threshold }), x),
      },
      backward: {
        exact: (x) => {
          const u = x.mul(oracle.fromDouble(beta));
          return u.gt(oracle.fromDouble(threshold)) ? oracle.D(1) : oracle.sigmoid(u);
        },
        atInfinity: [0, 1],
        independent: (x) => {
          const s = onKernels((t) => sigmoid(t), map(x, (a) => a * beta));
          return s.map((v, i) => (x[i] * beta > threshold ? 1 : v));
        },
      },
      cutoffs: [-1500 / beta, -700 / beta, 1 / beta, threshold / beta],
    })),
);
