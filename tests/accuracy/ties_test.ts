/**
 * The float32 ties a strided sample rarely meets: inputs where a function's two leading Taylor
 * terms (c0 + c1·x with dyadic c0, c1, as σ(x) = 1/2 + x/4) put the value exactly halfway
 * between two float32 numbers, so that only a term lost in float64 says which way to round.
 * Every case and direction, on the reference path, against the decimal oracle.
 */

import assert from "node:assert/strict";
import { setKernels, Tensor } from "@nonlin/core";
import { verificationCases } from "./cases.ts";
import { fromDouble, roundTo } from "./oracle.ts";

/** ±(2j + 1)·2^e for the exponents where such ties sit beside 0.5 and 1 and 0.25. */
function tieInputs(): Float32Array {
  const xs: number[] = [];
  for (let j = 0; j < 256; j++) {
    for (let e = -27; e <= -21; e++) xs.push((2 * j + 1) * 2 ** e, -(2 * j + 1) * 2 ** e);
  }
  return new Float32Array(xs);
}

for (const c of verificationCases()) {
  if (c.forward.exactDD) continue; // piecewise-linear: exact double-double, no ties to break
  Deno.test(`${c.id}: float32 reference results at float32 ties beside 0 are correctly rounded`, () => {
    const x = tieInputs();
    setKernels("reference");
    try {
      for (const direction of ["forward", "backward"] as const) {
        const side = c[direction];
        const y = side.run(new Tensor(x)).data;
        const wrong: string[] = [];
        for (let i = 0; i < x.length; i++) {
          const want = side.tiny && Math.abs(x[i]) < 2 ** -60
            ? NaN
            : roundTo(side.exact!(fromDouble(x[i])), "float32");
          if (want === want && y[i] !== want) wrong.push(`${x[i]} → ${y[i]} (want ${want})`);
        }
        assert.deepEqual(wrong.slice(0, 5), [], `${c.id} ${direction}: ${wrong.length} wrong`);
      }
    } finally {
      setKernels("auto");
    }
  });
}
