import assert from "node:assert/strict";
import { COPY_KEY, Tuning } from "./_tuning.ts";

Deno.test("Tuning: the overhead is the median of recent runs, the fallback before any", () => {
  const t = new Tuning();
  assert.equal(t.overheadMs(0.4), 0.4);
  for (const ms of [3, 1, 2]) t.recordOverhead(ms);
  assert.equal(t.overheadMs(0.4), 2);
  // Negative overheads (a run faster than an even split) count as none; garbage is ignored.
  t.recordOverhead(-5);
  t.recordOverhead(NaN);
  assert.equal(t.overheadMs(0.4), 1.5);
  // Only the last nine count.
  for (let i = 0; i < 9; i++) t.recordOverhead(7);
  assert.equal(t.overheadMs(0.4), 7);
});

Deno.test("Tuning: per-op costs in ns per element, kept apart by key", () => {
  const t = new Tuning();
  assert.equal(t.costNs("sigmoid", 3), 3);
  t.recordCost("sigmoid", 1_000_000, 2); // 2 ms for 1M elements: 2 ns each
  t.recordCost("gelu", 1_000_000, 5);
  assert.equal(t.costNs("sigmoid", 3), 2);
  assert.equal(t.costNs("gelu", 3), 5);
  // Too short to time, or empty: not recorded.
  t.recordCost("relu", 10, 0.001);
  t.recordCost("relu", 0, 1);
  assert.equal(t.costNs("relu", 0.5), 0.5);
});

Deno.test("Tuning: the cost of copying into shared memory is learnt under its own key", () => {
  const t = new Tuning();
  assert.equal(t.costNs(COPY_KEY, 0.3), 0.3);
  t.recordCost(COPY_KEY, 10_000_000, 4); // 4 ms for 10M elements
  assert.equal(t.costNs(COPY_KEY, 0.3), 0.4);
});
