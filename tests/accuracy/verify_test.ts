/**
 * The quick version of `deno task verify`, run by `deno task test`: for every case and
 * direction, 2^20 float32 bit patterns (every 4,096th, which visits every exponent of both
 * signs) and one float64 input in every 4th binade of each sign plus every cut-off, on both
 * paths, held to the same bounds as the full run.
 */

import assert from "node:assert/strict";
import { ACTIVATIONS } from "@nonlin/core";
import { verificationCases } from "./cases.ts";
import { emptyBlock, mergeBlock } from "./check.ts";
import { BLOCK_SIZE, BLOCKS, QUICK_STRIDE, runUnit } from "./plan.ts";
import { verdict } from "./results.ts";

for (const c of verificationCases()) {
  for (const direction of ["forward", "backward"] as const) {
    Deno.test(`verify --quick: ${c.id} ${direction} meets every bound`, () => {
      const base = { key: "", caseId: c.id, direction, quick: true };
      const f32 = emptyBlock();
      for (let block = 0; block < BLOCKS; block++) {
        mergeBlock(f32, runUnit(c, { ...base, kind: "float32", block }));
      }
      const f64 = runUnit(c, { ...base, kind: "float64" });
      assert.equal(f32.reference.checked, BLOCKS * (BLOCK_SIZE / QUICK_STRIDE));
      assert.ok(f64.reference.checked > 1000);
      const v = verdict({
        float32: { ...f32, inputs: f32.reference.checked, seconds: 0 },
        float64: { ...f64, inputs: f64.reference.checked, seconds: 0 },
      });
      const show = (t: typeof f32.reference) =>
        `worst ${t.worst} at ${t.worstX} (${t.worstGot}, want ${t.worstWant}), ${t.over05} not nearest, ` +
        `NaN ${t.nan}, wrong zero sign ${t.zeroSign}`;
      const detail = `f32 reference: ${show(f32.reference)}; f32 kernel: ${show(f32.kernel)}; ` +
        `f64 reference: ${show(f64.reference)}; f64 kernel: ${show(f64.kernel)}; ` +
        `zeros differing between paths: ${f32.pathZeroSign + f64.pathZeroSign}`;
      for (const [bound, ok] of Object.entries(v)) assert.ok(ok, `${bound}: ${detail}`);
    });
  }
}

Deno.test("the cases cover every element-wise activation of the registry, each id once", () => {
  const cases = verificationCases();
  const elementwise = ACTIVATIONS.filter((a) => a.kind === "elementwise").map((a) => a.name);
  assert.deepEqual([...new Set(cases.map((c) => c.name))].sort(), [...elementwise].sort());
  assert.equal(new Set(cases.map((c) => c.id)).size, cases.length);
});
