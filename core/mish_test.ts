import "./_test_utils/reference_kernels.ts";
import assert from "node:assert/strict";
import fc from "fast-check";
import { Mish, mish, mishBackward } from "./mish.ts";
import { tensor } from "./tensor.ts";
import { assertClose, assertGradient } from "./testing.ts";
import { describeWorst, worstUlp } from "./_test_utils/sweep.ts";
import { assertBesideZero } from "./_test_utils/roots.ts";
import { fromDouble, mish as exactMish, mishGrad, roundTo } from "../tests/accuracy/oracle.ts";
import { type Case, map, onKernels } from "../tests/accuracy/cases.ts";
import { verifyActivation } from "../tests/accuracy/register.ts";
import * as oracle from "../tests/accuracy/oracle.ts";

const F32_MAX = 3.4028234663852886e38;

Deno.test("mish() matches x·tanh(log(1 + e^x)) on ordinary values", () => {
  const xs = [-6, -2.5, -1, -0.25, 0.25, 1, 2.5, 6];
  assertClose(
    mish(tensor(xs, { dtype: "float64" })),
    xs.map((x) => x * Math.tanh(Math.log1p(Math.exp(x)))),
    { rtol: 1e-14 },
  );
  assert.deepEqual(mish(tensor([0, -0])).data, new Float32Array([0, -0]));
});

Deno.test("mish() limits at ±∞ and ±1000, NaN propagation and empty tensors", () => {
  for (const dtype of ["float32", "float64"] as const) {
    const y = mish(tensor([-Infinity, Infinity, -1000, 1000, NaN], { dtype })).data;
    assert.ok(Object.is(y[0], -0), "mish(-∞) is -0, not NaN");
    assert.equal(y[1], Infinity);
    assert.ok(Object.is(y[2], -0));
    assert.equal(y[3], 1000);
    assert.ok(Number.isNaN(y[4]));
    assert.deepEqual(mish(tensor([], { dtype })).shape, [0]);
  }
  assert.deepEqual(mish(tensor([F32_MAX, -F32_MAX])).data, new Float32Array([F32_MAX, -0]));
});

Deno.test("mish() keeps the subnormal tail: x·e^x rounded once", () => {
  const xs = [-50, -710, -740, -745, -751];
  const y = mish(tensor(xs, { dtype: "float64" })).data;
  xs.forEach((x, i) => {
    assert.equal(y[i], roundTo(exactMish(fromDouble(x)), "float64"), `mish(${x})`);
    assert.ok(y[i] < 0, `mish(${x}) = ${y[i]} is negative, not -0`);
  });
  const f = mish(tensor([-100, -110])).data;
  assert.ok(f[0] < 0 && f[0] > -1.1754943508222875e-38, "float32 subnormal at -100");
  assert.equal(f[1], roundTo(exactMish(fromDouble(-110)), "float32"));
});

for (const [dtype, bound] of [["float32", 1], ["float64", 2]] as const) {
  Deno.test(`mish() is within ${bound} ULP of exact in ${dtype}, tails and subnormals included`, () => {
    const w = worstUlp(mish, exactMish, dtype, {
      special: (x) => (x > 0 ? Infinity : x < 0 ? -0 : NaN),
    });
    assert.ok(w.ulp <= bound, describeWorst("mish", dtype, w));
  });
}

Deno.test("mish() lies between min(x, 0) - 0.31 and max(x, 0), above silu for x > 0 (property)", () => {
  fc.assert(
    fc.property(fc.double({ min: -800, max: 800, noNaN: true }), (v) => {
      const [a] = mish(tensor([v], { dtype: "float64" })).toArray() as number[];
      assert.ok(a <= Math.max(v, 0) && a >= Math.min(v, 0) - 0.3089, `mish(${v}) = ${a}`);
      if (v > 0) assert.ok(a >= v / (1 + Math.exp(-v)) * (1 - 1e-15));
    }),
  );
});

Deno.test("mishBackward() matches finite differences, with limits 1 and 0 at ±∞", () => {
  const x = tensor([-30, -4, -1.2, -0.5, 0, 0.5, 2, 9, 45], { dtype: "float64" });
  const dy = tensor([1, 2, 3, 4, 5, 6, 7, 8, 9], { dtype: "float64" });
  assertGradient(mish, mishBackward, x, dy);
  const g = mishBackward(tensor([1, 1, 1, 1]), tensor([Infinity, -Infinity, NaN, -1000])).data;
  assert.deepEqual([...g.slice(0, 2)], [1, 0]);
  assert.ok(Number.isNaN(g[2]));
  assert.ok(Object.is(g[3], -0), "e^-1000·(1 - 1000) rounds to -0");
});

Deno.test("mish() validates its arguments and writes into out", () => {
  assert.throws(() => mish([1] as never), { name: "TypeError", message: /mish\(\) argument x/ });
  assert.throws(() => mish(tensor([1]), { dim: 0 } as never), {
    name: "TypeError",
    message: /mish\(\) with unknown option "dim"/,
  });
  assert.throws(() => mish(tensor([1]), { out: tensor([0], { dtype: "float64" }) }), RangeError);
  assert.throws(() => mishBackward(tensor([1]), tensor([1, 2])), RangeError);
  const x = tensor([0, 1000]);
  assert.equal(mish(x, { out: x }), x);
  assert.deepEqual(x.toArray(), [0, 1000]);
});

Deno.test("Mish module caches its input; backward before forward is an error", () => {
  const layer = new Mish();
  assert.throws(() => layer.backward(tensor([1])), /Mish.backward\(\) before forward/);
  assert.deepEqual(layer.forward(tensor([0, 1000])).toArray(), [0, 1000]);
  assert.deepEqual(layer.backward(tensor([5, 2])).toArray(), [3, 2]);
});

Deno.test("mishBackward() keeps relative accuracy beside its zero near -1.1924 (float64)", () => {
  assertBesideZero("mish'", mishBackward, mishGrad, -1.25, -1.15);
});

/** How `deno task verify` checks mish against exact values (see tests/accuracy). */
export const VERIFICATION: Case[] = verifyActivation("mish", () => [{
  forward: {
    exact: oracle.mish,
    atInfinity: [-0, Infinity],
    independent: (x) => onKernels((t) => mish(t), x),
  },
  backward: {
    exact: oracle.mishGrad,
    atInfinity: [0, 1],
    independent: (x) =>
      map(x, (a) => {
        if (a < -40) return (1 + a) * Math.exp(a); // keeps the sign where it underflows
        if (a < 0) {
          const e = Math.exp(a), n = e * (e + 2), d = n + 2;
          return (n * d + 4 * a * e * (1 + e)) / (d * d);
        }
        const t = Math.exp(-a), n = 1 + 2 * t, d = n + 2 * t * t;
        return (n * d + 4 * a * t * t * (1 + t)) / (d * d);
      }),
  },
  cutoffs: [-745, -40, -1.1924, 0, 40],
}]);
