/**
 * `deno bench` suites for the WebAssembly kernels (core/_kernels/wasm) at 1M and 10M elements in
 * float32 and float64, each group against its `dst.set(src)` copy as the baseline.
 *
 *     deno bench -A bench/kernels_bench.ts
 *
 * @module
 */
import { wasmKernels, wasmRows, wasmUnary } from "../core/_kernels/wasm/mod.ts";
import { withDefaults } from "../core/_kernels/wasm/_test_utils/reference.ts";

for (const Type of [Float32Array, Float64Array]) {
  for (const n of [1_000_000, 10_000_000]) {
    const group = `${Type === Float32Array ? "f32" : "f64"} ${n / 1e6}M`;
    const x = new Type(n);
    for (let i = 0; i < n; i++) x[i] = 8 * Math.sin(i * 0.7);
    const y = new Type(n);
    Deno.bench({ name: `${group} copy (dst.set)`, group, baseline: true }, () => y.set(x));
    for (const name of wasmKernels(Type === Float32Array ? "float32" : "float64")) {
      // At the activation's default parameters, as core passes them.
      const params = withDefaults(name);
      Deno.bench({ name: `${group} ${name}`, group }, () => {
        wasmUnary(name, x, y, params);
      });
    }
    for (const name of ["softmax", "logSoftmax"] as const) {
      Deno.bench({ name: `${group} ${name} (rows of 1000)`, group }, () => {
        wasmRows(name, x, y, 1000);
      });
    }
  }
}
