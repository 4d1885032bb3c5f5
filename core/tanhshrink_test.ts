import "./_test_utils/reference_kernels.ts";
import assert from "node:assert/strict";
import fc from "fast-check";
import { Tanhshrink, tanhshrink, tanhshrinkBackward } from "./tanhshrink.ts";
import { tensor } from "./tensor.ts";
import { assertClose, assertGradient } from "./testing.ts";
import { fromDouble, roundTo, tanhshrink as exactTanhshrink } from "../tests/accuracy/oracle.ts";
import { describeWorst, worstUlp } from "./_test_utils/sweep.ts";
import { type Case, onKernels } from "../tests/accuracy/cases.ts";
import { verifyActivation } from "../tests/accuracy/register.ts";
import * as oracle from "../tests/accuracy/oracle.ts";
import type { Decimal } from "decimal.js";
import { tanh } from "./mod.ts";

const F32_MAX = 3.4028234663852886e38;

Deno.test("tanhshrink() matches x - tanh(x) where that does not cancel", () => {
  const xs = [-6, -2.5, 2.5, 6, 40];
  assertClose(tanhshrink(tensor(xs, { dtype: "float64" })), xs.map((x) => x - Math.tanh(x)), {
    rtol: 1e-15,
  });
});

Deno.test("tanhshrink() near 0 is x³/3, where x - tanh(x) loses every digit", () => {
  const xs = [1e-9, -1e-5, 1e-3, 0.1, -0.5, 0.99, 1, 1.01];
  const y = tanhshrink(tensor(xs, { dtype: "float64" })).data;
  xs.forEach((x, i) => {
    const want = roundTo(exactTanhshrink(fromDouble(x)), "float64");
    assert.ok(Math.abs(y[i] - want) <= 2 * 2 ** -52 * Math.abs(want), `tanhshrink(${x})`);
  });
  assert.ok(Math.abs(y[0] / (1e-27 / 3) - 1) < 1e-15, "x³/3 where x - tanh(x) gives 0");
});

Deno.test("tanhshrink() at ±∞, ±1000, NaN, ±0, subnormals and empty tensors", () => {
  for (const dtype of ["float32", "float64"] as const) {
    const y = tanhshrink(tensor([-Infinity, Infinity, -1000, 1000, NaN, -0, 0], { dtype })).data;
    assert.deepEqual([...y.slice(0, 4)], [-Infinity, Infinity, -999, 999]);
    assert.ok(Number.isNaN(y[4]));
    assert.ok(Object.is(y[5], -0) && Object.is(y[6], 0));
    assert.deepEqual(tanhshrink(tensor([], { dtype })).shape, [0]);
  }
  assert.deepEqual(
    tanhshrink(tensor([F32_MAX, -F32_MAX])).data,
    new Float32Array([F32_MAX, -F32_MAX]),
  );
  const tiny = tanhshrink(tensor([1e-103, -5e-324], { dtype: "float64" })).data;
  assert.equal(tiny[0], roundTo(exactTanhshrink(fromDouble(1e-103)), "float64"), "subnormal x³/3");
  assert.ok(Object.is(tiny[1], -0), "-(5e-324)³/3 rounds to -0");
});

for (const [dtype, bound] of [["float32", 1], ["float64", 2]] as const) {
  Deno.test(`tanhshrink() is within ${bound} ULP of exact in ${dtype}, including near 0`, () => {
    const inputs: number[] = [];
    for (let i = 0; i <= 400; i++) inputs.push(roundTo(-3 + i * 0.015 + 1e-7, dtype));
    const w = worstUlp(tanhshrink, exactTanhshrink, dtype, {
      special: (x) => x,
    });
    const near = worstUlp(tanhshrink, exactTanhshrink, dtype, { inputs });
    assert.ok(w.ulp <= bound, describeWorst("tanhshrink", dtype, w));
    assert.ok(near.ulp <= bound, describeWorst("tanhshrink", dtype, near));
  });
}

Deno.test("tanhshrink() is odd, increasing and |tanhshrink(x)| < |x| (property)", () => {
  fc.assert(
    fc.property(
      fc.double({ min: -50, max: 50, noNaN: true }),
      fc.double({ min: 0, max: 3, noNaN: true }),
      (v, d) => {
        const [a, b, c] = tanhshrink(tensor([v, -v, v + d], { dtype: "float64" }))
          .toArray() as number[];
        assert.ok(Object.is(b, -a));
        assert.ok(a <= c, `tanhshrink(${v}) = ${a} > tanhshrink(${v + d}) = ${c}`);
        assert.ok(Math.abs(a) <= Math.abs(v));
      },
    ),
  );
});

Deno.test("tanhshrinkBackward() is tanh²(x) and matches finite differences", () => {
  const x = tensor([-30, -4, -0.5, 0.1, 0.5, 1, 2, 9], { dtype: "float64" });
  const dy = tensor([1, 2, 3, 4, 5, 6, 7, 8], { dtype: "float64" });
  assertGradient(tanhshrink, tanhshrinkBackward, x, dy);
  const g = tanhshrinkBackward(tensor([2, 2, 2]), tensor([0, -Infinity, NaN])).data;
  assert.deepEqual([...g.slice(0, 2)], [0, 2]);
  assert.ok(Number.isNaN(g[2]));
});

Deno.test("tanhshrink() validates its arguments and writes into out", () => {
  assert.throws(() => tanhshrink({} as never), {
    name: "TypeError",
    message: /tanhshrink\(\) argument x/,
  });
  assert.throws(() => tanhshrink(tensor([1]), { lambd: 1 } as never), TypeError);
  assert.throws(
    () => tanhshrink(tensor([1]), { out: tensor([1], { dtype: "float64" }) }),
    RangeError,
  );
  assert.throws(() => tanhshrinkBackward(tensor([1]), tensor([1, 2])), RangeError);
  const x = tensor([0, 1000]);
  assert.equal(tanhshrink(x, { out: x }), x);
  assert.deepEqual(x.toArray(), [0, 999]);
});

Deno.test("Tanhshrink module caches its input; backward before forward is an error", () => {
  const layer = new Tanhshrink();
  assert.throws(() => layer.backward(tensor([1])), /Tanhshrink.backward\(\) before forward/);
  assert.deepEqual(layer.forward(tensor([0, 1000])).toArray(), [0, 999]);
  assert.deepEqual(layer.backward(tensor([5, 5])).toArray(), [0, 5]);
});

/** How `deno task verify` checks tanhshrink against exact values (see tests/accuracy). */
export const VERIFICATION: Case[] = verifyActivation("tanhshrink", () => [{
  forward: {
    exact: oracle.tanhshrink,
    atInfinity: [-Infinity, Infinity],
    independent: (x) => {
      const t = onKernels((v) => tanh(v), x);
      return x.map((a, i) => (Math.abs(a) < 0.5 ? tanhshrinkSeries(a) : a - t[i]));
    },
  },
  backward: {
    exact: (x) => oracle.tanh(x).pow(2),
    atInfinity: [1, 1],
    evenAtZero: true,
    independent: (x) => onKernels((v) => tanh(v), x).map((t) => t * t),
  },
  cutoffs: [2 ** -26, 0.55, 20, 40],
}]);

/**
 * The coefficients of x - tanh(x) = Σ c_k x^(2k+1), from tanh' = 1 - tanh²: with
 * tanh = Σ a_k x^(2k+1), (2k + 1)·a_k = -Σ_{i+j=k-1} a_i·a_j.
 */
const TANH_COEFFICIENTS: number[] = (() => {
  const a: Decimal[] = [oracle.D(1)];
  for (let k = 1; k < 40; k++) {
    let s = oracle.D(0);
    for (let i = 0; i <= k - 1; i++) s = s.add(a[i].mul(a[k - 1 - i]));
    a.push(s.neg().div(2 * k + 1));
  }
  return a.map((v) => v.toNumber());
})();

/** x - tanh(x) for |x| < 0.5 by its series (terms shrink by about x²/2.5 each). */
function tanhshrinkSeries(x: number): number {
  const x2 = x * x;
  let s = 0;
  for (let k = TANH_COEFFICIENTS.length - 1; k >= 1; k--) s = s * x2 - TANH_COEFFICIENTS[k];
  return x * x2 * s;
}
