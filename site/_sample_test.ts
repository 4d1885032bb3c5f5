import assert from "node:assert/strict";
import { ACTIVATIONS } from "@nonlin/core";
import {
  cleanOptions,
  defaultOptions,
  evaluateAt,
  findActivation,
  linspace,
  sampleActivation,
} from "./_sample.ts";

Deno.test("linspace() includes both ends exactly", () => {
  assert.deepEqual(linspace(-1, 1, 5), [-1, -0.5, 0, 0.5, 1]);
  assert.throws(() => linspace(0, 1, 1), RangeError);
});

Deno.test("sampleActivation() gives f and f' of every registry entry on a grid", () => {
  for (const info of ACTIVATIONS) {
    const s = sampleActivation(info, { from: -3, to: 3, count: 7, options: defaultOptions(info) });
    assert.equal(s.x.length, 7, info.name);
    assert.equal(s.f.length, 7, info.name);
    assert.equal(s.df.length, 7, info.name);
    assert.ok(s.f.some(Number.isFinite), info.name);
  }
});

Deno.test("evaluateAt() reads relu and its derivative from the library", () => {
  const relu = findActivation(ACTIVATIONS, "relu")!;
  assert.deepEqual(evaluateAt(relu, [-2, 3]), { f: [0, 3], df: [0, 1] });
});

Deno.test("evaluateAt() views a reduction through the vector [x, 0]", () => {
  const softmax = findActivation(ACTIVATIONS, "softmax");
  if (!softmax) return;
  const { f, df } = evaluateAt(softmax, [0]);
  // softmax([x, 0])₀ is the logistic sigmoid: 1/2 with slope 1/4 at 0.
  assert.ok(Math.abs(f[0] - 0.5) < 1e-12);
  assert.ok(Math.abs(df[0] - 0.25) < 1e-12);
});

Deno.test("cleanOptions() drops fields left empty", () => {
  assert.deepEqual(cleanOptions({ a: undefined, b: 1 }), { b: 1 });
});

Deno.test("sampleActivation() draws PReLU with several slopes through channel 0", () => {
  const prelu = findActivation(ACTIVATIONS, "prelu")!;
  const s = sampleActivation(prelu, {
    from: -2,
    to: 2,
    count: 3,
    options: { numParameters: 3, init: 0.5 },
  });
  assert.deepEqual(s.f, [-1, 0, 2]);
  assert.deepEqual(s.df, [0.5, 0.5, 1]);
});

Deno.test("defaultOptions() starts required options at a value: Threshold's at 0", () => {
  assert.deepEqual(defaultOptions(findActivation(ACTIVATIONS, "threshold")!), {
    threshold: 0,
    value: 0,
  });
  assert.deepEqual(defaultOptions(findActivation(ACTIVATIONS, "leakyRelu")!), {
    negativeSlope: 0.01,
  });
});
