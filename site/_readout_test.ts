import assert from "node:assert/strict";
import { nearestIndex, stepIndex } from "./_readout.ts";

Deno.test("nearestIndex() finds the nearest sample and nothing outside the range", () => {
  const xs = [-1, -0.5, 0, 0.5, 1];
  assert.equal(nearestIndex(0.3, xs), 3);
  assert.equal(nearestIndex(-1, xs), 0);
  assert.equal(nearestIndex(1, xs), 4);
  assert.equal(nearestIndex(1.01, xs), undefined);
  assert.equal(nearestIndex(NaN, xs), undefined);
});

Deno.test("stepIndex() moves by one, by a tenth with Shift, and stops at the ends", () => {
  assert.equal(stepIndex("ArrowLeft", false, undefined, 241), 120);
  assert.equal(stepIndex("ArrowLeft", false, 0, 241), 0);
  assert.equal(stepIndex("ArrowRight", true, 120, 241), 144);
  assert.equal(stepIndex("ArrowRight", true, 239, 241), 240);
  assert.equal(stepIndex("Home", false, 50, 241), 0);
  assert.equal(stepIndex("PageDown", false, 5, 241), 0);
  assert.equal(stepIndex("Tab", false, 5, 241), undefined);
});
