import assert from "node:assert/strict";
import { ACTIVATIONS, setKernels, Tensor } from "./mod.ts";

/** Values across the interesting range: tails, zeros, ordinary numbers. */
function values(n: number): number[] {
  return Array.from({ length: n }, (_, i) => Math.sin(i * 12.9898) * (i % 7 === 0 ? 200 : 6));
}

const SHAPE = [2, 2, 5000]; // 20,000 elements: more than one 32 KiB kernel tile
const N = 20000;

for (const entry of ACTIVATIONS) {
  Deno.test(`${entry.name}() with an out that partly overlaps x gives the same bits as without`, () => {
    const m = entry.name === "glu" ? N / 2 : N;
    const outShape = entry.name === "glu" ? [2, 2, 2500] : SHAPE;
    for (const mode of ["auto", "reference"] as const) {
      setKernels(mode);
      try {
        for (const Array of [Float32Array, Float64Array]) {
          const expected = entry.forward(new Tensor(Array.from(values(N)), SHAPE)).data;
          for (
            const [xAt, outAt] of [[0, 1], [1, 0], [0, 7], [N / 2, 0], [0, N / 4], [3, 3 + N / 2]]
          ) {
            const buffer = new Array(Math.max(xAt + N, outAt + m));
            const x = new Tensor(buffer.subarray(xAt, xAt + N), SHAPE);
            x.data.set(values(N));
            const out = new Tensor(buffer.subarray(outAt, outAt + m), outShape);
            const y = entry.forward(x, { out });
            assert.equal(y, out, "returns out");
            for (let i = 0; i < m; i++) {
              if (!Object.is(out.data[i], expected[i])) {
                assert.fail(
                  `${entry.name} (${mode}, ${Array.name}) x at ${xAt}, out at ${outAt}: element ${i} ` +
                    `is ${out.data[i]}, expected ${expected[i]}`,
                );
              }
            }
          }
        }
      } finally {
        setKernels("auto");
      }
    }
  });
}

Deno.test("an out that is x itself still works in place", () => {
  for (const entry of ACTIVATIONS) {
    if (entry.name === "glu") continue;
    const x = new Tensor(Float64Array.from(values(N)), SHAPE);
    const expected = entry.forward(new Tensor(Float64Array.from(values(N)), SHAPE)).data;
    entry.forward(x, { out: x });
    assert.deepEqual(Array.from(x.data), Array.from(expected), entry.name);
  }
});
