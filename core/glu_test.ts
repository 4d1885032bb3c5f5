import "./_test_utils/reference_kernels.ts";
import assert from "node:assert/strict";
import fc from "fast-check";
import { GLU, glu, gluBackward } from "./glu.ts";
import { tensor } from "./tensor.ts";
import { assertClose, assertGradient } from "./testing.ts";
import { sweepInputs } from "./_test_utils/sweep.ts";
import { fromDouble, glu as exactGlu, roundTo, ulpDistance } from "../tests/accuracy/oracle.ts";

Deno.test("glu() gates the first half by σ of the second, along the last dim by default", () => {
  const x = tensor([[1, -2, 0, 3], [4, 5, -1, 2]], { dtype: "float64" });
  const s = (v: number) => 1 / (1 + Math.exp(-v));
  assertClose(glu(x), [[1 * s(0), -2 * s(3)], [4 * s(-1), 5 * s(2)]], { rtol: 1e-15 });
  assertClose(glu(x, { dim: 0 }), [[1 * s(4), -2 * s(5), 0, 3 * s(2)]], { rtol: 1e-15 });
  assertClose(glu(x, { dim: -2 }), glu(x, { dim: 0 }), { rtol: 0, atol: 0 });
});

Deno.test("glu() halves the split dimension of higher-rank tensors", () => {
  const data = Array.from({ length: 2 * 4 * 3 }, (_, i) => i / 10 - 1);
  const x = tensor(data, { shape: [2, 4, 3], dtype: "float64" });
  const y = glu(x, { dim: 1 });
  assert.deepEqual(y.shape, [2, 2, 3]);
  for (let n = 0; n < 2; n++) {
    for (let c = 0; c < 2; c++) {
      for (let w = 0; w < 3; w++) {
        const a = data[n * 12 + c * 3 + w], b = data[n * 12 + (c + 2) * 3 + w];
        const got = y.data[n * 6 + c * 3 + w];
        assert.ok(Math.abs(got - a / (1 + Math.exp(-b))) < 1e-15, `[${n}, ${c}, ${w}]`);
      }
    }
  }
  assert.deepEqual(glu(tensor([], { shape: [0, 4] })).shape, [0, 2]);
  assert.deepEqual(glu(tensor([], { shape: [3, 0] })).shape, [3, 0]);
});

Deno.test("glu() at the extremes: ±∞, NaN, the float max and subnormal products", () => {
  const y = glu(
    tensor([[Infinity, 1, 1, NaN, 0, 2], [1000, Infinity, -Infinity, 0, -Infinity, 1000]], {
      dtype: "float64",
    }).reshape([2, 6]),
    { dim: 0 },
  ).data;
  assert.deepEqual([...y.slice(0, 3)], [Infinity, 1, 0]);
  assert.ok(Number.isNaN(y[3]));
  assert.ok(Object.is(y[4], 0));
  assert.equal(y[5], 2);
  assert.ok(Number.isNaN(glu(tensor([Infinity, -Infinity])).data[0]), "∞·σ(-∞) is NaN");
  // a·σ(b) where σ(b) alone is subnormal or 0 but the product is not.
  const max = Number.MAX_VALUE;
  const pairs = [[max, -1000], [max, -1300], [max, -745], [max, 5], [-max, -50], [1e-300, -30], [
    3,
    -745,
  ], [5e-324, 3]];
  const x = tensor(pairs.flat(), { shape: [pairs.length, 2], dtype: "float64" });
  const got = glu(x).data;
  pairs.forEach(([a, b], i) => {
    const want = roundTo(exactGlu(fromDouble(a), fromDouble(b)), "float64");
    assert.ok(
      ulpDistance(got[i], want, "float64") <= 1,
      `glu(${a}, ${b}) = ${got[i]}, not ${want}`,
    );
  });
});

for (const [dtype, bound] of [["float32", 1], ["float64", 2]] as const) {
  Deno.test(`glu() is within ${bound} ULP of exact in ${dtype} on swept pairs`, () => {
    const a = sweepInputs(dtype, 700, 3), b = sweepInputs(dtype, 700, 11).reverse();
    const y = glu(tensor([...a, ...b], { shape: [2, a.length], dtype }), { dim: 0 }).data;
    let worst = 0, at = "";
    for (let i = 0; i < a.length; i++) {
      const want = roundTo(exactGlu(fromDouble(a[i]), fromDouble(b[i])), dtype);
      const d = ulpDistance(y[i], want, dtype);
      if (d > worst) [worst, at] = [d, `glu(${a[i]}, ${b[i]}) = ${y[i]}, exact ${want}`];
    }
    assert.ok(worst <= bound, `${worst} ULP at ${at}`);
  });
}

Deno.test("glu() keeps the sign of a product that rounds to zero", () => {
  // Found by the property below: σ(b) just under 1/2 times ±5e-324 rounds to ±0, and the
  // division's correction used to cancel -5e-324 into +0.
  const b = -1.665334536937735e-16;
  const [p, q] = glu(tensor([[5e-324, b], [-5e-324, b]], { dtype: "float64" })).data;
  assert.ok(Object.is(p, 0));
  assert.ok(Object.is(q, -0));
});

Deno.test("glu() is bounded by |a| and odd in a (property)", () => {
  fc.assert(
    fc.property(
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.double({ noNaN: true }),
      (a, b) => {
        const [p, q] = glu(tensor([[a, b], [-a, b]], { dtype: "float64" })).data;
        assert.ok(Math.abs(p) <= Math.abs(a));
        assert.ok(Object.is(q, -p));
      },
    ),
  );
});

Deno.test("gluBackward() returns the gradient for the whole input and matches finite differences", () => {
  const x = tensor([[1.5, -2, 0.3, -0.7, 3, 0], [0.5, 4, -2.5, 1, -1, 2]], { dtype: "float64" });
  for (const dim of [-1, 0]) {
    const n = glu(x, { dim });
    const dy = tensor(Array.from({ length: n.size }, (_, i) => i + 1), {
      shape: n.shape,
      dtype: "float64",
    });
    assertGradient((v) => glu(v, { dim }), (g, v) => gluBackward(g, v, { dim }), x, dy);
    assert.deepEqual(gluBackward(dy, x, { dim }).shape, [2, 6]);
  }
  assert.deepEqual(gluBackward(tensor([4]), tensor([3, 0])).toArray(), [2, 3]);
});

Deno.test("glu() rejects odd sizes, scalars, bad dims and mismatched out or gradOutput", () => {
  assert.throws(() => glu(tensor([[1, 2, 3]])), {
    name: "RangeError",
    message: /glu\(\) argument x of shape \[1, 3\] in halves along dim -1: its size 3 is odd/,
  });
  assert.throws(() => glu(tensor([[1, 2]]), { dim: 0 }), /size 1 is odd/);
  assert.throws(() => glu(tensor(1)), { name: "RangeError", message: /shape \[\]/ });
  assert.throws(() => glu(tensor([1, 2]), { dim: 1 }), {
    name: "RangeError",
    message: /glu\(\) option dim 1/,
  });
  assert.throws(() => glu(tensor([1, 2]), { dim: 0.5 }), RangeError);
  assert.throws(() => glu(tensor([1, 2]), { dim: "0" as never }), TypeError);
  assert.throws(() => glu(tensor([1, 2]), { axis: 0 } as never), TypeError);
  assert.throws(() => glu(tensor([1, 2]), { out: tensor([1, 2]) }), {
    name: "RangeError",
    message: /glu\(\) option out of float32 shape \[2\]: expected float32 shape \[1\]/,
  });
  assert.throws(() => gluBackward(tensor([1, 2]), tensor([1, 2])), {
    name: "RangeError",
    message: /gluBackward\(\) argument gradOutput of shape \[2\]: expected \[1\]/,
  });
  assert.throws(() => new GLU({ dim: 1.5 }), RangeError);
  const out = tensor([0]);
  assert.equal(glu(tensor([2, 0]), { out }), out);
  assert.deepEqual(out.toArray(), [1]);
});

Deno.test("GLU module caches its input; backward before forward is an error", () => {
  const layer = new GLU({ dim: 0 });
  assert.throws(() => layer.backward(tensor([1])), /GLU.backward\(\) before forward/);
  assert.deepEqual(layer.forward(tensor([[2], [0]])).toArray(), [[1]]);
  assert.deepEqual(layer.backward(tensor([[1]])).toArray(), [[0.5], [0.5]]);
});
