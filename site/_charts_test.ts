import assert from "node:assert/strict";
import { parseHTML } from "linkedom";
import { barChart, lineChart, logTick, PALETTE, paletteFor } from "./_charts.ts";

const document = () =>
  parseHTML("<!DOCTYPE html><html><body></body></html>").document as unknown as Document;

Deno.test("PALETTE gives at least 12 distinct colours before repeating", () => {
  assert.ok(new Set(PALETTE).size >= 12);
  assert.equal(new Set(paletteFor(12)).size, 12);
  assert.equal(paletteFor(PALETTE.length + 1).at(-1), PALETTE[0]);
});

Deno.test("logTick() labels powers of ten below 1e-24 as 1e-30, not SI prefixes", () => {
  assert.equal(logTick(1e-30), "1e-30");
  assert.equal(logTick(0.01), "0.01");
  assert.equal(logTick(1e6), "1e6");
  assert.equal(logTick(2e-30), "");
});

Deno.test("lineChart() gives f and f′ of one activation one colour", () => {
  const x = [0, 1];
  const svg = lineChart([
    { name: "relu", key: "relu", x, y: [0, 1] },
    { name: "relu′", key: "relu", x, y: [0, 1], dashed: true },
    { name: "tanh", key: "tanh", x, y: [0, 0.7] },
  ])(document(), 400);
  const strokes = [...svg.querySelectorAll("path")].map((p) => p.getAttribute("stroke"))
    .filter((s) => s?.startsWith("#"));
  assert.equal(new Set(strokes).size, 2);
});

Deno.test("barChart() labels only some of 60 crowded bars and drops their values", () => {
  const bars = Array.from({ length: 60 }, (_, i) => ({ label: `x${i} = ${i}`, value: i / 60 }));
  const chart = barChart(bars, { showValues: true, domain: [0, 1] })(document(), 358);
  const labels = [...chart.querySelectorAll("text")].map((t) => t.textContent).filter((t) =>
    t?.startsWith("x")
  );
  assert.ok(labels.length > 0 && labels.length <= 30, `${labels.length} labels`);
  const few = barChart(bars.slice(0, 4), { showValues: true })(document(), 640);
  assert.ok([...few.querySelectorAll("text")].some((t) => t.textContent === "0.0167"));
});
