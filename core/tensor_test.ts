import assert from "node:assert/strict";
import fc from "fast-check";
import { full, ones, randn, Tensor, tensor, zeros } from "./tensor.ts";

Deno.test("tensor() infers shape and dtype from nested arrays", () => {
  const t = tensor([[1, 2, 3], [4, 5, 6]]);
  assert.deepEqual(t.shape, [2, 3]);
  assert.equal(t.dtype, "float32");
  assert.equal(t.size, 6);
  assert.equal(t.ndim, 2);
  assert.ok(t.data instanceof Float32Array);
  assert.deepEqual(t.toArray(), [[1, 2, 3], [4, 5, 6]]);
  const d = tensor([[[1], [2]]], { dtype: "float64" });
  assert.ok(d.data instanceof Float64Array);
  assert.deepEqual(d.shape, [1, 2, 1]);
});

Deno.test("tensor() accepts numbers, typed arrays and flat arrays with a shape", () => {
  assert.deepEqual(tensor(3).shape, []);
  assert.equal(tensor(3).toArray(), 3);
  assert.equal(tensor(2.5).item(), 2.5);
  const t = tensor(new Float64Array([1, 2, 3, 4]), { shape: [2, 2], dtype: "float64" });
  assert.deepEqual(t.toArray(), [[1, 2], [3, 4]]);
  assert.deepEqual(tensor([1, 2, 3, 4, 5, 6], { shape: [3, 2] }).toArray(), [[1, 2], [3, 4], [
    5,
    6,
  ]]);
  assert.deepEqual(tensor([]).shape, [0]);
  assert.deepEqual(tensor([[]]).shape, [1, 0]);
  assert.deepEqual(tensor([], { shape: [0, 3] }).shape, [0, 3]);
});

Deno.test("tensor() copies its input", () => {
  const src = new Float32Array([1, 2]);
  const t = tensor(src);
  src[0] = 9;
  assert.equal(t.data[0], 1);
});

Deno.test("tensor() rounds float32 once and keeps float64 exact", () => {
  assert.equal(tensor([0.1]).data[0], Math.fround(0.1));
  assert.equal(tensor([0.1], { dtype: "float64" }).data[0], 0.1);
});

Deno.test("tensor({ shared: true }) lives in a SharedArrayBuffer", () => {
  const t = tensor([1, 2, 3], { shared: true });
  assert.ok(t.data.buffer instanceof SharedArrayBuffer);
  assert.equal(t.shared, true);
  assert.equal(tensor([1]).shared, false);
  assert.ok(zeros([4], { shared: true, dtype: "float64" }).shared);
});

Deno.test("tensor() rejects ragged arrays, non-numbers, bad shapes and dtypes with clear errors", () => {
  assert.throws(() => tensor([[1, 2], [3]]), {
    name: "RangeError",
    message: /ragged.*values\[1\] is an array of length 1, expected an array of length 2/,
  });
  assert.throws(() => tensor([[1, 2], 3] as never), {
    name: "RangeError",
    message: /values\[1\] is 3/,
  });
  assert.throws(() => tensor([1, [2]] as never), {
    name: "RangeError",
    message: /values\[1\] is an array/,
  });
  assert.throws(() => tensor([1, "a"] as never), {
    name: "TypeError",
    message: /values\[1\] is "a" \(string\), expected a number/,
  });
  assert.throws(() => tensor([null] as never), {
    name: "TypeError",
    message: /values\[0\] is null/,
  });
  assert.throws(() => tensor("abc" as never), { name: "TypeError", message: /"abc"/ });
  assert.throws(() => tensor([1, 2], { dtype: "int8" as never }), {
    name: "RangeError",
    message: /dtype "int8": expected "float32" or "float64"/,
  });
  assert.throws(() => tensor([1, 2], { dtype: 32 as never }), {
    name: "TypeError",
    message: /dtype 32/,
  });
  assert.throws(() => tensor([1, 2, 3], { shape: [2, 2] }), {
    name: "RangeError",
    message: /shape \[2, 2\] \(4 elements\) from 3 values/,
  });
  assert.throws(() => tensor([1, 2], { shape: [-2] }), {
    name: "RangeError",
    message: /shape \[-2\]: entry 0 is -2, expected a non-negative integer/,
  });
  assert.throws(() => tensor([1, 2], { shape: [1.5] }), {
    name: "RangeError",
    message: /entry 0 is 1.5/,
  });
  assert.throws(() => tensor(new Float32Array(3), { shape: [2] }), { name: "RangeError" });
  assert.throws(() => tensor(new BigInt64Array(2) as never), { name: "TypeError" });
  assert.throws(() => new Tensor([1, 2] as never), { name: "TypeError", message: /Float32Array/ });
  assert.throws(() => new Tensor(new Float32Array(3), [2, 2]), {
    name: "RangeError",
    message: /shape \[2, 2\] \(4 elements\) from 3 elements/,
  });
});

Deno.test("add/sub/mul/div broadcast like NumPy and take numbers", () => {
  const a = tensor([[1, 2, 3], [4, 5, 6]]);
  assert.deepEqual(a.add(tensor([10, 20, 30])).toArray(), [[11, 22, 33], [14, 25, 36]]);
  assert.deepEqual(a.sub(tensor([[1], [4]])).toArray(), [[0, 1, 2], [0, 1, 2]]);
  assert.deepEqual(a.mul(2).toArray(), [[2, 4, 6], [8, 10, 12]]);
  assert.deepEqual(a.div(tensor(2)).toArray(), [[0.5, 1, 1.5], [2, 2.5, 3]]);
  const col = tensor([[1], [2], [3]]), row = tensor([10, 20]);
  assert.deepEqual(col.add(row).shape, [3, 2]);
  assert.deepEqual(col.add(row).toArray(), [[11, 21], [12, 22], [13, 23]]);
  const b = tensor([[[1, 2]], [[3, 4]]]); // [2, 1, 2]
  assert.deepEqual(b.mul(tensor([[1, 1], [2, 2], [3, 3]])).shape, [2, 3, 2]);
  assert.equal(a.add(tensor([1, 1, 1], { dtype: "float64" })).dtype, "float64");
  assert.equal(a.add(1).dtype, "float32");
});

Deno.test("binary operations reject shapes that do not broadcast and non-tensors", () => {
  const a = tensor([[1, 2, 3], [4, 5, 6]]);
  assert.throws(() => a.add(tensor([1, 2])), {
    name: "RangeError",
    message: "Cannot broadcast shapes [2, 3] and [2]: dimension 1 is 3 against 2",
  });
  assert.throws(() => a.mul("2" as never), {
    name: "TypeError",
    message: /mul\(\) argument other "2"/,
  });
});

Deno.test("broadcasting agrees with an explicit loop (property)", () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 3 }),
      fc.integer({ min: 1, max: 3 }),
      fc.integer({ min: 1, max: 3 }),
      fc.boolean(),
      (n, m, k, flip) => {
        const a = randn([n, 1, k], { seed: n * 7 + k });
        const b = randn(flip ? [m, 1] : [m, k], { seed: m });
        const c = a.add(b);
        assert.deepEqual(c.shape, [n, m, k]);
        for (let i = 0; i < n; i++) {
          for (let j = 0; j < m; j++) {
            for (let l = 0; l < k; l++) {
              const expected = Math.fround(
                a.data[i * k + l] + b.data[flip ? j : j * k + l],
              );
              assert.equal(c.data[(i * m + j) * k + l], expected);
            }
          }
        }
      },
    ),
    { numRuns: 60 },
  );
});

Deno.test("sum/max/mean reduce over dims, negative dims, lists and keepdim", () => {
  const a = tensor([[1, 2, 3], [4, 5, 6]]);
  assert.equal(a.sum().item(), 21);
  assert.deepEqual(a.sum().shape, []);
  assert.deepEqual(a.sum({ dim: 0 }).toArray(), [5, 7, 9]);
  assert.deepEqual(a.sum({ dim: -1, keepdim: true }).toArray(), [[6], [15]]);
  assert.deepEqual(a.sum({ dim: [0, 1], keepdim: true }).shape, [1, 1]);
  assert.deepEqual(a.max({ dim: 1 }).toArray(), [3, 6]);
  assert.deepEqual(a.max({ dim: 0, keepdim: true }).toArray(), [[4, 5, 6]]);
  assert.equal(a.mean().item(), 3.5);
  assert.deepEqual(a.mean({ dim: 0 }).toArray(), [2.5, 3.5, 4.5]);
  const b = randn([2, 3, 4], { seed: 3, dtype: "float64" });
  const s = b.sum({ dim: [0, 2] });
  for (let j = 0; j < 3; j++) {
    let acc = 0;
    for (let i = 0; i < 2; i++) for (let k = 0; k < 4; k++) acc += b.data[i * 12 + j * 4 + k];
    assert.ok(Math.abs(s.data[j] - acc) < 1e-12);
  }
});

Deno.test("reductions propagate NaN and handle empty tensors", () => {
  assert.ok(Number.isNaN(tensor([1, NaN, 3]).max().item()));
  assert.ok(Number.isNaN(tensor([NaN, 1]).max().item()));
  assert.ok(Number.isNaN(tensor([1, NaN]).sum().item()));
  assert.equal(tensor([-Infinity, -1]).max().item(), -1);
  assert.equal(zeros([0]).sum().item(), 0);
  assert.ok(Number.isNaN(zeros([0]).mean().item()));
  assert.deepEqual(zeros([2, 0]).sum({ dim: 1 }).toArray(), [0, 0]);
  assert.throws(() => zeros([2, 0]).max({ dim: 1 }), {
    name: "RangeError",
    message: /max\(\) over an empty dimension/,
  });
});

Deno.test("reductions reject bad dims", () => {
  const a = tensor([[1, 2], [3, 4]]);
  assert.throws(() => a.sum({ dim: 2 }), {
    name: "RangeError",
    message: "Cannot use sum() dim 2: expected an integer in [-2, 1]",
  });
  assert.throws(() => a.sum({ dim: 0.5 }), { name: "RangeError" });
  assert.throws(() => a.mean({ dim: "0" as never }), { name: "TypeError", message: /dim "0"/ });
  assert.throws(() => a.max({ dim: [0, -2] }), { name: "RangeError", message: /repeats/ });
});

Deno.test("reshape shares storage and infers one -1", () => {
  const a = tensor([1, 2, 3, 4, 5, 6]);
  const b = a.reshape([2, -1]);
  assert.deepEqual(b.shape, [2, 3]);
  assert.equal(b.data, a.data);
  assert.deepEqual(a.reshape([3, 2]).toArray(), [[1, 2], [3, 4], [5, 6]]);
  assert.deepEqual(zeros([0, 4]).reshape([-1, 2]).shape, [0, 2]);
  assert.throws(() => a.reshape([4, -1]), { name: "RangeError", message: /do not divide by 4/ });
  assert.throws(() => a.reshape([4, 2]), {
    name: "RangeError",
    message: /\(6 elements\) to \[4, 2\]/,
  });
  assert.throws(() => a.reshape([-1, -1]), { name: "RangeError", message: /entry 1 is -1/ });
  assert.throws(() => a.reshape(6 as never), { name: "TypeError" });
});

Deno.test("zeros, ones, full and clone", () => {
  assert.deepEqual(zeros([2, 2]).toArray(), [[0, 0], [0, 0]]);
  assert.deepEqual(ones([3], { dtype: "float64" }).toArray(), [1, 1, 1]);
  assert.deepEqual(full([2], -Infinity).toArray(), [-Infinity, -Infinity]);
  const a = tensor([1, 2]);
  const c = a.clone({ dtype: "float64" });
  assert.equal(c.dtype, "float64");
  c.data[0] = 5;
  assert.equal(a.data[0], 1);
  assert.throws(() => full([2], "x" as never), { name: "TypeError", message: /value "x"/ });
  assert.throws(() => zeros([-1]), { name: "RangeError" });
  assert.throws(() => tensor([1, 2]).item(), { name: "RangeError", message: /2 elements/ });
});

Deno.test("randn is seeded, reproducible and roughly standard normal", () => {
  const a = randn([20001], { seed: 7, dtype: "float64" });
  assert.deepEqual(a.data, randn([20001], { seed: 7, dtype: "float64" }).data);
  assert.notDeepEqual(a.data.slice(0, 10), randn([10], { seed: 8, dtype: "float64" }).data);
  const mean = a.mean().item();
  const variance = a.sub(mean).mul(a.sub(mean)).mean().item();
  assert.ok(Math.abs(mean) < 0.03, `mean ${mean}`);
  assert.ok(Math.abs(variance - 1) < 0.05, `variance ${variance}`);
  const b = randn([1000], { seed: 1, mean: 5, std: 0.1 });
  assert.ok(Math.abs(b.mean().item() - 5) < 0.02);
  assert.throws(() => randn([2], { seed: 1.5 }), { name: "TypeError", message: /seed 1.5/ });
  assert.throws(() => randn([2], { std: -1 }), { name: "RangeError", message: /std -1/ });
});

Deno.test("toString summarises dtype, shape and the first elements", () => {
  assert.equal(tensor([1, 2]).toString(), "Tensor(float32, [2], [1, 2])");
  assert.equal(tensor([-0, 0, NaN]).toString(), "Tensor(float32, [3], [-0, 0, NaN])");
  assert.match(zeros([10]).toString(), /…/);
});

Deno.test("tensor(), full(), zeros(), randn() and sum() reject options they cannot honour", () => {
  assert.throws(() => tensor([1], { dtype: null as never }), {
    name: "TypeError",
    message: /dtype null/,
  });
  assert.throws(() => tensor([1], { shared: "no" as never }), {
    name: "TypeError",
    message: /shared "no"/,
  });
  assert.throws(() => tensor([1], { dtpye: "float64" } as never), {
    name: "TypeError",
    message: /option "dtpye": expected one of dtype, shape, shared/,
  });
  assert.throws(() => zeros([2], { seed: 1 } as never), {
    name: "TypeError",
    message: /zeros\(\)/,
  });
  assert.throws(() => randn([2], { std: Infinity }), {
    name: "RangeError",
    message: /std Infinity/,
  });
  assert.throws(() => randn([2], null as never), { name: "TypeError", message: /randn\(\)/ });
  assert.throws(() => tensor([1, 2]).sum({ keepdim: 1 as never }), {
    name: "TypeError",
    message: /keepdim 1: expected a boolean/,
  });
  assert.throws(() => tensor([1, 2]).mean({ dims: 0 } as never), {
    name: "TypeError",
    message: /"dims"/,
  });
  assert.throws(() => zeros([1e10]), { name: "RangeError", message: /shape \[10000000000\]/ });
  assert.deepEqual(randn([3], { seed: 1, std: 0, mean: 2, dtype: "float64" }).toArray(), [2, 2, 2]);
  assert.equal(tensor([1], { shared: false }).data.buffer instanceof SharedArrayBuffer, false);
});
