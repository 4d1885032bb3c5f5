/** Helpers for tests that visit every float32 of a range. Test-only; never published. */

import { ulpError } from "../../tests/accuracy/oracle.ts";

/** Every float32 in [from, to] (both finite, same sign), in order. */
export function float32Range(from: number, to: number): Float32Array {
  const f = new Float32Array([from, to]), u = new Uint32Array(f.buffer);
  const [a, b] = u[0] <= u[1] ? [u[0], u[1]] : [u[1], u[0]];
  const out = new Float32Array(b - a + 1), bits = new Uint32Array(out.buffer);
  for (let i = 0; i <= b - a; i++) bits[i] = a + i;
  return out;
}

/**
 * The worst error in float32 ULPs of `actual` against `reference` (a float64 value accurate to
 * far below a float32 ULP), with its index.
 */
export function worstUlp32(actual: ArrayLike<number>, reference: ArrayLike<number>): {
  ulp: number;
  index: number;
} {
  let ulp = 0, index = -1;
  for (let i = 0; i < actual.length; i++) {
    const e = ulpError(actual[i], reference[i], "float32");
    if (!(e <= ulp)) {
      ulp = e;
      index = i;
    }
  }
  return { ulp, index };
}
