import "./_test_utils/reference_kernels.ts";
import assert from "node:assert/strict";
import fc from "fast-check";
import { LogSigmoid, logSigmoid, logSigmoidBackward } from "./log_sigmoid.ts";
import { tensor } from "./tensor.ts";
import { assertClose, assertGradient } from "./testing.ts";
import { fromDouble, logSigmoid as exactLogSigmoid, roundTo } from "../tests/accuracy/oracle.ts";
import { describeWorst, worstUlp } from "./_test_utils/sweep.ts";
import { type Case, map, onKernels } from "../tests/accuracy/cases.ts";
import { verifyActivation } from "../tests/accuracy/register.ts";
import * as oracle from "../tests/accuracy/oracle.ts";
import { sigmoid } from "./mod.ts";

const F32_MAX = 3.4028234663852886e38;

Deno.test("logSigmoid() matches log(1 / (1 + e^-x)) on ordinary values", () => {
  const xs = [-6, -2.5, -1, -0.25, 0, 0.25, 1, 2.5, 6];
  assertClose(
    logSigmoid(tensor(xs, { dtype: "float64" })),
    xs.map((x) => Math.log(1 / (1 + Math.exp(-x)))),
    { rtol: 1e-14 },
  );
});

Deno.test("logSigmoid() is finite where σ underflows and exact where σ rounds to 1", () => {
  for (const dtype of ["float32", "float64"] as const) {
    const y = logSigmoid(tensor([-Infinity, Infinity, -1000, 1000, NaN, -0], { dtype })).data;
    assert.equal(y[0], -Infinity);
    assert.ok(Object.is(y[1], -0));
    assert.equal(y[2], -1000);
    assert.ok(y[3] <= 0 && y[3] > -1e-300);
    assert.ok(Number.isNaN(y[4]));
    assert.equal(y[5], roundTo(-Math.LN2, dtype));
    assert.deepEqual(logSigmoid(tensor([], { dtype })).shape, [0]);
  }
  assert.deepEqual(logSigmoid(tensor([F32_MAX, -F32_MAX])).data, new Float32Array([-0, -F32_MAX]));
  // -e^-x for large x, down to subnormals.
  const xs = [40, 710, 740, 745];
  const y = logSigmoid(tensor(xs, { dtype: "float64" })).data;
  xs.forEach((x, i) => assert.equal(y[i], roundTo(exactLogSigmoid(fromDouble(x)), "float64")));
  assert.ok(y[3] < 0, "logSigmoid(745) = -5e-324, not -0");
});

for (const [dtype, bound] of [["float32", 1], ["float64", 2]] as const) {
  Deno.test(`logSigmoid() is within ${bound} ULP of exact in ${dtype}, tails and subnormals included`, () => {
    const w = worstUlp(logSigmoid, exactLogSigmoid, dtype, {
      special: (x) => (x > 0 ? -0 : x < 0 ? -Infinity : NaN),
    });
    assert.ok(w.ulp <= bound, describeWorst("logSigmoid", dtype, w));
  });
}

Deno.test("logSigmoid() is negative, increasing, with logσ(x) - logσ(-x) = x (property)", () => {
  fc.assert(
    fc.property(
      fc.double({ min: -30, max: 30, noNaN: true }),
      fc.double({ min: 0, max: 5, noNaN: true }),
      (v, d) => {
        const [a, b, c] = logSigmoid(tensor([v, -v, v + d], { dtype: "float64" }))
          .toArray() as number[];
        assert.ok(a <= 0 && a <= c);
        assert.ok(Math.abs(a - b - v) <= 1e-14 * Math.max(1, Math.abs(v)));
      },
    ),
  );
});

Deno.test("logSigmoidBackward() is σ(-x) and matches finite differences", () => {
  const x = tensor([-30, -4, -0.5, 0, 0.5, 2, 9, 40], { dtype: "float64" });
  const dy = tensor([1, 2, 3, 4, 5, 6, 7, 8], { dtype: "float64" });
  assertGradient(logSigmoid, logSigmoidBackward, x, dy);
  const g = logSigmoidBackward(
    tensor([1, 1, 1], { dtype: "float64" }),
    tensor([Infinity, 40, NaN], {
      dtype: "float64",
    }),
  ).data;
  assert.equal(g[0], 0);
  assert.ok(Math.abs(g[1] - Math.exp(-40)) < 1e-30, "σ(-40) without cancellation");
  assert.ok(Number.isNaN(g[2]));
});

Deno.test("logSigmoid() validates its arguments and writes into out", () => {
  assert.throws(() => logSigmoid(null as never), {
    name: "TypeError",
    message: /logSigmoid\(\) argument x null/,
  });
  assert.throws(() => logSigmoid(tensor([1]), 3 as never), TypeError);
  assert.throws(() => logSigmoid(tensor([1]), { out: tensor([0, 0]) }), RangeError);
  assert.throws(() => logSigmoidBackward(tensor([1]), tensor([1, 2])), RangeError);
  const x = tensor([-1000, 0]);
  assert.equal(logSigmoid(x, { out: x }), x);
  assert.deepEqual(x.toArray(), [-1000, Math.fround(-Math.LN2)]);
});

Deno.test("LogSigmoid module caches its input; backward before forward is an error", () => {
  const layer = new LogSigmoid();
  assert.throws(() => layer.backward(tensor([1])), /LogSigmoid.backward\(\) before forward/);
  assert.deepEqual(layer.forward(tensor([-1000, 0])).toArray(), [-1000, Math.fround(-Math.LN2)]);
  assert.deepEqual(layer.backward(tensor([2, 2])).toArray(), [2, 1]);
});

/** How `deno task verify` checks logSigmoid against exact values (see tests/accuracy). */
export const VERIFICATION: Case[] = verifyActivation("logSigmoid", () => [{
  forward: {
    exact: oracle.logSigmoid,
    atInfinity: [-Infinity, -0],
    independent: (x) =>
      map(x, (a) => (a < 0 ? a - Math.log1p(Math.exp(a)) : -Math.log1p(Math.exp(-a)))),
  },
  backward: {
    exact: (x) => oracle.sigmoid(x.neg()),
    atInfinity: [1, 0],
    independent: (x) => onKernels((t) => sigmoid(t), map(x, (a) => -a)),
  },
  cutoffs: [-700, 1, 700, 1500],
}]);
