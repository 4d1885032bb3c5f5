import assert from "node:assert/strict";
import { KernelArena, randn, setKernels, Tensor } from "./mod.ts";
import { wasmKernels, wasmRows, wasmUnary } from "./_kernels/wasm/mod.ts";
import { boundKernels } from "./internal.ts";

const PARAMS = new Map(boundKernels().map((k) => [k.name, k.params]));
import { getActivation } from "./registry.ts";

function same(a: ArrayLike<number>, b: ArrayLike<number>, what: string): void {
  assert.equal(a.length, b.length, what);
  for (let i = 0; i < a.length; i++) {
    assert.ok(Object.is(a[i], b[i]), `${what}[${i}]: ${a[i]} vs ${b[i]}`);
  }
}

Deno.test("KernelArena arrays give the same bits as ordinary ones, any length, in place or not", () => {
  const arena = new KernelArena(1 << 22);
  for (const dtype of ["float32", "float64"] as const) {
    for (const n of [0, 1, 7, 16, 17, 1000, 4099]) {
      const values = randn([n], { seed: n + 1, dtype }).data;
      values[0 % Math.max(n, 1)] = n > 0 ? -0 : 0;
      if (n > 3) [values[1], values[2], values[3]] = [NaN, Infinity, -Infinity];
      for (const op of wasmKernels(dtype)) {
        const params = PARAMS.get(op) ?? [];
        const plain = dtype === "float32" ? new Float32Array(n) : new Float64Array(n);
        assert.ok(wasmUnary(op, values, plain, params));
        const x = dtype === "float32" ? arena.float32(n) : arena.float64(n);
        const y = dtype === "float32" ? arena.float32(n) : arena.float64(n);
        x.set(values);
        assert.ok(wasmUnary(op, x, y, params));
        same(y, plain, `${op} ${dtype} n=${n}`);
        same(x, values, `${op} ${dtype} n=${n} input kept`);
        assert.ok(wasmUnary(op, x, x, params)); // in place
        same(x, plain, `${op} ${dtype} n=${n} in place`);
      }
    }
  }
});

Deno.test("KernelArena rows: softmax and logSoftmax match the tiled path, long rows too", () => {
  const arena = new KernelArena(1 << 22);
  for (const dtype of ["float32", "float64"] as const) {
    for (const cols of [1, 3, 1000, 20000]) {
      const values = randn([2 * cols], { seed: cols, dtype }).data;
      for (const op of ["softmax", "logSoftmax"] as const) {
        const plain = dtype === "float32" ? new Float32Array(2 * cols) : new Float64Array(2 * cols);
        assert.ok(wasmRows(op, values, plain, cols));
        const x = dtype === "float32" ? arena.float32(2 * cols) : arena.float64(2 * cols);
        const y = dtype === "float32" ? arena.float32(2 * cols) : arena.float64(2 * cols);
        x.set(values);
        assert.ok(wasmRows(op, x, y, cols));
        // Rows longer than the tile are summed tile by tile on the tiled path: the sums may
        // differ in their last bit, so those compare within a ULP-sized tolerance.
        if (cols <= 1000) same(y, plain, `${op} ${dtype} cols=${cols}`);
        else {
          for (let i = 0; i < y.length; i++) {
            const tol = 4 * Math.abs(plain[i]) * (dtype === "float32" ? 2 ** -23 : 2 ** -52);
            assert.ok(Math.abs(y[i] - plain[i]) <= tol, `${op} ${dtype} cols=${cols} [${i}]`);
          }
        }
      }
    }
  }
});

Deno.test("KernelArena serves core's functions through out, and the reference path too", () => {
  const arena = new KernelArena(1 << 16);
  const x = new Tensor(arena.float32(6), [2, 3]);
  x.data.set([-1, 0, 1, 2, -3, 0.5]);
  const out = new Tensor(arena.float32(6), [2, 3]);
  for (const name of ["gelu", "softmax", "sigmoid"]) {
    const entry = getActivation(name);
    same(entry.forward(x, { out }).data, entry.forward(x).data, name);
  }
  setKernels("reference");
  try {
    same(
      getActivation("tanh").forward(x, { out }).data,
      getActivation("tanh").forward(x).data,
      "ref",
    );
  } finally {
    setKernels("auto");
  }
});

Deno.test("KernelArena overlapping views fall back to the tile path", () => {
  const arena = new KernelArena(4096);
  const all = arena.float32(64);
  all.set(Array.from({ length: 64 }, (_, i) => i - 32));
  const want = all.slice(0, 32).map((v) => Math.max(v, 0));
  assert.ok(wasmUnary("relu", all.subarray(0, 32), all.subarray(8, 40)));
  same(all.subarray(8, 40), want, "shifted");
});

Deno.test("KernelArena checks its arguments and its space", () => {
  assert.throws(() => new KernelArena(0), RangeError);
  assert.throws(() => new KernelArena(1.5), /KernelArena of 1.5 bytes/);
  assert.throws(() => new KernelArena("big" as unknown as number), TypeError);
  const arena = new KernelArena(256);
  assert.equal(arena.bytesFree, 256);
  arena.float32(10); // 40 bytes, one 64-byte step
  assert.equal(arena.bytesFree, 192);
  assert.throws(() => arena.float64(25), /has 192 bytes free/);
  assert.throws(() => arena.float32(-1), RangeError);
  assert.throws(() => arena.float32(2.5), /length 2.5/);
  assert.throws(() => arena.float64(null as unknown as number), TypeError);
  assert.equal(arena.float64(24).length, 24);
  assert.equal(arena.bytesFree, 0);
});
