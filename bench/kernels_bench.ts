/**
 * `deno bench` suites for the WebAssembly kernels the registry binds, at 1M and 10M elements in
 * float32 and float64 with the parameters core passes at each activation's defaults, each group
 * against its `dst.set(src)` copy as the baseline.
 *
 *     deno bench -A bench/kernels_bench.ts
 *
 * @module
 */
import { boundKernels, wasmKernels, wasmRows, wasmUnary } from "@nonlin/core/internal";

for (const Type of [Float32Array, Float64Array]) {
  for (const n of [1_000_000, 10_000_000]) {
    const dtype = Type === Float32Array ? "float32" : "float64";
    const group = `${dtype === "float32" ? "f32" : "f64"} ${n / 1e6}M`;
    const x = new Type(n);
    for (let i = 0; i < n; i++) x[i] = 8 * Math.sin(i * 0.7);
    const y = new Type(n);
    Deno.bench({ name: `${group} copy (dst.set)`, group, baseline: true }, () => y.set(x));
    for (const { name, params, layout } of boundKernels()) {
      if (layout === "rows") {
        Deno.bench({ name: `${group} ${name} (rows of 1000)`, group }, () => {
          wasmRows(name, x, y, 1000);
        });
      } else if (wasmKernels(dtype).includes(name)) {
        Deno.bench({ name: `${group} ${name}`, group }, () => {
          wasmUnary(name, x, y, params);
        });
      }
    }
  }
}
