import assert from "node:assert/strict";
import {
  setWasmEnabled,
  wasmArena,
  wasmAvailable,
  wasmInit,
  wasmKernels,
  wasmRows,
  wasmUnary,
} from "./mod.ts";
import { WASM_BASE64 } from "./_bytes.ts";
import { measureRows, random, rowInputs } from "./_test_utils/accuracy.ts";
import { D, fromDouble, ulpError } from "../../../tests/accuracy/oracle.ts";
import { boundKernels } from "../../internal.ts";
import { getActivation, setKernels, Tensor } from "../../mod.ts";
import { float64Row, ulpError32 } from "../../_test_utils/softmax_rows.ts";

const LIMIT = { 32: 2, 64: 4 } as const;
/** The parameters core passes to each kernel at its activation's defaults. */
const PARAMS = new Map(boundKernels().map((k) => [k.name, k.params]));
const paramsOf = (name: string): readonly number[] => PARAMS.get(name) ?? [];

Deno.test("wasmAvailable() is true here and wasmInit() agrees", async () => {
  assert.equal(wasmAvailable(), true);
  assert.equal(await wasmInit(), true);
});

Deno.test("wasmKernels() lists the module's element-wise kernels, each bound by an activation", () => {
  const f32 = wasmKernels("float32"), f64 = wasmKernels("float64");
  assert.ok(f32.includes("relu") && f64.includes("relu"));
  // float64 geluTanh would need double-double arithmetic throughout: TypeScript serves it.
  assert.ok(f32.includes("geluTanh") && !f64.includes("geluTanh"));
  for (const name of f64) assert.ok(f32.includes(name), name);
  // A kernel no activation binds would be dead code. (Their accuracy is verified per activation,
  // on both paths, by each activation's VERIFICATION.)
  for (const name of f32) assert.ok(PARAMS.has(name), `${name} is bound by no activation`);
  // The row kernels' pieces and the scratch accessors are not element-wise kernels.
  for (const other of ["rowmax", "sumexp", "softmax", "softmax_apply", "scratch", "memory"]) {
    assert.ok(!f32.includes(other) && !f64.includes(other), other);
  }
});

Deno.test("wasmUnary() refuses names the module has no element-wise kernel for", () => {
  for (
    const name of ["nope", "rowmax", "sumexp", "softmax", "softmax_apply", "scratch", "toString"]
  ) {
    assert.equal(wasmUnary(name, new Float32Array(4), new Float32Array(4)), false, name);
    assert.equal(wasmUnary(name, new Float64Array(4), new Float64Array(4)), false, name);
  }
  assert.equal(wasmRows("nope", new Float32Array(4), new Float32Array(4), 2), false);
});

Deno.test("wasmUnary() passes parameters as given, a missing one as 0", () => {
  for (const Type of [Float32Array, Float64Array]) {
    const x = new Type([-1, 2]);
    const y = new Type(2);
    assert.ok(wasmUnary("elu", x, y)); // alpha 0: 0·expm1(-1) = -0
    assert.deepEqual(Array.from(y), [-0, 2]);
    assert.ok(wasmUnary("elu", x, y, [2]));
    assert.ok(Math.abs(y[0] / (2 * Math.expm1(-1)) - 1) < 1e-6, `elu(-1) with alpha 2: ${y[0]}`);
    assert.equal(y[1], 2);
  }
});

for (const bits of [32, 64] as const) {
  for (const name of ["softmax", "logSoftmax"] as const) {
    Deno.test(`wasmRows("${name}") on float${bits} is within ${LIMIT[bits]} ULP, rows of 1 to 1000`, () => {
      for (const [cols, rows] of [[1, 4], [2, 4], [7, 8], [33, 8], [1000, 4]]) {
        const r = measureRows(name, bits, rowInputs(bits, cols, rows, cols), cols);
        assert.equal(r.mismatch, undefined);
        assert.ok(r.worst <= LIMIT[bits], `${r.worst} ULP at x = ${r.at}, cols ${cols}`);
      }
    });
    Deno.test(`wasmRows("${name}") on float${bits} handles rows longer than the scratch tile`, () => {
      const cols = bits === 32 ? 17000 : 9000;
      const r = measureRows(name, bits, rowInputs(bits, cols, 2, 5), cols);
      assert.equal(r.mismatch, undefined);
      assert.ok(r.worst <= LIMIT[bits], `${r.worst} ULP at x = ${r.at}`);
    });
  }
}

Deno.test("float64 row sums are compensated: within about half an ULP, whatever the order", async () => {
  // Kahan's update assumes the running sum outweighs each new term, which exp(x - max) breaks:
  // it left these sums up to 1.05 ULP off. Checked on the module's own sumexp_f64 (the entries
  // equal to the max left out), in a fresh instance.
  const bytes = Uint8Array.from(atob(WASM_BASE64), (c) => c.charCodeAt(0));
  const { instance } = await WebAssembly.instantiate(bytes, {});
  const k = instance.exports as unknown as {
    memory: WebAssembly.Memory;
    scratch(): number;
    sumexp_f64(p: number, n: number, m: number): number;
  };
  const cols = 1000;
  for (const seed of [102, 1000]) {
    const x = rowInputs(64, cols, 8, seed);
    for (let r = 0; r < 8; r++) {
      const row = x.subarray(r * cols, (r + 1) * cols);
      const m = Math.max(...row);
      const at = k.scratch();
      new Float64Array(k.memory.buffer, at, cols).set(row);
      // The exact sum of the module's own terms (each from a one-entry call): the test is of the
      // summation, not of exp.
      let rest = D(0);
      for (let c = 0; c < cols; c++) rest = rest.add(fromDouble(k.sumexp_f64(at + 8 * c, 1, m)));
      const err = ulpError(k.sumexp_f64(at, cols, m), rest, "float64");
      assert.ok(err <= 0.55, `row ${r} of seed ${seed}: sum off by ${err} ULP`);
    }
  }
});

Deno.test("wasmRows() float32 keeps 1.5 ULP on N(0, 16) rows, in the tile, on arena memory and past 16384 columns", () => {
  // Softmax rounded each exp to float32 and the quotient again: 2.09 ULP. Its exps now stay in
  // float64 until scaled (in a buffer of 16384; longer rows on arena memory form them again).
  const rnd = random(16);
  const gauss = () => 4 * Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
  const arena = wasmArena(2 * 4 * 400_000 + 64);
  assert.ok(arena);
  for (const [rows, cols] of [[400, 1000], [2, 20_000], [3, 16384]]) {
    const n = rows * cols;
    const x = new Float32Array(arena.buffer, arena.base, n).map(gauss);
    const onArena = new Float32Array(arena.buffer, arena.base + 4 * n, n);
    for (const name of ["softmax", "logSoftmax"] as const) {
      const y = new Float32Array(n);
      assert.ok(wasmRows(name, x, y, cols));
      assert.ok(wasmRows(name, x, onArena, cols));
      let worst = 0, at = -1;
      for (let r = 0; r < n; r += cols) {
        const want = float64Row(name, x.subarray(r, r + cols));
        for (let j = 0; j < cols; j++) {
          const e = Math.max(ulpError32(y[r + j], want[j]), ulpError32(onArena[r + j], want[j]));
          if (!(e <= worst)) [worst, at] = [e, r + j];
        }
      }
      assert.ok(worst <= 1.5, `${name}, ${rows} rows of ${cols}: ${worst} ULP at ${at}`);
    }
  }
});

function filled(n: number, seed: number, Type: typeof Float32Array | typeof Float64Array) {
  const rnd = random(seed);
  const a = new Type(n);
  // One in 32 far out: float64 kernels run steps of 8 on a fast path only while every lane is
  // in range, so a split moves elements between the paths, which must agree bit for bit.
  for (let i = 0; i < n; i++) a[i] = (rnd() < 1 / 32 ? 1600 : 40) * (rnd() - 0.5);
  return a;
}

Deno.test("float64 kernels agree with the reference path at the top of the range", () => {
  // silu, geluSigmoid, mish and hardswish used to scale x by 2^128 on the way and return ∞.
  const x = Float64Array.from([1e270, 1e300, 3e307, Number.MAX_VALUE, -1e300, -Number.MAX_VALUE]);
  for (const k of boundKernels()) {
    if (k.layout !== "elementwise" || !wasmKernels("float64").includes(k.name)) continue;
    const y = new Float64Array(x.length);
    assert.ok(wasmUnary(k.name, x, y, k.params));
    setKernels("reference");
    try {
      const want = getActivation(k.activation).forward(new Tensor(x), k.options).data;
      assert.deepEqual(Array.from(y), Array.from(want), k.name);
    } finally {
      setKernels("auto");
    }
  }
});

Deno.test("wasmUnary() gives the same result whole, in odd pieces, in place and on shared memory", () => {
  for (const Type of [Float32Array, Float64Array]) {
    for (const name of wasmKernels(Type === Float32Array ? "float32" : "float64")) {
      const params = paramsOf(name);
      const n = 100_003;
      const x = filled(n, 7, Type);
      const whole = new Type(n);
      assert.ok(wasmUnary(name, x, whole, params));
      const rnd = random(3);
      const pieces = new Type(n);
      for (let i = 0; i < n;) {
        const m = Math.min(n - i, 1 + Math.floor(rnd() * 9000));
        assert.ok(wasmUnary(name, x.subarray(i, i + m), pieces.subarray(i, i + m), params));
        i += m;
      }
      assert.deepEqual(pieces, whole);
      const bytes = Type.BYTES_PER_ELEMENT;
      const sab = new SharedArrayBuffer((n + 3) * bytes);
      const shared = Type === Float32Array
        ? new Float32Array(sab, 3 * bytes, n)
        : new Float64Array(sab, 3 * bytes, n);
      shared.set(x);
      assert.ok(wasmUnary(name, shared, shared, params));
      assert.deepEqual(Array.from(shared), Array.from(whole));
    }
  }
});

Deno.test("wasmUnary() handles empty arrays and refuses mismatched ones", () => {
  assert.equal(wasmUnary("relu", new Float32Array(0), new Float32Array(0)), true);
  assert.equal(wasmUnary("relu", new Float32Array(3), new Float64Array(3)), false);
  assert.equal(wasmUnary("relu", new Float32Array(3), new Float32Array(4)), false);
  assert.equal(wasmUnary("geluTanh", new Float64Array(3), new Float64Array(3)), false);
});

Deno.test("wasmRows() gives NaN rows for NaN, +inf or all -inf and works in place", () => {
  for (const Type of [Float32Array, Float64Array]) {
    for (const name of ["softmax", "logSoftmax"] as const) {
      const x = new Type([
        1,
        NaN,
        2,
        1,
        Infinity,
        2,
        -Infinity,
        -Infinity,
        -Infinity,
        0,
        -Infinity,
        0,
      ]);
      const y = new Type(12);
      assert.ok(wasmRows(name, x, y, 3));
      assert.ok(y.subarray(0, 9).every(Number.isNaN));
      const last = name === "softmax" ? [0.5, 0, 0.5] : [-Math.LN2, -Infinity, -Math.LN2];
      assert.deepEqual(
        Array.from(y.subarray(9)),
        last.map((v) => Type === Float32Array ? Math.fround(v) : v),
      );
      const big = filled(5000 * 7, 9, Type);
      const out = new Type(big.length);
      assert.ok(wasmRows(name, big, out, 7));
      assert.ok(wasmRows(name, big, big, 7));
      assert.deepEqual(big, out);
    }
  }
  assert.equal(wasmRows("softmax", new Float32Array(6), new Float32Array(6), 4), false);
  assert.equal(wasmRows("softmax", new Float32Array(0), new Float32Array(0), 4), true);
});

Deno.test("setWasmEnabled(false) forces the TypeScript path", () => {
  setWasmEnabled(false);
  try {
    assert.equal(wasmAvailable(), false);
    assert.equal(wasmUnary("relu", new Float32Array(4), new Float32Array(4)), false);
    assert.equal(wasmRows("softmax", new Float32Array(4), new Float32Array(4), 2), false);
  } finally {
    setWasmEnabled(true);
  }
  assert.equal(wasmAvailable(), true);
});
