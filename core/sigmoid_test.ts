import "./_test_utils/reference_kernels.ts";
import assert from "node:assert/strict";
import fc from "fast-check";
import { Sigmoid, sigmoid, sigmoidBackward, tensor } from "./mod.ts";
import { assertClose, assertGradient } from "./testing.ts";
import { fromDouble, roundTo, sigmoid as exactSigmoid } from "../tests/accuracy/oracle.ts";
import { describeWorst, worstUlp } from "./_test_utils/sweep.ts";
import { float32Range, worstUlp32 } from "./_test_utils/tails.ts";
import { type Case, onKernels, sigmoids } from "../tests/accuracy/cases.ts";
import { verifyActivation } from "../tests/accuracy/register.ts";
import * as oracle from "../tests/accuracy/oracle.ts";

Deno.test("sigmoid(0) is exactly 0.5", () => {
  assert.equal(sigmoid(tensor([0])).data[0], 0.5);
  assert.equal(sigmoid(tensor([-0], { dtype: "float64" })).data[0], 0.5);
});

Deno.test("sigmoid() at ±1000 is exactly 0 and 1, without overflow", () => {
  for (const dtype of ["float32", "float64"] as const) {
    assert.deepEqual(sigmoid(tensor([-1000, 1000], { dtype })).toArray(), [0, 1]);
  }
});

Deno.test("sigmoid() limits at ±∞, NaN propagation and the subnormal tail", () => {
  const y =
    sigmoid(tensor([-Infinity, Infinity, NaN, -710, -744.5, -745.2], { dtype: "float64" })).data;
  assert.equal(y[0], 0);
  assert.equal(y[1], 1);
  assert.ok(Number.isNaN(y[2]));
  assert.ok(y[3] > 0 && y[3] < 2.2250738585072014e-308, `sigmoid(-710) = ${y[3]} is subnormal`);
  assertClose([y[3]], [4.47628622567513e-309], { rtol: 1e-13, atol: 0 });
  assert.equal(y[4], 5e-324);
  assert.equal(y[5], 0, "σ(-745.2) = 2.3e-324 rounds to 0");
  // float32's subnormals begin near -87.3.
  const f = sigmoid(tensor([-90, -103.5])).data;
  assert.ok(f[0] > 0 && f[0] < 1.1754943508222875e-38);
  assert.equal(f[1], 1.401298464324817e-45);
});

Deno.test("sigmoid() stays in [0, 1], with σ(-x) = 1 - σ(x) (property)", () => {
  fc.assert(
    fc.property(fc.double({ min: -40, max: 40, noNaN: true }), (v) => {
      const [a, b] = sigmoid(tensor([v, -v], { dtype: "float64" })).toArray() as number[];
      assert.ok(a >= 0 && a <= 1);
      assert.ok(Math.abs(a - (1 - b)) <= 2 ** -52, `σ(${v}) = ${a}, 1 - σ(-x) = ${1 - b}`);
    }),
  );
});

Deno.test("sigmoid() is monotonic (property)", () => {
  fc.assert(
    fc.property(fc.double({ noNaN: true }), fc.double({ noNaN: true }), (a, b) => {
      const [lo, hi] = a < b ? [a, b] : [b, a];
      const [ya, yb] = sigmoid(tensor([lo, hi], { dtype: "float64" })).toArray() as number[];
      assert.ok(ya <= yb);
    }),
  );
});

for (const [dtype, bound] of [["float32", 1], ["float64", 2]] as const) {
  Deno.test(`sigmoid() is within ${bound} ULP of exact in ${dtype}, tails and subnormals included`, () => {
    const w = worstUlp(sigmoid, exactSigmoid, dtype, {
      special: (x) => (x > 0 ? 1 : x < 0 ? 0 : NaN),
    });
    assert.ok(w.ulp <= bound, describeWorst("sigmoid", dtype, w));
  });
}

Deno.test("sigmoidBackward() from the input matches finite differences", () => {
  const x = tensor([-8, -2, -0.5, 0, 0.5, 2, 8], { dtype: "float64" });
  const dy = tensor([1, 2, 3, 4, 5, 6, 7], { dtype: "float64" });
  assertGradient(sigmoid, sigmoidBackward, x, dy);
  assert.deepEqual(sigmoidBackward(tensor([1]), tensor([0])).toArray(), [0.25]);
});

Deno.test("Sigmoid module caches its input", () => {
  const layer = new Sigmoid();
  assert.throws(() => layer.backward(tensor([1])), /Sigmoid.backward\(\) before forward/);
  const y = layer.forward(tensor([0, 2], { dtype: "float64" }));
  const g = layer.backward(tensor([1, 1], { dtype: "float64" })).data;
  assert.equal(g[0], 0.25);
  assert.ok(Math.abs(g[1] - y.data[1] * (1 - y.data[1])) < 1e-16);
  // The tail keeps its digits: σ'(40) = e^-40(1 - 2e^-40 …), where y(1 - y) gives 0.
  layer.forward(tensor([40], { dtype: "float64" }));
  const [tail] = layer.backward(tensor([1], { dtype: "float64" })).data;
  assert.ok(Math.abs(tail / Math.exp(-40) - 1) < 1e-15);
  assert.throws(() => sigmoid(5 as never), {
    name: "TypeError",
    message: /sigmoid\(\) argument x 5/,
  });
});

Deno.test("sigmoidBackward() keeps its digits where σ rounds to 1: every float32 in [16, 104]", () => {
  // From the output, y(1 - y) gave 0 for every x past 16.6 (σ'(21.49) is 4.66e-10).
  const x = float32Range(16, 104);
  const g = sigmoidBackward(tensor(new Float32Array(x.length).fill(1)), tensor(x)).data;
  const reference = x.map((v) => {
    const e = Math.exp(-v);
    return e / ((1 + e) * (1 + e)); // no cancellation: a few float64 ULPs at most
  });
  const w = worstUlp32(g, new Float64Array(reference));
  assert.ok(w.ulp <= 0.5001, `σ'(${x[w.index]}) = ${g[w.index]}: ${w.ulp} ULP`);
});

Deno.test("sigmoid() float32 is correctly rounded at the float32 ties beside 0.5", () => {
  // σ(x) = 1/2 + x/4 - x³/48: at x = (2j + 1)·2^-23 (or 2^-24 below 0), x/4 is exactly halfway
  // between two float32 numbers and only the x³ term, lost in float64, says which way to round.
  // The exhaustive run found 76 such inputs rounded the wrong way.
  const xs: number[] = [];
  for (let j = 0; j < 1024; j++) {
    for (const [sign, e] of [[1, -23], [-1, -24], [1, -24], [-1, -25]]) {
      xs.push(sign * (2 * j + 1) * 2 ** e);
    }
  }
  const x = new Float32Array(xs);
  const y = sigmoid(tensor(x)).data;
  for (let i = 0; i < x.length; i++) {
    assert.equal(y[i], roundTo(exactSigmoid(fromDouble(x[i])), "float32"), `sigmoid(${x[i]})`);
  }
});

/** How `deno task verify` checks sigmoid against exact values (see tests/accuracy). */
export const VERIFICATION: Case[] = verifyActivation("sigmoid", () => [{
  forward: {
    exact: oracle.sigmoid,
    atInfinity: [0, 1],
    independent: (x) => onKernels((t) => sigmoid(t), x),
  },
  backward: {
    exact: (x) => oracle.sigmoid(x).mul(oracle.sigmoid(x.neg())),
    atInfinity: [0, 0],
    independent: (x) => {
      const [a, b] = sigmoids(x);
      return a.map((v, i) => v * b[i]);
    },
  },
  cutoffs: [-1500, -745, -709, -50, -40, 40, 50, 710],
}]);
