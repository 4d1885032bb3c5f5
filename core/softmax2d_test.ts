import "./_test_utils/reference_kernels.ts";
import assert from "node:assert/strict";
import { Softmax2d, softmax2d, softmax2dBackward } from "./softmax2d.ts";
import { softmax } from "./softmax.ts";
import { tensor } from "./tensor.ts";
import { assertClose, assertGradient } from "./testing.ts";
import { roundTo, softmaxRow, ulpDistance } from "../tests/accuracy/oracle.ts";

function ramp(shape: number[], scale = 1): number[] {
  const n = shape.reduce((a, b) => a * b, 1);
  return Array.from({ length: n }, (_, i) => Math.sin(i * 1.7) * scale);
}

Deno.test("softmax2d() normalises over channels: dim 0 of (C, H, W), dim 1 of (N, C, H, W)", () => {
  const x3 = tensor(ramp([3, 2, 2], 4), { shape: [3, 2, 2], dtype: "float64" });
  assertClose(softmax2d(x3), softmax(x3, { dim: 0 }), { rtol: 0, atol: 0 });
  const x4 = tensor(ramp([2, 3, 2, 2], 4), { shape: [2, 3, 2, 2], dtype: "float64" });
  const y = softmax2d(x4);
  assertClose(y, softmax(x4, { dim: 1 }), { rtol: 0, atol: 0 });
  assertClose(y.sum({ dim: 1 }), [[[1, 1], [1, 1]], [[1, 1], [1, 1]]], { rtol: 1e-15 });
});

Deno.test("softmax2d() at ±1000, ±∞, NaN and empty tensors", () => {
  const y = softmax2d(tensor([[[1000, -Infinity, NaN]], [[-1000, 0, 1]]])).toArray();
  const [a, b] = y as number[][][];
  assert.deepEqual([a[0][0], a[0][1], b[0][0], b[0][1]], [1, 0, 0, 1]);
  assert.ok(Number.isNaN(a[0][2]) && Number.isNaN(b[0][2]));
  assert.deepEqual(softmax2d(tensor([], { shape: [0, 2, 2, 2] })).shape, [0, 2, 2, 2]);
});

for (const [dtype, bound] of [["float32", 1], ["float64", 2]] as const) {
  Deno.test(`softmax2d() is within ${bound} ULP of exact in ${dtype}`, () => {
    const shape = [2, 4, 3, 5];
    const xs = ramp(shape, 30).map((v) => roundTo(v, dtype));
    const y = softmax2d(tensor(xs, { shape, dtype })).data;
    let worst = 0;
    for (let n = 0; n < 2; n++) {
      for (let p = 0; p < 15; p++) {
        const idx = [0, 1, 2, 3].map((c) => n * 60 + c * 15 + p);
        const ref = softmaxRow(idx.map((i) => xs[i]));
        idx.forEach((i, c) => {
          worst = Math.max(worst, ulpDistance(y[i], roundTo(ref[c], dtype), dtype));
        });
      }
    }
    assert.ok(worst <= bound, `${worst} ULP`);
  });
}

Deno.test("softmax2dBackward() from the output matches finite differences", () => {
  const shape = [3, 2, 2];
  const x = tensor(ramp(shape, 2), { shape, dtype: "float64" });
  const dy = tensor(ramp(shape, 3).map((v) => v + 0.5), { shape, dtype: "float64" });
  assertGradient(softmax2d, (g, v) => softmax2dBackward(g, softmax2d(v)), x, dy);
});

Deno.test("softmax2d() rejects other ranks under its own name and writes into out", () => {
  for (const shape of [[], [4], [2, 2], [1, 1, 1, 1, 1]]) {
    const size = shape.reduce((a, b) => a * b, 1);
    assert.throws(() => softmax2d(tensor(Array(size).fill(0), { shape })), {
      name: "RangeError",
      message:
        /softmax2d\(\) argument x of shape .*: expected a 3-d \(C, H, W\) or 4-d \(N, C, H, W\) tensor/,
    });
  }
  assert.throws(
    () => softmax2dBackward(tensor([1, 1]), tensor([0.5, 0.5])),
    /softmax2dBackward\(\) argument y/,
  );
  assert.throws(() => softmax2d(tensor([[[1]]]), { dim: 0 } as never), TypeError);
  assert.throws(() => softmax2d(tensor([[[1]]]), { out: tensor([1]) }), /softmax2d\(\) option out/);
  const x = tensor([[[0]], [[0]]]);
  assert.equal(softmax2d(x, { out: x }), x);
  assert.deepEqual(x.toArray(), [[[0.5]], [[0.5]]]);
});

Deno.test("Softmax2d module caches its output; backward before forward is an error", () => {
  const layer = new Softmax2d();
  assert.throws(() => layer.backward(tensor([[[1]]])), /Softmax2d.backward\(\) before forward/);
  assert.deepEqual(layer.forward(tensor([[[[3]], [[3]]]])).toArray(), [[[[0.5]], [[0.5]]]]);
  assert.deepEqual(layer.backward(tensor([[[[1]], [[0]]]])).toArray(), [[[[0.25]], [[-0.25]]]]);
});
