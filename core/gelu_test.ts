import "./_test_utils/reference_kernels.ts";
import assert from "node:assert/strict";
import fc from "fast-check";
import {
  GELU,
  gelu,
  type GeluApproximate,
  geluBackward,
  sigmoid,
  type Tensor,
  tensor,
} from "./mod.ts";
import { assertGradient } from "./testing.ts";
import { describeWorst, worstUlp } from "./_test_utils/sweep.ts";
import { assertBesideZero } from "./_test_utils/roots.ts";
import { C, type Case, map, onKernels, sigmoids } from "../tests/accuracy/cases.ts";
import { verifyActivation } from "../tests/accuracy/register.ts";
import * as oracle from "../tests/accuracy/oracle.ts";

const FORMS: readonly GeluApproximate[] = ["none", "tanh", "sigmoid"];

/**
 * Every float32 x in the binade of 2^e with the sign of `sign` whose float64 derivative lies
 * within 2^-40 (relative) of a point halfway between two float32 numbers: the inputs where
 * rounding the double to float32 can pick the wrong side.
 */
function nearTieInputs(form: GeluApproximate, sign: 1 | -1, e: number): Float32Array {
  const n = 1 << 23, bits = new Uint32Array(n), x = new Float32Array(bits.buffer);
  const base = ((sign < 0 ? 0x80000000 : 0) | ((e + 127) << 23)) >>> 0;
  for (let i = 0; i < n; i++) bits[i] = base + i;
  const y = geluBackward(
    tensor(new Float64Array(n).fill(1), { dtype: "float64" }),
    tensor(Float64Array.from(x), { dtype: "float64" }),
    { approximate: form },
  ).data;
  const near: number[] = [];
  for (let i = 0; i < n; i++) {
    const f = Math.fround(y[i]);
    if (f === y[i]) continue;
    const g = Math.fround(y[i] + (y[i] - f));
    if (g !== f && Math.abs(y[i] - (f + g) / 2) <= 2 ** -40 * Math.abs(y[i])) near.push(x[i]);
  }
  return new Float32Array(near);
}

Deno.test("geluBackward() float32 is correctly rounded at every near-tie of the binades where the exhaustive run found misrounded results", () => {
  // The run found -9.96e-5, -1.87e-8 and 3.74e-8 (exact form; the last two for tanh as well):
  // each of their binades, whole, for every form.
  for (const form of FORMS) {
    for (const [sign, e] of [[-1, -14], [-1, -26], [1, -25]] as const) {
      const x = nearTieInputs(form, sign, e);
      assert.ok(x.length > 100, `${form} 2^${e}: ${x.length} near-ties`);
      const y = geluBackward(
        tensor(new Float32Array(x.length).fill(1), { dtype: "float32" }),
        tensor(x, { dtype: "float32" }),
        { approximate: form },
      ).data;
      const wrong: string[] = [];
      for (let i = 0; i < x.length; i++) {
        const want = oracle.roundTo(oracle.geluGrad[form](oracle.fromDouble(x[i])), "float32");
        if (y[i] !== want) wrong.push(`${x[i]} → ${y[i]} (want ${want})`);
      }
      assert.deepEqual(wrong, [], `${form}, binade ${sign < 0 ? "-" : ""}2^${e}`);
    }
  }
});

Deno.test("gelu() matches known values: gelu(-5), gelu(-10) and gelu(1)", () => {
  const [a, b, c] = gelu(tensor([-5, -10, 1], { dtype: "float64" })).toArray() as number[];
  // Exact: -1.43325785939597e-6 (PyTorch 2.13 gives -1.43325785934e-6) and -7.6198530241605e-23
  // (PyTorch gives -0).
  assert.equal(a, -1.4332578593959695e-6);
  assert.equal(b, -7.619853024160526e-23);
  assert.equal(c, 0.8413447460685429); // Φ(1) = 0.84134474606854294858…, correctly rounded
  assert.equal(gelu(tensor([-10])).data[0], Math.fround(-7.619853024160526e-23));
});

Deno.test("gelu() limits: gelu(+∞) = +∞, gelu(-∞) = -0 in every form; NaN stays NaN", () => {
  for (const approximate of FORMS) {
    for (const dtype of ["float32", "float64"] as const) {
      const y = gelu(tensor([Infinity, -Infinity, NaN, 0, -0, 1000, -1000], { dtype }), {
        approximate,
      }).data;
      assert.equal(y[0], Infinity);
      assert.ok(Object.is(y[1], -0), `${approximate} gelu(-∞) = ${y[1]}`);
      assert.ok(Number.isNaN(y[2]));
      assert.equal(y[3], 0);
      assert.ok(Object.is(y[4], -0), "gelu(-0) keeps the sign");
      assert.equal(y[5], 1000);
      assert.ok(Object.is(y[6], -0));
    }
  }
});

Deno.test("gelu() forms agree near 0 and differ in the documented way", () => {
  const x = tensor([-3, -1, 0, 1, 3], { dtype: "float64" });
  const exact = gelu(x).data, t = gelu(x, { approximate: "tanh" }).data;
  const s = gelu(x, { approximate: "sigmoid" }).data;
  for (let i = 0; i < 5; i++) {
    assert.ok(Math.abs(exact[i] - t[i]) < 1e-3, "tanh form within 1e-3");
    assert.ok(Math.abs(exact[i] - s[i]) < 0.03, "sigmoid form within 0.03");
  }
});

Deno.test("gelu() minimum is about -0.17 near x = -0.75 (property)", () => {
  fc.assert(
    fc.property(fc.double({ min: -50, max: 50, noNaN: true }), (v) => {
      const y = gelu(tensor([v], { dtype: "float64" })).data[0];
      assert.ok(y >= -0.17 && y <= Math.max(v, 0));
    }),
  );
});

for (const approximate of FORMS) {
  for (const [dtype, bound] of [["float32", 1], ["float64", 2]] as const) {
    Deno.test(`gelu({ approximate: "${approximate}" }) is within ${bound} ULP of exact in ${dtype}`, () => {
      const w = worstUlp((x) => gelu(x, { approximate }), oracle.gelu[approximate], dtype, {
        count: approximate === "none" ? 700 : 1500,
        special: (x) => (x > 0 ? Infinity : x < 0 ? -0 : NaN),
      });
      assert.ok(w.ulp <= bound, describeWorst(`gelu ${approximate}`, dtype, w));
    });
  }
}

Deno.test("geluBackward() matches finite differences for all three forms", () => {
  const x = tensor([-6, -3, -1.2, -0.4, 0, 0.4, 1.2, 3, 6], { dtype: "float64" });
  const dy = tensor([1, 2, -1, 0.5, 1, 3, -2, 1, 1], { dtype: "float64" });
  for (const approximate of FORMS) {
    assertGradient(
      (v) => gelu(v, { approximate }),
      (g, v) => geluBackward(g, v, { approximate }),
      x,
      dy,
      { message: approximate },
    );
  }
  const g = geluBackward(
    tensor([1, 1, 1], { dtype: "float64" }),
    tensor([Infinity, -Infinity, NaN], {
      dtype: "float64",
    }),
  ).data;
  assert.equal(g[0], 1);
  assert.equal(g[1], 0);
  assert.ok(Number.isNaN(g[2]));
});

Deno.test("gelu() validates approximate", () => {
  assert.throws(() => gelu(tensor([1]), { approximate: "fast" as never }), {
    name: "RangeError",
    message:
      'Cannot use gelu() option approximate "fast": expected one of "none", "tanh", "sigmoid"',
  });
  assert.throws(() => gelu(tensor([1]), { approximate: 1 as never }), { name: "TypeError" });
  assert.throws(() => new GELU({ approximate: "x" as never }), {
    name: "RangeError",
    message: /GELU\(\)/,
  });
  assert.throws(() => gelu(tensor([1]), { aproximate: "tanh" } as never), {
    name: "TypeError",
    message: /unknown option "aproximate": expected one of "approximate", "out"/,
  });
});

Deno.test("GELU module uses its form in forward and backward", () => {
  const layer = new GELU({ approximate: "sigmoid" });
  assert.throws(() => layer.backward(tensor([1])), /GELU.backward\(\) before forward/);
  const x = tensor([0.5, -2], { dtype: "float64" });
  assert.deepEqual(layer.forward(x).data, gelu(x, { approximate: "sigmoid" }).data);
  const dy = tensor([1, 1], { dtype: "float64" });
  assert.deepEqual(layer.backward(dy).data, geluBackward(dy, x, { approximate: "sigmoid" }).data);
});

Deno.test("geluBackward() keeps relative accuracy beside its zero near -0.75 (float64, all forms)", () => {
  for (const approximate of FORMS) {
    const backward = (g: Tensor, x: Tensor) => geluBackward(g, x, { approximate });
    assertBesideZero(approximate, backward, oracle.geluGrad[approximate], -0.8, -0.7);
  }
});

/** How `deno task verify` checks gelu against exact values (see tests/accuracy). */
export const VERIFICATION: Case[] = verifyActivation(
  "gelu",
  () =>
    (["none", "tanh", "sigmoid"] as const).map((approximate) => ({
      options: { approximate },
      forward: {
        exact: oracle.gelu[approximate],
        atInfinity: [-0, Infinity],
        tiny: (x) => [x / 2, (approximate === "sigmoid" ? 0.4255 : 0.3989) * x * x],
        independent: approximate === "tanh"
          ? (x) => {
            const v = map(x, (a) => 2 * C * (a + 0.044715 * a * a * a));
            const s = onKernels((t) => sigmoid(t), v);
            return map(x, (a) => a).map((a, i) => a * s[i]);
          }
          : (x) => onKernels((t) => gelu(t, { approximate }), x),
      },
      backward: {
        exact: oracle.geluGrad[approximate],
        atInfinity: [0, 1],
        independent: approximate === "none"
          ? (x) => {
            const g = onKernels((t) => gelu(t), x);
            return map(x, (a) => a).map((a, i) => {
              const phi = Math.abs(a) < 1e-300 ? 0.5 : g[i] / a;
              const xphi = a * Math.exp(-0.5 * a * a) / Math.sqrt(2 * Math.PI);
              return phi === 0 ? xphi : phi + xphi; // keeps the sign of a oracle.vanishing value
            });
          }
          : approximate === "tanh"
          ? (x) => {
            const v = map(x, (a) => 2 * C * (a + 0.044715 * a * a * a));
            const s = onKernels((t) => sigmoid(t), v);
            const n = onKernels((t) => sigmoid(t), map(v, (a) => -a));
            return map(x, (a) => a).map((a, i) =>
              s[i] * (1 + a * 2 * C * (1 + 3 * 0.044715 * a * a) * n[i])
            );
          }
          : (x) => {
            const v = map(x, (a) => 1.702 * a);
            const [s, n] = sigmoids(v);
            return v.map((a, i) => s[i] * (1 + a * n[i]));
          },
      },
      cutoffs: [-450, -40, -39.6, -37.5, -26.8, -1.77, -0.75, 0.25, 37.5, 40],
    })),
);
