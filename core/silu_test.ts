import "./_test_utils/reference_kernels.ts";
import assert from "node:assert/strict";
import fc from "fast-check";
import { SiLU, silu, siluBackward } from "./silu.ts";
import { tensor } from "./tensor.ts";
import { assertClose, assertGradient } from "./testing.ts";
import { describeWorst, worstUlp } from "./_test_utils/sweep.ts";
import { assertBesideZero } from "./_test_utils/roots.ts";
import {
  D,
  fromDouble,
  roundTo,
  sigmoid as exactSigmoid,
  silu as exactSilu,
} from "../tests/accuracy/oracle.ts";
import { type Case, onKernels, sigmoids } from "../tests/accuracy/cases.ts";
import { verifyActivation } from "../tests/accuracy/register.ts";
import * as oracle from "../tests/accuracy/oracle.ts";

const F32_MAX = 3.4028234663852886e38;

Deno.test("silu() matches x / (1 + e^-x) on ordinary values", () => {
  const xs = [-6, -2.5, -1, -0.25, 0.25, 1, 2.5, 6];
  assertClose(
    silu(tensor(xs, { dtype: "float64" })),
    xs.map((x) => x / (1 + Math.exp(-x))),
    { rtol: 1e-14 },
  );
  assert.deepEqual(silu(tensor([0, -0])).data, new Float32Array([0, -0]));
});

Deno.test("silu() limits at ±∞ and ±1000, NaN propagation and empty tensors", () => {
  for (const dtype of ["float32", "float64"] as const) {
    const y = silu(tensor([-Infinity, Infinity, -1000, 1000, NaN], { dtype })).data;
    assert.ok(Object.is(y[0], -0), "silu(-∞) is -0, not NaN");
    assert.equal(y[1], Infinity);
    assert.ok(Object.is(y[2], -0));
    assert.equal(y[3], 1000);
    assert.ok(Number.isNaN(y[4]));
    assert.deepEqual(silu(tensor([], { dtype })).shape, [0]);
  }
  assert.deepEqual(silu(tensor([F32_MAX, -F32_MAX])).data, new Float32Array([F32_MAX, -0]));
});

Deno.test("silu() keeps the subnormal tail: x·e^x rounded once", () => {
  const xs = [-710, -740, -745, -751];
  const y = silu(tensor(xs, { dtype: "float64" })).data;
  xs.forEach((x, i) => {
    assert.equal(y[i], roundTo(exactSilu(fromDouble(x)), "float64"), `silu(${x})`);
    assert.ok(y[i] < 0, `silu(${x}) = ${y[i]} is negative, not -0`);
  });
  const f = silu(tensor([-100, -110])).data;
  assert.ok(f[0] < 0 && f[0] > -1.1754943508222875e-38, "float32 subnormal at -100");
  assert.equal(f[1], roundTo(exactSilu(fromDouble(-110)), "float32"));
  // Subnormal inputs: silu(x) ≈ x/2.
  assert.equal(silu(tensor([-1e-310], { dtype: "float64" })).data[0], -5e-311);
});

for (const [dtype, bound] of [["float32", 1], ["float64", 2]] as const) {
  Deno.test(`silu() is within ${bound} ULP of exact in ${dtype}, tails and subnormals included`, () => {
    const w = worstUlp(silu, exactSilu, dtype, {
      special: (x) => (x > 0 ? Infinity : x < 0 ? -0 : NaN),
    });
    assert.ok(w.ulp <= bound, describeWorst("silu", dtype, w));
  });
}

Deno.test("silu() lies between min(x, 0) - 0.279 and max(x, 0), and x·σ(x) - (-x)·σ(-x) = x (property)", () => {
  fc.assert(
    fc.property(fc.double({ min: -50, max: 50, noNaN: true }), (v) => {
      const [a, b] = silu(tensor([v, -v], { dtype: "float64" })).toArray() as number[];
      assert.ok(a <= Math.max(v, 0) && a >= Math.min(v, 0) - 0.2785);
      assert.ok(Math.abs(a - b - v) <= 4e-16 * Math.max(1, Math.abs(v)), `silu(${v})`);
    }),
  );
});

Deno.test("siluBackward() matches finite differences, with limits 1 and 0 at ±∞", () => {
  const x = tensor([-30, -4, -1.3, -0.5, 0, 0.5, 2, 9], { dtype: "float64" });
  const dy = tensor([1, 2, 3, 4, 5, 6, 7, 8], { dtype: "float64" });
  assertGradient(silu, siluBackward, x, dy);
  const g = siluBackward(tensor([1, 1, 1, 1]), tensor([Infinity, -Infinity, NaN, 0])).data;
  assert.deepEqual([...g.slice(0, 2)], [1, 0]);
  assert.ok(Number.isNaN(g[2]));
  assert.equal(g[3], 0.5);
});

Deno.test("silu() validates its arguments and writes into out", () => {
  assert.throws(() => silu(5 as never), { name: "TypeError", message: /silu\(\) argument x 5/ });
  assert.throws(() => silu(tensor([1]), { beta: 1 } as never), {
    name: "TypeError",
    message: /silu\(\) with unknown option "beta"/,
  });
  assert.throws(() => silu(tensor([1, 2]), { out: tensor([0]) }), {
    name: "RangeError",
    message: /silu\(\) option out/,
  });
  assert.throws(() => siluBackward(tensor([1]), tensor([1, 2])), RangeError);
  const x = tensor([0, 1000]);
  assert.equal(silu(x, { out: x }), x);
  assert.deepEqual(x.toArray(), [0, 1000]);
});

Deno.test("SiLU module caches its input; backward before forward is an error", () => {
  const layer = new SiLU();
  assert.throws(() => layer.backward(tensor([1])), /SiLU.backward\(\) before forward/);
  assert.deepEqual(layer.forward(tensor([0, 1000])).toArray(), [0, 1000]);
  assert.deepEqual(layer.backward(tensor([2, 2])).toArray(), [1, 2]);
});

Deno.test("siluBackward() keeps relative accuracy beside its zero near -1.2785 (float64)", () => {
  const exact = (x: Parameters<typeof exactSigmoid>[0]) =>
    exactSigmoid(x).mul(D(1).add(x.mul(exactSigmoid(x.neg()))));
  assertBesideZero("silu'", siluBackward, exact, -1.3, -1.25);
});

/** How `deno task verify` checks silu against exact values (see tests/accuracy). */
export const VERIFICATION: Case[] = verifyActivation("silu", () => [{
  forward: {
    exact: oracle.silu,
    atInfinity: [-0, Infinity],
    tiny: (x) => [x / 2, x * x / 4],
    independent: (x) => onKernels((t) => silu(t), x),
  },
  backward: {
    exact: (x) =>
      x.lt(-3000)
        ? oracle.vanishing(-1)
        : oracle.sigmoid(x).mul(oracle.D(1).add(x.mul(oracle.sigmoid(x.neg())))),
    atInfinity: [0, 1],
    independent: (x) => {
      const [s, n] = sigmoids(x);
      return x.map((a, i) => s[i] * (1 + a * n[i]));
    },
  },
  cutoffs: [-1500, -745, -50, -40, -1.2785, 40, 50],
}]);
