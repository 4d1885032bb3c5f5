import "./_test_utils/reference_kernels.ts";
import assert from "node:assert/strict";
import fc from "fast-check";
import { Tanh, tanh, tanhBackward, tensor } from "./mod.ts";
import { assertGradient } from "./testing.ts";
import { tanh as exactTanh } from "../tests/accuracy/oracle.ts";
import { describeWorst, worstUlp } from "./_test_utils/sweep.ts";
import { float32Range, worstUlp32 } from "./_test_utils/tails.ts";
import { type Case, onKernels, sigmoids } from "../tests/accuracy/cases.ts";
import { verifyActivation } from "../tests/accuracy/register.ts";
import * as oracle from "../tests/accuracy/oracle.ts";

Deno.test("tanh() at 0, ±1000, ±∞ and NaN", () => {
  for (const dtype of ["float32", "float64"] as const) {
    const y = tanh(tensor([0, 1000, -1000, Infinity, -Infinity, NaN, -0], { dtype })).data;
    assert.deepEqual(Array.from(y.slice(0, 5)), [0, 1, -1, 1, -1]);
    assert.ok(Number.isNaN(y[5]));
    assert.ok(Object.is(y[6], -0));
  }
});

Deno.test("tanh() keeps tiny inputs: tanh(x) = x below 1e-9", () => {
  const y = tanh(tensor([1e-10, -5e-324, 1e-300], { dtype: "float64" })).data;
  assert.deepEqual(Array.from(y), [1e-10, -5e-324, 1e-300]);
});

Deno.test("tanh() is odd and bounded in [-1, 1] (property)", () => {
  fc.assert(
    fc.property(fc.double({ noNaN: true }), (v) => {
      const [a, b] = tanh(tensor([v, -v], { dtype: "float64" })).toArray() as number[];
      assert.ok(a >= -1 && a <= 1);
      assert.ok(Object.is(a, -b), `tanh(${v}) = ${a}, tanh(-x) = ${b}`);
    }),
  );
});

Deno.test("tanh() is monotonic (property)", () => {
  fc.assert(
    fc.property(fc.double({ noNaN: true }), fc.double({ noNaN: true }), (a, b) => {
      const [lo, hi] = a < b ? [a, b] : [b, a];
      const [ya, yb] = tanh(tensor([lo, hi], { dtype: "float64" })).toArray() as number[];
      assert.ok(ya <= yb);
    }),
  );
});

for (const [dtype, bound] of [["float32", 1], ["float64", 2]] as const) {
  Deno.test(`tanh() is within ${bound} ULP of exact in ${dtype}`, () => {
    const w = worstUlp(tanh, exactTanh, dtype, { special: (x) => (x > 0 ? 1 : x < 0 ? -1 : NaN) });
    assert.ok(w.ulp <= bound, describeWorst("tanh", dtype, w));
  });
}

Deno.test("tanhBackward() from the input matches finite differences", () => {
  const x = tensor([-3, -1, -0.2, 0, 0.3, 1.5, 4], { dtype: "float64" });
  const dy = tensor([1, -1, 2, 3, 0.5, 1, 2], { dtype: "float64" });
  assertGradient(tanh, tanhBackward, x, dy);
});

Deno.test("Tanh module caches its input", () => {
  const layer = new Tanh();
  assert.throws(() => layer.backward(tensor([1])), /Tanh.backward\(\) before forward/);
  layer.forward(tensor([0]));
  assert.deepEqual(layer.backward(tensor([3])).toArray(), [3]);
});

Deno.test("tanhBackward() keeps its digits where tanh rounds to ±1: every float32 in ±[8, 53]", () => {
  // From the output, 1 - y² gave 0 for every |x| past 9 (tanh'(10.74) is 1.86e-9).
  for (const sign of [1, -1]) {
    const x = float32Range(8 * sign, 53 * sign);
    const g = tanhBackward(tensor(new Float32Array(x.length).fill(1)), tensor(x)).data;
    const reference = new Float64Array(x.length);
    for (let i = 0; i < x.length; i++) {
      const e = Math.exp(-2 * Math.abs(x[i]));
      reference[i] = 4 * e / ((1 + e) * (1 + e));
    }
    const w = worstUlp32(g, reference);
    assert.ok(w.ulp <= 0.5001, `tanh'(${x[w.index]}) = ${g[w.index]}: ${w.ulp} ULP`);
  }
});

/** How `deno task verify` checks tanh against exact values (see tests/accuracy). */
export const VERIFICATION: Case[] = verifyActivation("tanh", () => [{
  forward: {
    exact: oracle.tanh,
    atInfinity: [-1, 1],
    independent: (x) => onKernels((t) => tanh(t), x),
  },
  backward: {
    exact: (x) => {
      const e = oracle.exp(x.abs().mul(-2));
      return e.mul(4).div(e.add(1).pow(2));
    },
    atInfinity: [0, 0],
    independent: (x) => {
      const [a, b] = sigmoids(x, 2);
      return a.map((v, i) => 4 * v * b[i]);
    },
  },
  cutoffs: [-25, -20, -0.55, -1e-9, 1e-9, 0.55, 20, 25, 375],
}]);
