/**
 * What an activation's test file calls to be verified: `verifyActivation(name, variants)` makes
 * its cases and, under `deno test`, registers the quick verification of every case and
 * direction (2^20 float32 bit patterns, every 4,096th, which visits every exponent of both signs,
 * and a float64 input in every 4th binade of each sign plus every cut-off, on both paths, held to
 * the bounds of the full run) and the float32 ties beside 0 that a strided sample rarely meets.
 * Under `deno run` (`deno task verify`), `Deno.test` registers nothing and only the cases remain.
 *
 * @module
 */

import assert from "node:assert/strict";
import { setKernels, Tensor } from "@nonlin/core";
import { type Case, casesOf, type Variants } from "./cases.ts";
import { emptyBlock, mergeBlock, type Tally } from "./check.ts";
import { fromDouble, roundTo } from "./oracle.ts";
import { BLOCK_SIZE, BLOCKS, FLOAT64_PARTS, QUICK_STRIDE, runUnit } from "./plan.ts";
import { verdict } from "./results.ts";

/** The cases of an element-wise activation, with their tests registered. */
export function verifyActivation(name: string, variants: Variants): Case[] {
  const cases = casesOf(name, variants);
  for (const c of cases) {
    for (const direction of ["forward", "backward"] as const) {
      Deno.test(`verify --quick: ${c.id} ${direction} meets every bound`, () =>
        quick(c, direction));
    }
    if (c.forward.exactDD) continue; // piecewise-linear: exact double-double, no ties to break
    Deno.test(`${c.id}: float32 reference results at float32 ties beside 0 are correctly rounded`, () =>
      ties(c));
  }
  return cases;
}

function show(t: Tally): string {
  return `worst ${t.worst} at ${t.worstX} (${t.worstGot}, want ${t.worstWant}), ${t.over05} not nearest, ` +
    `NaN ${t.nan}, wrong zero sign ${t.zeroSign}`;
}

function quick(c: Case, direction: "forward" | "backward"): void {
  const base = { key: "", caseId: c.id, direction, quick: true };
  const f32 = emptyBlock();
  for (let block = 0; block < BLOCKS; block++) {
    mergeBlock(f32, runUnit(c, { ...base, kind: "float32", block }));
  }
  const f64 = emptyBlock();
  for (let part = 0; part < FLOAT64_PARTS; part++) {
    mergeBlock(f64, runUnit(c, { ...base, kind: "float64", part }));
  }
  assert.equal(f32.reference.checked, BLOCKS * (BLOCK_SIZE / QUICK_STRIDE));
  assert.ok(f64.reference.checked > 1000);
  const v = verdict({
    float32: { ...f32, inputs: f32.reference.checked, seconds: 0 },
    float64: { ...f64, inputs: f64.reference.checked, seconds: 0 },
  });
  const detail = `f32 reference: ${show(f32.reference)}; f32 kernel: ${show(f32.kernel)}; ` +
    `f64 reference: ${show(f64.reference)}; f64 kernel: ${show(f64.kernel)}; ` +
    `zeros differing between paths: ${f32.pathZeroSign + f64.pathZeroSign}`;
  for (const [bound, ok] of Object.entries(v)) assert.ok(ok, `${bound}: ${detail}`);
}

/**
 * ±(2j + 1)·2^e for the exponents where float32 ties sit beside 0.5, 1 and 0.25: a function's
 * two leading Taylor terms (c0 + c1·x with dyadic c0, c1, as σ(x) = 1/2 + x/4) put the value
 * exactly halfway between two float32 numbers, and only a term lost in float64 says which way
 * to round.
 */
function tieInputs(): Float32Array {
  const xs: number[] = [];
  for (let j = 0; j < 256; j++) {
    for (let e = -27; e <= -21; e++) xs.push((2 * j + 1) * 2 ** e, -(2 * j + 1) * 2 ** e);
  }
  return new Float32Array(xs);
}

function ties(c: Case): void {
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
}
